"""Confidence intervals against published values and hand-worked examples."""

from __future__ import annotations

import itertools
import random
import statistics
import time
from collections import Counter

import pytest

from bot.analytics import stats
from bot.analytics.stats import (
    Interval,
    bootstrap_median_difference,
    mann_whitney_p,
    mean_difference,
    median,
    median_interval,
    rate_difference,
    t_quantile,
    wilson,
)


def close(interval: Interval | None, low: float, high: float, tol: float = 1e-4) -> bool:
    assert interval is not None
    return abs(interval.low - low) < tol and abs(interval.high - high) < tol


# --- Wilson -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("successes", "n", "low", "high"),
    [
        # Newcombe (1998), Statistics in Medicine 17:857, table I (81/263 is also Wikipedia's).
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ],
)
def test_wilson_published(successes: int, n: int, low: float, high: float) -> None:
    assert close(wilson(successes, n), low, high)


def test_wilson_edges() -> None:
    assert wilson(0, 0) is None
    none = wilson(0, 10)
    every = wilson(10, 10)
    assert none is not None and every is not None
    assert none.low == 0.0 and 0.0 < none.high < 1.0
    assert every.high == 1.0 and 0.0 < every.low < 1.0
    assert abs(none.high - (1 - every.low)) < 1e-12  # symmetric
    with pytest.raises(ValueError):
        wilson(11, 10)
    with pytest.raises(ValueError):
        wilson(-1, 10)


# --- Newcombe ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("s1", "n1", "s2", "n2", "low", "high"),
    [
        # Newcombe (1998), Statistics in Medicine 17:873, table II, method 10.
        (56, 70, 48, 80, 0.0524, 0.3339),
        (9, 10, 3, 10, 0.1705, 0.8090),
        (5, 56, 0, 29, -0.0381, 0.1926),
        (0, 10, 0, 20, -0.1611, 0.2775),
        (10, 10, 0, 20, 0.6791, 1.0000),
    ],
)
def test_newcombe_published(s1: int, n1: int, s2: int, n2: int, low: float, high: float) -> None:
    assert close(rate_difference(s1, n1, s2, n2), low, high)


def test_newcombe_contains_the_difference_and_needs_both_groups() -> None:
    interval = rate_difference(56, 70, 48, 80)
    assert interval is not None and interval.contains(56 / 70 - 48 / 80)
    assert rate_difference(0, 0, 5, 10) is None
    assert rate_difference(5, 10, 0, 0) is None


def test_needed_per_group() -> None:
    # Textbook: 10 % against 15 % needs ~686 per group (Fleiss, no continuity correction).
    assert stats.needed_per_group(0.10, 0.15) == 686
    assert stats.needed_per_group(0.2, 0.2) is None
    assert stats.needed_per_group(0.10, 0.30) < stats.needed_per_group(0.10, 0.15)  # type: ignore[operator]


# --- t and Welch ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("df", "expected"),
    [  # printed t tables, two-sided 95 %
        (1, 12.7062),
        (2, 4.3027),
        (3, 3.1824),
        (5, 2.5706),
        (10, 2.2281),
        (30, 2.0423),
        (100, 1.9840),
        (1000, 1.9623),
        (1e9, 1.9600),
    ],
)
def test_t_quantile_table(df: float, expected: float) -> None:
    assert abs(t_quantile(0.975, df) - expected) < 1e-4


def test_t_quantile_is_continuous_across_the_expansion_switch() -> None:
    below = t_quantile(0.975, 199.999)
    above = t_quantile(0.975, 200.0)
    assert abs(below - above) < 1e-6
    assert t_quantile(0.025, 7) == -t_quantile(0.975, 7)
    assert t_quantile(0.5, 3) == 0.0


def test_welch_hand_worked() -> None:
    # a: mean 3, variance 2.5; b: mean 4, variance 4.
    # se² = 2.5/5 + 4/3 = 1.83333; df = 1.83333² / (0.5²/4 + 1.33333²/2) = 3.53285;
    # t(0.975, 3.53285) = 2.92740; half width = 2.92740 · 1.35401 = 3.96373.
    assert close(mean_difference([1, 2, 3, 4, 5], [2, 4, 6]), -4.96373, 2.96373)


def test_welch_published() -> None:
    # Wikipedia, "Welch's t-test", example 3: t = -2.46, df ≈ 24.99, p ≈ 0.021.
    a = [27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4]
    b = [27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4]
    interval = mean_difference(a, b)
    assert close(interval, -3.98410, -0.34924)


def test_welch_edges() -> None:
    assert mean_difference([1.0], [1.0, 2.0]) is None
    assert mean_difference([1.0, 2.0], []) is None
    assert mean_difference([5, 5, 5], [4, 4]) == Interval(1.0, 1.0)  # no spread at all
    one_flat = mean_difference([5, 5, 5], [3, 4, 5])
    assert one_flat is not None and one_flat.contains(1.0)


