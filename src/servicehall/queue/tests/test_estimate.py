"""Wait estimate engine (Q-4): state-dependent M/M/c, Erlang-C reference, percentiles; no database."""

from __future__ import annotations

import pytest

from servicehall.queue.estimate import erlang_c_wait, estimate_wait, mean_service_minutes, percentile


def test_q_4__free_window_and_nobody_ahead__no_wait():
    assert estimate_wait(ahead=0, servers=2, busy=1, mean_service=8).minutes == 0


def test_q_4__all_busy__each_person_ahead_costs_service_time_over_windows():
    # 5 ahead, 2 busy windows, 8 minutes each: (5 + 1) * 8 / 2 = 24
    assert estimate_wait(ahead=5, servers=2, busy=2, mean_service=8).minutes == pytest.approx(24)


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
    # rho_p = 0.1 * 8 / 2 = 0.4 -> factor 1 / 0.6
    assert slowed == pytest.approx(base / 0.6)


def test_q_4__service_mean_shrinks_to_default_with_few_observations():
    assert mean_service_minutes([], default=8) == 8
    assert mean_service_minutes([2.0], default=8) == pytest.approx((2 + 24) / 4)
    assert mean_service_minutes([4.0] * 300, default=8) == pytest.approx(4.0, abs=0.05)


def test_erlang_c__single_server_matches_mm1():
    # M/M/1: Wq = rho / (mu - lambda) with lambda = 0.1/min, mean 5 min -> rho 0.5, Wq = 0.5 / 0.1 = 5
    assert erlang_c_wait(arrival_per_minute=0.1, mean_service=5, servers=1) == pytest.approx(5.0)
    assert erlang_c_wait(arrival_per_minute=1, mean_service=5, servers=2) is None


def test_percentile_90():
    assert percentile(list(range(1, 11)), 90) == pytest.approx(9.1)
    assert percentile([], 90) is None
