"""CASE-5 deadline clock: pure tests on hand-written calendars (no database)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import chinese_calendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from servicehall.cases.calendars import package_calendar
from servicehall.cases.deadlines import Extension, Pause, check_extension, due_at, working_days_left
from servicehall.core.errors import InputError, RuleViolation
from servicehall.workdays.calendar import DayKind, WorkCalendar, YearNotLoaded


def _holidays(first: date, last: date) -> dict[date, DayKind]:
    out, day = {}, first
    while day <= last:
        out[day] = DayKind.HOLIDAY
        day += timedelta(days=1)
    return out


# State Council notices: 2025 National Day + Mid-Autumn Oct 1–8 off, Sun Sep 28 and Sat Oct 11 worked;
# 2026 National Day Oct 1–7 off, Sun Sep 20 and Sat Oct 10 worked.
CAL = WorkCalendar(
    {
        **_holidays(date(2025, 10, 1), date(2025, 10, 8)),
        date(2025, 9, 28): DayKind.MAKEUP_WORKDAY,
        date(2025, 10, 11): DayKind.MAKEUP_WORKDAY,
        **_holidays(date(2026, 10, 1), date(2026, 10, 7)),
        date(2026, 9, 20): DayKind.MAKEUP_WORKDAY,
        date(2026, 10, 10): DayKind.MAKEUP_WORKDAY,
    }
)
CLOSING = time(18, 0)


def due(accepted: str, days: int, pauses=(), extensions=(), closing=CLOSING) -> date:
    return due_at(datetime.fromisoformat(accepted), days, pauses, extensions, CAL, closing=closing)


def test_calendar_fixture_matches_chinesecalendar_package():
    for day in [date(2025, 9, 28), date(2025, 10, 11), date(2026, 9, 20), date(2026, 10, 10)]:
        assert chinese_calendar.is_workday(day), day
    for day in [date(2025, 10, 1), date(2025, 10, 8), date(2026, 10, 1), date(2026, 10, 7)]:
        assert not chinese_calendar.is_workday(day), day
    pkg = package_calendar()
    for day in [date(2025, 9, 27) + timedelta(days=i) for i in range(20)]:
        assert pkg.is_workday(day) == CAL.is_workday(day), day


def test_case_5__accepted_before_national_day_2025__one_day_lands_after_the_holiday():
    assert due("2025-09-30 10:00", 1) == date(2025, 10, 9)


def test_case_5__accepted_day_itself_not_counted():
    assert due("2025-09-22 09:00", 1) == date(2025, 9, 23)  # Mon → Tue


def test_case_5__accepted_after_closing_time__counts_from_next_working_day():
    assert due("2025-09-30 18:00", 1) == date(2025, 10, 10)
    assert due("2025-09-30 17:59", 1) == date(2025, 10, 9)


def test_case_5__closing_time_is_a_policy_value():
    assert due("2025-09-22 17:30", 1, closing=time(17, 0)) == date(2025, 9, 24)
    assert due("2025-09-22 17:30", 1, closing=time(18, 0)) == date(2025, 9, 23)


def test_case_5__accepted_on_a_holiday__counts_from_next_working_day():
    assert due("2025-10-03 10:00", 1) == date(2025, 10, 10)


def test_case_5__accepted_on_makeup_workday_sunday__is_a_working_acceptance():
    # Sun Sep 28 2025 is worked: day 1 is Mon Sep 29.
    assert due("2025-09-28 10:00", 1) == date(2025, 9, 29)


def test_case_5__makeup_saturday_counts_as_a_working_day():
    # Thu Oct 9 +1 = Fri Oct 10, +2 = Sat Oct 11 (make-up), +3 = Mon Oct 13.
    assert due("2025-10-09 10:00", 2) == date(2025, 10, 11)
    assert due("2025-10-09 10:00", 3) == date(2025, 10, 13)


def test_case_5__five_days_across_2026_national_day():
    # Wed Sep 30 → Thu Oct 8, Fri Oct 9, Sat Oct 10 (make-up), Mon Oct 12, Tue Oct 13.
    assert due("2026-09-30 10:00", 5) == date(2026, 10, 13)


def test_case_5__2026_makeup_sunday_sep_20_counts():
    # Fri Sep 18 → Sun Sep 20 (make-up) is day 1.
    assert due("2026-09-18 10:00", 1) == date(2026, 9, 20)


def test_case_5__immediate_item_zero_days__due_on_acceptance_day():
    assert due("2025-09-30 10:00", 0) == date(2025, 9, 30)
    assert due("2025-09-30 19:00", 0) == date(2025, 10, 9)


def test_case_5__pause_on_working_days_moves_due_date():
    # Mon Sep 15 + 3 = Thu Sep 18; pausing Tue–Wed adds two working days → Mon Sep 22.
    pause = Pause(date(2025, 9, 16), date(2025, 9, 17))
    assert due("2025-09-15 09:00", 3) == date(2025, 9, 18)
    assert due("2025-09-15 09:00", 3, [pause]) == date(2025, 9, 22)


def test_case_5__pause_before_makeup_sunday__due_on_the_makeup_day():
    # Mon Sep 22 + 3 with Tue–Wed paused: Thu 25, Fri 26, Sun 28 (make-up workday).
    pause = Pause(date(2025, 9, 23), date(2025, 9, 24))
    assert due("2025-09-22 09:00", 3, [pause]) == date(2025, 9, 28)


def test_case_5__pause_lying_on_holidays_changes_nothing():
    pause = Pause(date(2025, 10, 1), date(2025, 10, 8))
    assert due("2025-09-30 10:00", 1, [pause]) == date(2025, 10, 9)


def test_case_5__pause_spanning_holiday_and_makeup_day():
    # Pause Sep 29 – Oct 11 covers Mon/Tue, the holiday and the make-up Saturday: counting starts Oct 13.
    pause = Pause(date(2025, 9, 29), date(2025, 10, 11))
    assert due("2025-09-26 10:00", 1, [pause]) == date(2025, 9, 28)  # make-up Sunday before the pause
    assert due("2025-09-26 10:00", 2, [pause]) == date(2025, 10, 13)


def test_case_5__overlapping_pauses_count_once():
    a, b = Pause(date(2025, 9, 23), date(2025, 9, 24)), Pause(date(2025, 9, 24), date(2025, 9, 25))
    assert due("2025-09-22 09:00", 1, [a, b]) == date(2025, 9, 26)


def test_case_5__extension_across_holiday_and_makeup_day():
    # Sep 30 + 1 = Oct 9; +2 more working days: Oct 10, Sat Oct 11 (make-up).
    assert due("2025-09-30 10:00", 1, extensions=[Extension(2, "专家评审", True)]) == date(2025, 10, 11)
    assert due("2025-09-30 10:00", 1, extensions=[1, 1]) == date(2025, 10, 11)


def test_case_5__pause_and_extension_together_2026():
    pause = Pause(date(2026, 10, 8), date(2026, 10, 9))
    assert due("2026-09-30 10:00", 5, [pause], [2]) == date(2026, 10, 19)


def test_case_5__acceptance_inside_pause_for_immediate_item():
    assert due("2025-09-22 09:00", 0, [Pause(date(2025, 9, 22), date(2025, 9, 23))]) == date(2025, 9, 24)


def test_case_5__year_not_loaded__refused_not_guessed():
    with pytest.raises(YearNotLoaded):
        due("2026-12-28 10:00", 5)


def test_case_5__negative_limit__input_error():
    with pytest.raises(InputError):
        due("2025-09-22 09:00", -1)


def test_case_5__pause_end_before_start__input_error():
    with pytest.raises(InputError):
        Pause(date(2025, 9, 24), date(2025, 9, 23))


def test_case_5__extension_without_reason__refused():
    with pytest.raises(RuleViolation) as err:
        check_extension(days=2, reason=" ", consent=True, already_extended=0, cap=10)
    assert err.value.rule_id == "CASE-5"


def test_case_5__extension_without_applicant_consent__refused():
    with pytest.raises(RuleViolation, match="同意"):
        check_extension(days=2, reason="需现场核查", consent=False, already_extended=0, cap=10)


def test_case_5__extension_over_cap__refused_at_cap_allowed():
    check_extension(days=4, reason="需现场核查", consent=True, already_extended=6, cap=10)
    with pytest.raises(RuleViolation, match="10"):
        check_extension(days=5, reason="需现场核查", consent=True, already_extended=6, cap=10)


def test_case_6__working_days_left_negative_when_overdue():
    assert working_days_left(date(2025, 10, 9), date(2025, 9, 30), CAL) == 1
    assert working_days_left(date(2025, 10, 9), date(2025, 10, 9), CAL) == 0
    assert working_days_left(date(2025, 10, 9), date(2025, 10, 11), CAL) == -2


MONTHS = st.dates(min_value=date(2025, 9, 1), max_value=date(2025, 11, 30))


@given(day=MONTHS, hour=st.integers(0, 23), a=st.integers(0, 20), b=st.integers(0, 20))
def test_case_5__more_days_never_earlier(day: date, hour: int, a: int, b: int):
    accepted = datetime.combine(day, time(hour, 0))
    lo, hi = sorted((a, b))
    assert due_at(accepted, lo, (), (), CAL, closing=CLOSING) <= due_at(
        accepted, hi, (), (), CAL, closing=CLOSING
    )


@given(day=MONTHS, n=st.integers(1, 20), start=MONTHS, length=st.integers(0, 10))
def test_case_5__due_date_is_an_unpaused_working_day_and_pause_never_shortens(
    day: date, n: int, start: date, length: int
):
    accepted = datetime.combine(day, time(10, 0))
    pause = Pause(start, start + timedelta(days=length))
    with_pause = due_at(accepted, n, [pause], (), CAL, closing=CLOSING)
    assert CAL.is_workday(with_pause)
    assert not pause.covers(with_pause)
    assert with_pause >= due_at(accepted, n, (), (), CAL, closing=CLOSING)


def test_case_5__due_date_across_unloaded_year__provisional_weekdays_and_new_year_off():
    from servicehall.cases.deadlines import due_date

    found = due_date(datetime(2026, 12, 28, 10), 5, (), (), CAL, closing=CLOSING)
    assert found.on == date(2027, 1, 5)  # Dec 29, 30, 31, (Jan 1 off), Jan 4, Jan 5
    assert found.provisional_years == (2027,)
    assert "1月1日" in found.rule
    with pytest.raises(YearNotLoaded):
        due_date(datetime(2026, 12, 28, 10), 5, (), (), CAL, closing=CLOSING, provisional=False)


def test_case_5__due_date_inside_loaded_years__not_provisional():
    from servicehall.cases.deadlines import due_date

    found = due_date(datetime(2025, 9, 30, 10), 1, (), (), CAL, closing=CLOSING)
    assert (found.on, found.provisional) == (date(2025, 10, 9), False)
    with pytest.raises(TypeError):
        bool(found)


def test_case_6__clock_reading_over_unloaded_year__provisional():
    from servicehall.cases.deadlines import read_clock

    reading = read_clock(date(2027, 1, 5), date(2026, 12, 28), CAL)
    assert (reading.days_left, reading.provisional) == (5, True)
    assert read_clock(date(2026, 12, 31), date(2026, 12, 28), CAL).provisional is False
