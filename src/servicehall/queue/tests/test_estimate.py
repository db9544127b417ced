"""Wait estimate engine (Q-4): median call time from the live state, Erlang-C reference, percentiles; no database."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from servicehall.queue.estimate import (
    BLEND_CLOSE,
    BLEND_MAX,
    WindowLoad,
    erlang_c_wait,
    estimate_wait,
    mean_service_minutes,
    percentile,
    service_cv,
)


def test_q_4__free_window_and_nobody_ahead__no_wait():
    assert estimate_wait(ahead=0, servers=2, busy=1, mean_service=8).minutes == 0


def test_q_4__all_busy_ages_unknown__median_of_the_calls_needed():
    # 2 busy windows of unknown age, exponential-like times (cv 1), mean 8: calls come at 2/8 per minute,
    # the 6th call (5 ahead) is reached in the median when 2t/8 = 5.5 -> t = 22
    assert estimate_wait(ahead=5, servers=2, busy=2, mean_service=8).minutes == pytest.approx(22, abs=0.01)


def test_q_4__free_shared_windows__each_serves_the_line_at_its_share():
    # 2 free windows, each serving the line half of the time: calls at 0, 0, then 2 per 16 minutes;
    # 4 ahead -> 5th call, median where 2 + t/8 = 4.5 -> t = 20
    loads = [WindowLoad(share=0.5), WindowLoad(share=0.5)]
    est = estimate_wait(ahead=4, servers=1, busy=0, mean_service=8, windows=loads)
    assert est.minutes == pytest.approx(20, abs=0.01)
    assert est.servers == pytest.approx(1.0)


def test_q_4__remaining_time_of_the_service_in_progress_counts():
    # nearly fixed 10-minute services (cv 0.05); the only window started 4 minutes ago -> ~6 minutes left
    running = [WindowLoad(elapsed=4.0)]
    first = estimate_wait(ahead=0, servers=1, busy=1, mean_service=10, cv=0.05, windows=running).minutes
    assert first == pytest.approx(6.0, abs=0.3)
    # two more ahead: 6 + 2 * 10
    third = estimate_wait(ahead=2, servers=1, busy=1, mean_service=10, cv=0.05, windows=running).minutes
    assert third == pytest.approx(26.0, abs=0.5)


def test_q_4__a_service_running_longer_leaves_less_to_wait_when_times_are_regular():
    def wait(elapsed: float) -> float:
        return estimate_wait(
            ahead=1, servers=1, busy=1, mean_service=10, cv=0.3, windows=[WindowLoad(elapsed=elapsed)]
        ).minutes

    assert wait(8.0) < wait(2.0) < wait(0.0) <= 10 + 10


def test_q_4__no_open_window__no_estimate():
    est = estimate_wait(ahead=3, servers=0, busy=0, mean_service=8)
    assert est.minutes is None
    assert est.rounded is None


def test_q_3__ordinary_ticket_waits_longer_when_priority_visitors_arrive():
    base = estimate_wait(ahead=4, servers=2, busy=2, mean_service=8).minutes
    slowed = estimate_wait(ahead=4, servers=2, busy=2, mean_service=8, priority_rate_per_minute=0.1).minutes
    prio = estimate_wait(
        ahead=4, servers=2, busy=2, mean_service=8, priority=True, priority_rate_per_minute=0.1
    ).minutes
    assert slowed > base == prio


def test_q_3__starvation_cap_bounds_the_overtakes():
    # at most cap=1 priority call per call ahead: never worse than having (4 + 1) more people ahead
    capped = estimate_wait(
        ahead=4, servers=2, busy=2, mean_service=8, priority_rate_per_minute=5.0, starvation_cap=1
    ).minutes
    bound = estimate_wait(ahead=4 + 5, servers=2, busy=2, mean_service=8).minutes
    assert capped <= bound + 1e-6


def test_q_3__overtakes_are_forecast_over_the_wait_not_compounded_near_capacity():
    """Q-3/Q-4: a recent priority rate near capacity no longer multiplies a long queue's wait tenfold
    (t = k / (capacity − λp)); overtakes are forecast over the wait without them (first order)."""
    plain = estimate_wait(ahead=25, servers=4, busy=4, mean_service=7).minutes
    near_capacity = estimate_wait(
        ahead=25, servers=4, busy=4, mean_service=7, priority_rate_per_minute=0.5
    ).minutes
    assert plain < near_capacity <= 2.0 * plain


def test_q_3__overtakes_at_a_long_queue_bounded_by_the_priority_share_of_capacity():
    """Q-3/Q-4: after a spell of priority arrivals the forecast uses their share of what the windows can
    take (0.12 × 4/7 per minute), not the spell's rate."""
    spell = dict(ahead=25, servers=4, busy=4, mean_service=7, priority_rate_per_minute=0.2)
    bounded = estimate_wait(**spell, priority_share=0.12).minutes
    unbounded = estimate_wait(**spell).minutes
    at_share_rate = estimate_wait(**{**spell, "priority_rate_per_minute": 0.12 * 4 / 7}).minutes
    assert bounded < unbounded
    assert bounded == pytest.approx(at_share_rate)
    # a quiet spell is not raised to the share: the forecast never exceeds the recent rate
    quiet = dict(spell, priority_rate_per_minute=0.01)
    assert estimate_wait(**quiet, priority_share=0.5).minutes == estimate_wait(**quiet).minutes


