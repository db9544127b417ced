"""`servicehall attendance ...` (考勤): evaluate a month from files, import punches into the database.

servicehall attendance evaluate --policy PRESET_OR_FILE --punches punches.csv [--leaves leaves.csv]
    [--staff staff.csv] --month 2026-03 --format json|xlsx [--output FILE] [--detail-zh]
servicehall attendance import --centre CODE FILE [--dry-run]
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from servicehall.core.errors import InputError
from servicehall.workdays.calendar import WorkCalendar


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("attendance", help="考勤: evaluate a month (ATT-1..11), import punches")
    att = p.add_subparsers(dest="attendance_command", metavar="SUBCOMMAND")

    ev = att.add_parser("evaluate", help="evaluate a month of punches against a policy and print the results")
    ev.add_argument(
        "--policy", required=True, help="preset name (yuanzhou-p2, yuanzhou-p1, centre-000) or YAML file"
    )
    ev.add_argument(
        "--punches", required=True, type=Path, help="punches.csv/.xlsx: staff_id,time (or a vendor layout)"
    )
    ev.add_argument("--leaves", type=Path, help="leaves.csv: staff_id,kind,start,end,status,certificate")
    ev.add_argument(
        "--staff", type=Path, help="staff.csv: staff_id,name,role,unit (everyone listed is evaluated)"
    )
    ev.add_argument("--month", required=True, help="the month, e.g. 2026-03")
    ev.add_argument("--format", choices=("json", "xlsx"), default="json")
    ev.add_argument("--output", type=Path, help="write here instead of stdout (required for xlsx)")
    ev.add_argument(
        "--detail-zh",
        action="store_true",
        help="json: also give every event its Chinese text (说明) as detail_zh; detail stays English",
    )
    ev.add_argument(
        "--workers",
        type=int,
        default=0,
        help="processes for large months (0 = one per CPU, 1 = no extra process)",
    )
    ev.set_defaults(func=evaluate_command)

    imp = att.add_parser("import", help="import a punch file into the database (idempotent, atomic)")
    imp.add_argument("file", type=Path)
    imp.add_argument("--centre", required=True, help="centre code")
    imp.set_defaults(func=import_command)

    p.set_defaults(func=lambda args: (p.print_help(), 0)[1])


def evaluate_command(args: argparse.Namespace) -> int:
    from servicehall.attendance.formats import read_leaves, read_punches, read_staff
    from servicehall.attendance.rules import parse_month
    from servicehall.attendance.runner import evaluate_month
    from servicehall.policy.loader import load_policy

    first, _ = parse_month(args.month)
    if args.format == "xlsx" and args.output is None:
        raise InputError("--output", "an xlsx report needs --output FILE.xlsx")
    policy = load_policy(args.policy)
    staff = read_staff(args.staff) if args.staff else None
    _, rows = read_punches(args.punches)
    leaves = read_leaves(args.leaves) if args.leaves else []
    if staff is not None:
        known = {s["staff_id"] for s in staff}
        for row in rows:
            if row.key not in known:
                raise InputError(
                    f"{args.punches}, row {row.row}, column staff_id", f"{row.key!r} is not in {args.staff}"
                )
        for lv in leaves:
            if lv["staff_id"] not in known:
                raise InputError(
                    f"{args.leaves}, row {lv['row']}, column staff_id",
                    f"{lv['staff_id']!r} is not in {args.staff}",
                )
    calendar = load_work_calendar(first)
    results = evaluate_month(
        policy.attendance,
        calendar,
        first,
        staff,
        [(r.key, r.at) for r in rows],
        leaves,
        workers=args.workers,
    )
    if args.format == "xlsx":
        from servicehall.attendance.export import write_month_workbook

        info = {s["staff_id"]: s for s in staff or []}
        write_month_workbook(
            args.output, month=args.month, policy_ref=policy.ref, results=results, staff_info=info
        )
        print(f"wrote {args.output} ({len(results)} staff)", file=sys.stderr)
        return 0
    doc: dict[str, Any] = {
        "month": f"{first:%Y-%m}",
        "policy": policy.ref,
        "staff": [r.as_dict(zh=args.detail_zh) for r in results],
    }
    text = json.dumps(doc, ensure_ascii=False, indent=1)
    if args.output:
        args.output.write_text(text + "\n", encoding="utf-8")
    else:
        sys.stdout.write(text + "\n")
    return 0


def load_work_calendar(month: date) -> WorkCalendar:
    """The working-day calendar: the database table when it is set up and has the year, else chinesecalendar."""
    calendar = _calendar_from_database(month.year)
    if calendar is not None:
        return calendar
    from servicehall.attendance.sources import calendar_for_months

    calendar = calendar_for_months([month])
    if month.year not in calendar.years:
        raise InputError(
            "--month",
            f"{month.year} 年的工作日历未加载 (calendar year {month.year} is not loaded): "
            "add it with `servicehall workdays import`",
        )
    return calendar


def _calendar_from_database(year: int) -> WorkCalendar | None:
    """None when there is no usable database (a fresh checkout: we never create one just to read it)."""
    import os

    try:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "servicehall.settings")
        from django.conf import settings

        db = settings.DATABASES["default"]
        if db["ENGINE"].endswith("sqlite3") and not Path(str(db["NAME"])).is_file():
            return None
        from servicehall.core.runtime import setup_django

        setup_django()
        from django.db import connection

        if "workdays_calendarday" not in connection.introspection.table_names():
            return None
        from servicehall.workdays.selectors import load_calendar

        calendar = load_calendar()
        return calendar if year in calendar.years else None
    except Exception:  # no database server, bad URL, ...: the package calendar is the documented fallback
        return None


def import_command(args: argparse.Namespace) -> int:
    from servicehall.core.runtime import ensure_database

    ensure_database()
    from servicehall.attendance.services import import_punch_file
    from servicehall.org.models import Centre

    centre = Centre.objects.filter(code=args.centre).first()
    if centre is None:
        raise InputError("--centre", f"no centre with code {args.centre!r}")
    try:
        data = args.file.read_bytes()
    except OSError as exc:
        raise InputError(str(args.file), f"cannot read: {exc.strerror or exc}") from None
    batch = import_punch_file(centre=centre, data=data, filename=args.file.name, actor=None)
    print(
        json.dumps(
            {
                "import": batch.pk,
                "rows": batch.rows,
                "created": 0 if batch.reused else batch.created,
                "duplicate_file": batch.reused,
            }
        )
    )
    return 0
