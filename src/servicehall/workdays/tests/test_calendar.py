"""Working-day arithmetic on a hand-made calendar: no database, no package data."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from servicehall.workdays.calendar import DayKind, WorkCalendar, YearNotLoaded

# 2025 National Day: Oct 1–8 off; Sun Sep 28 and Sat Oct 11 are make-up workdays.
NATIONAL_DAY_2025 = {
    **{date(2025, 10, d): DayKind.HOLIDAY for d in range(1, 9)},
    date(2025, 9, 28): DayKind.MAKEUP_WORKDAY,
    date(2025, 10, 11): DayKind.MAKEUP_WORKDAY,
}
CAL = WorkCalendar(NATIONAL_DAY_2025, years=[2025])


def test_add_working_days__across_national_day__lands_after_the_holiday():
    assert CAL.add_working_days(date(2025, 9, 30), 1) == date(2025, 10, 9)


def test_add_working_days__makeup_saturday__counts_as_working_day():
    assert CAL.add_working_days(date(2025, 10, 10), 1) == date(2025, 10, 11)
    assert CAL.add_working_days(date(2025, 9, 26), 1) == date(2025, 9, 28)


def test_add_working_days__ordinary_weekend__skipped():
    assert CAL.add_working_days(date(2025, 3, 7), 1) == date(2025, 3, 10)


def test_add_zero_days__same_date():
    assert CAL.add_working_days(date(2025, 10, 3), 0) == date(2025, 10, 3)


def test_working_days_between__excludes_start_includes_end():
    assert CAL.working_days_between(date(2025, 9, 30), date(2025, 10, 9)) == 1
    assert CAL.working_days_between(date(2025, 10, 9), date(2025, 9, 30)) == -1
    # Sep 28 (make-up), 29, 30, Oct 9, 10, 11 (make-up)
    assert CAL.working_days_between(date(2025, 9, 26), date(2025, 10, 12)) == 6


def test_kind__unlisted_days_default_by_weekday():
    assert CAL.kind(date(2025, 3, 8)) == DayKind.REST
    assert CAL.kind(date(2025, 3, 10)) == DayKind.WORKDAY


def test_year_not_loaded__names_the_year():
    with pytest.raises(YearNotLoaded) as err:
        CAL.is_workday(date(2027, 1, 4))
    assert err.value.year == 2027
    assert "2027" in str(err.value)


def test_add_working_days__running_into_unloaded_year__refused_not_guessed():
    with pytest.raises(YearNotLoaded):
        CAL.add_working_days(date(2025, 12, 30), 5)


@given(start=st.dates(date(2025, 1, 1), date(2025, 11, 30)), n=st.integers(0, 20))
def test_add_then_between__round_trips(start: date, n: int):
    end = CAL.add_working_days(start, n)
    assert CAL.working_days_between(start, end) == n
    assert n == 0 or CAL.is_workday(end)
