"""Refusal and return (不予受理 / 退回): reported up the chain and acknowledged before the decision (CASE-7)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from servicehall.cases.enums import (
    Action,
    CaseStatus,
    EventKind,
    RefusalKind,
)
from servicehall.cases.lifecycle import log_event, transition_case
from servicehall.cases.models import (
    Case,
    RefusalReport,
)
from servicehall.cases.policies import policies_for
from servicehall.cases.services.common import CENTRE_OFFICE, _lock_handled, _now, _ready_report
from servicehall.core.errors import Forbidden, InputError, NotFound, RuleViolation
from servicehall.core.errors import parse_choice as _choice
from servicehall.org.models import Staff

# -- refusal and return ------------------------------------------------------------------------------


@transaction.atomic
def report_refusal(
    *, case_id: int, actor: Staff, kind: str, reasons: str, legal_basis: str, at: datetime | None = None
) -> RefusalReport:
    """否定事项报备 (CASE-7): register the intended refusal and report it to the centre first."""
    at = _now(at)
    case = _lock_handled(case_id, actor)
    kind = _choice(RefusalKind, kind, "kind")
    if not reasons.strip():
        raise InputError("reasons", "CASE-7: 不予受理/不予许可须写明理由")
    if not legal_basis.strip():
        raise InputError("legal_basis", "CASE-7: 不予受理/不予许可须写明法律依据")
    expected = (
        {CaseStatus.REGISTERED, CaseStatus.CORRECTION}
        if kind == RefusalKind.NOT_ACCEPTED
        else {CaseStatus.IN_PROGRESS, CaseStatus.REPORTED}
    )
    if case.status not in expected:
        raise RuleViolation("CASE-7", f"办件当前状态不能报备{kind.label}", status=case.status)
    policies = policies_for(case.centre)
    report = RefusalReport.objects.create(
        case=case,
        kind=kind,
        reasons=reasons.strip(),
        legal_basis=legal_basis.strip(),
        reported_at=at,
        reported_by=actor,
        policy_ref=policies.ref,
    )
    log_event(
        case=case,
        kind=EventKind.REFUSAL_REPORT,
        actor=actor,
        reason=reasons,
        rule_id="CASE-7",
        at=at,
        data={"report": report.pk, "kind": kind.value},
    )
    return report


@transaction.atomic
def acknowledge_refusal_report(*, report_id: int, actor: Staff, at: datetime | None = None) -> RefusalReport:
    """The centre office acknowledges a refusal report (CASE-7)."""
    at = _now(at)
    try:
        report = RefusalReport.objects.select_for_update().select_related("case").get(pk=report_id)
    except RefusalReport.DoesNotExist:
        raise NotFound("报备不存在", report_id=report_id) from None
    if actor is None or actor.centre_id != report.case.centre_id or actor.role not in CENTRE_OFFICE:
        raise Forbidden("CASE-7: 否定事项报备由中心管理办确认")
    if report.acknowledged_at is None:
        report.acknowledged_at, report.acknowledged_by = at, actor
        report.save(update_fields=["acknowledged_at", "acknowledged_by"])
        log_event(
            case=report.case,
            kind=EventKind.REFUSAL_REPORT,
            actor=actor,
            rule_id="CASE-7",
            at=at,
            reason="中心已确认否定事项报备",
            data={"report": report.pk},
        )
    return report


@transaction.atomic
def refuse_case(*, case_id: int, actor: Staff, at: datetime | None = None) -> Case:
    """不予受理 with the written decision (CASE-7): only after the report was acknowledged or waited out."""
    at = _now(at)
    case = _lock_handled(case_id, actor)
    report = _ready_report(case, RefusalKind.NOT_ACCEPTED, at=at)
    report.issued_at = at
    report.save(update_fields=["issued_at"])
    case.outcome, case.concluded_at, case.decision_note = "", at, report.reasons
    case.current_step = "不予受理"
    transition_case(
        case=case,
        action=Action.REFUSE,
        actor=actor,
        at=at,
        reason=report.reasons,
        data={"refusal_report": report.pk},
        update_fields=("concluded_at", "decision_note", "current_step", "outcome"),
    )
    return case


@transaction.atomic
def return_case(*, case_id: int, actor: Staff, reason: str, at: datetime | None = None) -> Case:
    """退件: only with a detailed reason (CASE-7, 002/篇2 §八(二) 不得随意、无正当理由退件)."""
    at = _now(at)
    case = _lock_handled(case_id, actor)
    minimum = policies_for(case.centre).cases.return_reason_min_chars
    if len(reason.strip()) < minimum:
        raise RuleViolation(
            "CASE-7", f"退件须详细说明理由（至少 {minimum} 个字）", length=len(reason.strip())
        )
    case.current_step, case.decision_note, case.concluded_at = "已退回", reason.strip(), at
    transition_case(
        case=case,
        action=Action.RETURN,
        actor=actor,
        at=at,
        reason=reason.strip(),
        update_fields=("current_step", "decision_note", "concluded_at"),
    )
    return case
