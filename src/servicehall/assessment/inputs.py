"""The computed inputs of an assessment (EVAL-4): each read from its own domain, with links to the records.

Every reader returns (value per staff id, sources per staff id); a domain without data for a person gives
`None` for the 0–100 inputs (absent) and 0 for the counts.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from django.urls import NoReverseMatch, reverse

from servicehall.accountability.models import AccountabilityEvent, Criticism
from servicehall.accountability.selectors import events_in_period
from servicehall.assessment.scoring import Source
from servicehall.attendance.selectors import evaluate_staff_month
from servicehall.evaluation.selectors import ratings_for
from servicehall.inspections.selectors import counted_findings
from servicehall.org.models import Staff
from servicehall.study.models import RollCall, Session
from servicehall.workdays.calendar import YearNotLoaded

Values = dict[int, float | None]
Sources = dict[int, list[Source]]
EVENT_LINKS = {
    "supervision.card": ("supervision:card", "黄红牌"),
    "evaluation.complaint": ("evaluation:complaint", "投诉"),
    "inspections.finding": ("inspections:detail", "巡查记录"),
    "accountability.criticism": ("accountability:criticism_pdf", "通报"),
}


def _url(name: str, *args: Any) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _months(start: date, end: date) -> list[date]:
    out, cur = [], start.replace(day=1)
    while cur <= end:
        out.append(cur)
        cur = (cur + timedelta(days=32)).replace(day=1)
    return out


def attendance_inputs(
    staff: list[Staff], start: date, end: date, today: date
) -> tuple[Values, Values, Sources]:
    """Absence days and lates + early leaves of the period, linked to each month's attendance page."""
    absence: Values = dict.fromkeys((s.pk for s in staff), 0.0)
    lates: Values = dict.fromkeys((s.pk for s in staff), 0.0)
    links: Sources = defaultdict(list)
    if not staff:
        return absence, lates, links
    for first in _months(start, end):
        if first > today:
            break
        try:
            report = evaluate_staff_month(centre_id=staff[0].centre_id, staff=staff, month=first, today=today)
        except YearNotLoaded:
            continue
        for person, result in report.rows:
            absence[person.pk] = (absence[person.pk] or 0) + result.absence_days
            lates[person.pk] = (lates[person.pk] or 0) + result.lates + result.early_leaves
            if result.absence_days or result.lates or result.early_leaves:
                url = _url("attendance:staff_detail", person.pk) + f"?month={first:%Y-%m}"
                links[person.pk].append(Source(f"{first:%Y-%m} 考勤", url))
    return absence, lates, links


def event_inputs(centre_id: int, start: date, end: date, kind: str) -> tuple[Values, Sources]:
    """Counts of accountability events of one kind (cards, valid complaints) per person at fault."""
    counts: Values = defaultdict(float)
    links: Sources = defaultdict(list)
    for event in events_in_period(centre_id=centre_id, start=start, end=end).filter(kind=kind):
        if event.staff_id is None:
            continue
        counts[event.staff_id] = (counts[event.staff_id] or 0) + 1
        name, label = EVENT_LINKS.get(event.source_type, ("", event.get_kind_display()))
        url = _url(name, int(event.source_id)) if name and event.source_id.isdigit() else ""
        links[event.staff_id].append(Source(f"{event.occurred_on} {label}", url))
    return counts, links


def finding_inputs(staff_ids: list[int], start: date, end: date) -> tuple[Values, Sources]:
    counts: Values = defaultdict(float)
    links: Sources = defaultdict(list)
    for finding in counted_findings(staff_ids=staff_ids, start=start, end=end):
        counts[finding.staff_id] = (counts[finding.staff_id] or 0) + 1
        links[finding.staff_id].append(
            Source(
                f"{finding.found_at:%Y-%m-%d} {finding.prohibition_label}",
                _url("inspections:detail", finding.pk),
            )
        )
    return counts, links


def criticism_inputs(staff_ids: list[int], start: date, end: date) -> tuple[Values, Sources]:
    counts: Values = defaultdict(float)
    links: Sources = defaultdict(list)
    for c in Criticism.objects.filter(staff_id__in=staff_ids, issued_on__gte=start, issued_on__lte=end):
        counts[c.staff_id] = (counts[c.staff_id] or 0) + 1
        links[c.staff_id].append(Source(c.number, _url("accountability:criticism_pdf", c.pk)))
    return counts, links


def study_inputs(staff_ids: list[int], start: date, end: date) -> tuple[Values, Sources]:
    counts: Values = defaultdict(float)
    links: Sources = defaultdict(list)
    rows = RollCall.objects.filter(
        staff_id__in=staff_ids,
        status=RollCall.Status.ABSENT,
        session__kind=Session.Kind.STUDY,
        session__starts_at__date__gte=start,
        session__starts_at__date__lte=end,
    ).select_related("session")
    for row in rows:
        counts[row.staff_id] = (counts[row.staff_id] or 0) + 1
        links[row.staff_id].append(
            Source(
                f"{row.session.starts_at:%Y-%m-%d} {row.session.topic}", _url("study:detail", row.session_id)
            )
        )
    return counts, links


def satisfaction_inputs(viewer: Any, staff_ids: list[int], start: date, end: date) -> tuple[Values, Sources]:
    """Share of good ratings (好评率) ×100 per person; absent without ratings (EVAL-7)."""
    good: dict[int, int] = defaultdict(int)
    total: dict[int, int] = defaultdict(int)
    rows = (
        ratings_for(viewer=viewer)
        .filter(staff_id__in=staff_ids, rated_at__date__gte=start, rated_at__date__lte=end, overturned=False)
        .values_list("staff_id", "satisfied")
    )
    for staff_id, satisfied in rows:
        total[staff_id] += 1
        good[staff_id] += int(bool(satisfied))
    values: Values = {sid: round(100.0 * good[sid] / n, 2) for sid, n in total.items()}
    link = _url("evaluation:ratings")
    sources: Sources = {sid: [Source(f"{total[sid]} 条评价", link)] for sid in total}
    return values, sources


def event_kinds() -> tuple[str, str]:
    return AccountabilityEvent.Kind.CARD, AccountabilityEvent.Kind.COMPLAINT
