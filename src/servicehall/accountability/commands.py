"""`servicehall bonus ...` (行风评议奖, EVAL-5): the conduct bonus of a quarter from files.

servicehall bonus compute --policy PRESET_OR_FILE --staff staff.csv --events events.csv
    --quarter 2026Q1 --format json|xlsx [--output FILE]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from servicehall.core.errors import InputError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("bonus", help="行风评议奖: compute the conduct bonus of a quarter (EVAL-5)")
    cmds = p.add_subparsers(dest="bonus_command", metavar="SUBCOMMAND")
    c = cmds.add_parser("compute", help="base, deductions and paid amount per person for a quarter")
    c.add_argument(
        "--policy", required=True, help="preset name (yuanzhou-p2, yuanzhou-p1, centre-000) or YAML file"
    )
    c.add_argument("--staff", required=True, type=Path, help="staff.csv: staff_id,name,role,unit,window")
    c.add_argument("--events", required=True, type=Path, help="events.csv: date,kind,level,staff_id")
    c.add_argument("--quarter", required=True, help="the quarter, e.g. 2026Q1")
    c.add_argument("--format", choices=("json", "xlsx"), default="json")
    c.add_argument("--output", type=Path, help="write here instead of stdout (required for xlsx)")
    c.set_defaults(func=compute_command)
    p.set_defaults(func=lambda args: (p.print_help(), 0)[1])


def compute_command(args: argparse.Namespace) -> int:
    from servicehall.accountability.bonus import compute_bonus, parse_quarter
    from servicehall.accountability.bonus_files import read_events, read_roster
    from servicehall.policy.loader import load_policy

    period = parse_quarter(args.quarter)
    if args.format == "xlsx" and args.output is None:
        raise InputError("--output", "an xlsx payroll needs --output FILE.xlsx")
    policy = load_policy(args.policy)
    roster = read_roster(args.staff)
    events = read_events(args.events, known_staff={p.staff_id for p in roster})
    result = compute_bonus(
        policy.evaluation.conduct_bonus, period=period, roster=roster, events=events, policy_ref=policy.ref
    )
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if args.format == "xlsx":
        from servicehall.accountability.bonus_export import write_bonus_workbook

        write_bonus_workbook(args.output, result)
        print(f"wrote {args.output} ({len(result.staff)} staff)", file=sys.stderr)
        return 0
    text = json.dumps(result.as_dict(), ensure_ascii=False, indent=1)
    if args.output:
        args.output.write_text(text + "\n", encoding="utf-8")
    else:
        sys.stdout.write(text + "\n")
    return 0
