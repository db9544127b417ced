"""Responsibility, urgency and the clock: reassignment, green channel, pauses, extensions (CASE-5, CASE-11)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

from django.db import transaction

from servicehall.cases import deadlines
from servicehall.cases.enums import (
    CaseStatus,
    EventKind,
    PauseKind,
)
from servicehall.cases.lifecycle import log_event
from servicehall.cases.models import (
    Case,
    CaseExtension,
    CasePause,
)
from servicehall.cases.policies import policies_for
from servicehall.cases.selectors import case_target
from servicehall.cases.services.common import (
    CENTRE_OFFICE,
    _extension_cap,
    _local,
    _lock,
    _lock_handled,
    _now,
    _set_due,
    case_unit_ids,
)
from servicehall.catalog.models import CaseType
from servicehall.core import access
from servicehall.core.errors import Forbidden, InputError, NotFound, RuleViolation
from servicehall.core.errors import parse_choice as _choice
from servicehall.core.roles import Role
from servicehall.org.models import Staff
from servicehall.policy_versions.selectors import policy_for_centre

# -- responsibility, urgency, clock ------------------------------------------------------------------


@transaction.atomic
def reassign_case(
    *, case_id: int, actor: Staff, new_responsible: Staff, reason: str, at: datetime | None = None
) -> Case:
    """Change the first responsible person (CASE-1): chief rep of the unit or the centre office, with reason."""
    at = _now(at)
    case = _lock(case_id)
    if not reason.strip():
        raise RuleViolation("CASE-1", "更换第一责任人须说明理由")
    allowed = (
        actor is not None
        and actor.centre_id == case.centre_id
        and (
            actor.role in CENTRE_OFFICE
            or (actor.role == Role.CHIEF_REP and actor.unit_id in case_unit_ids(case))
        )
    )
    if not allowed:
        raise Forbidden("CASE-1: 只有本单位首席代表或中心管理办可以更换第一责任人")
    if new_responsible.centre_id != case.centre_id or not new_responsible.is_active:
        raise InputError("new_responsible", "新的第一责任人须为本中心在岗人员")
    if not case.is_open:
        raise RuleViolation("CASE-1", "办件已结束，不能更换第一责任人", status=case.status)
    old = case.responsible
    case.responsible = new_responsible
    case.save(update_fields=["responsible"])
    log_event(
        case=case,
        kind=EventKind.REASSIGN,
        actor=actor,
        reason=reason.strip(),
        rule_id="CASE-1",
        at=at,
        data={
            "from": old.pk,
            "to": new_responsible.pk,
            "from_name": old.name,
            "to_name": new_responsible.name,
        },
    )
    return case


@transaction.atomic
def flag_urgent(*, case_id: int, actor: Staff, reason: str, at: datetime | None = None) -> Case:
    """急事急办、特事特办 (CASE-11): a reason is required; urgent cases are highlighted everywhere."""
    case = _lock_handled(case_id, actor)
    if not reason.strip():
        raise InputError("reason", "CASE-11: 急办须说明理由")
    case.urgent, case.urgent_reason = True, reason.strip()
    case.save(update_fields=["urgent", "urgent_reason"])
    log_event(case=case, kind=EventKind.URGENT, actor=actor, reason=reason.strip(), rule_id="CASE-11", at=at)
    return case


@transaction.atomic
def pause_clock(
    *, case_id: int, actor: Staff, kind: str, starts_on: date, reason: str, at: datetime | None = None
) -> CasePause:
    """Stop the clock for time the law excludes (补正, 专家评审, 听证, 公示, 检测; CASE-5)."""
    case = _lock_handled(case_id, actor)
    kind = _choice(PauseKind, kind, "kind")
    if kind not in policies_for(case.centre).cases.pause_kinds:
        raise RuleViolation("CASE-5", f"「{kind.label}」不在本中心政策允许的暂停计时情形内", kind=kind.value)
    if case.status not in {CaseStatus.ACCEPTED, CaseStatus.IN_PROGRESS, CaseStatus.REPORTED}:
        raise RuleViolation("CASE-5", "只有已受理、未办结的办件可以暂停计时", status=case.status)
    if not reason.strip():
        raise InputError("reason", "CASE-5: 暂停计时须说明理由")
    if case.pauses.filter(ends_on__isnull=True).exists():
        raise RuleViolation("CASE-5", "已有未结束的暂停计时")
    if case.accepted_at and starts_on < _local(case.accepted_at).date():
        raise InputError("starts_on", "暂停不能早于受理日")
    pause = CasePause.objects.create(
        case=case, kind=kind, starts_on=starts_on, reason=reason.strip(), created_by=actor
    )
    _set_due(case)
    case.save(update_fields=["due_on", "due_provisional"])
    log_event(
        case=case,
        kind=EventKind.PAUSE,
        actor=actor,
        reason=reason.strip(),
        rule_id="CASE-5",
        at=at,
        data={"kind": kind.value, "from": starts_on.isoformat()},
    )
    return pause


@transaction.atomic
def resume_clock(*, case_id: int, actor: Staff, ends_on: date, at: datetime | None = None) -> Case:
    """End the open pause on `ends_on` (the last paused day) and recompute the due date (CASE-5)."""
    case = _lock_handled(case_id, actor)
    pause = case.pauses.filter(ends_on__isnull=True).first()
    if pause is None:
        raise RuleViolation("CASE-5", "没有正在暂停的计时")
    if ends_on < pause.starts_on:
        raise InputError("ends_on", "恢复计时日期不能早于暂停开始日")
    pause.ends_on = ends_on
    pause.save(update_fields=["ends_on"])
    _set_due(case)
    case.save(update_fields=["due_on", "due_provisional"])
    log_event(
        case=case,
        kind=EventKind.RESUME,
        actor=actor,
        rule_id="CASE-5",
        at=at,
        data={"pause": pause.pk, "until": ends_on.isoformat(), "due_on": str(case.due_on)},
    )
    return case


@transaction.atomic
def extend_deadline(
    *,
    case_id: int,
    actor: Staff,
    working_days: int,
    reason: str,
    consent_note: str,
    at: datetime | None = None,
) -> CaseExtension:
    """延期 (CASE-5): reason, the applicant's consent told in advance, and within the policy's cap."""
    at = _now(at)
    case = _lock_handled(case_id, actor)
    if case.status not in {CaseStatus.ACCEPTED, CaseStatus.IN_PROGRESS, CaseStatus.REPORTED}:
        raise RuleViolation("CASE-5", "只有已受理、未办结的办件可以延期", status=case.status)
    already = sum(case.extensions.values_list("working_days", flat=True))
    deadlines.check_extension(
        days=working_days,
        reason=reason,
        consent=bool(consent_note.strip()),
        already_extended=already,
        cap=_extension_cap(case),
        case_type_label=CaseType(case.case_type).label,
    )
    policies = policies_for(case.centre)
    ext = CaseExtension.objects.create(
        case=case,
        working_days=working_days,
        reason=reason.strip(),
        consent_note=consent_note.strip(),
        consented_at=at,
        granted_by=actor,
        policy_ref=policies.ref,
    )
    _set_due(case)
    case.save(update_fields=["due_on", "due_provisional"])
    log_event(
        case=case,
        kind=EventKind.EXTEND,
        actor=actor,
        reason=reason.strip(),
        rule_id="CASE-5",
        at=at,
        data={"days": working_days, "consent": consent_note.strip(), "due_on": str(case.due_on)},
    )
    return ext


@transaction.atomic
def note_outreach(
    *, case_id: int, actor: Staff, kind: str, reason: str, data: Mapping[str, object] | None = None
) -> Case:
    """Put a 帮办代办 or 上门服务 record on the case timeline (CASE-9 service log); the queue domain keeps the
    record itself. The actor must be allowed to read the case."""
    if kind not in (EventKind.ASSISTED, EventKind.HOME_VISIT):
        raise InputError("kind", f"不支持的记录类型：{kind}")
    case = Case.objects.select_related("item").filter(pk=case_id).first()
    if case is None:
        raise NotFound("办件不存在或无权查看", case_id=case_id)
    access.ensure(actor, "cases", "read", case_target(case), policy=policy_for_centre(centre_id=case.centre_id),
                  what="办件")  # fmt: skip
    log_event(case=case, kind=kind, actor=actor, reason=reason, rule_id="CASE-9", data=dict(data or {}))
    return case
