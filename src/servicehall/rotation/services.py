"""Rotation workflow (ORG-5): application letter → the centre's reply → handover; unfit staff returned.

Every step keeps the posting history (派驻记录) of the people concerned."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from servicehall.core.audit import record_audit
from servicehall.core.errors import Forbidden, InputError, RuleViolation
from servicehall.core.roles import Role, require_role
from servicehall.org.models import Staff, Unit
from servicehall.org.services import set_posting
from servicehall.policy_versions.selectors import policy_for_centre
from servicehall.rotation.models import Application, Posting
from servicehall.rotation.rules import check_application

CANDIDATE_FIELDS = {
    "name": "姓名",
    "gender": "性别",
    "age": "年龄",
    "education": "文化程度",
    "political_status": "政治面貌",
    "department": "所在科室",
    "position": "职务",
    "years_of_work": "工作年限",
    "phone": "电话号码",
}
REFUSALS = {
    "late": "12月20日后提出的轮换申请，须附部门主要领导签发的特别函件",
    "mid_year": "中途调整人员须附部门主要领导签发的特别函件，经中心同意",
}


def _user(actor: Any) -> Any | None:
    user = getattr(actor, "user", actor)
    return user if getattr(user, "is_authenticated", False) else None


def _check_unit(actor: Any, unit: Unit) -> None:
    me = require_role(actor, Role.CENTRE_ADMIN, Role.CHIEF_REP)
    if me is not None and me.centre_id != unit.centre_id:
        raise Forbidden("只能处理本中心的轮换")
    if me is not None and me.role == Role.CHIEF_REP and me.unit_id != unit.pk:
        raise Forbidden("首席代表只能提交本单位的轮换申请")


def open_posting(staff: Staff) -> Posting:
    """The person's current posting row, created from the staff record the first time."""
    posting = Posting.objects.filter(staff=staff, ended_on__isnull=True).order_by("-started_on").first()
    if posting is None:
        posting = Posting.objects.create(  # type: ignore[misc]  # Optional narrowing left to the domain's owner
            centre_id=staff.centre_id,
            staff=staff,
            unit_id=staff.unit_id,
            started_on=staff.posted_from or timezone.localdate(),
        )
    return posting


@transaction.atomic
def submit_application(
    *,
    actor: Any,
    unit: Unit,
    letter_no: str,
    submitted_on: date,
    handover_on: date,
    reason: str,
    candidate: dict[str, Any],
    outgoing: Staff | None = None,
    special_letter: bool = False,
    special_letter_signer: str = "",
) -> Application:
    """Record a unit's rotation letter; late or mid-year without the special letter is refused (ORG-5)."""
    _check_unit(actor, unit)
    if not letter_no.strip():
        raise InputError("letter_no", "请填写来函文号")
    if not reason.strip():
        raise InputError("reason", "请书面说明轮换原因")
    for key, label in CANDIDATE_FIELDS.items():
        if not str(candidate.get(key, "")).strip():
            raise InputError(f"candidate.{key}", f"拟选派人员基本情况缺少{label}")
    if outgoing is not None and outgoing.unit_id != unit.pk:
        raise InputError("outgoing", "轮换人员不属于该单位")
    if special_letter and not special_letter_signer.strip():
        raise InputError("special_letter_signer", "特别函件须注明签发的部门主要领导")
    policy = policy_for_centre(centre_id=unit.centre_id, on=submitted_on)
    check = check_application(
        policy.organisation.rotation,
        submitted_on=submitted_on,
        handover_on=handover_on,
        special_letter=special_letter,
    )
    if not check.allowed:
        raise RuleViolation(
            "ORG-5", REFUSALS[check.reason], deadline=check.deadline.isoformat(), policy=policy.ref
        )
    application = Application.objects.create(
        centre_id=unit.centre_id,
        unit=unit,
        letter_no=letter_no.strip(),
        submitted_on=submitted_on,
        handover_on=handover_on,
        outgoing=outgoing,
        reason=reason.strip(),
        candidate={k: str(candidate[k]).strip() for k in CANDIDATE_FIELDS},
        special_letter=special_letter,
        special_letter_signer=special_letter_signer.strip(),
        check_reason=check.reason,
        recorded_by=_user(actor),
        policy_ref=policy.ref,
    )
    record_audit(actor=actor, verb="rotation.apply", target=application, data={"check": check.reason})
    return application


