"""Processing to delivery (承办 → 办结 → 送达, CASE-5, CASE-8), and the supervision office's steps on an overdue
case (超时默认, CASE-6)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from servicehall.cases.enums import (
    Action,
    CaseStatus,
    DeliveryMethod,
    EventKind,
    Outcome,
    RefusalKind,
)
from servicehall.cases.lifecycle import log_event, transition_case
from servicehall.cases.models import (
    Case,
    UnitStep,
)
from servicehall.cases.services.common import (
    CENTRE_OFFICE,
    _local,
    _lock,
    _lock_handled,
    _now,
    _problems,
    _ready_report,
)
from servicehall.catalog.models import CaseType
from servicehall.core.errors import Forbidden, InputError, NotFound, RuleViolation
from servicehall.core.errors import parse_choice as _choice
from servicehall.org.models import Staff


def _ensure_centre_office(actor: Staff, case: Case, rule_id: str) -> None:
    if actor is None or actor.centre_id != case.centre_id or actor.role not in CENTRE_OFFICE:
        raise Forbidden(f"{rule_id}: 只有效能监察室或中心管理办可以督办")


@transaction.atomic
def urge_case(*, case_id: int, actor: Staff, note: str = "", at: datetime | None = None) -> Case:
    """超时默认, first step (CASE-6): the supervision office urges the window to finish at once (logged)."""
    at = _now(at)
    case = _lock(case_id)
    _ensure_centre_office(actor, case, "CASE-6")
    if not case.is_open or case.due_on is None or case.due_on >= _local(at).date():
        raise RuleViolation("CASE-6", "只有已超过办结期限的在办件可以督促办理", due_on=str(case.due_on))
    log_event(
        case=case,
        kind=EventKind.URGE,
        actor=actor,
        reason=note.strip() or "超时默认：督促窗口立即办理",
        rule_id="CASE-6",
        at=at,
        data={"due_on": str(case.due_on)},
    )
    return case


@transaction.atomic
def approve_by_default(*, case_id: int, actor: Staff, note: str = "", at: datetime | None = None) -> Case:
    """超时默认 (CASE-6): an overdue case of an item that allows it is approved by default and its result
    issued by the centre. The caller checks the centre's policy allows default approval."""
    at = _now(at)
    case = _lock(case_id)
    _ensure_centre_office(actor, case, "CASE-6")
    if case.due_on is None or case.due_on >= _local(at).date():
        raise RuleViolation("CASE-6", "未超过办结期限，不能超时默认", due_on=str(case.due_on))
    if not case.item.default_approval:
        raise RuleViolation("CASE-6", f"事项「{case.item.name}」不适用超时默认，只能督促办理")
    if not case.events.filter(kind=EventKind.URGE).exists():
        raise RuleViolation("CASE-6", "超时默认前须先督促窗口立即办理")
    note = note.strip() or "超时默认：由中心直接核发证照"
    case.outcome, case.concluded_at, case.decision_note = Outcome.APPROVED, at, note
    case.current_step = "超时默认办结，待送达"
    transition_case(
        case=case,
        action=Action.DEFAULT_APPROVE,
        actor=actor,
        at=at,
        reason=note,
        data={"outcome": Outcome.APPROVED.value, "due_on": str(case.due_on)},
        update_fields=("outcome", "concluded_at", "decision_note", "current_step"),
    )
    return case


@transaction.atomic
def start_processing(*, case_id: int, actor: Staff, at: datetime | None = None) -> Case:
    """办理: one step per unit; a 联办件 gets a step for each joint unit, run in parallel (CAT-2)."""
    at = _now(at)
    case = _lock_handled(case_id, actor)
    units = [case.item.unit]
    if case.case_type == CaseType.JOINT:
        units += [u for u in case.item.joint_units.all() if u.pk != case.item.unit_id]
    for unit in units:
        UnitStep.objects.get_or_create(case=case, unit=unit, defaults={"name": f"{unit}审查办理"})
    case.current_step = "、".join(str(u) for u in units) + " 办理中"
    transition_case(
        case=case,
        action=Action.START,
        actor=actor,
        at=at,
        data={"units": [u.pk for u in units]},
        update_fields=("current_step",),
    )
    return case


@transaction.atomic
def complete_unit_step(*, step_id: int, actor: Staff, note: str = "", at: datetime | None = None) -> UnitStep:
    """A unit finishes its part (CAT-2); the case may conclude once every unit has."""
    at = _now(at)
    try:
        step = UnitStep.objects.select_for_update().get(pk=step_id)
    except UnitStep.DoesNotExist:
        raise NotFound("办理环节不存在", step_id=step_id) from None
    case = _lock(step.case_id)
    if case.status != CaseStatus.IN_PROGRESS:
        raise RuleViolation("CAT-2", "只有办理中的办件可以完成单位环节", status=case.status)
    if actor.centre_id != case.centre_id or (
        actor.role not in CENTRE_OFFICE and actor.unit_id != step.unit_id
    ):
        raise Forbidden("CAT-2: 只有该单位人员可以完成本单位的办理环节")
    if step.done_at is not None:
        raise RuleViolation("CASE-9", "该单位环节已完成，不能重复完成", step_id=step.pk)
    step.done_at, step.done_by, step.note = at, actor, note
    step.save(update_fields=["done_at", "done_by", "note"])
    pending = list(case.steps.filter(done_at__isnull=True).select_related("unit"))
    case.current_step = ("、".join(str(s.unit) for s in pending) + " 办理中") if pending else "待办结"
    case.save(update_fields=["current_step"])
    log_event(
        case=case,
        kind=EventKind.STEP,
        actor=actor,
        reason=note,
        rule_id="CAT-2",
        at=at,
        data={"unit": step.unit_id, "pending": len(pending)},
    )
    return step


