"""`servicehall supervision ...` (电子监察): card timing from files, and the sweep that issues cards.

servicehall supervision cards --policy PRESET_OR_FILE --cases cases.csv --at "YYYY-MM-DD HH:MM" --format json
servicehall supervision sweep [--at "YYYY-MM-DD HH:MM"]
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from servicehall.core.errors import InputError

CARDS_HELP = """\
Print every yellow/red card (黄牌/红牌, SUP-1) due at or before --at for the cases in a CSV file.

cases.csv columns: case_id,accepted_at,limit_days,pauses,extension_days,concluded_at
  accepted_at, concluded_at   "YYYY-MM-DD HH:MM" local time (concluded_at empty while open)
  pauses                      START:END ISO date pairs joined by ';' (may be empty)
  extension_days              integer (may be empty)

Output: {"at", "policy": "name@version", "cards": [{"case_id", "colour", "rule", "due_date", "due_at"}]}
sorted by case_id (as text), then colour (yellow first). The working-day calendar and closing time
are those of `servicehall cases due`.
"""


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("supervision", help="电子监察: yellow/red cards (SUP-1) and the card sweep")
    sup = p.add_subparsers(dest="supervision_command", metavar="SUBCOMMAND")
    cards = sup.add_parser(
        "cards",
        help="cards due at a given time for cases in a CSV file (SUP-1)",
        description=CARDS_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    cards.add_argument(
        "--policy", required=True, help="preset name (yuanzhou-p2, yuanzhou-p1, centre-000) or YAML file"
    )
    cards.add_argument("--cases", required=True, type=Path, help="cases.csv")
    cards.add_argument("--at", required=True, help='"YYYY-MM-DD HH:MM" local time')
    cards.add_argument("--format", choices=("json",), default="json")
    cards.set_defaults(func=cards_command)

    sweep = sup.add_parser("sweep", help="issue every card whose instant has passed (idempotent)")
    sweep.add_argument("--at", default=None, help='"YYYY-MM-DD HH:MM" local time (default: now)')
    sweep.add_argument("--limit", type=int, default=10_000, help="cards per batch")
    sweep.set_defaults(func=sweep_command)

    p.set_defaults(func=lambda args: (p.print_help(), 0)[1])


def parse_at(text: str, where: str = "--at") -> datetime:
    try:
        return datetime.strptime(text.strip(), "%Y-%m-%d %H:%M")  # noqa: DTZ007 - the engine's local wall-clock time
    except ValueError:
        raise InputError(where, f"时间应为 YYYY-MM-DD HH:MM，收到 {text!r}") from None


def _calendar():
    """The database calendar when the database is set up, else the `chinesecalendar` package (as `cases due`)."""
    from servicehall.cases.calendars import centre_calendar, package_calendar

    try:
        from servicehall.core.runtime import setup_django

        setup_django()
        return centre_calendar()
    except Exception:
        return package_calendar()


def cards_due(policy: Any, rows: list, at: datetime, calendar: Any, *, source: str) -> list[dict[str, str]]:
    """The cards of `rows` due at or before `at`, in the contract's order."""
    from servicehall.supervision.timing import COLOURS, card_timings
    from servicehall.workdays.calendar import YearNotLoaded

    sup, closing = policy.supervision, policy.cases.closing_time
    out: list[dict[str, str]] = []
    for row in rows:
        try:
            timings = card_timings(
                accepted_at=row.accepted_at,
                limit_days=row.limit_days,
                pauses=row.pauses,
                extension_days=row.extension_days,
                calendar=calendar,
                closing=closing,
                yellow_lead_working_days=sup.yellow_card_lead_working_days,
                red_after_due_working_days=sup.red_card_after_due_working_days,
            )
        except YearNotLoaded as exc:
            raise InputError(
                f"{source}, row {row.row}, column accepted_at",
                f"{exc.year} 年的工作日历未加载，无法计算办结期限 (calendar year {exc.year} is not loaded)",
            ) from None
        for timing in timings:
            if timing.raised_by(at, row.concluded_at):
                out.append(
                    {
                        "case_id": row.case_id,
                        "colour": timing.colour,
                        "rule": timing.rule_id,
                        "due_date": timing.due_date.isoformat(),
                        "due_at": f"{timing.due_at:%Y-%m-%d %H:%M}",
                    }
                )
    out.sort(key=lambda c: (c["case_id"], COLOURS.index(c["colour"])))
    return out


def cards_command(args: argparse.Namespace) -> int:
    from servicehall.policy.loader import load_policy
    from servicehall.supervision.casefile import read_cases

    at = parse_at(args.at)
    policy = load_policy(args.policy)
    rows = read_cases(args.cases)
    cards = cards_due(policy, rows, at, _calendar(), source=str(args.cases))
    doc = {"at": f"{at:%Y-%m-%d %H:%M}", "policy": policy.ref, "cards": cards}
    sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=1) + "\n")
    return 0


def sweep_command(args: argparse.Namespace) -> int:
    from servicehall.core.runtime import ensure_database

    ensure_database()
    from django.utils import timezone

    from servicehall.supervision.jobs import run_sweep

    at = timezone.make_aware(parse_at(args.at)) if args.at else timezone.now()
    result = run_sweep(at=at, batch=args.limit)
    sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
    return 0