@transaction.atomic
def reply_application(
    *, actor: Any, application_id: int, approve: bool, reply_no: str, replied_on: date, note: str = ""
) -> Application:
    """The centre's written reply (正式函复)."""
    me = require_role(actor, Role.CENTRE_ADMIN)
    application = Application.objects.select_for_update().get(pk=application_id)
    if me is not None and me.centre_id != application.centre_id:
        raise Forbidden("只能函复本中心的轮换申请")
    if application.status != Application.Status.SUBMITTED:
        raise RuleViolation("ORG-5", "该申请已函复", application_id=application.pk)
    if not reply_no.strip():
        raise InputError("reply_no", "请填写函复文号")
    if not approve and not note.strip():
        raise InputError("note", "不同意时须说明理由")
    application.status = Application.Status.APPROVED if approve else Application.Status.REFUSED
    application.reply_no, application.replied_on, application.reply_note = (
        reply_no.strip(),
        replied_on,
        note.strip(),
    )
    application.save(update_fields=["status", "reply_no", "replied_on", "reply_note"])
    record_audit(actor=actor, verb="rotation.reply", target=application, data={"approve": approve})
    return application


@transaction.atomic
def complete_handover(*, actor: Any, application_id: int, incoming: Staff | None = None) -> Application:
    """Handover done (办清业务交接): the outgoing person returns on the handover day; the newcomer starts."""
    me = require_role(actor, Role.CENTRE_ADMIN)
    application = Application.objects.select_for_update().get(pk=application_id)
    if me is not None and me.centre_id != application.centre_id:
        raise Forbidden("只能处理本中心的轮换")
    if application.status != Application.Status.APPROVED:
        raise RuleViolation("ORG-5", "中心函复同意后方可轮换", application_id=application.pk)
    if incoming is not None and incoming.unit_id != application.unit_id:
        raise InputError("incoming", "新到岗人员须属于申请单位")
    last_day = application.handover_on - timedelta(days=1)
    if application.outgoing is not None:
        _end_posting(
            application.outgoing, last_day, Posting.Ended.ROTATION, application.reason, actor, application
        )
    if incoming is not None:
        Posting.objects.create(  # type: ignore[misc]  # Optional narrowing left to the domain's owner
            centre_id=incoming.centre_id,
            staff=incoming,
            unit_id=incoming.unit_id,
            started_on=application.handover_on,
            application=application,
        )
        set_posting(staff_id=incoming.pk, posted_from=application.handover_on, posted_until=None, actor=actor)
    application.status, application.incoming = Application.Status.HANDED_OVER, incoming
    application.save(update_fields=["status", "incoming"])
    record_audit(actor=actor, verb="rotation.handover", target=application)
    return application


def _end_posting(
    staff: Staff, last_day: date, why: str, reasons: str, actor: Any, application: Application | None = None
) -> Posting:
    posting = open_posting(staff)
    posting.ended_on, posting.ended_by, posting.reasons = last_day, why, reasons
    if application is not None:
        posting.application = application
    posting.save(update_fields=["ended_on", "ended_by", "reasons", "application"])
    set_posting(
        staff_id=staff.pk,
        posted_from=staff.posted_from or posting.started_on,
        posted_until=last_day,
        actor=actor,
    )
    return posting


@transaction.atomic
def return_unfit(*, actor: Any, staff: Staff, returned_on: date, reasons: str) -> Posting:
    """Return a person unfit for the window to their unit, with reasons (不能胜任者清退回所在单位, ORG-5)."""
    me = require_role(actor, Role.CENTRE_ADMIN)
    if me is not None and me.centre_id != staff.centre_id:
        raise Forbidden("只能处理本中心的人员")
    if not reasons.strip():
        raise InputError("reasons", "清退须说明理由")
    posting = _end_posting(staff, returned_on, Posting.Ended.UNFIT, reasons.strip(), actor)
    record_audit(actor=actor, verb="rotation.return_unfit", target=posting, reason=reasons)
    return posting