def _ensure_steps_done(case: Case) -> None:
    pending = list(case.steps.filter(done_at__isnull=True).select_related("unit"))
    if pending:
        raise RuleViolation(
            "CAT-2", "并联审批尚未全部完成: " + "、".join(str(s.unit) for s in pending), pending=len(pending)
        )


@transaction.atomic
def report_up(*, case_id: int, actor: Staff, reason: str = "", at: datetime | None = None) -> Case:
    """上报件: after the centre's units finish, the decision goes up (CAT-2)."""
    at = _now(at)
    case = _lock_handled(case_id, actor)
    if case.case_type != CaseType.REPORTED:
        raise RuleViolation("CAT-2", "只有上报件可以上报上级决定", case_type=case.case_type)
    _ensure_steps_done(case)
    case.current_step = "已上报，等待上级决定"
    transition_case(
        case=case, action=Action.REPORT_UP, actor=actor, at=at, reason=reason, update_fields=("current_step",)
    )
    return case


@transaction.atomic
def conclude_case(
    *, case_id: int, actor: Staff, outcome: str, note: str = "", at: datetime | None = None
) -> Case:
    """办结: approved, or not approved after a refusal report (CASE-7); every unit step done (CAT-2)."""
    at = _now(at)
    case = _lock_handled(case_id, actor)
    outcome = _choice(Outcome, outcome, "outcome")
    _ensure_steps_done(case)
    data: dict[str, object] = {"outcome": outcome.value}
    if outcome == Outcome.NOT_APPROVED:
        report = _ready_report(case, RefusalKind.NOT_APPROVED, at=at)
        report.issued_at = at
        report.save(update_fields=["issued_at"])
        note = note or report.reasons
        data["refusal_report"] = report.pk
    case.outcome, case.concluded_at, case.decision_note = outcome, at, note
    case.current_step = "已办结，待送达"
    transition_case(
        case=case,
        action=Action.CONCLUDE,
        actor=actor,
        at=at,
        reason=note,
        data=data,
        update_fields=("outcome", "concluded_at", "decision_note", "current_step"),
    )
    return case


@transaction.atomic
def complete_on_the_spot(*, case_id: int, actor: Staff, note: str = "", at: datetime | None = None) -> Case:
    """即办件: registered and finished in the same visit, materials complete (CAT-2)."""
    at = _now(at)
    case = _lock_handled(case_id, actor)
    if case.case_type != CaseType.IMMEDIATE:
        raise RuleViolation("CAT-2", "只有即办件可以当场办结", case_type=case.case_type)
    if _local(at).date() != _local(case.registered_at).date():
        raise RuleViolation("CAT-2", "即办件须在登记当次办结；已过登记当日，请按承诺件办理")
    problems = _problems(case)
    if problems:
        raise RuleViolation("CASE-2", "材料不齐全，不能当场办结: " + "、".join(m.name for m in problems))
    case.accepted_at = case.concluded_at = at
    case.due_on = _local(at).date()
    case.outcome, case.decision_note, case.current_step = Outcome.APPROVED, note, "已办结，待送达"
    transition_case(
        case=case,
        action=Action.COMPLETE_ON_SPOT,
        actor=actor,
        at=at,
        reason=note,
        update_fields=("accepted_at", "concluded_at", "due_on", "outcome", "decision_note", "current_step"),
    )
    return case


@transaction.atomic
def deliver_case(
    *,
    case_id: int,
    actor: Staff,
    method: str,
    postal_address: str = "",
    tracking_no: str = "",
    at: datetime | None = None,
) -> Case:
    """送达: picked up at the window or posted, as the applicant chose (CASE-8)."""
    at = _now(at)
    case = _lock_handled(case_id, actor)
    method = _choice(DeliveryMethod, method, "method")
    if method == DeliveryMethod.POST and not (postal_address.strip() or case.applicant_address):
        raise InputError("postal_address", "CASE-8: 邮寄送达须填写邮寄地址")
    case.delivery_method, case.delivered_at = method, at
    case.postal_address = postal_address.strip() or (
        case.applicant_address if method == DeliveryMethod.POST else ""
    )
    case.tracking_no = tracking_no.strip()
    case.current_step = method.label
    transition_case(
        case=case,
        action=Action.DELIVER,
        actor=actor,
        at=at,
        data={"method": method.value},
        update_fields=("delivery_method", "delivered_at", "postal_address", "tracking_no", "current_step"),
    )
    return case
