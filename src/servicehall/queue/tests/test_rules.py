"""Pure calling order (Q-2, Q-3) and the 70+ check from an ID number (Q-2); no database."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from servicehall.core.errors import InputError, RuleViolation
from servicehall.policy.sections.queue import QueuePolicy
from servicehall.queue.rules import (
    Candidate,
    age_on,
    announcement,
    birth_date_from_id,
    calling_order,
    elderly_from_id,
    next_streak,
)

T0 = datetime(2026, 3, 2, 9, 0)
NOW = T0 + timedelta(hours=1)
# GB 11643 sample number (born 1949-12-31, check character X).
SAMPLE_ID = "11010519491231002X"


def c(pk: int, *, priority: bool = False, minute: int = 0, order: int = 1, weight: float = 1.0) -> Candidate:
    return Candidate(pk, priority, T0 + timedelta(minutes=minute), order, weight)


def first(cands: list[Candidate], streak: int, cap: int) -> int:
    return calling_order(cands, streak=streak, cap=cap, now=NOW).candidates[0].ticket_id


def test_q_2__priority_ticket_called_before_older_ordinary_ticket():
    assert first([c(1, minute=0), c(2, priority=True, minute=30)], streak=0, cap=3) == 2


def test_q_3__fifo_within_a_class():
    cands = [c(3, minute=20), c(1, minute=5), c(2, minute=10)]
    order = calling_order(cands, streak=0, cap=3, now=NOW).candidates
    assert [x.ticket_id for x in order] == [1, 2, 3]


def test_q_3__after_cap_priority_calls__ordinary_ticket_served():
    cands = [c(1, minute=0), c(2, priority=True, minute=10)]
    assert first(cands, streak=2, cap=3) == 2
    decision = calling_order(cands, streak=3, cap=3, now=NOW)
    assert decision.candidates[0].ticket_id == 1
    assert decision.cap_applied


def test_q_3__cap_reached_but_no_ordinary_waiting__priority_still_served():
    decision = calling_order([c(2, priority=True)], streak=9, cap=3, now=NOW)
    assert decision.candidates[0].ticket_id == 2
    assert not decision.cap_applied


def test_q_3__cap_zero_means_priority_always_first():
    assert first([c(1, minute=0), c(2, priority=True, minute=10)], streak=50, cap=0) == 2


def test_q_1__window_prefers_its_first_order_line():
    assert first([c(1, minute=0, order=2), c(2, minute=50, order=1)], streak=0, cap=3) == 2


def test_q_1__weight_scales_waiting_time_within_one_order():
    # 30 min waited with weight 2 beats 50 min waited with weight 1
    assert first([c(1, minute=10, weight=1.0), c(2, minute=30, weight=2.0)], streak=0, cap=3) == 2


def test_q_3__streak_counts_consecutive_priority_calls_only():
    assert next_streak(2, called_priority=True) == 3
    assert next_streak(2, called_priority=False) == 0


@given(
    st.lists(st.tuples(st.booleans(), st.integers(0, 59)), min_size=1, max_size=30),
    st.integers(0, 6),
    st.integers(0, 5),
)
def test_q_3__order_is_a_permutation_and_fifo_within_class(specs, streak, cap):
    cands = [c(i, priority=p, minute=m) for i, (p, m) in enumerate(specs)]
    order = calling_order(cands, streak=streak, cap=cap, now=NOW).candidates
    assert sorted(x.ticket_id for x in order) == list(range(len(cands)))
    for cls in (True, False):
        times = [x.queued_at for x in order if x.priority == cls]
        assert times == sorted(times)


def test_q_2__sample_id_number_birth_date():
    assert birth_date_from_id(SAMPLE_ID) == date(1949, 12, 31)
    assert birth_date_from_id(SAMPLE_ID.lower()) == date(1949, 12, 31)


def test_q_2__wrong_check_digit__refused():
    with pytest.raises(InputError) as err:
        birth_date_from_id("110105194912310021")
    assert err.value.where == "id_number"


@pytest.mark.parametrize("bad", ["", "123", "11010519491231002Y", "1101051949123100211"])
def test_q_2__malformed_id_number__refused(bad):
    with pytest.raises(InputError):
        birth_date_from_id(bad)


def test_q_2__seventieth_birthday__counts_as_70():
    assert elderly_from_id(SAMPLE_ID, day=date(2019, 12, 31), min_age=70) == 70


def test_q_2__day_before_seventieth_birthday__not_elderly():
    with pytest.raises(RuleViolation) as err:
        elderly_from_id(SAMPLE_ID, day=date(2019, 12, 30), min_age=70)
    assert err.value.rule_id == "Q-2"


def test_q_2__age_on_leap_day_birthday():
    assert age_on(date(1956, 2, 29), date(2026, 2, 28)) == 69
    assert age_on(date(1956, 2, 29), date(2026, 3, 1)) == 70


def test_lang_2__call_announcement_says_please_with_number_and_window():
    assert announcement(QueuePolicy(), number="A007", window_number="3") == "请 A007 号到 3 号窗口办理"
    own = QueuePolicy(announcement="请{number}号到{window}号窗口")
    assert announcement(own, number="B1", window_number="12") == "请B1号到12号窗口"


@pytest.mark.parametrize("text", ["{number} 号到 {window} 号窗口", "请到窗口办理"])
def test_lang_2__announcement_without_please_or_placeholders__refused(text: str):
    with pytest.raises(ValueError, match=r"LANG-2|must contain"):
        QueuePolicy(announcement=text)