loads_st = st.lists(
    st.builds(
        WindowLoad,
        share=st.sampled_from([0.25, 0.5, 1.0]),
        elapsed=st.one_of(st.none(), st.floats(min_value=0, max_value=60)),
    ),
    min_size=1,
    max_size=6,
)


@settings(max_examples=60, deadline=None)
@given(
    ahead=st.integers(min_value=0, max_value=40),
    loads=loads_st,
    mean=st.floats(min_value=1, max_value=30),
    cv=st.floats(min_value=0.1, max_value=1.5),
    rate=st.floats(min_value=0, max_value=0.2),
)
def test_q_4__more_people_ahead_never_shorter(ahead, loads, mean, cv, rate):
    def wait(k: int) -> float:
        return estimate_wait(
            ahead=k, servers=0, busy=0, mean_service=mean, cv=cv, windows=loads,
            priority_rate_per_minute=rate, starvation_cap=3,
        ).minutes  # fmt: skip

    assert wait(ahead + 1) >= wait(ahead) - 0.01


@settings(max_examples=60, deadline=None)
@given(
    ahead=st.integers(min_value=0, max_value=40),
    loads=loads_st,
    extra=st.builds(
        WindowLoad,
        share=st.sampled_from([0.5, 1.0]),
        elapsed=st.one_of(st.none(), st.floats(min_value=0, max_value=60)),
    ),
    mean=st.floats(min_value=1, max_value=30),
    cv=st.floats(min_value=0.1, max_value=1.5),
)
def test_q_4__one_more_open_window_never_longer(ahead, loads, extra, mean, cv):
    def wait(ws: list[WindowLoad]) -> float:
        return estimate_wait(ahead=ahead, servers=0, busy=0, mean_service=mean, cv=cv, windows=ws).minutes

    assert wait([*loads, extra]) <= wait(loads) + 0.01


@settings(max_examples=40, deadline=None)
@given(
    ahead=st.integers(min_value=0, max_value=40), loads=loads_st, cv=st.floats(min_value=0.1, max_value=1.5)
)
def test_q_4__slower_service_never_shorter(ahead, loads, cv):
    def wait(mean: float) -> float:
        return estimate_wait(ahead=ahead, servers=0, busy=0, mean_service=mean, cv=cv, windows=loads).minutes

    assert wait(9.0) >= wait(6.0) - 0.01


def test_q_4__estimate_for_a_long_queue_needs_a_bounded_number_of_evaluations(monkeypatch):
    """Q-4: the solve is a bisection to 0.005 min, so a long queue costs a few dozen evaluations of N(t)
    (its speed is measured by `bench queue-estimate`, not in a timed test)."""
    from servicehall.queue import estimate as module

    calls = []
    original = module._CallCurve.__call__
    monkeypatch.setattr(module._CallCurve, "__call__", lambda self, t: calls.append(1) or original(self, t))
    loads = [WindowLoad(elapsed=float(e)) for e in (1, 3, 5, 9, 12, 2, 7, 4)]
    result = estimate_wait(
        ahead=60, servers=8, busy=8, mean_service=7, cv=0.6, windows=loads,
        priority_rate_per_minute=0.1, starvation_cap=3,
    )  # fmt: skip
    assert result.minutes > 60 * 7 / 8 * 0.9
    assert len(calls) <= 2 * (40 + 20 + 2)  # two solves: bracket doublings plus bisection steps


def test_q_4__service_mean_shrinks_to_default_with_few_observations():
    assert mean_service_minutes([], default=8) == 8
    assert mean_service_minutes([2.0], default=8) == pytest.approx((2 + 24) / 4)
    # many steady times: the default still counts as MIN_PRIOR_WEIGHT (10) observations, no more
    assert mean_service_minutes([4.0] * 300, default=8) == pytest.approx((1200 + 80) / 310)


def test_q_4__noisy_service_times_keep_the_default_longer():
    steady = mean_service_minutes([4.0, 4.2, 3.8, 4.0] * 5, default=8)
    noisy = mean_service_minutes([0.0, 0.0, 0.0, 16.0] * 5, default=8)  # same mean 4, far more spread
    assert 4.0 <= steady < noisy < 8.0


def test_erlang_c__single_server_matches_mm1():
    # M/M/1: Wq = rho / (mu - lambda) with lambda = 0.1/min, mean 5 min -> rho 0.5, Wq = 0.5 / 0.1 = 5
    assert erlang_c_wait(arrival_per_minute=0.1, mean_service=5, servers=1) == pytest.approx(5.0)
    assert erlang_c_wait(arrival_per_minute=1, mean_service=5, servers=2) is None


def test_percentile_90():
    assert percentile(list(range(1, 11)), 90) == pytest.approx(9.1)
    assert percentile([], 90) is None


