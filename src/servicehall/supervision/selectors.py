"""Reads of electronic supervision, scoped to the viewer (SUP-1, SUP-2, EVAL-4)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from servicehall.core.errors import NotFound
from servicehall.core.roles import Role
from servicehall.supervision.models import COUNTING_STATUSES, Card, FeeCharge
from servicehall.supervision.ranking import Period, UnitStats, score_units

WHOLE_CENTRE = frozenset({Role.CENTRE_ADMIN, Role.SUPERVISOR, Role.AUDITOR})


def day_bounds(first: date, last: date) -> tuple[datetime, datetime]:
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
    start, end = day_bounds(day, day)
    return cards_visible_to(viewer=viewer).filter(raised_at__gte=start, raised_at__lt=end)


def card_counts(*, centre_id: int, first: date, last: date) -> dict[int, dict[str, int]]:
    """Counting cards (not withdrawn) per unit raised in [first, last]: {unit_id: {yellow, red}}."""
    start, end = day_bounds(first, last)
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


def unit_ranking(*, centre_id: int, period: Period) -> dict[str, Any]:
    """Scores per unit and per window for a month or quarter (篇6 §29–30, EVAL-4), with the policy used."""
    from servicehall.cases.calendars import centre_calendar
    from servicehall.cases.enums import CaseStatus
    from servicehall.cases.models import Case
    from servicehall.org.models import Unit, Window
    from servicehall.policy_versions.selectors import policy_for_centre
    from servicehall.supervision.models import LeaderOfficeDay
    from servicehall.workdays.calendar import YearNotLoaded

    policy = policy_for_centre(centre_id=centre_id, on=period.last)
    start, end = day_bounds(period.first, period.last)
    units = {u.pk: UnitStats(u.pk, u.short_name or u.name) for u in Unit.objects.filter(centre_id=centre_id)}
    windows = {
        w.pk: UnitStats(w.pk, f"{w.number}号窗口 {w.name}", is_unit=False)
        for w in Window.objects.filter(centre_id=centre_id).order_by("number")
    }
    cards = Card.objects.filter(
        centre_id=centre_id, raised_at__gte=start, raised_at__lt=end, status__in=COUNTING_STATUSES
    ).values_list("unit_id", "window_id", "colour")
    for unit_id, window_id, colour in cards:
        for stats in (units.get(unit_id), windows.get(window_id)):
            if stats is not None:
                setattr(stats, colour, getattr(stats, colour) + 1)
    calendar = centre_calendar()
    concluded = Case.objects.filter(
        centre_id=centre_id,
        concluded_at__gte=start,
        concluded_at__lt=end,
        status__in=(CaseStatus.DONE, CaseStatus.DELIVERED),
        accepted_at__isnull=False,
    ).values_list("item__unit_id", "window_id", "accepted_at", "concluded_at", "due_on")
    for unit_id, window_id, accepted_at, concluded_at, due_on in concluded:
        done_day = timezone.localtime(concluded_at).date()
        try:
            days = calendar.working_days_between(timezone.localtime(accepted_at).date(), done_day)
        except YearNotLoaded:
            days = None
        for stats in (units.get(unit_id), windows.get(window_id)):
            if stats is None:
                continue
            stats.concluded += 1
            stats.on_time += int(due_on is None or done_day <= due_on)
            if days is not None:
                stats.handling_working_days.append(days)
    for unit_id, on in LeaderOfficeDay.objects.filter(
        centre_id=centre_id, on__gte=period.first, on__lte=period.last
    ).values_list("unit_id", "on"):
        if unit_id in units:
            key = (on.year, on.month)
            units[unit_id].leader_days_by_month[key] = units[unit_id].leader_days_by_month.get(key, 0) + 1
    sup = policy.supervision
    kwargs: dict[str, Any] = {
        "weights": sup.ranking_weights,
        "leader_days_per_month": sup.leader_office_days_per_month,
    }
    return {
        "period": period,
        "policy": policy.ref,
        "weights": sup.ranking_weights,
        "leader_days_per_month": sup.leader_office_days_per_month,
        "units": score_units(list(units.values()), period, **kwargs),
        "windows": score_units(list(windows.values()), period, **kwargs),
    }


def fee_ledger(*, viewer: Any, day: date) -> dict[str, Any]:
    """The day's fees (收费台账, 篇1 §七.7) with totals per window and per unit."""
    start, end = day_bounds(day, day)
    fees = list(
        fees_visible_to(viewer=viewer)
        .filter(charged_at__gte=start, charged_at__lt=end)
        .order_by("charged_at")
    )
    by_window: dict[str, Decimal] = defaultdict(Decimal)
    by_unit: dict[str, Decimal] = defaultdict(Decimal)
    for fee in fees:
        by_window[f"{fee.window.number}号窗口" if fee.window else "（无窗口）"] += fee.amount
        by_unit[str(fee.unit)] += fee.amount
    return {
        "day": day,
        "fees": fees,
        "by_window": sorted(by_window.items()),
        "by_unit": sorted(by_unit.items()),
        "total": sum((f.amount for f in fees), Decimal(0)),
        "off_schedule": sum(1 for f in fees if not f.on_schedule),
    }
