"""Attendance writes (考勤): punch import, office corrections, inspection records. All atomic and audited.

Each write also bumps the revision of the months it touches (`MonthRevision`), in the same transaction,
so the results kept for those months are evaluated again when next read."""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from servicehall.attendance.errors import PunchFileRejected
from servicehall.attendance.formats import read_punches
from servicehall.attendance.models import MonthRevision, OffPostRecord, Punch, PunchCorrection, PunchImport
from servicehall.core import access
from servicehall.core.audit import record_audit
from servicehall.core.errors import InputError, NotFound
from servicehall.core.limits import upload_limits
from servicehall.core.roles import Role
from servicehall.org.models import Centre, Staff

OFFICE_ROLES = (Role.CENTRE_ADMIN, Role.SUPERVISOR)


def _aware(at: datetime) -> datetime:
    return timezone.make_aware(at) if timezone.is_naive(at) else at


def months_between(first: date, last: date) -> list[date]:
    """The first days of the months from `first`'s to `last`'s."""
    out = []
    month = first.replace(day=1)
    while month <= last:
        out.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return out


def touch_months(*, centre_id: int, months: list[date]) -> None:
    """The centre's punches or inspection records of `months` changed: their kept results are stale."""
    for month in months:
        MonthRevision.objects.get_or_create(centre_id=centre_id, month=month)
    MonthRevision.objects.filter(centre_id=centre_id, month__in=months).update(revision=F("revision") + 1)


def _user(actor: Any | None) -> Any | None:
    user = getattr(actor, "user", actor)  # a Staff or a User
    return user if getattr(user, "is_authenticated", False) else None


def _check_office(actor: Any | None, *, centre_id: int, staff: Staff | None = None) -> None:
    """Corrections and imports belong to the office of the record's own centre (ORG-1); another centre's
    record answers NotFound. `actor=None` is a command run by the operator."""
    target = access.Target.of(
        centre_id=centre_id,
        unit_ids=[staff.unit_id] if staff is not None else [],
        owners=[staff.pk] if staff is not None else [],
    )
    access.ensure(actor, "attendance", "correct", target, what="考勤记录", record=staff is not None)


@transaction.atomic
def import_punch_file(*, centre: Centre, data: bytes, filename: str, actor: Any | None) -> PunchImport:
    """Import a terminal export (ATT-2). Idempotent: a file seen before returns its first batch with
    `reused=True` and writes nothing; a punch already stored (same person, same second) is skipped.
    Atomic: any bad row (unreadable time, unknown person) rejects the whole file with a row-numbered report.
    """
    _check_office(actor, centre_id=centre.pk)
    digest = hashlib.sha256(data).hexdigest()
    seen = PunchImport.objects.filter(centre=centre, sha256=digest).first()
    if seen is not None:
        seen.reused = True
        return seen
    errors: list[str] = []
    layout, rows = read_punches(filename, data=data, name=filename, errors=errors, limits=upload_limits())
    by_no = dict(Staff.objects.filter(centre=centre).values_list("staff_no", "pk"))
    by_badge = {b: pk for b, pk in Staff.objects.filter(centre=centre).values_list("badge_no", "pk") if b}
    wanted: dict[tuple[int, datetime], int] = {}
    for row in rows:
        pk = (by_badge.get(row.key) or by_no.get(row.key)) if row.key_kind == "badge" else by_no.get(row.key)
        if pk is None:
            kind = "badge number" if row.key_kind == "badge" else "staff number (工号)"
            errors.append(
                f"row {row.row}, column {layout.key_column}: no staff with {kind} {row.key!r} in this centre"
            )
            continue
        wanted.setdefault((pk, _aware(row.at).replace(microsecond=0)), row.row)
    if errors:
        errors.sort(key=lambda e: int(e.split(",")[0].removeprefix("row ")))
        raise PunchFileRejected(filename, errors)
    batch = PunchImport.objects.create(
        centre=centre,
        sha256=digest,
        filename=filename[:200],
        layout=layout.name,
        rows=len(rows),
        imported_by=_user(actor),
    )
    existing: set[tuple[int, datetime]] = set()
    if wanted:
        times = [at for _, at in wanted]
        existing = set(
            Punch.objects.filter(
                staff_id__in={pk for pk, _ in wanted}, at__gte=min(times), at__lte=max(times)
            ).values_list("staff_id", "at")
        )
    new = [
        Punch(centre=centre, staff_id=pk, at=at, source=Punch.Source.TERMINAL, batch=batch)
        for (pk, at) in wanted
        if (pk, at) not in existing
    ]
    Punch.objects.bulk_create(
        new, batch_size=2000, ignore_conflicts=True
    )  # a concurrent import of the same punches
    batch.created = len(new)
    batch.save(update_fields=["created"])
    if new:
        times = [p.at for p in new]
        first, last = timezone.localdate(min(times)), timezone.localdate(max(times))
        touch_months(centre_id=centre.pk, months=months_between(first, last))
    record_audit(
        actor=actor,
        verb="attendance.import",
        target=batch,
        data={"file": filename, "layout": layout.name, "rows": len(rows), "created": len(new)},
    )
    return batch


