"""Working-day calendars for the attendance engine without a database (命令行/基准测试用). Django-free.

`calendar_from_chinese_calendar(years)` builds a `WorkCalendar` from the `chinesecalendar` package
(State Council holiday notices: holidays and 调休 make-up workdays).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from servicehall.workdays.calendar import WorkCalendar
from servicehall.workdays.chinese_calendar_source import day_kinds, known_years


def calendar_from_chinese_calendar(years: Iterable[int]) -> WorkCalendar:
    """A calendar of `years` from the chinesecalendar package; years it does not know stay unloaded."""
    known = known_years()
    wanted = sorted({y for y in years if y in known})
    days = {}
    for year in wanted:
        days.update(day_kinds(range(year, year + 1)))
    return WorkCalendar(days, years=wanted)


def calendar_for_months(months: Iterable[date]) -> WorkCalendar:
    """The chinesecalendar calendar of the years `months` fall in (plus neighbours for leaves across New Year)."""
    years = set()
    for m in months:
        years.update({m.year - 1, m.year, m.year + 1})
    return calendar_from_chinese_calendar(years)
