"""The A/B verdict: which side of zero the lift's interval lies on, and when to say nothing."""

from __future__ import annotations

import random

import pytest

from bot.analytics.stats import Interval
from bot.analytics.verdict import (
    Comparison,
    Verdict,
    compare_means,
    compare_medians,
    compare_rate,
    decide,
    overall,
)

ENOUGH = Verdict.NOT_ENOUGH_DATA


@pytest.mark.parametrize(
    ("interval", "higher_is_better", "enough", "expected"),
    [
        (Interval(0.01, 0.2), True, True, Verdict.ADAPTIVE_BETTER),
        (Interval(-0.2, -0.01), True, True, Verdict.HOLDOUT_BETTER),
        (Interval(-0.01, 0.2), True, True, Verdict.NO_DIFFERENCE_YET),
        (Interval(0.0, 0.2), True, True, Verdict.NO_DIFFERENCE_YET),  # touching zero
        (Interval(0.0, 0.0), True, True, Verdict.NO_DIFFERENCE_YET),
        (Interval(0.01, 0.2), False, True, Verdict.HOLDOUT_BETTER),
        (Interval(-0.2, -0.01), False, True, Verdict.ADAPTIVE_BETTER),
        (Interval(-0.2, 0.01), False, True, Verdict.NO_DIFFERENCE_YET),
        (Interval(0.01, 0.2), True, False, Verdict.NOT_ENOUGH_DATA),
        (None, True, True, Verdict.NOT_ENOUGH_DATA),
    ],
)
def test_decide(
    interval: Interval | None, higher_is_better: bool, enough: bool, expected: Verdict
) -> None:
    assert decide(interval, higher_is_better=higher_is_better, enough=enough) is expected


@pytest.mark.parametrize(
    ("metric", "counts", "higher_is_better", "expected"),
    [
        ("conversion", (60, 200, 30, 200), True, Verdict.ADAPTIVE_BETTER),
        ("conversion", (30, 200, 60, 200), True, Verdict.HOLDOUT_BETTER),
        ("conversion", (50, 200, 48, 200), True, Verdict.NO_DIFFERENCE_YET),
        ("escalation", (10, 200, 40, 200), False, Verdict.ADAPTIVE_BETTER),
        ("escalation", (40, 200, 10, 200), False, Verdict.HOLDOUT_BETTER),
        ("escalation", (20, 200, 22, 200), False, Verdict.NO_DIFFERENCE_YET),
        # a group under min_n (30)
        ("conversion", (20, 29, 2, 100), True, Verdict.NOT_ENOUGH_DATA),
        ("conversion", (2, 100, 20, 29), True, Verdict.NOT_ENOUGH_DATA),
        # too few successes, or too few failures, in both groups together (min_events 5)
        ("conversion", (3, 100, 1, 100), True, Verdict.NOT_ENOUGH_DATA),
        ("retention_30", (99, 100, 98, 100), True, Verdict.NOT_ENOUGH_DATA),
        ("conversion", (4, 100, 1, 100), True, Verdict.NO_DIFFERENCE_YET),  # exactly 5
        ("conversion", (0, 0, 0, 0), True, Verdict.NOT_ENOUGH_DATA),
        ("conversion", (0, 0, 10, 100), True, Verdict.NOT_ENOUGH_DATA),
    ],
)
def test_compare_rate_verdicts(
    metric: str,
    counts: tuple[int, int, int, int],
    higher_is_better: bool,
    expected: Verdict,
) -> None:
    comparison = compare_rate(metric, *counts, higher_is_better=higher_is_better)
    assert comparison.verdict is expected
    assert comparison.metric == metric
    assert comparison.higher_is_better is higher_is_better


def test_compare_rate_numbers() -> None:
    c = compare_rate("conversion", 60, 200, 30, 200)
    assert (c.adaptive, c.holdout, c.adaptive_n, c.holdout_n) == (0.3, 0.15, 200, 200)
    assert c.lift == pytest.approx(0.15)
    assert c.relative_lift == pytest.approx(1.0)
    assert c.interval is not None and c.interval.contains(0.15)
    assert c.adaptive_interval is not None and c.adaptive_interval.contains(0.3)
    assert c.holdout_interval is not None and c.holdout_interval.contains(0.15)
    # 30 % against 15 % (alpha .05, power .8):
    # (1.96·sqrt(2·.225·.775) + 0.8416·sqrt(.3·.7 + .15·.85))² / .15² = 120.5 → 121 per group.
    assert c.needed_per_group == 121


def test_compare_rate_without_a_comparable_holdout() -> None:
    zero = compare_rate("conversion", 10, 100, 0, 100)
    assert zero.lift == pytest.approx(0.1)
    assert zero.relative_lift is None  # no relative lift over nothing
    empty = compare_rate("conversion", 10, 100, 0, 0)
    assert empty.holdout is None and empty.lift is None and empty.interval is None
    assert empty.holdout_interval is None and empty.needed_per_group is None
    same = compare_rate("conversion", 10, 100, 10, 100)
    assert same.needed_per_group is None and same.lift == 0.0


