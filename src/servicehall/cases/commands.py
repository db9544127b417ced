"""`servicehall cases ...`: check the deadline clock (CASE-5) from the command line."""

from __future__ import annotations

import argparse
import os

DUE_HELP = """\
Print the due date (办结期限) of a case: the promised working days counted from the acceptance on the
working-day calendar (CASE-5). The acceptance day is not counted; an acceptance on a non-working day or
at/after the closing time counts from the next working day.

  --accepted "YYYY-MM-DD HH:MM"   local time of acceptance (24-hour clock), e.g. "2025-09-30 10:00"
  --days N                        promised working days (承诺时限)
  --pause START:END               repeatable; ISO dates, both included, e.g. 2025-10-09:2025-10-10
  --extend N                      extension in working days (granted with reason and consent)

Example: servicehall cases due --accepted "2025-09-30 10:00" --days 1   →   2025-10-09
"""


def register(sub: argparse._SubParsersAction) -> None:
    cases = sub.add_parser("cases", help="办件: deadline clock and case tools")
    cases_sub = cases.add_subparsers(dest="cases_command", metavar="SUBCOMMAND")
    due = cases_sub.add_parser(
        "due",
        help="print the due date of a case (CASE-5)",
        description=DUE_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    due.add_argument("--accepted", required=True, help='acceptance time, "YYYY-MM-DD HH:MM" (local)')
    due.add_argument("--days", required=True, type=int, help="promised working days")
    due.add_argument(
        "--pause", action="append", default=[], metavar="START:END", help="paused days (repeatable)"
    )
    due.add_argument("--extend", type=int, default=0, metavar="N", help="extension in working days")
    due.add_argument(
        "--closing", default=None, metavar="HH:MM", help="closing time (default: the default policy preset's)"
    )
    due.add_argument(
        "--provisional",
        action="store_true",
        help="count a year whose calendar is not loaded on weekdays only (1 January off) and say so; "
        "without it such a date is an error",
    )
    due.add_argument(
        "--explain", action="store_true", help="also print the calendar source and the values used"
    )
    due.set_defaults(func=_due)
    cases.set_defaults(func=lambda args: (cases.print_help(), 0)[1])


def _closing(args: argparse.Namespace):
    from datetime import time

    from servicehall.core.errors import InputError

    if args.closing:
        try:
            return time.fromisoformat(args.closing)
        except ValueError:
            raise InputError("--closing", f"时间格式应为 HH:MM，收到 {args.closing!r}") from None
    from servicehall.cases.policies import preset_policies

    return preset_policies(os.environ.get("SERVICEHALL_DEFAULT_PRESET", "yuanzhou-p2")).cases.closing_time


def _calendar():
    """The database calendar when the database is set up, else the `chinesecalendar` package."""
    from servicehall.cases.calendars import centre_calendar, package_calendar

    try:
        from servicehall.core.runtime import setup_django

        setup_django()
        return centre_calendar(), "database"
    except Exception:
        return package_calendar(), "chinesecalendar"


def _due(args: argparse.Namespace) -> int:
    from servicehall.cases.deadlines import due_date, parse_local_datetime, parse_pause
    from servicehall.core.errors import InputError

    if args.days < 0:
        raise InputError("--days", "承诺时限不能为负数 (CASE-5)")
    if args.extend < 0:
        raise InputError("--extend", "延期天数不能为负数 (CASE-5)")
    accepted = parse_local_datetime(args.accepted)
    pauses = [parse_pause(p) for p in args.pause]
    closing = _closing(args)
    calendar, source = _calendar()
    due = due_date(
        accepted, args.days, pauses, [args.extend] if args.extend else [], calendar,
        closing=closing, provisional=args.provisional,
    )  # fmt: skip
    if due.provisional:
        years = "、".join(map(str, due.provisional_years))
        print(f"{due.on.isoformat()} 暂定（{years} 年工作日历未加载；{due.rule}）")
    else:
        print(due.on.isoformat())
    if args.explain:
        print(
            f"calendar={source} closing={closing:%H:%M} days={args.days} extend={args.extend} pauses={len(pauses)}"
        )
    return 0
