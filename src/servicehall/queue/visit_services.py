"""Writes of 帮办代办 (assisted service) and 上门服务 (home visits), appointment kinds of the queue (Q-2, CASE-9;
002/篇3 §2–3 辅助填表, §8 对生病住院、行动不便等特殊情况提供上门服务).

- A citizen, or staff taking a phone call, books 帮办代办 (a hall slot) or requests a home visit with a reason.
- A home visit needs approval by the role the policy names (`visits.home_visit_approver`); the approver
  assigns a staff member and a day; the visit is recorded (what was done, materials, signature, result) and
  linked to the case when one is registered.
- 帮办代办 records on the case which staff member filled which forms.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from servicehall.cases import selectors as case_selectors
from servicehall.cases import services as case_services
from servicehall.cases.enums import EventKind
from servicehall.catalog.models import Item
from servicehall.core import access
from servicehall.core.audit import record_audit
from servicehall.core.errors import InputError, NotFound, RuleViolation
from servicehall.core.identity import validate_phone
from servicehall.core.roles import Role, role_of, staff_of
from servicehall.org.models import Staff
from servicehall.policy.sections.visits import GROUND_LABELS, VisitsPolicy
from servicehall.policy_versions.selectors import policy_for_centre
from servicehall.queue import services as queue_services
from servicehall.queue.models import Appointment, AssistRecord, HomeVisit, ServiceLine

# A home visit has no hall slot; its appointment row carries this placeholder time, never a bookable slot.
HOME_VISIT_SLOT = time(0, 0)
APPROVER_LABELS = {"chief_rep": "首席代表", "centre_admin": "中心管理办公室"}


def visits_policy(centre_id: int) -> tuple[VisitsPolicy, str]:
    policy = policy_for_centre(centre_id=centre_id)
    return policy.visits, policy.ref


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def visit_target(visit: HomeVisit) -> access.Target:
    """A home visit sits in its item's unit, owned by the assigned staff member."""
    appt = visit.appointment
    unit_ids = [appt.item.unit_id] if appt.item is not None else []
    return access.Target.of(
        centre_id=appt.centre_id, unit_ids=unit_ids, owners=[visit.assigned_staff_id, visit.requested_by_id]
    )


def _line_for(item: Item) -> ServiceLine:
    line = item.service_lines.filter(is_active=True).order_by("position", "prefix").first()  # type: ignore[attr-defined]
    if line is None:
        raise InputError("item_id", f"事项“{item.name}”没有受理队列，请联系咨询台")
    return line


@transaction.atomic
def book_assisted_service(
    *,
    line_id: int,
    day: date,
    slot_start: time,
    name: str,
    phone: str,
    item_id: int | None = None,
    actor: Any = None,
    now: datetime | None = None,
) -> Appointment:
    """帮办代办: a hall slot like any appointment (same capacity and limits, Q-2), marked so the window knows a
    staff member will fill the forms. `actor` is the staff member booking it for a caller, or None."""
    line = ServiceLine.objects.filter(pk=line_id).first()
    if line is None:
        raise InputError("line_id", f"业务队列 {line_id} 不存在或未启用")
    policy, ref = visits_policy(line.centre_id)
    if not policy.assisted_service_enabled:
        raise RuleViolation("Q-2", "本中心暂未开通帮办代办预约", policy=ref)
    appt = queue_services.book_appointment(
        line_id=line_id, day=day, slot_start=slot_start, name=name, phone=phone, item_id=item_id, now=now
    )
    appt.kind = Appointment.Kind.ASSISTED
    appt.save(update_fields=["kind"])
    record_audit(actor=actor, verb="queue.assisted.book", target=appt, data={"rule": "Q-2", "policy": ref})
    return appt