def test_mean_interval() -> None:
    # mean 3, sd 1.5811, t(0.975, 4) = 2.77645: 3 ± 1.96324
    assert close(stats.mean_interval([1, 2, 3, 4, 5]), 1.03676, 4.96324)
    assert stats.mean_interval([4]) is None


# --- medians ----------------------------------------------------------------------------------


def test_median() -> None:
    assert median([]) is None
    assert median([3, 1, 2]) == 2
    assert median([4, 1, 2, 3]) == 2.5


@pytest.mark.parametrize(
    ("n", "low_rank", "high_rank"),
    # The classic table of order statistics for a 95 % median interval (n = 10: x2..x9).
    [(6, 1, 6), (10, 2, 9), (20, 6, 15), (50, 18, 33)],
)
def test_median_interval_ranks(n: int, low_rank: int, high_rank: int) -> None:
    interval = median_interval(list(range(1, n + 1)))
    assert interval == Interval(float(low_rank), float(high_rank))


def test_median_interval_small() -> None:
    assert median_interval([]) is None
    assert median_interval([7]) == Interval(7.0, 7.0)
    assert median_interval([3, 1, 2]) == Interval(1.0, 3.0)  # too few: the whole range


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5])
def test_resampled_median_has_the_exact_bootstrap_distribution(n: int) -> None:
    """The O(1) draw gives the median of a resample with the same law as drawing n indices:
    compare with the exact law, by enumerating all n**n resamples."""
    values = [float(10 * i) for i in range(n)]
    exact = Counter(statistics.median(p) for p in itertools.product(values, repeat=n))
    total = n**n
    rng = random.Random(7)
    draws = 40_000
    seen = Counter(stats._resampled_median(values, rng) for _ in range(draws))
    assert set(seen) <= set(exact)
    for value, count in exact.items():
        assert abs(seen[value] / draws - count / total) < 0.012, value


def test_bootstrap_agrees_with_the_naive_bootstrap() -> None:
    rng = random.Random(3)
    a = [rng.expovariate(1 / 300) for _ in range(41)]
    b = [rng.expovariate(1 / 200) for _ in range(40)]
    naive = sorted(
        statistics.median(rng.choices(a, k=len(a))) - statistics.median(rng.choices(b, k=len(b)))
        for _ in range(4000)
    )
    fast = bootstrap_median_difference(a, b, resamples=4000)
    assert fast is not None
    spread = naive[-1] - naive[0]
    assert abs(fast.low - naive[100]) < 0.05 * spread
    assert abs(fast.high - naive[3899]) < 0.05 * spread


def test_bootstrap_deterministic_and_sensible() -> None:
    rng = random.Random(11)
    a = [rng.gauss(100, 10) for _ in range(200)]
    b = [rng.gauss(80, 10) for _ in range(150)]
    first = bootstrap_median_difference(a, b)
    assert first == bootstrap_median_difference(a, b)
    assert first != bootstrap_median_difference(a, b, seed=1)
    assert first is not None and first.low > 10 and first.high < 30
    assert first.contains(statistics.median(a) - statistics.median(b))
    assert bootstrap_median_difference([], b) is None
    assert bootstrap_median_difference(a, []) is None
    assert bootstrap_median_difference([5.0], [3.0]) == Interval(2.0, 2.0)
    with pytest.raises(ValueError):
        bootstrap_median_difference(a, b, resamples=0)


def test_bootstrap_is_fast_on_big_groups() -> None:
    rng = random.Random(5)
    a = [rng.expovariate(1 / 600) for _ in range(5000)]
    b = [rng.expovariate(1 / 500) for _ in range(5000)]
    started = time.perf_counter()
    interval = bootstrap_median_difference(a, b, resamples=2000)
    elapsed = time.perf_counter() - started
    assert interval is not None
    assert elapsed < 0.5, elapsed


# --- Mann-Whitney -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        # R: wilcox.test(a, b, exact = FALSE) (continuity and tie corrections).
        ([1, 2, 3], [4, 5, 6], 0.08086),
        ([1, 2, 2, 3, 3, 3, 4, 5], [3, 4, 4, 5, 6, 6, 7], 0.01598),
        (
            [27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0],
            [27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9],
            0.02560,
        ),
    ],
)
def test_mann_whitney(a: list[float], b: list[float], expected: float) -> None:
    p = mann_whitney_p(a, b)
    assert p is not None and abs(p - expected) < 1e-4
    assert mann_whitney_p(b, a) == pytest.approx(p)  # two-sided: symmetric


def test_mann_whitney_edges() -> None:
    assert mann_whitney_p([], [1.0]) is None
    assert mann_whitney_p([1.0], []) is None
    assert mann_whitney_p([2, 2, 2], [2, 2]) == 1.0
    assert mann_whitney_p([1.0], [1.0]) == 1.0
