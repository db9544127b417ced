"""`servicehall workdays ...`: working-day arithmetic and calendar maintenance from the shell."""

from __future__ import annotations

import argparse
from datetime import date

from servicehall.core.errors import InputError


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def _calendar():
    from servicehall.core.runtime import ensure_database

    ensure_database()
    from servicehall.workdays.selectors import load_calendar

    return load_calendar()


def cmd_add(args: argparse.Namespace) -> int:
    print(_calendar().add_working_days(args.date, args.n).isoformat())
    return 0


def cmd_between(args: argparse.Namespace) -> int:
    print(_calendar().working_days_between(args.start, args.end))
    return 0


def cmd_is(args: argparse.Namespace) -> int:
    calendar = _calendar()
    kind = calendar.kind(args.date)
    print(
        f"{args.date.isoformat()} {kind.value} {'workday' if calendar.is_workday(args.date) else 'day off'}"
    )
    return 0 if calendar.is_workday(args.date) else 1


def cmd_import(args: argparse.Namespace) -> int:
    _calendar()
    from servicehall.workdays.services import import_calendar_csv

    result = import_calendar_csv(path=args.file)
    print(
        f"imported {args.file}: {result.created} added, {result.updated} changed, {result.unchanged} unchanged"
    )
    return 0


def cmd_years(args: argparse.Namespace) -> int:
    years = sorted(_calendar().years)
    if not years:
        raise InputError("calendar", "no year is loaded")
    print(f"{years[0]}–{years[-1]} ({len(years)} years)")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("workdays", help="working-day calendar (工作日历): add, between, is, import, years")
    wsub = p.add_subparsers(dest="workdays_command", metavar="ACTION", required=True)

    add = wsub.add_parser("add", help="the N-th working day after DATE, e.g. `add 2025-09-30 1` → 2025-10-09")
    add.add_argument("date", type=_date)
    add.add_argument("n", type=int)
    add.set_defaults(func=cmd_add)

    between = wsub.add_parser("between", help="working days after START up to and including END")
    between.add_argument("start", type=_date)
    between.add_argument("end", type=_date)
    between.set_defaults(func=cmd_between)

    is_ = wsub.add_parser("is", help="the kind of DATE; exit 0 on a working day, 1 on a day off")
    is_.add_argument("date", type=_date)
    is_.set_defaults(func=cmd_is)

    imp = wsub.add_parser("import", help="load a CSV of overrides `date,kind[,note]` atomically")
    imp.add_argument("file")
    imp.set_defaults(func=cmd_import)

    years = wsub.add_parser("years", help="which years the calendar knows")
    years.set_defaults(func=cmd_years)