def test_compare_rate_thresholds_are_adjustable() -> None:
    assert compare_rate("conversion", 9, 10, 1, 10).verdict is Verdict.NOT_ENOUGH_DATA
    loose = compare_rate("conversion", 9, 10, 1, 10, min_n=10)
    assert loose.verdict is Verdict.ADAPTIVE_BETTER


CSAT_HIGH = [5.0] * 20 + [4.0] * 20
CSAT_LOW = [3.0] * 20 + [4.0] * 20
CSAT_MIXED = [5.0, 4.0, 3.0, 4.0] * 10


@pytest.mark.parametrize(
    ("adaptive", "holdout", "expected"),
    [
        (CSAT_HIGH, CSAT_LOW, Verdict.ADAPTIVE_BETTER),
        (CSAT_LOW, CSAT_HIGH, Verdict.HOLDOUT_BETTER),
        (CSAT_MIXED, [*CSAT_MIXED[1:], 4.0], Verdict.NO_DIFFERENCE_YET),
        (CSAT_HIGH[:19], CSAT_LOW, Verdict.NOT_ENOUGH_DATA),
        ([], CSAT_LOW, Verdict.NOT_ENOUGH_DATA),
    ],
)
def test_compare_means(adaptive: list[float], holdout: list[float], expected: Verdict) -> None:
    c = compare_means("csat", adaptive, holdout)
    assert c.verdict is expected
    assert c.needed_per_group is None


def test_compare_means_numbers() -> None:
    c = compare_means("csat", CSAT_HIGH, CSAT_LOW)
    assert (c.adaptive, c.holdout, c.lift) == (4.5, 3.5, 1.0)
    assert c.relative_lift == pytest.approx(1 / 3.5)
    assert c.interval is not None and c.interval.contains(1.0)
    assert c.adaptive_interval is not None and c.adaptive_interval.contains(4.5)
    empty = compare_means("csat", [], [])
    assert empty.adaptive is None and empty.lift is None and empty.adaptive_interval is None


def _times(centre: float, n: int, seed: int) -> list[float]:
    rng = random.Random(seed)
    return [rng.expovariate(1 / centre) for _ in range(n)]


@pytest.mark.parametrize(
    ("adaptive", "holdout", "expected"),
    [
        # Seconds to a target action: lower is better by default.
        (_times(300, 300, 1), _times(900, 300, 2), Verdict.ADAPTIVE_BETTER),
        (_times(900, 300, 3), _times(300, 300, 4), Verdict.HOLDOUT_BETTER),
        (_times(600, 300, 5), _times(600, 300, 6), Verdict.NO_DIFFERENCE_YET),
        (_times(300, 19, 7), _times(900, 300, 8), Verdict.NOT_ENOUGH_DATA),
    ],
)
def test_compare_medians(adaptive: list[float], holdout: list[float], expected: Verdict) -> None:
    c = compare_medians("time_to_action", adaptive, holdout)
    assert c.verdict is expected
    assert c.higher_is_better is False
    assert c.lift is not None and c.interval is not None and c.interval.contains(c.lift)


def _with(verdict: Verdict, metric: str) -> Comparison:
    return Comparison(
        metric=metric,
        adaptive=None,
        holdout=None,
        adaptive_n=0,
        holdout_n=0,
        adaptive_interval=None,
        holdout_interval=None,
        lift=None,
        relative_lift=None,
        interval=None,
        higher_is_better=True,
        verdict=verdict,
        needed_per_group=None,
    )


@pytest.mark.parametrize(
    ("verdicts", "expected"),
    [
        ([], Verdict.NOT_ENOUGH_DATA),
        ([("conversion", ENOUGH), ("csat", Verdict.ADAPTIVE_BETTER)], ENOUGH),
        ([("conversion", Verdict.ADAPTIVE_BETTER), ("csat", ENOUGH)], Verdict.ADAPTIVE_BETTER),
        (
            [("conversion", Verdict.NO_DIFFERENCE_YET), ("escalation", Verdict.HOLDOUT_BETTER)],
            Verdict.NO_DIFFERENCE_YET,
        ),
        # conversion decides wherever it is; without it, the first one given
        (
            [("csat", Verdict.HOLDOUT_BETTER), ("conversion", Verdict.ADAPTIVE_BETTER)],
            Verdict.ADAPTIVE_BETTER,
        ),
        ([("csat", Verdict.HOLDOUT_BETTER), ("escalation", ENOUGH)], Verdict.HOLDOUT_BETTER),
    ],
)
def test_overall(verdicts: list[tuple[str, Verdict]], expected: Verdict) -> None:
    assert overall([_with(verdict, metric) for metric, verdict in verdicts]) is expected


def test_verdict_values_are_stable_keys() -> None:
    # The texts and any stored report key on these strings.
    assert [v.value for v in Verdict] == [
        "not_enough_data",
        "adaptive_better",
        "holdout_better",
        "no_difference_yet",
    ]
