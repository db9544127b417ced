"""Write an audit entry inside the caller's transaction, so an action and its log commit together (CASE-9).

Each entry records who (user, name, role), when, what (verb, target), the masked values before and after,
and the request id and client address the middleware put in `core.requestinfo`."""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Sequence
from typing import Any

from django.db import models

from servicehall.core import requestinfo
from servicehall.core.masking import mask_mapping
from servicehall.core.models import AuditEntry


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def snapshot(obj: models.Model, fields: list[str] | tuple[str, ...] | None = None) -> dict[str, Any]:
    """The concrete field values of `obj` (foreign keys as ids), for `before=` / `after=`."""
    out: dict[str, Any] = {}
    for f in obj._meta.concrete_fields:
        if fields is not None and f.name not in fields and f.attname not in fields:
            continue
        out[f.name] = _plain(getattr(obj, f.attname))
    return out


def diff(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the keys whose value changed, from both sides."""
    keys = [k for k in {**before, **after} if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}


def record_audit(
    *,
    actor: Any | None,
    verb: str,
    target: models.Model | None = None,
    centre_id: int | None = None,
    reason: str = "",
    data: dict[str, Any] | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    if centre_id is None and target is not None:
        centre_id = getattr(target, "centre_id", None)
    user = getattr(actor, "user", actor)  # a Staff or a User
    staff = actor if hasattr(actor, "staff_no") else getattr(user, "staff", None) if user else None
    authenticated = getattr(user, "is_authenticated", False)
    if staff is not None:
        name = staff.name
    elif authenticated:
        name = str(user.get_username()) if user is not None else ""
    else:
        name = "系统" if actor is None else ""
    role = getattr(staff, "role", "") or ("superuser" if getattr(user, "is_superuser", False) else "")
    info = requestinfo.current()
    return AuditEntry.objects.create(
        actor=user if authenticated else None,
        actor_name=name[:150],
        actor_role=role,
        centre_id=centre_id,
        verb=verb,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        reason=reason,
        data=mask_mapping(_plain(data or {})),
        before=mask_mapping(_plain(before or {})),
        after=mask_mapping(_plain(after or {})),
        request_id=info.request_id,
        ip=info.ip,
    )


def record_audit_many(
    *,
    actor: Any | None,
    verb: str,
    targets: Sequence[models.Model],
    before: dict[str, Any],
    after: dict[str, Any],
    reason: str = "",
) -> int:
    """One entry per record of a bulk status change (e.g. closing the queue day), written in one query."""
    if not targets:
        return 0
    info = requestinfo.current()
    rows = [
        AuditEntry(
            actor=None,
            actor_name="系统" if actor is None else str(getattr(actor, "name", "") or actor)[:150],
            actor_role=getattr(actor, "role", "") if actor is not None else "",
            centre_id=getattr(t, "centre_id", None),
            verb=verb,
            target_type=t._meta.label_lower,
            target_id=str(t.pk),
            reason=reason,
            before=mask_mapping(_plain(before)),
            after=mask_mapping(_plain(after)),
            request_id=info.request_id,
            ip=info.ip,
        )
        for t in targets
    ]
    AuditEntry.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def archive_audit(*, before: dt.date, out: Any, min_retention_days: int, today: dt.date) -> int:
    """Move entries older than `before` into a gzip-compressed JSON-lines file, then delete them (CASE-9).

    Refused when `before` would cut into the retention period (at least `min_retention_days` kept). The
    file is written and read back before anything is deleted; the deletion is the one path the database
    trigger lets through (`servicehall.audit_archive`, PostgreSQL). Returns how many entries moved."""
    import gzip
    import json
    from pathlib import Path

    from django.db import connection, transaction

    from servicehall.core.errors import InputError

    latest = today - dt.timedelta(days=min_retention_days)
    if before > latest:
        raise InputError(
            "--before",
            f"操作日志至少保留 {min_retention_days} 天：只能归档 {latest.isoformat()} 之前的记录",
        )
    path = Path(out)
    rows = AuditEntry.objects.filter(at__date__lt=before).order_by("id")
    last_id = 0
    written = 0
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        for entry in rows.iterator(chunk_size=2000):
            record = snapshot(entry)
            record["at"] = entry.at.isoformat()
            fh.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
            last_id = entry.pk
            written += 1
    with gzip.open(path, "rt", encoding="utf-8") as fh:  # read back before deleting anything
        if sum(1 for _ in fh) != written:
            raise InputError(str(path), "归档文件校验失败，未删除任何记录")
    if not written:
        return 0
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL servicehall.audit_archive = 'on'")
        AuditEntry.objects.filter(at__date__lt=before, pk__lte=last_id).delete()
        record_audit(
            actor=None,
            verb="audit.archive",
            data={"before": before.isoformat(), "entries": written, "file": path.name},
        )
    return written
