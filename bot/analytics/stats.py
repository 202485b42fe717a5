"""Confidence intervals and a rank test for the A/B report, with the standard library only.

The report compares two groups of customers on rates (conversion, escalation), means (CSAT)
and medians (time to a target action). Every function answers `None` when the data cannot
give an answer (an empty group, one value where two are needed) instead of raising: a young
shop simply has no data yet, and the report says so.

All intervals are two-sided 95 % by default (`Z95`).
"""

from __future__ import annotations

import math
import random
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

# The 0.975 quantile of the standard normal distribution: two-sided 95 %.
Z95 = 1.959964
# Above this many degrees of freedom the Cornish-Fisher expansion of Student's t quantile is
# exact to ~1e-9, and the continued fraction of the incomplete beta function would need ever
# more terms (they grow like sqrt(df)).
_T_EXPANSION_DF = 200.0
_BETA_CF_MAX_TERMS = 500
_BETA_CF_EPS = 1e-14
_TINY = 1e-300


@dataclass(frozen=True, slots=True)
class Interval:
    low: float
    high: float

    def contains(self, value: float) -> bool:
        return self.low <= value <= self.high


# --- rates ------------------------------------------------------------------------------------


def wilson(successes: int, n: int, z: float = Z95) -> Interval | None:
    """Wilson score interval for a proportion; `None` when n == 0.

    Chosen over the textbook p ± z·se because that one collapses to [0, 0] at 0/n and
    overshoots [0, 1] with the small groups a shop has in its first weeks.
    """
    _check_count(successes, n)
    if n == 0:
        return None
    p = successes / n
    z2 = z * z
    denominator = 1.0 + z2 / n
    centre = (p + z2 / (2 * n)) / denominator
    half = z / denominator * math.sqrt(p * (1.0 - p) / n + z2 / (4 * n * n))
    # At 0/n and n/n the bound is exactly 0 or 1; rounding would leave it a hair off.
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == n else min(1.0, centre + half)
    return Interval(low, high)


def rate_difference(s1: int, n1: int, s2: int, n2: int, z: float = Z95) -> Interval | None:
    """Interval for p1 - p2: Newcombe's hybrid score interval (1998, method 10).

    Built from the two Wilson intervals, so it keeps their good behaviour near 0 and 1 where
    the Wald difference interval is far too narrow. `None` if a group is empty.
    """
    first = wilson(s1, n1, z)
    second = wilson(s2, n2, z)
    if first is None or second is None:
        return None
    p1, p2 = s1 / n1, s2 / n2
    difference = p1 - p2
    low = difference - math.sqrt((p1 - first.low) ** 2 + (second.high - p2) ** 2)
    high = difference + math.sqrt((first.high - p1) ** 2 + (p2 - second.low) ** 2)
    return Interval(low, high)


def needed_per_group(
    p1: float, p2: float, *, z_alpha: float = Z95, z_power: float = 0.841621
) -> int | None:
    """Customers per group for a two-sided test at alpha .05 to find p1 != p2 with power .8.

    The classic normal-approximation formula (Fleiss, without continuity correction): a rough
    guide to "how long to wait", not a promise. `None` when p1 == p2 (no finite answer).
    """
    if p1 == p2:
        return None
    mean = (p1 + p2) / 2
    root = z_alpha * math.sqrt(2 * mean * (1 - mean)) + z_power * math.sqrt(
        p1 * (1 - p1) + p2 * (1 - p2)
    )
    return math.ceil(root * root / (p1 - p2) ** 2)


def _check_count(successes: int, n: int) -> None:
    if n < 0 or not 0 <= successes <= n:
        raise ValueError(f"need 0 <= successes <= n, got {successes}/{n}")


# --- means ------------------------------------------------------------------------------------


def mean_interval(values: Sequence[float], confidence: float = 0.95) -> Interval | None:
    """Student t interval for one group's mean; `None` with fewer than 2 values."""
    if len(values) < 2:
        return None
    mean = statistics.fmean(values)
    half = t_quantile(_upper(confidence), len(values) - 1) * statistics.stdev(values)
    half /= math.sqrt(len(values))
    return Interval(mean - half, mean + half)


