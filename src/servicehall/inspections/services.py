"""Writes for inspection findings (EVAL-3, CON): record, contest once, decide the contest.

Recording a finding also writes the one accountability event the bonus and the assessment read
(EVAL-5, EVAL-4), and — when minutes off post are given — the attendance inspection record (ATT-5).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from servicehall.accountability.services import record_accountability_event, withdraw_accountability_event
from servicehall.attendance.models import OffPostRecord
from servicehall.attendance.services import record_off_post, withdraw_off_post
from servicehall.core.audit import record_audit
from servicehall.core.errors import Forbidden, InputError
from servicehall.core.roles import Role, require_role, staff_of
from servicehall.inspections.errors import AlreadyContested, NotContested
from servicehall.inspections.models import Finding
from servicehall.org.models import Staff, Window
from servicehall.policy_versions.selectors import policy_for_centre

INSPECTOR_ROLES = (Role.SUPERVISOR, Role.CENTRE_ADMIN)
DECIDER_ROLES = (Role.SUPERVISOR,)
MAX_PHOTO_BYTES = 8 * 1024 * 1024
KIND_LABELS = {
    "patrol": "巡查",
    "undercover": "明察暗访",
    "social_supervisor": "社会监督员",
    "self_check": "自查",
}
OFF_POST_CODE = "off_post"


def _user(actor: Any) -> Any | None:
    user = getattr(actor, "user", actor)
    return user if getattr(user, "is_authenticated", False) else None


def _actor_centre(actor: Any) -> int | None:
    me = staff_of(actor)
    return me.centre_id if me is not None else None


@transaction.atomic
def record_finding(
    *,
    actor: Any,
    staff: Staff,
    found_at: datetime,
    inspection_kind: str,
    finder_level: str,
    prohibition_code: str,
    window: Window | None = None,
    note: str = "",
    photo: UploadedFile | None = None,
    off_post_minutes: int = 0,
) -> Finding:
    """Record a finding against the policy's conduct list; minutes off post go to attendance (ATT-5)."""
    require_role(actor, *INSPECTOR_ROLES)
    centre_id = _actor_centre(actor)
    if centre_id is not None and staff.centre_id != centre_id:
        raise Forbidden("只能记录本中心人员的问题")
    if window is not None and window.centre_id != staff.centre_id:
        raise InputError("window", "窗口不属于该服务中心")
    if timezone.is_naive(found_at):
        found_at = timezone.make_aware(found_at)
    if found_at > timezone.now() + timedelta(minutes=5):
        raise InputError("found_at", "发现时间不能晚于当前时间")
    day = timezone.localtime(found_at).date()
    policy = policy_for_centre(centre_id=staff.centre_id, on=day)
    item = policy.conduct.prohibition(prohibition_code)
    if item is None:
        raise InputError("prohibition_code", f"{prohibition_code!r} 不在本中心的行为规范清单中 (CON)")
    if inspection_kind not in policy.evaluation.inspection_kinds:
        allowed = "、".join(KIND_LABELS.get(k, k) for k in policy.evaluation.inspection_kinds)
        raise InputError("inspection_kind", f"检查方式须为：{allowed} (EVAL-3)")
    if finder_level not in Finding.Level.values:
        raise InputError("finder_level", "发现层级须为中心、街道、区级或市级 (EVAL-5)")
    if off_post_minutes < 0:
        raise InputError("off_post_minutes", "脱岗分钟不能为负数 (ATT-5)")
    if prohibition_code == OFF_POST_CODE and off_post_minutes == 0:
        raise InputError("off_post_minutes", "脱岗须填写离岗分钟数 (ATT-5)")
    if photo is not None and photo.size > MAX_PHOTO_BYTES:  # type: ignore[operator]  # the uploaded file has a size
        raise InputError("photo", f"照片超过 {MAX_PHOTO_BYTES // 1024 // 1024} MB")
    if photo is not None and not (getattr(photo, "content_type", "") or "").startswith("image/"):
        raise InputError("photo", "请上传图片文件")
    finding = Finding(
        centre_id=staff.centre_id,
        staff=staff,
        window=window,
        found_at=found_at,
        inspection_kind=inspection_kind,
        finder_level=finder_level,
        prohibition_code=item.code,
        prohibition_label=item.label,
        note=note,
        off_post_minutes=off_post_minutes,
        recorded_by=_user(actor),
        policy_ref=policy.ref,
    )
    if photo is not None:
        finding.photo = photo
    finding.save()
    if off_post_minutes:
        # ATT-5: attendance owns the off-post record; the finding only links to it (one record, counted once)
        finding.off_post_record = record_off_post(
            staff=staff,
            day=day,
            minutes=off_post_minutes,
            kind=OffPostRecord.Kind.OFF_POST,
            note=f"检查记录 #{finding.pk}：{item.label}"[:300],
            actor=actor,
        )
        finding.save(update_fields=["off_post_record"])
    record_accountability_event(
        source=finding,
        kind="finding",
        occurred_on=day,
        rule="EVAL-3",
        centre_id=staff.centre_id,
        staff_id=staff.pk,
        unit_id=staff.unit_id,
        window_id=window.pk if window else None,
        level=finder_level,
        summary=item.label[:200],
        actor=actor,
    )
    record_audit(
        actor=actor,
        verb="inspections.finding.record",
        target=finding,
        data={"code": item.code, "level": finder_level, "kind": inspection_kind, "policy": policy.ref},
    )
    return finding


