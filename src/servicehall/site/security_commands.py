"""`servicehall audit archive` (CASE-9), `servicehall access matrix` / `grant` / `revoke` (ORG-1) and
`servicehall personal-data purge` / `rotate-keys` / `new-key` (INT-2)."""

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


def cmd_purge(args: argparse.Namespace) -> int:
    from servicehall.core.runtime import ensure_database

    ensure_database()
    from django.utils import timezone

    from servicehall.site.personal_data import purge_personal_data

    results = purge_personal_data(now=timezone.now(), dry_run=args.dry_run)
    verb = "would erase" if args.dry_run else "erased"
    for r in results:
        detail = ", ".join(f"{table} {n}" for table, n in r.counts.items() if n) or "nothing"
        print(f"{r.centre}: retention {r.retention_days} days, before {r.before:%Y-%m-%d}: {verb} {detail}")
    return 0


def cmd_rotate(args: argparse.Namespace) -> int:
    from servicehall.core.errors import InputError
    from servicehall.core.runtime import ensure_database

    if args.batch < 1:
        raise InputError("--batch", "每批行数至少为 1")
    ensure_database()
    from django.core.exceptions import ImproperlyConfigured

    from servicehall.core.fieldcrypt import field_keys
    from servicehall.site.personal_data import rotate_keys

    try:
        done = rotate_keys(batch=args.batch)
    except ImproperlyConfigured as exc:  # a key missing or malformed: batches already done stay done
        raise InputError("SERVICEHALL_FIELD_KEYS", str(exc)) from None
    for table, (seen, written) in done.items():
        print(
            f"{table}: {seen} encrypted values, {written} rewritten under the first of {len(field_keys())} key(s)"
        )
    return 0


def cmd_new_key(args: argparse.Namespace) -> int:
    from cryptography.fernet import Fernet

    print(Fernet.generate_key().decode())
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    personal = sub.add_parser(
        "personal-data", help="个人信息 (INT-2): purge after retention, rotate encryption keys"
    )
    psub = personal.add_subparsers(dest="personal_command", metavar="ACTION")
    p = psub.add_parser("purge", help="erase name, ID, phone, address of records past the retention period")
    p.add_argument("--dry-run", action="store_true", help="only count what would be erased")
    p.set_defaults(func=cmd_purge)
    p = psub.add_parser(
        "rotate-keys", help="re-encrypt every ID number under the first SERVICEHALL_FIELD_KEYS key"
    )
    p.add_argument("--batch", type=int, default=500, help="rows per transaction (default 500)")
    p.set_defaults(func=cmd_rotate)
    p = psub.add_parser("new-key", help="print a new key for SERVICEHALL_FIELD_KEYS")
    p.set_defaults(func=cmd_new_key)

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
