"""Reads of 帮办代办 and 上门服务 (Q-2, CASE-9), scoped to the viewer through the access matrix."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q, QuerySet

from servicehall.core import access
from servicehall.core.errors import NotFound
from servicehall.core.roles import staff_of
from servicehall.queue.models import Appointment, AssistRecord, HomeVisit
from servicehall.queue.visit_services import visit_target


def _scoped(viewer: Any) -> Q | None:
    """The filter of `visits.read` for the viewer; None = nothing."""
    staff = staff_of(viewer)
    scope = access.scope_for(viewer, "visits", "read")
    if scope == access.Scope.ALL:
        return Q()
    if staff is None or scope == access.Scope.NONE:
        return None
    mine = Q(appointment__centre_id=staff.centre_id)
    if scope == access.Scope.OWN_UNIT:
        return mine & Q(appointment__item__unit_id=staff.unit_id)
    if scope == access.Scope.OWN:
        return mine & (Q(assigned_staff=staff) | Q(requested_by=staff))
    return mine


def home_visits(*, viewer: Any, status: str = "") -> QuerySet[HomeVisit]:
    """Home visits the viewer may see, open requests first."""
    where = _scoped(viewer)
    if where is None:
        return HomeVisit.objects.none()
    qs = HomeVisit.objects.filter(where).select_related(
        "appointment", "appointment__item", "appointment__item__unit", "assigned_staff", "decided_by", "case"
    )
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("status", "appointment__day", "id")


def home_visit(*, viewer: Any, visit_id: int) -> HomeVisit:
    visit = home_visits(viewer=viewer).filter(pk=visit_id).first()
    if visit is None or not access.allows(viewer, "visits", "read", visit_target(visit)):
        raise NotFound("上门服务申请不存在或无权查看", visit_id=visit_id)
    return visit


def assisted_appointments(*, viewer: Any, day: date) -> QuerySet[Appointment]:
    """帮办代办 bookings of a day in the viewer's centre (the hall prepares a helper for each)."""
    staff = staff_of(viewer)
    if staff is None:
        return Appointment.objects.none()
    return (
        Appointment.objects.filter(centre_id=staff.centre_id, kind=Appointment.Kind.ASSISTED, day=day)
        .select_related("line", "item")
        .order_by("slot_start", "id")
    )


def assist_records(*, viewer: Any, limit: int = 50) -> QuerySet[AssistRecord]:
    staff = staff_of(viewer)
    if staff is None:
        return AssistRecord.objects.none()
    return (
        AssistRecord.objects.filter(case__centre_id=staff.centre_id)
        .select_related("case", "helper", "appointment")
        .order_by("-at", "-id")[:limit]
    )


def may(viewer: Any, action: str, visit: HomeVisit) -> bool:
    return access.allows(viewer, "visits", action, visit_target(visit))