@transaction.atomic
def request_home_visit(
    *,
    item_id: int,
    day: date,
    name: str,
    phone: str,
    address: str,
    ground: str,
    reason: str,
    actor: Any = None,
    now: datetime | None = None,
) -> HomeVisit:
    """上门服务 request (Q-2): a ground the policy allows, a reason, an address and a day within reach; it waits
    for the approver the policy names. `actor` is the staff member who took the request by phone, or None."""
    now = _now(now)
    item = Item.objects.select_related("unit").filter(pk=item_id, status=Item.Status.PUBLISHED).first()
    if item is None:
        raise InputError("item_id", f"事项 {item_id} 不存在或未公开")
    staff = staff_of(actor)
    if staff is not None and staff.centre_id != item.centre_id:
        raise NotFound("事项不存在或无权查看", item_id=item_id)
    policy, ref = visits_policy(item.centre_id)
    if not policy.home_visit_enabled:
        raise RuleViolation("Q-2", "本中心暂未开通上门服务", policy=ref)
    if ground not in policy.home_visit_grounds:
        allowed = "、".join(GROUND_LABELS[g] for g in policy.home_visit_grounds)
        raise RuleViolation("Q-2", f"上门服务适用于：{allowed}", ground=ground, policy=ref)
    reason = reason.strip()
    if len(reason) < policy.home_visit_min_reason_chars:
        raise InputError(
            "reason", f"请说明需要上门服务的原因（至少 {policy.home_visit_min_reason_chars} 个字）"
        )
    if not name.strip():
        raise InputError("name", "请填写姓名")
    if not address.strip():
        raise InputError("address", "请填写上门地址")
    phone = validate_phone(phone, field="phone")
    if not phone:
        raise InputError("phone", "请填写联系电话")
    today = timezone.localtime(now).date()
    if day < today or day > today + timedelta(days=policy.home_visit_days_ahead):
        raise RuleViolation(
            "Q-2", f"上门日期应在今天起 {policy.home_visit_days_ahead} 天内", day=str(day), policy=ref
        )
    appt = Appointment.objects.create(
        centre_id=item.centre_id, line=_line_for(item), item=item, day=day, slot_start=HOME_VISIT_SLOT,
        code=queue_services._new_code(), name=name.strip()[:40], phone=phone, kind=Appointment.Kind.HOME_VISIT,
    )  # fmt: skip
    visit = HomeVisit.objects.create(
        appointment=appt, ground=ground, reason=reason[:300], address=address.strip()[:200],
        via=HomeVisit.Via.PHONE if staff else HomeVisit.Via.CITIZEN, requested_by=staff,
        approver_role=policy.home_visit_approver, policy_ref=ref,
    )  # fmt: skip
    record_audit(
        actor=actor, verb="queue.home_visit.request", target=appt,
        data={"rule": "Q-2", "policy": ref, "ground": ground, "approver": policy.home_visit_approver},
    )  # fmt: skip
    return visit


def _lock_visit(visit_id: int) -> HomeVisit:
    visit = (
        HomeVisit.objects.select_for_update(of=("self",))
        .select_related("appointment", "appointment__item")
        .filter(pk=visit_id)
        .first()
    )
    if visit is None:
        raise NotFound("上门服务申请不存在或无权查看", visit_id=visit_id)
    return visit


def _ensure_approver(actor: Any, visit: HomeVisit) -> Staff:
    """Q-2 with ORG-1: the centre office may always decide; a chief representative only when the policy in
    force at the request names them, and only for their own unit's items."""
    target = visit_target(visit)
    access.ensure(actor, "visits", "approve", target, what="上门服务申请")
    staff = staff_of(actor)
    if staff is None:  # the installation admin: no Staff record to sign with
        raise RuleViolation("Q-2", "审批须由中心或单位工作人员签署")
    if role_of(actor) == Role.CHIEF_REP and visit.approver_role != "chief_rep":
        raise RuleViolation(
            "Q-2", "本中心上门服务由中心管理办公室审批", approver=visit.approver_role, policy=visit.policy_ref
        )
    return staff


@transaction.atomic
def decide_home_visit(
    *,
    visit_id: int,
    actor: Any,
    approve: bool,
    note: str = "",
    assigned_staff_id: int | None = None,
    visit_day: date | None = None,
    now: datetime | None = None,
) -> HomeVisit:
    """Approve (with the staff member who goes and the day) or refuse (with a reason) a home visit (Q-2)."""
    now = _now(now)
    visit = _lock_visit(visit_id)
    approver = _ensure_approver(actor, visit)
    if visit.status != HomeVisit.Status.REQUESTED:
        raise RuleViolation("Q-2", f"该申请已{visit.get_status_display()}", status=visit.status)
    before = {"status": visit.status}
    if approve:
        if assigned_staff_id is None:
            raise InputError("assigned_staff_id", "请指定上门人员")
        assignee = Staff.objects.filter(
            pk=assigned_staff_id, centre_id=visit.appointment.centre_id, is_active=True
        ).first()
        if assignee is None:
            raise InputError("assigned_staff_id", f"工作人员 {assigned_staff_id} 不在本中心")
        if visit_day is None:
            raise InputError("visit_day", "请填写上门日期")
        if visit_day < timezone.localtime(now).date():
            raise InputError("visit_day", "上门日期不能早于今天")
        visit.status, visit.assigned_staff, visit.visit_day = HomeVisit.Status.APPROVED, assignee, visit_day
    else:
        if len(note.strip()) < 4:
            raise InputError("note", "不予批准时请写明理由")
        visit.status = HomeVisit.Status.REJECTED
        visit.appointment.status = Appointment.Status.CANCELLED
        visit.appointment.save(update_fields=["status"])
    visit.decided_by, visit.decided_at, visit.decision_note = approver, now, note.strip()[:300]
    visit.save(
        update_fields=["status", "assigned_staff", "visit_day", "decided_by", "decided_at", "decision_note"]
    )
    record_audit(
        actor=actor, verb="queue.home_visit.approve" if approve else "queue.home_visit.reject", target=visit,
        centre_id=visit.appointment.centre_id, reason=note, before=before, after={"status": visit.status},
        data={"rule": "Q-2", "policy": visit.policy_ref, "assigned": assigned_staff_id,
              "visit_day": str(visit_day) if visit_day else None},
    )  # fmt: skip
    return visit