def mean_difference(
    a: Sequence[float], b: Sequence[float], confidence: float = 0.95
) -> Interval | None:
    """Welch t interval for mean(a) - mean(b); `None` if either group has fewer than 2 values.

    Welch rather than the pooled t: the groups differ in size and spread (the holdout is a
    small share of the customers), and Welch does not assume equal variances.
    """
    if len(a) < 2 or len(b) < 2:
        return None
    difference = statistics.fmean(a) - statistics.fmean(b)
    share_a = statistics.variance(a) / len(a)
    share_b = statistics.variance(b) / len(b)
    variance = share_a + share_b
    if variance == 0.0:
        # Every rating the same in both groups: no spread, the difference is what it is.
        return Interval(difference, difference)
    df = variance**2 / (share_a**2 / (len(a) - 1) + share_b**2 / (len(b) - 1))
    half = t_quantile(_upper(confidence), df) * math.sqrt(variance)
    return Interval(difference - half, difference + half)


def t_quantile(p: float, df: float) -> float:
    """The p quantile of Student's t distribution with `df` (> 0, possibly fractional)
    degrees of freedom, exact to ~1e-9.

    Welch's degrees of freedom are fractional, so a printed table is not enough: below
    `_T_EXPANSION_DF` the exact distribution function (through the regularized incomplete
    beta function) is inverted by bisection; above it the Cornish-Fisher expansion is exact.
    """
    if not 0.0 < p < 1.0:
        raise ValueError(f"p must be in (0, 1), got {p}")
    if df <= 0:
        raise ValueError(f"df must be positive, got {df}")
    if p < 0.5:
        return -t_quantile(1.0 - p, df)
    if p == 0.5:
        return 0.0
    if df >= _T_EXPANSION_DF:
        return _t_quantile_expansion(p, df)
    tail = 1.0 - p
    low, high = 0.0, 1.0
    while _t_upper_tail(high, df) > tail:
        low, high = high, high * 2
    for _ in range(200):
        middle = (low + high) / 2
        if _t_upper_tail(middle, df) > tail:
            low = middle
        else:
            high = middle
        if high - low < 1e-12 * high:
            break
    return (low + high) / 2


def _upper(confidence: float) -> float:
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must be in (0, 1), got {confidence}")
    return 1.0 - (1.0 - confidence) / 2


def _t_upper_tail(t: float, df: float) -> float:
    """P(T > t) for t >= 0."""
    return 0.5 * _incomplete_beta(df / 2, 0.5, df / (df + t * t))


def _t_quantile_expansion(p: float, df: float) -> float:
    # Abramowitz & Stegun 26.7.5.
    z = statistics.NormalDist().inv_cdf(p)
    z2 = z * z
    g1 = (z2 + 1) * z / 4
    g2 = ((5 * z2 + 16) * z2 + 3) * z / 96
    g3 = (((3 * z2 + 19) * z2 + 17) * z2 - 15) * z / 384
    g4 = ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945) * z / 92160
    return z + g1 / df + g2 / df**2 + g3 / df**3 + g4 / df**4


