"""Working-day calendar errors (工作日历). Django-free: the pure calendar raises them."""

from __future__ import annotations

from collections.abc import Iterable

from servicehall.core.errors import DomainError


class YearNotLoaded(DomainError):
    """The calendar has no data for this year; a centre loads the State Council notice first."""

    code = "year_not_loaded"

    def __init__(self, year: int, loaded: Iterable[int] = ()) -> None:
        years = sorted(set(loaded))
        known = f"{years[0]}–{years[-1]}" if years else "none"
        super().__init__(
            f"{year} 年的工作日历未加载 (calendar year {year} is not loaded; loaded years: {known}). "
            f"Add it with `servicehall workdays import` or in the admin.",
            year=year,
        )
        self.year = year
