"""Leave reads: pending steps for an approver, a person's leaves, and the leave feed of the attendance engine.

`leaves_for_attendance` is the contract with attendance (ATT-8): rows shaped like its leaves.csv, where a
leave counts as `approved` only when every step approved it AND (LEAVE-5) its cover checked in before the
leaver was due; a cover arriving late excuses only the time from its arrival (`cover_gaps` lists the rest).
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from servicehall.core.roles import Role, role_of, staff_of, visible_unit_ids
from servicehall.leave import rules
from servicehall.leave.models import CoverAssignment, LeaveRequest, LeaveStep
from servicehall.policy.schema import Policy
from servicehall.workdays.calendar import WorkCalendar

EXTERNAL_ROLES = ("unit_leader", "unit_principal_leader", "county_office", "county_leader")
DEFAULT_SESSION_STARTS = (time(8, 30), time(14, 30))


# -- policy and calendar -------------------------------------------------------------------------------


def current_policy(centre_id: int | None = None, *, on: date | None = None) -> Policy:
    """The policy in force for the centre on `on` (default today); see `policy.selectors.policy_for_centre`."""
    from servicehall.policy_versions.selectors import policy_for_centre

    return policy_for_centre(centre_id=centre_id, on=on)


def current_calendar() -> WorkCalendar:
    from servicehall.workdays.selectors import load_calendar

    return load_calendar()


def session_starts(policy: Policy, day: date) -> list[time]:
    attendance = getattr(policy, "attendance", None)
    sessions_for = getattr(attendance, "sessions_for", None)
    if sessions_for is None:
        return list(DEFAULT_SESSION_STARTS)
    return [s.start for s in sessions_for(day.weekday())] or list(DEFAULT_SESSION_STARTS)


def duty_start_of(policy: Policy, span: rules.LeaveSpan) -> datetime:
    """When the leaver is first due at the window: the first session start of the leave's first half."""
    return rules.duty_start(span, session_starts(policy, span.start_date))


# -- approvers -------------------------------------------------------------------------------------------


def pending_steps_for(*, viewer: Any) -> QuerySet[LeaveStep]:
    """Steps waiting for `viewer` (a Staff): centre admins get `centre` steps and the external signatures
    they enter from paper; chief representatives the `chief_rep` steps of their own unit only."""
    qs = LeaveStep.objects.filter(
        status=LeaveStep.Status.PENDING,
        request__status=LeaveRequest.Status.PENDING,
        request__centre_id=viewer.centre_id,
    ).exclude(request__staff_id=viewer.pk)
    if viewer.role == Role.CENTRE_ADMIN:
        qs = qs.filter(approver_role__in=("centre", *EXTERNAL_ROLES))
    elif viewer.role == Role.CHIEF_REP and viewer.unit_id:
        qs = qs.filter(approver_role="chief_rep", request__staff__unit_id=viewer.unit_id)
    else:
        return LeaveStep.objects.none()
    return qs.select_related("request__staff__unit").order_by("request__start_date", "request_id")


def leaves_of(*, staff: Any) -> QuerySet[LeaveRequest]:
    return (
        LeaveRequest.objects.filter(staff=staff)
        .prefetch_related("steps", "covers")
        .order_by("-start_date", "-id")
    )


def leaves_visible_to(*, viewer: Any, centre_id: int) -> QuerySet[LeaveRequest]:
    units = visible_unit_ids(viewer, centre_id=centre_id)
    qs = LeaveRequest.objects.filter(centre_id=centre_id)
    if role_of(viewer) == Role.WINDOW_STAFF:
        me = staff_of(viewer)
        return qs.filter(staff=me) if me else qs.none()
    if units is not None:
        qs = qs.filter(staff__unit_id__in=units)
    return qs.select_related("staff__unit").prefetch_related("steps", "covers")


def covers_for_check_in(*, centre_id: int, day: date) -> QuerySet[CoverAssignment]:
    """Covers due on `day` (or earlier) that have not checked in, for the centre office's check-in desk."""
    return (
        CoverAssignment.objects.filter(
            centre_id=centre_id,
            checked_in_at__isnull=True,
            start_date__lte=day,
            end_date__gte=day,
            request__status__in=[LeaveRequest.Status.PENDING, LeaveRequest.Status.APPROVED],
        )
        .select_related("request__staff", "window")
        .order_by("start_date", "id")
    )


# -- attendance feed -------------------------------------------------------------------------------------


def _local(dt: datetime) -> datetime:
    return timezone.localtime(dt).replace(tzinfo=None) if timezone.is_aware(dt) else dt