@transaction.atomic
def record_home_visit(
    *,
    visit_id: int,
    actor: Any,
    work_done: str,
    materials_collected: str,
    signature_name: str,
    result: str,
    case_number: str = "",
    now: datetime | None = None,
) -> HomeVisit:
    """The record of an approved visit (Q-2, CASE-9): what was done, materials collected, the citizen's
    signature name and the result; linked to the case (and put on its timeline) when a number is given."""
    now = _now(now)
    visit = _lock_visit(visit_id)
    access.ensure(actor, "visits", "record", visit_target(visit), what="上门服务申请")
    staff = staff_of(actor)
    if staff is None:
        raise RuleViolation("Q-2", "上门记录须由工作人员填写")
    if visit.status != HomeVisit.Status.APPROVED:
        raise RuleViolation("Q-2", f"只能记录已批准的上门服务（当前：{visit.get_status_display()}）")
    if result not in HomeVisit.Result.values:
        raise InputError("result", "请选择办理结果")
    if not work_done.strip():
        raise InputError("work_done", "请填写办理情况")
    if not signature_name.strip():
        raise InputError("signature_name", "请填写申请人签名（姓名）")
    case = None
    if case_number.strip():
        case = (
            case_selectors.cases_visible_to(viewer=actor)
            .filter(number=case_number.strip(), centre_id=visit.appointment.centre_id)
            .first()
        )
        if case is None:
            raise InputError("case_number", f"办件 {case_number.strip()} 不存在或无权查看")
    visit.work_done, visit.materials_collected = work_done.strip(), materials_collected.strip()
    visit.signature_name, visit.result, visit.case = signature_name.strip()[:60], result, case
    visit.recorded_by, visit.recorded_at, visit.status = staff, now, HomeVisit.Status.DONE
    visit.save(update_fields=["work_done", "materials_collected", "signature_name", "result", "case",
                              "recorded_by", "recorded_at", "status"])  # fmt: skip
    visit.appointment.status = Appointment.Status.CHECKED_IN
    visit.appointment.checked_in_at = now
    visit.appointment.save(update_fields=["status", "checked_in_at"])
    if case is not None:
        case_services.note_outreach(
            case_id=case.pk, actor=staff, kind=EventKind.HOME_VISIT,
            reason=f"{staff.name}上门服务：{visit.work_done}（收取材料：{visit.materials_collected or '无'}）",
            data={"home_visit": visit.pk, "result": result},
        )  # fmt: skip
    record_audit(
        actor=actor, verb="queue.home_visit.record", target=visit, centre_id=visit.appointment.centre_id,
        after={"status": visit.status, "result": result, "case": case.pk if case else None},
        data={"rule": "Q-2"},
    )  # fmt: skip
    return visit


@transaction.atomic
def record_assisted_service(
    *,
    case_number: str,
    actor: Any,
    forms: str,
    note: str = "",
    appointment_code: str = "",
    now: datetime | None = None,
) -> AssistRecord:
    """帮办代办 on a case (CASE-9): the staff member who filled the forms for the citizen and which forms.
    The acting staff member is the helper; the case must be one they may see."""
    now = _now(now)
    staff = staff_of(actor)
    if staff is None:
        raise RuleViolation("CASE-9", "帮办代办须由工作人员记录")
    policy, ref = visits_policy(staff.centre_id)
    if not policy.assisted_record_on_case:
        raise RuleViolation("CASE-9", "本中心未启用帮办代办记录", policy=ref)
    access.ensure(actor, "visits", "assist", access.Target.of(centre_id=staff.centre_id), record=False)
    if not forms.strip():
        raise InputError("forms", "请填写代为填写的表格")
    case = (
        case_selectors.cases_visible_to(viewer=actor)
        .filter(number=case_number.strip(), centre_id=staff.centre_id)
        .first()
        if case_number.strip()
        else None
    )
    if case is None:
        raise InputError("case_number", f"办件 {case_number.strip() or '（空）'} 不存在或无权查看")
    appt = None
    if appointment_code.strip():
        appt = Appointment.objects.filter(
            code=appointment_code.strip().upper(), centre_id=staff.centre_id, kind=Appointment.Kind.ASSISTED
        ).first()
        if appt is None:
            raise InputError("appointment_code", f"帮办代办预约 {appointment_code.strip()} 不存在")
    record = AssistRecord.objects.create(
        case=case, appointment=appt, helper=staff, forms=forms.strip()[:300], note=note.strip()[:300], at=now
    )
    case_services.note_outreach(
        case_id=case.pk, actor=staff, kind=EventKind.ASSISTED,
        reason=f"{staff.name}代为填写：{record.forms}", data={"assist_record": record.pk},
    )  # fmt: skip
    record_audit(
        actor=actor, verb="queue.assisted.record", target=record, centre_id=staff.centre_id,
        data={"rule": "CASE-9", "case": case.pk, "policy": ref},
    )  # fmt: skip
    return record
