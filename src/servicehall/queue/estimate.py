"""Wait estimate for a new ticket (预计等候时间, Q-4), pure (no Django): the median time until it is called.

Inputs are the live state the kiosk sees: the people ahead, every open window serving the line (its weight
share of the line and, when busy, how long its current service has run), service times observed
recently, and the rate of priority visitors. The model, per window i with share w_i:

- the window next becomes available for the line after the *remaining* time R_i of its current service.
  Service times are log-normal with the observed mean s (shrunk towards the policy default while few are
  known) and coefficient of variation cv, so R_i is the residual given the service already ran a_i
  minutes (closed form); a free window is available at once; a busy window whose elapsed time is not
  known contributes as a stationary renewal process;
- after that it serves the line's tickets every d_i = s / w_i minutes on average; the expected number of
  further calls after u minutes is the renewal function M(u) ≈ u/d_i + (cv² − 1)/2 (exact for cv = 1).

So the expected number of calls of the line by time t is N(t) = Σ_i P(R_i ≤ t) + E[M_i(t − R_i)⁺]. A
ticket with k people ahead is called at the (k+1)-th call; ordinary tickets are also overtaken by the
priority visitors arriving meanwhile (rate λp, at most `starvation_cap` per call ahead, Q-3), so the
calls needed by t are k + 1 + min(λp·t, cap·(k+1)). The estimate is the t where N(t) reaches that
number less ½ — the median with a continuity correction (the median minimises the absolute error;
`bench/queue_estimate.py` measures it on simulated days against a naive rule and Erlang-C). It is never
shorter with more people ahead and never longer with more windows or shorter services. With people ahead,
the result is blended with the policy's rule while the observed mean does not clearly differ from the
policy default, judged against the mean's own noise (`_blend_with_default_rule`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

PRIOR_WEIGHT = 3.0  # observations the policy default is worth while fewer than two times are known ...
PRIOR_SPREAD = 0.25  # the policy default is believed right within ±25 % (sets its weight, see below)
MAX_ELAPSED_QUANTILE_Z = 2.326  # a service running beyond its 99th percentile is treated as at it
_SQRT2 = math.sqrt(2.0)


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


@dataclass(frozen=True, slots=True)
class WindowLoad:
    """One open window as the line sees it (窗口负荷): its weight share of this line and, when busy,
    the minutes its current service has run (None: free; `busy_unknown`: busy, elapsed not known)."""

    share: float = 1.0
    elapsed: float | None = None
    busy_unknown: bool = False


MIN_PRIOR_WEIGHT = 10.0  # ... and never less than this many once they are (see mean_service_minutes)
# Blend with the policy's people-ahead rule (see _blend_with_default_rule)
BLEND_MAX = 0.95  # the largest weight the default rule gets
BLEND_RAMP_AHEAD = 4  # people ahead from which that weight applies in full (less below: 0 at nobody ahead)
BLEND_CLOSE = 0.3  # how far (relative) the observed mean may sit from the default and still count as "close"
BLEND_NOISE_Z = 2.0  # standard errors of a mean above the default that a standing queue and chance explain


class ServiceMean(float):
    """A mean service time in minutes that remembers the policy default it was shrunk towards and its
    own standard error (minutes; None while fewer than two times are known).

    It is a float everywhere; `estimate_wait` reads `default` and `stderr` to blend with the policy's rule.
    """

    default: float | None
    stderr: float | None

    def __new__(cls, value: float, default: float | None = None, stderr: float | None = None) -> ServiceMean:
        obj = super().__new__(cls, value)
        obj.default = default
        obj.stderr = stderr
        return obj


@dataclass(frozen=True, slots=True)
class ServiceSample:
    """Observed service minutes, summarised: how many, their mean and the sum of squared deviations from
    it — all the estimate needs, so the database can hand over three numbers instead of every time."""

    n: int = 0
    mean: float = 0.0
    squares: float = 0.0  # Σ (x − mean)²

    @classmethod
    def of(cls, observed: Sequence[float]) -> ServiceSample:
        """The summary of a list of times (negative ones, clock errors, left out)."""
        clean = [x for x in observed if x >= 0]
        if not clean:
            return cls()
        mean = sum(clean) / len(clean)
        return cls(len(clean), mean, sum((x - mean) ** 2 for x in clean))

    @classmethod
    def from_sums(cls, n: int, total: float | None, total_sq: float | None) -> ServiceSample:
        """The summary from COUNT, SUM and SUM of squares, as a database aggregates them."""
        if not n:
            return cls()
        mean = float(total or 0.0) / n
        return cls(int(n), mean, max(float(total_sq or 0.0) - n * mean * mean, 0.0))

    @property
    def sd(self) -> float:
        return math.sqrt(self.squares / (self.n - 1)) if self.n >= 2 else 0.0


def _sample(observed: Sequence[float] | ServiceSample) -> ServiceSample:
    return observed if isinstance(observed, ServiceSample) else ServiceSample.of(observed)


def mean_service_minutes(observed: Sequence[float] | ServiceSample, *, default: float) -> ServiceMean:
    """Mean of observed service minutes shrunk towards `default` (credibility weighting).

    The default is worth PRIOR_WEIGHT observations while fewer than two are known; after that it is worth
    (sd / (PRIOR_SPREAD · default))² observations, at least MIN_PRIOR_WEIGHT: the noisier the observed
    times, the longer the policy default keeps its say (precision weighting with the default believed
    within ±PRIOR_SPREAD), and a handful of times never outweighs it (the spread of a few is itself noise).
    The result carries its standard error, n/(n + weight) · sd/√n: how far chance alone moves it.
    """
    sample = _sample(observed)
    n = sample.n
    weight = PRIOR_WEIGHT
    stderr = None
    if n >= 2 and default > 0:
        sd = sample.sd
        weight = max((sd / (PRIOR_SPREAD * default)) ** 2, MIN_PRIOR_WEIGHT)
        stderr = n / (n + weight) * sd / math.sqrt(n)
    return ServiceMean(
        (n * sample.mean + weight * default) / (n + weight), default if default > 0 else None, stderr
    )


def _blend_with_default_rule(
    wait: float, *, ahead: int, free: int, servers: float, mean: float, default: float, stderr: float | None
) -> tuple[float, float]:
    """(blended wait, weight of the rule): the model's wait pulled towards the policy's rule, people ahead
    × default service time / windows, when the observed mean is close to the default. The rule counts only
    the people beyond the `free` windows, which call at once (as the model has them do).

    Why: at long queues the model's wait scales with the mean observed over the look-back, and that mean
    is noisy and runs high exactly when a queue has built up (a queue follows a spell of long services).
    When the observed mean does not clearly differ from the default, that noise costs more than the
    default's possible error, so the rule gets up to BLEND_MAX of the say, growing with the people ahead
    (nobody ahead: the live window state decides alone). When the observed mean clearly differs from the
    default (the default is wrong), the weight falls off as exp(−(relative gap / BLEND_CLOSE)²).

    An observed mean *above* the default is judged by the part of its gap that noise does not explain:
    gap² less (BLEND_NOISE_Z · standard error)², in quadrature as errors add. The standard error
    (`stderr`, relative to the default here) grows with the spread of the service times, cv/√n. Up to
    two of them are noise at a queue: the recent services are a biased sample whenever a queue stands (it
    built up because they ran long; in `bench queue-estimate` they sit 0.2–1.1 standard errors above the
    true mean at 13 or more people ahead in most scenarios), and chance adds about one more. With regular
    services that is a few per cent and a real gap still shows (22 % at cv 0.6 over 70 services keeps 70 %);
    with exponential-like services (cv ≈ 1) a gap of 10–20 % is what a long queue alone produces, and the
    model, scaling it by everyone ahead, over-shoots. A mean *below* the default has no such explanation
    at a queue (a queue does not build after short services), so it counts in full and a fast hall keeps
    its live estimate.
    """
    if ahead <= 0 or default <= 0:
        return wait, 0.0
    gap = (mean - default) / default
    if gap > 0 and stderr:
        gap = math.sqrt(max(gap * gap - (BLEND_NOISE_Z * stderr / default) ** 2, 0.0))
    weight = BLEND_MAX * min(1.0, ahead / BLEND_RAMP_AHEAD) * math.exp(-((gap / BLEND_CLOSE) ** 2))
    rule = max(ahead - free, 0) * default / servers
    return (1.0 - weight) * wait + weight * rule, weight


def service_cv(observed: Sequence[float] | ServiceSample) -> float:
    """Coefficient of variation of observed service times, shrunk towards 1 (exponential) while few are known."""
    sample = _sample(observed)
    n = sample.n
    if n < 2 or sample.mean <= 0:
        return 1.0
    cv = sample.sd / sample.mean
    return (n * cv + PRIOR_WEIGHT * 1.0) / (n + PRIOR_WEIGHT)


def _phi(z: float) -> float:
    return 0.5 * (1.0 + math.erf(z / _SQRT2))


class _LogNormal:
    """Service time S, log-normal with mean `mean` and coefficient of variation `cv`."""

    __slots__ = ("mean", "mu", "sigma", "var")

    def __init__(self, mean: float, cv: float) -> None:
        self.mean = mean
        self.var = math.log(1.0 + max(cv, 0.05) ** 2)
        self.sigma = math.sqrt(self.var)
        self.mu = math.log(mean) - self.var / 2

    def cdf(self, x: float) -> float:
        return 0.0 if x <= 0 else _phi((math.log(x) - self.mu) / self.sigma)

    def partial_mean(self, x: float) -> float:
        """E[S · 1{S ≤ x}]."""
        return 0.0 if x <= 0 else self.mean * _phi((math.log(x) - self.mu - self.var) / self.sigma)

    def cap_elapsed(self, a: float) -> float:
        return min(max(a, 0.0), math.exp(self.mu + MAX_ELAPSED_QUANTILE_Z * self.sigma))


class _CallCurve:
    """N(t): expected calls of the line within t minutes (see the module docstring). Each window's terms
    that do not depend on t are worked out once: the search for the wait evaluates N a dozen times."""

    __slots__ = ("dist", "free", "offset", "renewal", "residual")

    def __init__(self, windows: Sequence[WindowLoad], dist: _LogNormal, offset: float) -> None:
        self.dist, self.offset = dist, offset
        self.free: list[float] = []  # free now, then renewals every d
        self.renewal = 0.0  # Σ 1/d of busy windows whose phase is unknown (stationary renewal processes)
        self.residual: list[tuple[float, float, float, float, float]] = []  # (d, a, F(a), E[S·1{S≤a}], tail)
        for w in windows:
            d = dist.mean / w.share
            if w.elapsed is None and not w.busy_unknown:
                self.free.append(d)
            elif w.elapsed is None:
                self.renewal += 1.0 / d
            else:  # residual R of the running service, given it ran `a` minutes
                a = dist.cap_elapsed(w.elapsed)
                fa = dist.cdf(a)
                self.residual.append((d, a, fa, dist.partial_mean(a), max(1.0 - fa, 1e-12)))

    def __call__(self, t: float) -> float:
        dist, offset = self.dist, self.offset
        total = t * self.renewal
        for d in self.free:
            total += 1.0 + max(t / d + offset, 0.0)
        for d, a, fa, pa, tail in self.residual:
            shifted = t + offset * d  # M(t - R) > 0  <=>  R < t + offset·d
            f_t = dist.cdf(a + t) - fa if t > 0 else 0.0  # P(a < S ≤ a + t)
            u = min(t, shifted)
            f_u = f_t if u == t else dist.cdf(a + u) - fa if u > 0 else 0.0
            # E[R · 1{R ≤ u}] given S > a, times the tail
            m_u = dist.partial_mean(a + u) - pa - a * f_u if u > 0 else 0.0
            total += f_t / tail + max(shifted * f_u - m_u, 0.0) / tail / d
        return total


def estimate_wait(
    *,
    ahead: int,
    servers: float,
    busy: float,
    mean_service: float,
    cv: float = 1.0,
    priority: bool = False,
    priority_rate_per_minute: float = 0.0,
    priority_share: float | None = None,
    starvation_cap: int = 0,
    windows: Sequence[WindowLoad] | None = None,
) -> WaitEstimate:
    """Median minutes until a ticket with `ahead` people before it is called.

    `windows` describes each open window serving the line; without it, `servers` (Σ shares) and `busy`
    are spread over ceil(servers) equal windows whose running services are of unknown age.
    """
    ahead = max(int(ahead), 0)
    if windows is None:
        windows = _windows_from_totals(servers, busy)
    windows = [w for w in windows if w.share > 0]
    servers = sum(w.share for w in windows)
    used: tuple[tuple[str, float], ...] = (
        ("ahead", float(ahead)),
        ("servers", servers),
        ("busy", float(sum(w.share for w in windows if w.elapsed is not None or w.busy_unknown))),
        ("mean_service", mean_service),
        ("cv", cv),
    )
    if servers <= 0 or mean_service <= 0:
        return WaitEstimate(None if servers <= 0 else 0.0, ahead, servers, mean_service, used)
    dist = _LogNormal(mean_service, cv)
    offset = (math.expm1(dist.var) - 1.0) / 2  # (cv² − 1)/2 of the fitted law
    needed = ahead + 0.5  # (ahead + 1) calls, less ½: the median
    rate_p = 0.0 if priority else max(priority_rate_per_minute, 0.0)
    if priority_share is not None:
        # A long queue follows a spell of many arrivals, priority ones included, and arrivals then revert:
        # while this ticket waits, priority visitors are forecast at their share of what the windows can
        # take, never above the recent rate.
        rate_p = min(rate_p, max(priority_share, 0.0) * servers / mean_service)
    rate_p = min(rate_p, 0.9 * servers / mean_service)
    overtake_cap = starvation_cap * (ahead + 1) if starvation_cap > 0 else math.inf

    expected_calls = _CallCurve(windows, dist, offset)

    def calls_needed_at(extra: float) -> float:
        def short(t: float) -> float:  # calls still missing at t (decreasing in t)
            return needed + extra - expected_calls(t)

        lo, f_lo = 0.0, short(0.0)
        if f_lo <= 0:
            return 0.0
        hi = max((needed + extra + 1) * mean_service / servers, mean_service)
        while (f_hi := short(hi)) > 0:
            lo, f_lo, hi = hi, f_hi, hi * 2
        # Regula falsi with the Illinois rule (the end kept twice in a row counts half): N is smooth
        # between its few kinks, so this brackets the root to 0.005 min in a handful of evaluations
        # where halving took a dozen or more; a point outside the bracket falls back to halving.
        kept = 0
        for _ in range(60):
            if hi - lo < 0.005:
                break
            mid = hi - f_hi * (hi - lo) / (f_hi - f_lo)
            if not lo < mid < hi:
                mid = (lo + hi) / 2
            f_mid = short(mid)
            if f_mid > 0:
                lo, f_lo = mid, f_mid
                if kept == 1:
                    f_hi /= 2
                kept = 1
            else:
                hi, f_hi = mid, f_mid
                if kept == -1:
                    f_lo /= 2
                kept = -1
        return hi

    wait = calls_needed_at(0.0)
    if rate_p > 0 and wait > 0:
        # Priority visitors overtake only while this ticket waits: forecast them over the wait without
        # overtakes (first order) rather than the fixed point t = k / (capacity − λp), which grows without
        # bound as the recent priority rate nears capacity and over-shoots at long queues.
        wait = calls_needed_at(min(rate_p * wait, overtake_cap))
    if rate_p > 0:
        used += (("priority_per_minute", rate_p),)
    default = getattr(mean_service, "default", None)
    if default:
        free = sum(1 for w in windows if w.elapsed is None and not w.busy_unknown)
        stderr = getattr(mean_service, "stderr", None)
        wait, weight = _blend_with_default_rule(
            wait, ahead=ahead, free=free, servers=servers, mean=float(mean_service), default=default,
            stderr=stderr,
        )  # fmt: skip
        used += (("default_service", default), ("default_rule_weight", round(weight, 3)))
        if stderr is not None:
            used += (("mean_service_stderr", round(stderr, 3)),)
    return WaitEstimate(wait, ahead, servers, float(mean_service), used)


def _windows_from_totals(servers: float, busy: float) -> list[WindowLoad]:
    if servers <= 0:
        return []
    n = math.ceil(servers - 1e-9)
    share = servers / n
    n_busy = min(round(max(busy, 0.0) / share), n)
    return [WindowLoad(share=share, busy_unknown=i < n_busy) for i in range(n)]


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