def _first_check_in(leave: LeaveRequest) -> datetime | None:
    arrivals = [c.checked_in_at for c in leave.covers.all() if c.checked_in_at is not None]
    return _local(min(arrivals)) if arrivals else None


def _excused_from(
    leave: LeaveRequest, policy: Policy
) -> tuple[datetime | None, tuple[datetime, datetime] | None]:
    """(start of the excused part or None if nothing is excused, the unauthorised gap or None) — LEAVE-5."""
    span = leave.span
    if not leave.cover_required_reason or leave.filed_late or not policy.leave.leave_starts_at_cover_check_in:
        return span.start_at, None
    check_in = _first_check_in(leave)
    gap = rules.cover_gap(span=span, check_in=check_in, duty_from=duty_start_of(policy, span))
    if gap is None:
        return span.start_at, None
    if check_in is None or check_in >= span.end_at:
        return None, gap
    return check_in, gap


def _overlapping(centre_id: int, start: date, end: date) -> QuerySet[LeaveRequest]:
    return (
        LeaveRequest.objects.filter(centre_id=centre_id, start_date__lte=end, end_date__gte=start)
        .exclude(status__in=[LeaveRequest.Status.DRAFT, LeaveRequest.Status.CANCELLED])
        .prefetch_related("covers")
        .order_by("staff_id", "start_date", "id")
    )


def leaves_for_attendance(
    centre_id: int, start: date, end: date, *, policy: Policy | None = None
) -> list[dict[str, Any]]:
    """Leaves overlapping [start, end] as attendance's leaves.csv rows.

    Keys: staff_id (Staff.pk), kind, start, end (ISO local date-times; `end` is exclusive: 12:00 after a
    morning, next 00:00 after an afternoon), status (approved | pending | rejected), certificate (yes | no).
    An approved leave whose cover (LEAVE-5) had not checked in when the leaver was due is reported from the
    check-in on (the excused part only), or as `pending` while no cover has arrived.
    """
    policy = policy or current_policy(centre_id)
    rows: list[dict[str, Any]] = []
    for leave in _overlapping(centre_id, start, end):
        span = leave.span
        row = {
            "staff_id": leave.staff_id,
            "kind": leave.kind,
            "start": span.start_at.isoformat(),
            "end": span.end_at.isoformat(),
            "status": leave.status,
            "certificate": "yes" if leave.certificate_provided else "no",
        }
        if leave.status == LeaveRequest.Status.APPROVED:
            excused_from, _gap = _excused_from(leave, policy)
            if excused_from is None:
                row["status"] = "pending" if _first_check_in(leave) is None else "rejected"
            else:
                row["start"] = excused_from.isoformat()
        rows.append(row)
    return rows


def cover_gaps(
    centre_id: int, start: date, end: date, *, policy: Policy | None = None
) -> list[dict[str, Any]]:
    """LEAVE-5: parts of approved leaves before the cover arrived — unauthorised absence (擅自离岗)."""
    policy = policy or current_policy(centre_id)
    out: list[dict[str, Any]] = []
    for leave in _overlapping(centre_id, start, end).filter(status=LeaveRequest.Status.APPROVED):
        _excused, gap = _excused_from(leave, policy)
        if gap is not None:
            out.append(
                {
                    "staff_id": leave.staff_id,
                    "leave_id": leave.pk,
                    "start": gap[0].isoformat(),
                    "end": gap[1].isoformat(),
                    "rule": "LEAVE-5",
                }
            )
    return out


def cover_candidates(*, staff: Any) -> list[tuple[Any, str]]:
    """Colleagues who may cover `staff` (LEAVE-5 顶岗): the other holder of each A/B post they hold first
    (ORG-3), then the rest of their unit's active staff; a chief representative's cover comes from the
    same unit. Each with a short note for the pick-list."""
    from servicehall.org.models import Post, Staff

    partners: dict[int, str] = {}
    for post in Post.objects.filter(unit__centre_id=staff.centre_id).filter(a_holder=staff).only("name"):
        partners.setdefault(post.b_holder_id, f"{post.name} B角")
    for post in Post.objects.filter(unit__centre_id=staff.centre_id).filter(b_holder=staff).only("name"):
        partners.setdefault(post.a_holder_id, f"{post.name} A角")
    colleagues = (
        Staff.objects.filter(centre_id=staff.centre_id, is_active=True)
        .exclude(pk=staff.pk)
        .filter(Q(unit_id=staff.unit_id) | Q(pk__in=list(partners)))
        .order_by("staff_no")
    )
    people = sorted(colleagues, key=lambda s: (s.pk not in partners, s.staff_no))
    return [(s, partners.get(s.pk, "同单位")) for s in people]
