"""Reads of rotation: applications and the posting history of a staff record (ORG-5)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from servicehall.core.errors import Forbidden
from servicehall.core.roles import Role, staff_of
from servicehall.org.models import Staff
from servicehall.rotation.models import Application, Posting


def applications_for(*, viewer: Any) -> QuerySet[Application]:
    me = staff_of(viewer)
    if me is None:
        return Application.objects.none()
    qs = Application.objects.filter(centre_id=me.centre_id).select_related("unit", "outgoing", "incoming")
    if me.role in (Role.CENTRE_ADMIN, Role.SUPERVISOR, Role.AUDITOR):
        return qs
    return qs.filter(unit_id=me.unit_id)


def posting_history(*, viewer: Any, staff: Staff) -> list[Posting]:
    """The staff record's posting history, oldest first (the open posting included)."""
    me = staff_of(viewer)
    if me is None or me.centre_id != staff.centre_id:
        raise Forbidden("无权查看")
    if me.role not in (Role.CENTRE_ADMIN, Role.SUPERVISOR, Role.AUDITOR) and me.unit_id != staff.unit_id:
        raise Forbidden("无权查看")
    rows = list(Posting.objects.filter(staff=staff).order_by("started_on"))
    if not rows and staff.posted_from:
        rows = [
            Posting(  # type: ignore[misc]  # Optional narrowing left to the domain's owner
                centre_id=staff.centre_id, staff=staff, unit_id=staff.unit_id, started_on=staff.posted_from
            )
        ]
    return rows
