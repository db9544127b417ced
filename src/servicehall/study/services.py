"""Writes for study sessions and meetings (ATT-11): plan, roll-call, notebook check."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from servicehall.attendance.models import OffPostRecord
from servicehall.attendance.services import record_off_post
from servicehall.core.audit import record_audit
from servicehall.core.errors import Forbidden, InputError, RuleViolation
from servicehall.core.roles import Role, require_role, staff_of
from servicehall.leave.selectors import leaves_for_attendance
from servicehall.org.models import Centre, Staff
from servicehall.policy_versions.selectors import policy_for_centre
from servicehall.study.models import NotebookCheck, RollCall, Session

OFFICE_ROLES = (Role.CENTRE_ADMIN, Role.SUPERVISOR)
MISSED_KIND = {
    Session.Kind.STUDY: OffPostRecord.Kind.STUDY_MISSED,
    Session.Kind.WEEKLY_MEETING: OffPostRecord.Kind.MEETING_MISSED,
    Session.Kind.CHIEF_MEETING: OffPostRecord.Kind.CHIEF_MEETING_MISSED,
}


def _user(actor: Any) -> Any | None:
    user = getattr(actor, "user", actor)
    return user if getattr(user, "is_authenticated", False) else None


def _check_centre(actor: Any, centre_id: int) -> None:
    me = staff_of(actor)
    if me is not None and me.centre_id != centre_id:
        raise Forbidden("只能管理本中心的学习与例会")


@transaction.atomic
def plan_session(
    *, actor: Any, centre: Centre, kind: str, starts_at: datetime, topic: str, plan: str = ""
) -> Session:
    """Put a study session, meeting or training on the centre's plan (学习、培训计划)."""
    require_role(actor, *OFFICE_ROLES)
    _check_centre(actor, centre.pk)
    if kind not in Session.Kind.values:
        raise InputError("kind", "类型须为集中学习、周二例会、首席代表例会或全员培训")
    if not topic.strip():
        raise InputError("topic", "请填写主题")
    if timezone.is_naive(starts_at):
        starts_at = timezone.make_aware(starts_at)
    policy = policy_for_centre(centre_id=centre.pk, on=timezone.localtime(starts_at).date())
    session = Session.objects.create(
        centre=centre,
        kind=kind,
        starts_at=starts_at,
        topic=topic.strip(),
        plan=plan.strip(),
        created_by=_user(actor),
        policy_ref=policy.ref,
    )
    record_audit(actor=actor, verb="study.session.plan", target=session, data={"kind": kind})
    return session


def expected_staff(session: Session) -> list[Staff]:
    """Who the roll-call expects: chief representatives for their meeting, all window staff otherwise."""
    qs = Staff.objects.filter(centre_id=session.centre_id, is_active=True).exclude(unit=None)
    if session.kind == Session.Kind.CHIEF_MEETING:
        qs = qs.filter(role=Role.CHIEF_REP)
    else:
        qs = qs.filter(role__in=(Role.CHIEF_REP, Role.WINDOW_STAFF))
    return list(qs.order_by("unit_id", "staff_no"))


def _leave_covering(session: Session, staff_ids: set[int]) -> dict[int, int | None]:
    """Staff with an approved leave (leave module) covering the session's start."""
    local = timezone.localtime(session.starts_at).replace(tzinfo=None)
    day = local.date()
    covered: dict[int, int | None] = {}
    for row in leaves_for_attendance(session.centre_id, day, day):
        if row["status"] != "approved" or row["staff_id"] not in staff_ids:
            continue
        start, end = datetime.fromisoformat(row["start"]), datetime.fromisoformat(row["end"])
        start, end = (
            timezone.localtime(t).replace(tzinfo=None) if timezone.is_aware(t) else t for t in (start, end)
        )
        if start <= local < end:
            covered[row["staff_id"]] = row.get("leave_id")
    return covered


@transaction.atomic
def take_roll_call(*, actor: Any, session_id: int, present: set[int]) -> list[RollCall]:
    """Mark everyone expected present, on leave or absent (ATT-11), once per session.

    An absence without leave goes to attendance as an inspection record of the matching kind; the
    attendance policy decides what it costs (study: half a day; meetings: nothing unless set)."""
    require_role(actor, *OFFICE_ROLES)
    session = Session.objects.select_for_update().get(pk=session_id)
    _check_centre(actor, session.centre_id)
    if session.roll_called_at is not None:
        raise RuleViolation("ATT-11", "该场次已点名", session_id=session.pk)
    people = expected_staff(session)
    unknown = present - {p.pk for p in people}
    if unknown:
        raise InputError("present", "点名名单中有不属于本场次的人员")
    on_leave = _leave_covering(session, {p.pk for p in people} - present)
    day = timezone.localtime(session.starts_at).date()
    lines = []
    for person in people:
        line = RollCall(centre_id=session.centre_id, session=session, staff=person)
        if person.pk in present:
            line.status = RollCall.Status.PRESENT
        elif person.pk in on_leave:
            line.status, line.leave_id = RollCall.Status.ON_LEAVE, on_leave[person.pk]
        else:
            line.status = RollCall.Status.ABSENT
            missed = MISSED_KIND.get(session.kind)  # type: ignore[call-overload]  # Optional narrowing left to the domain's owner
            if missed is not None:
                line.attendance_record = record_off_post(
                    staff=person,
                    day=day,
                    minutes=0,
                    kind=missed,
                    note=f"{session.get_kind_display()}：{session.topic}"[:300],
                    actor=actor,
                )
        lines.append(line)
    RollCall.objects.bulk_create(lines)
    session.roll_called_at = timezone.now()
    session.save(update_fields=["roll_called_at"])
    record_audit(
        actor=actor,
        verb="study.session.roll_call",
        target=session,
        data={"present": len(present), "absent": sum(1 for x in lines if x.status == RollCall.Status.ABSENT)},
    )
    return lines


@transaction.atomic
def record_notebook_check(
    *, actor: Any, staff: Staff, checked_on: Any, passed: bool, note: str = ""
) -> NotebookCheck:
    """The quarterly spot check of the study notebook (每季度进行抽查)."""
    require_role(actor, *OFFICE_ROLES)
    _check_centre(actor, staff.centre_id)
    check = NotebookCheck.objects.create(
        centre_id=staff.centre_id, staff=staff, checked_on=checked_on, passed=passed, note=note
    )
    record_audit(actor=actor, verb="study.notebook.check", target=check, data={"passed": passed})
    return check
