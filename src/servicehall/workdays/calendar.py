"""Working-day arithmetic over a loaded calendar (工作日历): holidays and 调休 make-up workdays.

Pure Python, no Django: the deadline clock (CASE-5) and the attendance engine (ATT-1) take a
`WorkCalendar` built from the database table (`workdays.selectors.load_calendar`) or from a dict in tests.
A date in a year that is not loaded raises `YearNotLoaded`: we never guess.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from enum import StrEnum

from servicehall.core.errors import DomainError
from servicehall.workdays.errors import YearNotLoaded

__all__ = ["WORKING_KINDS", "DayKind", "WorkCalendar", "YearNotLoaded"]


class DayKind(StrEnum):
    WORKDAY = "workday"  # 工作日
    REST = "rest"  # 休息日 (an ordinary weekend day)
    HOLIDAY = "holiday"  # 法定节假日 (statutory holiday, including the weekend days it absorbs)
    MAKEUP_WORKDAY = "makeup"  # 调休上班日 (a weekend day that is worked)


WORKING_KINDS = frozenset({DayKind.WORKDAY, DayKind.MAKEUP_WORKDAY})


class WorkCalendar:
    """Only explicitly listed days are known; a year counts as loaded when any of its days is listed.

    Days of a loaded year that are not listed default by weekday (Mon–Fri work), so a table need
    store only holidays and make-up days; `servicehall workdays seed` stores every day anyway.
    """

    def __init__(self, days: Mapping[date, DayKind | str], years: Iterable[int] | None = None) -> None:
        self._days = {d: DayKind(k) for d, k in days.items()}
        self.years = frozenset(years) if years is not None else frozenset(d.year for d in self._days)

    def kind(self, day: date) -> DayKind:
        if day.year not in self.years:
            raise YearNotLoaded(day.year, self.years)
        found = self._days.get(day)
        if found is not None:
            return found
        return DayKind.WORKDAY if day.weekday() < 5 else DayKind.REST

    def is_workday(self, day: date) -> bool:
        return self.kind(day) in WORKING_KINDS

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after `start` (start itself not counted); n=0 gives `start`."""
        if n < 0:
            raise DomainError("working days to add must not be negative", n=n)
        day = start
        while n > 0:
            day += timedelta(days=1)
            if self.is_workday(day):
                n -= 1
        return day

    def next_workday(self, day: date, *, include_self: bool = True) -> date:
        if not include_self:
            day += timedelta(days=1)
        while not self.is_workday(day):
            day += timedelta(days=1)
        return day

    def working_days_between(self, a: date, b: date) -> int:
        """Working days in (a, b]: how many working days `b` lies after `a` (negative if b < a)."""
        if b < a:
            return -self.working_days_between(b, a)
        count, day = 0, a
        while day < b:
            day += timedelta(days=1)
            if self.is_workday(day):
                count += 1
        return count

    def workdays_in(self, first: date, last: date) -> list[date]:
        """Working days from `first` to `last`, both included."""
        out, day = [], first
        while day <= last:
            if self.is_workday(day):
                out.append(day)
            day += timedelta(days=1)
        return out
