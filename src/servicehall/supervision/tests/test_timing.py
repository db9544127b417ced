"""Card timing (黄牌预警 / 红牌, SUP-1) on the 2025 National Day calendar: no database.

2025: Sun 28 Sep and Sat 11 Oct are make-up working days (调休上班); 1–8 Oct are holidays.
"""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from servicehall.cases.calendars import package_calendar
from servicehall.cases.deadlines import Pause
from servicehall.supervision.timing import card_timings

CAL = package_calendar()


def timings(accepted: str, limit: int, *, lead: int = 1, n: int = 0, pauses=(), ext: int = 0):
    return card_timings(
        accepted_at=datetime.fromisoformat(accepted),
        limit_days=limit,
        pauses=pauses,
        extension_days=ext,
        calendar=CAL,
        closing=time(18, 0),
        yellow_lead_working_days=lead,
        red_after_due_working_days=n,
    )


def test_sup_1__across_national_day__yellow_on_first_workday_after_holiday_red_day_after_due():
    yellow, red = timings("2025-09-30 10:00", 2)
    assert yellow.due_date == red.due_date == date(2025, 10, 10)
    assert yellow.due_at == datetime(2025, 10, 9, 0, 0)
    assert red.due_at == datetime(2025, 10, 11, 0, 0)  # N = 0: the calendar day after D, a make-up Saturday
    assert yellow.rule_id == red.rule_id == "SUP-1"


def test_sup_1__yellow_lead_counts_back_over_the_holiday():
    yellow, _ = timings("2025-09-29 10:00", 3, lead=2)
    assert yellow.due_date == date(2025, 10, 10)
    assert yellow.due_at == datetime(2025, 9, 30, 0, 0)  # 10-09 is one back, 09-30 two back


def test_sup_1__red_with_n_counts_the_make_up_saturday_as_a_working_day():
    _, red = timings("2025-09-30 10:00", 2, n=1)
    assert red.due_at == datetime(2025, 10, 12, 0, 0)  # first working day after D is Sat 10-11
    _, red2 = timings("2025-09-30 10:00", 2, n=2)
    assert red2.due_at == datetime(2025, 10, 14, 0, 0)  # then Mon 10-13; red at 00:00 of Tue


def test_sup_1__due_on_make_up_saturday():
    yellow, red = timings("2025-10-09 10:00", 2)
    assert yellow.due_date == date(2025, 10, 11)
    assert yellow.due_at == datetime(2025, 10, 10, 0, 0)
    assert red.due_at == datetime(2025, 10, 12, 0, 0)


def test_sup_1__yellow_date_on_acceptance_day__due_at_the_acceptance():
    yellow, _ = timings("2025-10-09 10:00", 1)
    assert yellow.used["yellow_date"] == "2025-10-09"
    assert yellow.due_at == datetime(2025, 10, 9, 10, 0)
    # Y before the acceptance (即办件 with a lead): still the acceptance instant, never earlier.
    yellow0, _ = timings("2025-10-09 15:30", 0)
    assert yellow0.due_at == datetime(2025, 10, 9, 15, 30)


def test_sup_1__lead_zero__yellow_at_midnight_of_due_date():
    yellow, _ = timings("2025-09-30 10:00", 2, lead=0)
    assert yellow.due_at == datetime(2025, 10, 10, 0, 0)


def test_sup_1__no_card_while_paused__yellow_on_paused_day_moves_after_pause():
    pause = Pause(date(2025, 10, 10), date(2025, 10, 13))
    yellow, red = timings("2025-10-09 10:00", 2, lead=2, pauses=[pause])
    assert yellow.due_date == date(2025, 10, 15)  # the pause moved D
    assert yellow.used["yellow_date"] == "2025-10-13"  # a paused day ...
    assert yellow.due_at == datetime(2025, 10, 14, 0, 0)  # ... so 00:00 after the pause ends
    assert not yellow.raised_by(datetime(2025, 10, 13, 23, 59), None)
    assert yellow.raised_by(datetime(2025, 10, 14, 0, 0), None)
    assert red.due_at == datetime(2025, 10, 16, 0, 0)


def test_sup_1__red_on_paused_day_moves_after_pause():
    pause = Pause(date(2025, 10, 11), date(2025, 10, 13))
    _, red = timings("2025-10-09 10:00", 1, pauses=[pause])
    assert red.due_date == date(2025, 10, 10)
    assert red.due_at == datetime(2025, 10, 14, 0, 0)
    assert not red.raised_by(datetime(2025, 10, 13, 12, 0), None)


def test_sup_1__concluded_before_is_strict():
    _, red = timings("2025-09-30 10:00", 2)
    assert red.raised_by(datetime(2025, 10, 20, 9, 0), datetime(2025, 10, 11, 0, 0))  # at the instant: raised
    assert not red.raised_by(datetime(2025, 10, 20, 9, 0), datetime(2025, 10, 10, 23, 59))  # on time on D


def test_sup_1__red_never_withdraws_yellow():
    yellow, red = timings("2025-09-30 10:00", 2)
    at = datetime(2025, 10, 20, 9, 0)
    assert yellow.raised_by(at, None)
    assert red.raised_by(at, None)


def test_sup_1__timing_refuses_truthiness():
    yellow, _ = timings("2025-09-30 10:00", 2)
    with pytest.raises(TypeError):
        bool(yellow)
