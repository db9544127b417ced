"""`servicehall audit archive` (CASE-9) and `servicehall access matrix` / `grant` / `revoke` (ORG-1)."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path


def _min_retention_days() -> int:
    """The longest `access.audit_retention_days` of any centre's policy in force (and the default preset),
    so archiving never cuts into any centre's retention."""
    from servicehall.org.models import Centre
    from servicehall.policy_versions.selectors import policy_for_centre

    days = [policy_for_centre(centre_id=None).access.audit_retention_days]
    days += [
        policy_for_centre(centre_id=pk).access.audit_retention_days
        for pk in Centre.objects.values_list("pk", flat=True)
    ]
    return max(days)


def cmd_archive(args: argparse.Namespace) -> int:
    from servicehall.core.errors import InputError
    from servicehall.core.runtime import ensure_database

    ensure_database()
    from django.utils import timezone

    from servicehall.core.audit import archive_audit

    try:
        before = dt.date.fromisoformat(args.before)
    except ValueError:
        raise InputError("--before", f"日期格式应为 YYYY-MM-DD：{args.before!r}") from None
    out = Path(args.out or f"audit-before-{before.isoformat()}.jsonl.gz")
    if out.exists():
        raise InputError(str(out), "文件已存在，不会覆盖")
    moved = archive_audit(
        before=before, out=out, min_retention_days=_min_retention_days(), today=timezone.localdate()
    )
    print(f"archived {moved} audit entries before {before.isoformat()} to {out}")
    return 0


def cmd_matrix(args: argparse.Namespace) -> int:
    from servicehall.core.access import matrix_rows

    for domain, action, role, scope in matrix_rows():
        if scope != "none" or args.all:
            print(f"{domain}.{action}\t{role}\t{scope}")
    return 0


def _grant(args: argparse.Namespace, revoke: bool) -> int:
    from servicehall.core.errors import InputError
    from servicehall.core.runtime import ensure_database

    ensure_database()
    from servicehall.org import services
    from servicehall.org.models import Centre

    centres = {c.code: c.pk for c in Centre.objects.filter(code__in=[args.centre, args.to])}
    for code in (args.centre, args.to):
        if code not in centres:
            raise InputError(code, "没有这个服务中心代码")
    if revoke:
        n = services.revoke_centre_management(
            centre_id=centres[args.centre], grantee_centre_id=centres[args.to], actor=None
        )
        print(f"revoked {n} grant(s)")
    else:
        services.grant_centre_management(
            centre_id=centres[args.centre], grantee_centre_id=centres[args.to], actor=None, note=args.note
        )
        print(f"{args.to} may now manage {args.centre}'s records (audited)")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    audit = sub.add_parser("audit", help="操作日志 (CASE-9): archive old entries")
    asub = audit.add_subparsers(dest="audit_command", metavar="ACTION")
    p = asub.add_parser("archive", help="move entries before a date to a .jsonl.gz file, then delete them")
    p.add_argument("--before", required=True, help="YYYY-MM-DD; must leave the policy's retention period")
    p.add_argument("--out", help="file to write (default audit-before-<date>.jsonl.gz)")
    p.set_defaults(func=cmd_archive)
    access = sub.add_parser("access", help="权限矩阵 and cross-centre management grants (ORG-1)")
    xsub = access.add_subparsers(dest="access_command", metavar="ACTION")
    m = xsub.add_parser("matrix", help="print role × domain × action → scope")
    m.add_argument("--all", action="store_true", help="include cells with scope none")
    m.set_defaults(func=cmd_matrix)
    for name, revoke in (("grant", False), ("revoke", True)):
        g = xsub.add_parser(name, help=f"{name} a centre's management by another centre (operator only)")
        g.add_argument("--centre", required=True, help="code of the centre whose records are managed")
        g.add_argument("--to", required=True, help="code of the centre whose office manages them")
        g.add_argument("--note", default="", help="why (kept in the audit log)")
        g.set_defaults(func=lambda a, r=revoke: _grant(a, r))
