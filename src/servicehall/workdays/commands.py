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
    gaps = sorted(set(range(years[0], years[-1] + 1)) - set(years))
    print(
        f"{years[0]}–{years[-1]} ({len(years)} complete years{'; missing ' + ', '.join(map(str, gaps)) if gaps else ''})"
    )
    return 0


def read_notice_file(name: str):
    """The notice text from FILE or `-` (stdin), UTF-8 or GB18030, parsed; errors name the sentence."""
    import sys

    from servicehall.workdays.notice import decode_notice, parse_notice

    source = "stdin" if name == "-" else name
    if name == "-":
        raw = sys.stdin.buffer.read()
    else:
        try:
            with open(name, "rb") as handle:
                raw = handle.read(1_000_000)
        except OSError as exc:
            raise InputError(name, f"cannot read: {exc.strerror}") from None
    return parse_notice(decode_notice(raw, source=source), source=source)


def cmd_parse_notice(args: argparse.Namespace) -> int:
    notice = read_notice_file(args.file)
    if args.format == "json":
        print(notice.to_json())
    else:
        print(f"{notice.year}: {len(notice.holidays)} holidays, {len(notice.workdays)} make-up workdays")
        for day in notice.holidays:
            print(f"{day.isoformat()} holiday")
        for day in notice.workdays:
            print(f"{day.isoformat()} makeup")
    return 0


# The `servicehall workdays` actions; the rollover steps that also recount cases are added by
# `servicehall.ops.commands`, which sits above both domains.
ACTIONS: dict[str, argparse._SubParsersAction] = {}


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "workdays",
        help="working-day calendar (工作日历): add, between, is, import, years, parse-notice, load-notice, refresh",
    )
    wsub = p.add_subparsers(dest="workdays_command", metavar="ACTION", required=True)
    ACTIONS["workdays"] = wsub

    parse = wsub.add_parser(
        "parse-notice",
        help="read the State Council holiday notice (UTF-8 or GB18030; - for stdin) and print its days",
    )
    parse.add_argument("file", help="the notice text, or - for stdin")
    parse.add_argument("--format", choices=["json", "text"], default="json")
    parse.set_defaults(func=cmd_parse_notice)

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
