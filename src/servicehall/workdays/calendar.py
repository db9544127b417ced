"""Working-day arithmetic over a loaded calendar (工作日历): holidays and 调休 make-up workdays.

Pure Python, no Django: the deadline clock (CASE-5) and the attendance engine (ATT-1) take a
`WorkCalendar` built from the database table (`workdays.selectors.load_calendar`) or from a dict in tests.
A date in a year that is not loaded raises `YearNotLoaded`: we never guess silently. A caller that
must not stop (a case accepted in December whose limit crosses into a year whose notice is not loaded)
asks for `with_provisional_years()`: unloaded years are then counted on weekdays only, with 1 January
always a holiday, and the caller marks its result provisional (`provisional_years_between`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from enum import StrEnum

from servicehall.core.errors import DomainError


class DayKind(StrEnum):
    WORKDAY = "workday"  # 工作日
    REST = "rest"  # 休息日 (an ordinary weekend day)
    HOLIDAY = "holiday"  # 法定节假日 (statutory holiday, including the weekend days it absorbs)
    MAKEUP_WORKDAY = "makeup"  # 调休上班日 (a weekend day that is worked)


WORKING_KINDS = frozenset({DayKind.WORKDAY, DayKind.MAKEUP_WORKDAY})


class YearNotLoaded(DomainError):
    """The calendar has no data for this year; a centre loads the State Council notice first."""

    code = "year_not_loaded"

    def __init__(self, year: int, loaded: Iterable[int] = ()) -> None:
        years = sorted(set(loaded))
        known = f"{years[0]}–{years[-1]}" if years else "none"
        super().__init__(
            f"{year} 年的工作日历未加载 (calendar year {year} is not loaded; loaded years: {known}). "
            f"Load the State Council notice with `servicehall workdays load-notice FILE` "
            f"(or on the calendar page), or run `servicehall workdays refresh` after upgrading chinesecalendar.",
            year=year,
        )
        self.year = year


PROVISIONAL_RULE = "CASE-5 暂定：未加载年份按周一至周五计工作日，1月1日视为节假日"


def provisional_kind(day: date) -> DayKind:
    """A day of a year whose notice is not loaded: weekdays work, 1 January is always off."""
    if day.month == 1 and day.day == 1:
        return DayKind.HOLIDAY
    return DayKind.WORKDAY if day.weekday() < 5 else DayKind.REST


def complete_years(days: Iterable[date]) -> frozenset[int]:
    """Years of which every day is listed: only those count as loaded (one imported row is not a year)."""
    counts: dict[int, int] = {}
    for day in days:
        counts[day.year] = counts.get(day.year, 0) + 1
    return frozenset(y for y, n in counts.items() if n == (date(y + 1, 1, 1) - date(y, 1, 1)).days)


class WorkCalendar:
    """Only the `years` given are known (by default every year with a listed day; the database
    calendar passes only the complete years, see `complete_years`).

    Days of a loaded year that are not listed default by weekday (Mon–Fri work), so a test calendar
    need list only holidays and make-up days; the table stores every day.
    """

    provisional = False

    def __init__(self, days: Mapping[date, DayKind | str], years: Iterable[int] | None = None) -> None:
        self._days = {d: DayKind(k) for d, k in days.items()}
        self.years = frozenset(years) if years is not None else frozenset(d.year for d in self._days)

    def with_provisional_years(self) -> WorkCalendar:
        """The same calendar, answering unloaded years provisionally instead of raising (CASE-5)."""
        lenient = WorkCalendar.__new__(WorkCalendar)
        lenient._days, lenient.years, lenient.provisional = self._days, self.years, True
        return lenient

    def provisional_years_between(self, first: date, last: date) -> tuple[int, ...]:
        """Years from `first` to `last` that are not loaded: a result counted over them is provisional."""
        low, high = sorted((first.year, last.year))
        return tuple(y for y in range(low, high + 1) if y not in self.years)

    def kind(self, day: date) -> DayKind:
        if day.year not in self.years:
            if self.provisional:
                return provisional_kind(day)
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
