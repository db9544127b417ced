"""Reads of electronic supervision, scoped to the viewer (SUP-1, SUP-2, EVAL-4)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from servicehall.core.errors import NotFound
from servicehall.core.roles import Role
from servicehall.supervision.models import COUNTING_STATUSES, Card, FeeCharge

WHOLE_CENTRE = frozenset({Role.CENTRE_ADMIN, Role.SUPERVISOR, Role.AUDITOR})


def _day_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    return (
        timezone.make_aware(datetime.combine(first, time(0, 0))),
        timezone.make_aware(datetime.combine(last + timedelta(days=1), time(0, 0))),
    )


def cards_visible_to(*, viewer: Any) -> QuerySet[Card]:
    """The supervision office sees the centre; a chief rep their unit; window staff their own cards."""
    qs = Card.objects.filter(centre_id=viewer.centre_id).select_related(
        "case", "unit", "window", "responsible"
    )
    if viewer.role in WHOLE_CENTRE:
        return qs
    if viewer.role == Role.CHIEF_REP:
        return qs.filter(unit_id=viewer.unit_id)
    return qs.filter(responsible=viewer)


def get_card(*, viewer: Any, card_id: int) -> Card:
    card = cards_visible_to(viewer=viewer).filter(pk=card_id).first()
    if card is None:
        raise NotFound("监察牌不存在", card_id=card_id)
    return card


def cards_raised_on(*, viewer: Any, day: date) -> QuerySet[Card]:
    start, end = _day_bounds(day, day)
    return cards_visible_to(viewer=viewer).filter(raised_at__gte=start, raised_at__lt=end)


def card_counts(*, centre_id: int, first: date, last: date) -> dict[int, dict[str, int]]:
    """Counting cards (not withdrawn) per unit raised in [first, last]: {unit_id: {yellow, red}}."""
    start, end = _day_bounds(first, last)
    rows = (
        Card.objects.filter(
            centre_id=centre_id, raised_at__gte=start, raised_at__lt=end, status__in=COUNTING_STATUSES
        )
        .values("unit_id")
        .annotate(yellow=Count("id", filter=Q(colour="yellow")), red=Count("id", filter=Q(colour="red")))
    )
    out: dict[int, dict[str, int]] = defaultdict(lambda: {"yellow": 0, "red": 0})
    for row in rows:
        out[row["unit_id"]] = {"yellow": row["yellow"], "red": row["red"]}
    return out


def fees_visible_to(*, viewer: Any) -> QuerySet[FeeCharge]:
    qs = FeeCharge.objects.filter(centre_id=viewer.centre_id).select_related(
        "case", "unit", "window", "charged_by"
    )
    if viewer.role in WHOLE_CENTRE:
        return qs
    if viewer.role == Role.CHIEF_REP:
        return qs.filter(unit_id=viewer.unit_id)
    return qs.filter(charged_by=viewer)
