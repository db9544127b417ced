"""`servicehall ratings ...` (好差评): satisfaction figures from a file, import from the provincial system.

servicehall ratings summary --policy PRESET_OR_FILE --ratings ratings.csv --month 2026-03 --format json
servicehall ratings import FILE --centre CODE [--dry-run]
servicehall ratings scan --centre CODE --month 2026-03      (manipulation flags for the supervision office)
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "ratings", help="好差评: satisfaction figures (EVAL-1), import from the provincial system"
    )
    rs = p.add_subparsers(dest="ratings_command", metavar="SUBCOMMAND")

    sm = rs.add_parser("summary", help="monthly satisfaction figures per unit from a ratings file")
    sm.add_argument(
        "--policy", required=True, help="preset name (yuanzhou-p2, yuanzhou-p1, centre-000) or YAML file"
    )
    sm.add_argument(
        "--ratings",
        required=True,
        type=Path,
        help="ratings.csv/.xlsx: rated_at,unit,window,staff_id,level,service_id,channel,device",
    )
    sm.add_argument("--month", required=True, help="the month, e.g. 2026-03")
    sm.add_argument("--format", choices=("json",), default="json")
    sm.set_defaults(func=summary_command)

    imp = rs.add_parser("import", help="import a 好差评 export (xlsx or CSV); idempotent and atomic")
    imp.add_argument("file", type=Path)
    imp.add_argument("--centre", help="centre code (default: the only centre)")
    imp.add_argument("--dry-run", action="store_true", help="check every row, write nothing")
    imp.set_defaults(func=import_command)

    sc = rs.add_parser("scan", help="raise the month's manipulation flags (never changes a rating)")
    sc.add_argument("--centre", required=True, help="centre code")
    sc.add_argument("--month", required=True, help="the month, e.g. 2026-03")
    sc.set_defaults(func=scan_command)

    p.set_defaults(func=lambda args: (p.print_help(), 0)[1])


def summary_command(args: argparse.Namespace) -> int:
    from servicehall.evaluation.figures import parse_month, parse_rows, summarize
    from servicehall.evaluation.formats import read_table
    from servicehall.policy.loader import load_policy

    parse_month(args.month)
    policy = load_policy(args.policy)
    ev = policy.evaluation
    rows = parse_rows(
        read_table(args.ratings),
        where=str(args.ratings),
        level_codes=[lv.code for lv in ev.rating_levels],
    )
    summary = summarize(
        rows,
        month=args.month,
        levels=[(lv.code, lv.satisfied) for lv in ev.rating_levels],
        replace_minutes=ev.ratings.replace_minutes,
        burst_max_ratings=ev.ratings.burst_max_ratings,
        burst_minutes=ev.ratings.burst_minutes,
        top_share_margin=ev.ratings.top_share_margin,
    )
    sys.stdout.write(json.dumps(summary.as_dict(policy_ref=policy.ref), ensure_ascii=False, indent=1) + "\n")
    return 0


def import_command(args: argparse.Namespace) -> int:
    from servicehall.core.runtime import ensure_database

    ensure_database()
    from servicehall.evaluation.imports import import_ratings_file

    result = import_ratings_file(path=args.file, centre_code=args.centre, dry_run=args.dry_run)
    verb = "would import" if args.dry_run else "imported"
    print(
        f"{verb} {result.created} rating(s); {result.skipped} already present; {result.rows} row(s) read",
        file=sys.stderr,
    )
    return 0


def scan_command(args: argparse.Namespace) -> int:
    from servicehall.evaluation.figures import parse_month

    first, _ = parse_month(args.month)
    from servicehall.core.runtime import ensure_database

    ensure_database()
    from servicehall.core.errors import InputError
    from servicehall.evaluation.services import scan_ratings
    from servicehall.org.models import Centre

    centre = Centre.objects.filter(code=args.centre).first()
    if centre is None:
        raise InputError("--centre", f"no centre with code {args.centre!r}")
    flags = scan_ratings(centre_id=centre.pk, month=first)
    out = [{"kind": f.kind, "status": f.status, "detail": f.detail} for f in flags]
    sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=1) + "\n")
    return 0
