"""Where the deadline clock gets its working-day calendar (工作日历) from.

The centre's calendar table (`workdays.selectors.load_calendar`) when it is set up and holds data;
otherwise the State Council holiday notices as shipped in the `chinesecalendar` package.
"""

from __future__ import annotations

import importlib
from datetime import date, timedelta
from functools import cache

from servicehall.workdays.calendar import DayKind, WorkCalendar


@cache
def package_calendar() -> WorkCalendar:
    """Every year the `chinesecalendar` package knows, as a `WorkCalendar` (Django-free)."""
    try:
        source = importlib.import_module("servicehall.workdays.chinese_calendar_source")
        return source.calendar_from_package()
    except (ImportError, AttributeError):
        pass
    import chinese_calendar

    known = {d.year for d in chinese_calendar.holidays} | {d.year for d in chinese_calendar.workdays}
    days: dict[date, DayKind] = {}
    day, end = date(min(known), 1, 1), date(max(known) + 1, 1, 1)
    while day < end:
        if day in chinese_calendar.holidays:
            days[day] = DayKind.HOLIDAY
        elif day in chinese_calendar.workdays and day.weekday() >= 5:
            days[day] = DayKind.MAKEUP_WORKDAY
        elif day.weekday() < 5:
            days[day] = DayKind.WORKDAY
        day += timedelta(days=1)
    return WorkCalendar(days, years=known)


def centre_calendar() -> WorkCalendar:
    """The database calendar if it has any year loaded, else the package calendar."""
    try:
        from servicehall.workdays.selectors import load_calendar

        calendar = load_calendar()
    except Exception:  # no table yet (fresh database) or the app is not set up: fall back
        return package_calendar()
    return calendar if calendar.years else package_calendar()
