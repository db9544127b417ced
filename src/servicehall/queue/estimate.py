"""Wait estimate for a new ticket (预计等候时间, Q-4), pure: a state-dependent M/M/c model.

Why not steady-state Erlang-C: Erlang-C gives the *average* wait over all queue states for an arrival
rate, but the kiosk knows the actual state — how many people are ahead, how many windows are open
and busy. For c busy servers with exponential service of mean s, completions come at rate c/s, so a
visitor with k people ahead (and no free window) waits on average (k + 1 - free) · s / c. Real service
times are less variable than exponential, so the first completion — the residual of services already
running — is shorter: renewal theory gives E[residual] = s · (1 + cv²) / 2, with cv estimated from the
observed times (cv = 1 gives back M/M/c). Ordinary
visitors are also overtaken by priority arrivals during their wait; that inflates the wait by
1 / (1 - ρp) with ρp = λp · s / c, bounded by the Q-3 starvation cap (at most cap priority calls per
ordinary call). The mean service time comes from recently observed service times, shrunk towards
the policy default while few are known. `bench/queue_estimate.py` measures the error on a simulated day.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

PRIOR_WEIGHT = 3.0  # observations the policy default is worth when blending with observed times


@dataclass(frozen=True, slots=True)
class WaitEstimate:
    minutes: float | None  # None: no open window serves the line
    ahead: int
    servers: float
    mean_service: float
    used: tuple[tuple[str, float], ...] = ()

    @property
    def rounded(self) -> int | None:
        return None if self.minutes is None else math.ceil(self.minutes)


def mean_service_minutes(observed: Sequence[float], *, default: float) -> float:
    """Mean of observed service minutes shrunk towards `default` (Bayesian average with weight PRIOR_WEIGHT)."""
    clean = [x for x in observed if x >= 0]
    return (sum(clean) + PRIOR_WEIGHT * default) / (len(clean) + PRIOR_WEIGHT)


def service_cv(observed: Sequence[float]) -> float:
    """Coefficient of variation of observed service times, shrunk towards 1 (exponential) while few are known."""
    clean = [x for x in observed if x >= 0]
    n = len(clean)
    if n < 2:
        return 1.0
    mean = sum(clean) / n
    if mean <= 0:
        return 1.0
    var = sum((x - mean) ** 2 for x in clean) / (n - 1)
    cv = math.sqrt(var) / mean
    return (n * cv + PRIOR_WEIGHT * 1.0) / (n + PRIOR_WEIGHT)


def estimate_wait(
    *,
    ahead: int,
    servers: float,
    busy: float,
    mean_service: float,
    cv: float = 1.0,
    priority: bool = False,
    priority_rate_per_minute: float = 0.0,
    starvation_cap: int = 0,
) -> WaitEstimate:
    """Expected minutes until a ticket with `ahead` people before it is called."""
    used = (("ahead", float(ahead)), ("servers", servers), ("busy", busy), ("mean_service", mean_service))
    if servers <= 0:
        return WaitEstimate(None, ahead, servers, mean_service, used)
    free = max(servers - busy, 0.0)
    completions_needed = max(ahead + 1 - free, 0.0)
    if completions_needed <= 0:
        wait = 0.0
    else:
        first = (
            min(completions_needed, 1.0) * mean_service * (1 + cv * cv) / 2
        )  # residual of running services
        wait = (first + max(completions_needed - 1, 0.0) * mean_service) / servers
    if not priority and priority_rate_per_minute > 0 and wait > 0:
        rho_p = min(priority_rate_per_minute * mean_service / servers, 0.95)
        factor = 1.0 / (1.0 - rho_p)
        if starvation_cap > 0:
            factor = min(factor, 1.0 + starvation_cap)
        wait *= factor
        used += (("priority_factor", factor),)
    return WaitEstimate(wait, ahead, servers, mean_service, used)


def erlang_c_wait(*, arrival_per_minute: float, mean_service: float, servers: int) -> float | None:
    """Steady-state Erlang-C mean wait in minutes (for comparison in the benchmark); None if overloaded."""
    if servers <= 0:
        return None
    a = arrival_per_minute * mean_service  # offered load in Erlangs
    if a >= servers:
        return None
    term = 1.0
    total = 1.0
    for k in range(1, servers):
        term *= a / k
        total += term
    top = term * a / servers * servers / (servers - a)
    prob_wait = top / (total + top)
    return prob_wait * mean_service / (servers - a)


def percentile(values: Sequence[float], q: float) -> float | None:
    """The q-th percentile (0–100) by linear interpolation; None for no values."""
    if not values:
        return None
    data = sorted(values)
    pos = (len(data) - 1) * q / 100.0
    lo = math.floor(pos)
    hi = math.ceil(pos)
    return data[lo] + (data[hi] - data[lo]) * (pos - lo)
