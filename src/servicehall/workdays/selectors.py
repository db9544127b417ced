"""Working-day reads: `is_workday`, `add_working_days`, `working_days_between` over the calendar table.

The table is read once per process into a `WorkCalendar` and re-read when a row changes here
(signals) or after `CACHE_SECONDS`, so edits made by another worker show up within that time.
"""

from __future__ import annotations

import time
from datetime import date

from servicehall.workdays.calendar import WorkCalendar
from servicehall.workdays.models import CalendarDay

CACHE_SECONDS = 60
_cache: dict[str, tuple[float, WorkCalendar]] = {}


def load_calendar() -> WorkCalendar:
    cached = _cache.get("calendar")
    if cached is not None and time.monotonic() - cached[0] < CACHE_SECONDS:
        return cached[1]
    calendar = WorkCalendar(dict(CalendarDay.objects.values_list("date", "kind")))
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
    return sorted(load_calendar().years)
