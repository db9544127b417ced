"""Read the `chinesecalendar` package (State Council holiday notices) into plain day kinds. Django-free."""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar

from servicehall.workdays.calendar import DayKind, WorkCalendar


def package_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("chinesecalendar")
    except PackageNotFoundError:
        return "?"


def known_years() -> range:
    years = [d.year for d in chinese_calendar.holidays] + [d.year for d in chinese_calendar.workdays]
    return range(min(years), max(years) + 1)


def day_kinds(years: range | None = None) -> dict[date, DayKind]:
    """Every day of `years` (default: all the package knows) with its kind."""
    years = years or known_years()
    out: dict[date, DayKind] = {}
    day, end = date(years.start, 1, 1), date(years.stop, 1, 1)
    while day < end:
        if day in chinese_calendar.holidays:
            out[day] = DayKind.HOLIDAY
        elif day in chinese_calendar.workdays and day.weekday() >= 5:
            out[day] = DayKind.MAKEUP_WORKDAY
        else:
            out[day] = DayKind.WORKDAY if day.weekday() < 5 else DayKind.REST
        day += timedelta(days=1)
    return out


def calendar_from_package() -> WorkCalendar:
    """A calendar straight from the package, for command-line use without a database."""
    return WorkCalendar(day_kinds())
