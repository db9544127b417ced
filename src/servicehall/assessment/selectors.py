"""Reads of assessment, scoped to the viewer (EVAL-4): window staff see their own sheet only."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from servicehall.assessment.models import Result, Round
from servicehall.core.roles import Role, role_of, staff_of, visible_unit_ids


def rounds_for(*, viewer: Any) -> QuerySet[Round]:
    me = staff_of(viewer)
    return Round.objects.filter(centre_id=me.centre_id) if me else Round.objects.none()


def results_for(*, viewer: Any, round_id: int) -> QuerySet[Result]:
    me = staff_of(viewer)
    if me is None:
        return Result.objects.none()
    qs = Result.objects.filter(round_id=round_id, centre_id=me.centre_id).select_related(
        "staff", "staff__unit"
    )
    if role_of(viewer) == Role.WINDOW_STAFF:
        return qs.filter(staff=me)
    units = visible_unit_ids(viewer, centre_id=me.centre_id)
    return qs if units is None else qs.filter(staff__unit_id__in=units)