@transaction.atomic
def add_punch(*, staff: Staff, at: datetime, reason: str, actor: Any) -> PunchCorrection:
    """补卡: the office records a punch the terminal missed (ATT-6 evidence changes), with a reason."""
    _check_office(actor, centre_id=staff.centre_id, staff=staff)
    reason = (reason or "").strip()
    if not reason:
        raise InputError("reason", "请填写更正原因 (a correction needs a reason)")
    at = _aware(at).replace(microsecond=0)
    punch, created = Punch.objects.get_or_create(
        staff=staff, at=at, defaults={"centre_id": staff.centre_id, "source": Punch.Source.CORRECTION}
    )
    if not created and not punch.voided:
        raise InputError("at", f"{timezone.localtime(at):%Y-%m-%d %H:%M:%S} 已有打卡记录 (already punched)")
    if punch.voided:
        punch.voided = False
        punch.save(update_fields=["voided"])
    touch_months(centre_id=staff.centre_id, months=[timezone.localdate(at).replace(day=1)])
    correction = PunchCorrection.objects.create(
        centre_id=staff.centre_id,
        staff=staff,
        action=PunchCorrection.Action.ADD,
        punch=punch,
        reason=reason,
        corrected_by=_user(actor),
    )
    record_audit(
        actor=actor, verb="attendance.punch.add", target=punch, reason=reason, data={"staff": staff.pk}
    )
    return correction


@transaction.atomic
def void_punch(*, punch_id: int, reason: str, actor: Any) -> PunchCorrection:
    """作废: the office voids a wrong punch (e.g. someone else's finger); it stays stored, marked voided."""
    punch = Punch.objects.select_for_update(of=("self",)).select_related("staff").filter(pk=punch_id).first()
    if punch is None:
        raise NotFound("打卡记录不存在", punch_id=punch_id)
    _check_office(actor, centre_id=punch.centre_id, staff=punch.staff)
    reason = (reason or "").strip()
    if not reason:
        raise InputError("reason", "请填写更正原因 (a correction needs a reason)")
    punch.voided = True
    punch.save(update_fields=["voided"])
    touch_months(centre_id=punch.centre_id, months=[timezone.localdate(punch.at).replace(day=1)])
    correction = PunchCorrection.objects.create(
        centre_id=punch.centre_id,
        staff_id=punch.staff_id,
        action=PunchCorrection.Action.VOID,
        punch=punch,
        reason=reason,
        corrected_by=_user(actor),
    )
    record_audit(
        actor=actor, verb="attendance.punch.void", target=punch, reason=reason,
        before={"voided": False}, after={"voided": True},
    )  # fmt: skip
    return correction


@transaction.atomic
def record_off_post(
    *,
    staff: Staff,
    day: date,
    minutes: int,
    kind: str = OffPostRecord.Kind.OFF_POST,
    note: str = "",
    actor: Any,
) -> OffPostRecord:
    """An inspection finding: minutes off post (ATT-5) or a missed weekly meeting (ATT-11)."""
    _check_office(actor, centre_id=staff.centre_id, staff=staff)
    if kind not in OffPostRecord.Kind.values:
        raise InputError("kind", f"{kind!r} is not one of {', '.join(OffPostRecord.Kind.values)}")
    if minutes < 0:
        raise InputError("minutes", "脱岗分钟不能为负数 (ATT-5)")
    rec = OffPostRecord.objects.create(
        centre_id=staff.centre_id,
        staff=staff,
        date=day,
        kind=kind,
        minutes=minutes,
        note=note,
        recorded_by=_user(actor),
    )
    touch_months(centre_id=staff.centre_id, months=[day.replace(day=1)])
    record_audit(
        actor=actor, verb=f"attendance.{kind}", target=rec, data={"minutes": minutes, "date": day.isoformat()}
    )
    return rec


@transaction.atomic
def withdraw_off_post(*, record_id: int, reason: str, actor: Any) -> None:
    """Remove an inspection record that was overturned on appeal, so the month no longer counts it.

    The audit row keeps what was removed and why."""
    rec = OffPostRecord.objects.select_for_update().select_related("staff").filter(pk=record_id).first()
    if rec is None:
        raise NotFound("巡查记录不存在", record_id=record_id)
    _check_office(actor, centre_id=rec.centre_id, staff=rec.staff)
    data = {"staff_id": rec.staff_id, "date": rec.date.isoformat(), "minutes": rec.minutes, "kind": rec.kind}
    record_audit(actor=actor, verb="attendance.off_post.withdraw", target=rec, reason=reason, data=data)
    touch_months(centre_id=rec.centre_id, months=[rec.date.replace(day=1)])
    rec.delete()
