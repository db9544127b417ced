"""Reads of accountability events, for the bonus and the assessment."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet

from servicehall.accountability.models import AccountabilityEvent


def events_in_period(*, centre_id: int, start: date, end: date) -> QuerySet[AccountabilityEvent]:
    """Events that count (not withdrawn) with start <= occurred_on <= end, oldest first."""
    return AccountabilityEvent.objects.filter(
        centre_id=centre_id, occurred_on__gte=start, occurred_on__lte=end, withdrawn=False
    ).select_related("staff", "unit", "window")
