"""Working-day reads: `is_workday`, `add_working_days`, `working_days_between` over the calendar table.

The table is read once per process into a `WorkCalendar` and re-read when a row changes here
(signals) or after `CACHE_SECONDS`, so edits made by another worker show up within that time.
"""

from __future__ import annotations

import time
from datetime import date

from servicehall.workdays.calendar import WorkCalendar, complete_years
from servicehall.workdays.models import CalendarDay

CACHE_SECONDS = 60
_cache: dict[str, tuple[float, WorkCalendar]] = {}


def load_calendar() -> WorkCalendar:
    cached = _cache.get("calendar")
    if cached is not None and time.monotonic() - cached[0] < CACHE_SECONDS:
        return cached[1]
    days = dict(CalendarDay.objects.values_list("date", "kind"))
    calendar = WorkCalendar(days, years=complete_years(days))
    _cache["calendar"] = (time.monotonic(), calendar)
    return calendar


def forget_calendar() -> None:
    _cache.clear()


def is_workday(day: date) -> bool:
    return load_calendar().is_workday(day)


def add_working_days(day: date, n: int) -> date:
    return load_calendar().add_working_days(day, n)


def working_days_between(a: date, b: date) -> int:
    return load_calendar().working_days_between(a, b)


def loaded_years() -> list[int]:
    """Years of which every day is in the table (CASE-5 counts only on those without `--provisional`)."""
    return sorted(load_calendar().years)


def next_year_missing(today: date) -> int | None:
    """From 1 November, next year when its calendar is not loaded yet (the notice comes out Oct–Dec)."""
    wanted = today.year + 1
    if today.month < 11 or wanted in load_calendar().years:
        return None
    return wanted


def notice_diff(days: dict[date, str]) -> list[tuple[date, str | None, str]]:
    """(date, kind now in the table or None, kind after loading) for every date that would change."""
    current = dict(CalendarDay.objects.filter(date__in=list(days)).values_list("date", "kind"))
    return [(d, current.get(d), k) for d, k in sorted(days.items()) if current.get(d) != k]
