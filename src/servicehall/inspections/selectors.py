"""Reads of inspection findings, scoped to the viewer (EVAL-3)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import QuerySet

from servicehall.core.roles import Role, role_of, staff_of, visible_unit_ids
from servicehall.inspections.models import Finding


def findings_for(*, viewer: Any, centre_id: int) -> QuerySet[Finding]:
    """Centre roles see all findings, chief reps their unit's, window staff their own."""
    qs = Finding.objects.filter(centre_id=centre_id).select_related("staff", "staff__unit", "window")
    if role_of(viewer) == Role.WINDOW_STAFF:
        me = staff_of(viewer)
        return qs.filter(staff_id=me.pk if me else -1)
    units = visible_unit_ids(viewer, centre_id=centre_id)
    return qs if units is None else qs.filter(staff__unit_id__in=units)


def counted_findings(*, staff_ids: list[int], start: date, end: date) -> QuerySet[Finding]:
    """Findings that count (not overturned) dated start..end, for the assessment (EVAL-4)."""
    return Finding.objects.filter(
        staff_id__in=staff_ids, found_at__date__gte=start, found_at__date__lte=end
    ).exclude(status=Finding.Status.OVERTURNED)
