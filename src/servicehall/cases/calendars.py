"""Where the deadline clock gets its working-day calendar (工作日历) from.

The centre's calendar table (`workdays.selectors.load_calendar`) when it is set up and holds data;
otherwise the State Council holiday notices as shipped in the `chinesecalendar` package.
"""

from __future__ import annotations

from functools import cache

from servicehall.workdays.calendar import WorkCalendar
from servicehall.workdays.chinese_calendar_source import calendar_from_package


@cache
def package_calendar() -> WorkCalendar:
    """Every year the `chinesecalendar` package knows, as a `WorkCalendar` (Django-free)."""
    return calendar_from_package()


def centre_calendar() -> WorkCalendar:
    """The database calendar if it has any year loaded, else the package calendar."""
    try:
        from servicehall.workdays.selectors import load_calendar

        calendar = load_calendar()
    except Exception:  # no table yet (fresh database) or the app is not set up: fall back
        return package_calendar()
    return calendar if calendar.years else package_calendar()