def test_q_4__observed_mean_carries_its_default_and_the_rule_weighs_in_at_long_queues():
    """A long queue with an observed mean near the default leans on the policy's rule (ahead × default /
    windows); nobody ahead, or a mean far from the default, leaves the live model alone (Q-4)."""
    near = mean_service_minutes([7.5, 8.5] * 40, default=8)
    assert near.default == 8
    loads = [WindowLoad(elapsed=1.0)] * 4
    long = estimate_wait(ahead=20, servers=4, busy=4, mean_service=near, windows=loads)
    weight = dict(long.used)["default_rule_weight"]
    assert weight == pytest.approx(BLEND_MAX, abs=0.02)  # the mean sits on the default
    plain = estimate_wait(ahead=20, servers=4, busy=4, mean_service=float(near), windows=loads)
    assert long.minutes == pytest.approx((1 - weight) * plain.minutes + weight * 20 * 8 / 4)
    nobody = estimate_wait(ahead=0, servers=4, busy=4, mean_service=near, windows=loads)
    assert dict(nobody.used)["default_rule_weight"] == 0
    far = mean_service_minutes([3.0] * 80, default=8)  # the default is clearly wrong
    far_wait = estimate_wait(ahead=20, servers=4, busy=4, mean_service=far, windows=loads)
    assert dict(far_wait.used)["default_rule_weight"] < 0.05


@settings(max_examples=60, deadline=None)
@given(
    ahead=st.integers(0, 40),
    observed=st.lists(st.floats(1, 30), min_size=0, max_size=60),
    default=st.floats(2, 20),
    busy=st.lists(st.one_of(st.none(), st.floats(0, 40)), min_size=1, max_size=6),
)
def test_q_4__with_the_rule_blended_more_people_ahead_never_shorter(ahead, observed, default, busy):
    mean = mean_service_minutes(observed, default=default)
    loads = [WindowLoad(elapsed=b) for b in busy]
    kw = {"servers": len(loads), "busy": 0, "mean_service": mean, "windows": loads}
    assert estimate_wait(ahead=ahead + 1, **kw).minutes >= estimate_wait(ahead=ahead, **kw).minutes - 1e-6


def _long_queue(observed: list[float]) -> tuple[float, float]:
    """(minutes, rule weight) at 25 people ahead, 4 busy windows, policy default 8 minutes."""
    est = estimate_wait(
        ahead=25, servers=4, busy=4, mean_service=mean_service_minutes(observed, default=8),
        cv=service_cv(observed), windows=[WindowLoad(elapsed=e) for e in (1.0, 3.0, 5.0, 7.0)],
        priority_rate_per_minute=0.08, priority_share=0.12, starvation_cap=3,
    )  # fmt: skip
    return est.minutes, dict(est.used)["default_rule_weight"]


def test_q_1__long_queue_with_high_variance_service_times__stays_near_the_policy_rule():
    """Q-1 wait estimate (Q-4): services observed with cv ≈ 1 and a mean 15 % above the default are what a
    queue that built up after a few long services shows; at 25 people ahead the estimate stays within 2 %
    of the rule (25 × 8 / 4 = 50 min) instead of scaling that mean by everyone ahead (taken at face value: 52).
    Steady services with the same mean are evidence that the default is low: the model keeps its say."""
    spread_minutes, spread_weight = _long_queue([0.5, 17.9] * 25)  # mean 9.2, sd 8.8
    steady_minutes, steady_weight = _long_queue([9.0, 9.4] * 25)  # mean 9.2, sd 0.2
    assert 50.0 <= spread_minutes <= 51.0
    assert spread_weight == pytest.approx(BLEND_MAX)
    assert steady_weight < 0.85
    assert steady_minutes > spread_minutes + 1.5


def test_q_4__service_mean_carries_its_standard_error():
    """The shrunk mean's standard error, n/(n + weight) · sd/√n, travels with it; unknown below two times."""
    assert mean_service_minutes([], default=8).stderr is None
    assert mean_service_minutes([5.0], default=8).stderr is None
    observed = [0.5, 17.9] * 25  # n 50, sd 8.85 -> the default is worth (8.85 / 2)² = 19.6 observations
    sd = math.sqrt(sum((x - 9.2) ** 2 for x in observed) / 49)
    weight = (sd / (0.25 * 8)) ** 2
    expected = 50 / (50 + weight) * sd / math.sqrt(50)
    assert mean_service_minutes(observed, default=8).stderr == pytest.approx(expected)


def test_q_1__mean_below_the_default_counts_in_full_however_noisy():
    """Q-1 wait estimate (Q-4): a queue does not build after short services, so an observed mean below the
    default weighs as its full gap, noisy or not (a fast hall keeps its live estimate)."""
    observed = [0.3, 13.1] * 25  # mean 6.7, cv ≈ 0.95
    mean = float(mean_service_minutes(observed, default=8))
    _, weight = _long_queue(observed)
    assert weight == pytest.approx(BLEND_MAX * math.exp(-(((mean - 8) / 8 / BLEND_CLOSE) ** 2)), abs=1e-3)