@transaction.atomic
def contest_finding(*, finding_id: int, actor: Any, reason: str) -> Finding:
    """The person concerned contests a finding — once (EVAL-3)."""
    finding = Finding.objects.select_for_update().get(pk=finding_id)
    me = staff_of(actor)
    if me is None or me.pk != finding.staff_id:
        raise Forbidden("只有当事人本人可以申诉")
    if finding.contested_at is not None:
        raise AlreadyContested(finding_id=finding.pk)
    if not reason.strip():
        raise InputError("reason", "请填写申诉理由")
    finding.status = Finding.Status.CONTESTED
    finding.contest_reason = reason.strip()
    finding.contested_at = timezone.now()
    finding.save(update_fields=["status", "contest_reason", "contested_at"])
    record_audit(actor=actor, verb="inspections.finding.contest", target=finding, reason=reason)
    return finding


@transaction.atomic
def decide_contest(*, finding_id: int, actor: Any, uphold: bool, note: str) -> Finding:
    """The supervision office (效能监察室) decides; overturning withdraws the event and the off-post record."""
    require_role(actor, *DECIDER_ROLES)
    finding = Finding.objects.select_for_update().get(pk=finding_id)
    centre_id = _actor_centre(actor)
    if centre_id is not None and finding.centre_id != centre_id:
        raise Forbidden("只能处理本中心的申诉")
    if finding.status != Finding.Status.CONTESTED:
        raise NotContested(finding_id=finding.pk, status=finding.status)
    if not note.strip():
        raise InputError("note", "请填写处理意见")
    finding.status = Finding.Status.UPHELD if uphold else Finding.Status.OVERTURNED
    finding.decision_note = note.strip()
    finding.decided_at = timezone.now()
    finding.decided_by = _user(actor)
    if not uphold:
        withdraw_accountability_event(source=finding, kind="finding", actor=actor, reason=note)
        if finding.off_post_record_id:
            withdraw_off_post(record_id=finding.off_post_record_id, reason=note, actor=actor)
            finding.off_post_record = None
    finding.save(update_fields=["status", "decision_note", "decided_at", "decided_by", "off_post_record"])
    record_audit(
        actor=actor,
        verb="inspections.finding.decide",
        target=finding,
        reason=note,
        data={"upheld": uphold},
    )
    return finding