def _incomplete_beta(a: float, b: float, x: float) -> float:
    """The regularized incomplete beta function I_x(a, b) (Numerical Recipes 6.4)."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    front = math.exp(
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    # The continued fraction converges fast on this side of the mean; use the symmetry
    # I_x(a, b) = 1 - I_{1-x}(b, a) on the other.
    if x < (a + 1) / (a + b + 2):
        return front * _beta_fraction(a, b, x) / a
    return 1.0 - front * _beta_fraction(b, a, 1.0 - x) / b


def _beta_fraction(a: float, b: float, x: float) -> float:
    """The continued fraction of I_x(a, b), by the modified Lentz method."""
    c = 1.0
    d = 1.0 - (a + b) * x / (a + 1)
    d = 1.0 / (d if abs(d) > _TINY else _TINY)
    result = d
    for m in range(1, _BETA_CF_MAX_TERMS + 1):
        for numerator in (
            m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
            -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1)),
        ):
            d = 1.0 + numerator * d
            d = 1.0 / (d if abs(d) > _TINY else _TINY)
            c = 1.0 + numerator / c
            c = c if abs(c) > _TINY else _TINY
            step = c * d
            result *= step
        if abs(step - 1.0) < _BETA_CF_EPS:
            break
    return result


# --- medians and ranks ------------------------------------------------------------------------


def median(values: Sequence[float]) -> float | None:
    return statistics.median(values) if values else None


def median_interval(values: Sequence[float], confidence: float = 0.95) -> Interval | None:
    """Distribution-free interval for one group's median: two order statistics.

    The number of values below the true median is Binomial(n, 1/2); the interval between the
    l-th smallest and the l-th largest value covers the median with probability
    1 - 2·P(X < l), and l is the largest rank that keeps this at least `confidence`. Below six
    values no such rank exists and the whole range is returned (its coverage is lower).
    `None` for no values.
    """
    n = len(values)
    if n == 0:
        return None
    ordered = sorted(values)
    half_alpha = (1.0 - confidence) / 2
    log_total = math.lgamma(n + 1) - n * math.log(2)
    cumulative = 0.0
    rank = 0
    for k in range(n // 2 + 1):
        cumulative += math.exp(log_total - math.lgamma(k + 1) - math.lgamma(n - k + 1))
        if cumulative > half_alpha:
            break
        rank = k + 1
    rank = max(rank, 1)
    return Interval(float(ordered[rank - 1]), float(ordered[n - rank]))


def bootstrap_median_difference(
    a: Sequence[float],
    b: Sequence[float],
    *,
    resamples: int = 2000,
    seed: int = 12345,
    confidence: float = 0.95,
) -> Interval | None:
    """Percentile bootstrap interval for median(a) - median(b); `None` if either is empty.

    Deterministic for a given seed (and Python version: `random`'s variate algorithms may
    change between releases).

    Drawing n indices per resample would cost O(n) each, seconds for 2,000 resamples of
    5,000 values. Only the resample's median matters, and its distribution is known exactly:
    the k-th smallest of n uniform indices is floor(n·U(k)), where U(k), the k-th smallest of
    n uniforms on [0, 1), is Beta(k, n + 1 - k); for an even n the next order statistic is
    U(k) + (1 - U(k))·Beta(1, n - k) (the least of the n - k uniforms above U(k)). So each
    resample costs O(1) whatever the group size, and the result has the same distribution as
    the resample-and-sort bootstrap; no need to cut resamples for huge groups.
    """
    if not a or not b:
        return None
    if resamples < 1:
        raise ValueError(f"resamples must be positive, got {resamples}")
    rng = random.Random(seed)
    first = sorted(a)
    second = sorted(b)
    differences = sorted(
        _resampled_median(first, rng) - _resampled_median(second, rng) for _ in range(resamples)
    )
    tail = (1.0 - confidence) / 2
    return Interval(_percentile(differences, tail), _percentile(differences, 1.0 - tail))


def _resampled_median(ordered: Sequence[float], rng: random.Random) -> float:
    """The median of one bootstrap resample of `ordered` (sorted), drawn in O(1)."""
    n = len(ordered)
    k = (n + 1) // 2  # the lower middle rank, 1-based
    u = rng.betavariate(k, n + 1 - k)
    lower = ordered[min(n - 1, int(u * n))]
    if n % 2:
        return float(lower)
    above = u + (1.0 - u) * rng.betavariate(1.0, n - k)
    return (lower + ordered[min(n - 1, int(above * n))]) / 2


def _percentile(ordered: Sequence[float], q: float) -> float:
    """Linear interpolation between order statistics (the usual "type 7" definition)."""
    position = q * (len(ordered) - 1)
    below = math.floor(position)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (ordered[above] - ordered[below]) * (position - below)


def mann_whitney_p(a: Sequence[float], b: Sequence[float]) -> float | None:
    """Two-sided p-value of the Mann-Whitney U test: normal approximation with the tie
    correction and a continuity correction (what R's `wilcox.test(exact=FALSE)` and SciPy's
    asymptotic method report). `None` if either group is empty; 1.0 when all values tie.
    """
    n1, n2 = len(a), len(b)
    if n1 == 0 or n2 == 0:
        return None
    pooled = sorted([(value, 0) for value in a] + [(value, 1) for value in b])
    n = n1 + n2
    rank_sum_a = 0.0
    tie_term = 0.0
    start = 0
    while start < n:
        end = start
        while end + 1 < n and pooled[end + 1][0] == pooled[start][0]:
            end += 1
        size = end - start + 1
        average_rank = (start + end) / 2 + 1
        rank_sum_a += average_rank * sum(1 for i in range(start, end + 1) if pooled[i][1] == 0)
        tie_term += size**3 - size
        start = end + 1
    u = rank_sum_a - n1 * (n1 + 1) / 2
    expected = n1 * n2 / 2
    variance = n1 * n2 / 12 * ((n + 1) - tie_term / (n * (n - 1))) if n > 1 else 0.0
    if variance <= 0.0:
        return 1.0
    distance = max(0.0, abs(u - expected) - 0.5)
    return min(1.0, math.erfc(distance / math.sqrt(variance) / math.sqrt(2)))
