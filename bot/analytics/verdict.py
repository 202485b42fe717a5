"""The A/B comparison: each metric for the adaptive group against the holdout that gets the
"blind" bot, with the lift, its 95 % interval and a verdict.

A verdict is called only when the interval of the lift lies wholly on one side of zero; until
then the honest answer is "no difference yet" (or "not enough data" while the groups are too
small for the interval to mean much). Words are not chosen here: the verdict is an enum and
`bot.texts` says it in the customer's language.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from bot.analytics import stats
from bot.analytics.stats import Interval

# The metric keys the report uses (the `metric` of a Comparison); conversion is the headline.
CONVERSION = "conversion"
ESCALATION = "escalation"
CSAT = "csat"
TIME_TO_ACTION = "time_to_action"
RETENTION_30 = "retention_30"
CHECKIN_REPLY = "checkin_reply"
PRIMARY_METRIC = CONVERSION
# The metrics that are shares (a fraction 0..1): said and drawn in per cent.
RATE_METRICS = frozenset({CONVERSION, ESCALATION, RETENTION_30, CHECKIN_REPLY})
# A rate comparison needs this many trials in each group, and this many successes (and
# failures) in both groups together, before it says anything.
MIN_TRIALS = 30
MIN_EVENTS = 5


class Verdict(StrEnum):
    NOT_ENOUGH_DATA = "not_enough_data"
    ADAPTIVE_BETTER = "adaptive_better"
    HOLDOUT_BETTER = "holdout_better"
    NO_DIFFERENCE_YET = "no_difference_yet"


@dataclass(frozen=True, slots=True)
class Comparison:
    """One metric, both groups. `lift` is adaptive - holdout in the metric's own unit: a
    fraction for rates (0.05 = five percentage points), seconds for time, points for CSAT."""

    metric: str
    adaptive: float | None
    holdout: float | None
    adaptive_n: int
    holdout_n: int
    adaptive_interval: Interval | None
    holdout_interval: Interval | None
    lift: float | None
    relative_lift: float | None
    interval: Interval | None
    higher_is_better: bool
    verdict: Verdict
    # Rates only: roughly how many per group would detect the current lift (alpha .05,
    # power .8); None for other metrics or when the groups are equal.
    needed_per_group: int | None


def compare_rate(
    metric: str,
    s_adaptive: int,
    n_adaptive: int,
    s_holdout: int,
    n_holdout: int,
    *,
    higher_is_better: bool = True,
    min_n: int = MIN_TRIALS,
    min_events: int = MIN_EVENTS,
) -> Comparison:
    """A rate (successes over trials) per group, Wilson intervals, Newcombe's interval for
    the difference.

    Not enough data while a group has fewer than `min_n` trials, or while the successes of
    both groups together, or their failures together, number fewer than `min_events`: with
    2 conversions in all, any interval is mostly a statement about the approximation.
    """
    adaptive = s_adaptive / n_adaptive if n_adaptive else None
    holdout = s_holdout / n_holdout if n_holdout else None
    interval = stats.rate_difference(s_adaptive, n_adaptive, s_holdout, n_holdout)
    successes = s_adaptive + s_holdout
    failures = (n_adaptive - s_adaptive) + (n_holdout - s_holdout)
    enough = (
        min(n_adaptive, n_holdout) >= min_n and successes >= min_events and failures >= min_events
    )
    needed = (
        stats.needed_per_group(adaptive, holdout)
        if adaptive is not None and holdout is not None
        else None
    )
    return _comparison(
        metric,
        adaptive,
        holdout,
        n_adaptive,
        n_holdout,
        stats.wilson(s_adaptive, n_adaptive),
        stats.wilson(s_holdout, n_holdout),
        interval,
        higher_is_better=higher_is_better,
        enough=enough,
        needed=needed,
    )


def compare_means(
    metric: str,
    adaptive_values: Sequence[float],
    holdout_values: Sequence[float],
    *,
    higher_is_better: bool = True,
    min_n: int = 20,
) -> Comparison:
    """Means per group (CSAT ratings), t intervals, Welch's interval for the difference."""
    return _comparison(
        metric,
        _mean(adaptive_values),
        _mean(holdout_values),
        len(adaptive_values),
        len(holdout_values),
        stats.mean_interval(adaptive_values),
        stats.mean_interval(holdout_values),
        stats.mean_difference(adaptive_values, holdout_values),
        higher_is_better=higher_is_better,
        enough=min(len(adaptive_values), len(holdout_values)) >= min_n,
        needed=None,
    )


def compare_medians(
    metric: str,
    adaptive_values: Sequence[float],
    holdout_values: Sequence[float],
    *,
    higher_is_better: bool = False,
    min_n: int = 20,
) -> Comparison:
    """Medians per group (time to a target action: skewed, so not means), order-statistic
    intervals per group, a bootstrap interval for the difference."""
    return _comparison(
        metric,
        stats.median(adaptive_values),
        stats.median(holdout_values),
        len(adaptive_values),
        len(holdout_values),
        stats.median_interval(adaptive_values),
        stats.median_interval(holdout_values),
        stats.bootstrap_median_difference(adaptive_values, holdout_values),
        higher_is_better=higher_is_better,
        enough=min(len(adaptive_values), len(holdout_values)) >= min_n,
        needed=None,
    )


def overall(comparisons: Sequence[Comparison]) -> Verdict:
    """The headline: the primary metric's verdict (conversion if present, else the first
    comparison given). Secondary metrics inform but do not decide, so that looking at six
    metrics does not turn into six chances of a lucky "better". No comparisons at all, or a
    primary metric short of data: NOT_ENOUGH_DATA."""
    if not comparisons:
        return Verdict.NOT_ENOUGH_DATA
    primary = next((c for c in comparisons if c.metric == PRIMARY_METRIC), comparisons[0])
    return primary.verdict


def decide(interval: Interval | None, *, higher_is_better: bool, enough: bool) -> Verdict:
    """Which side of zero the lift's interval lies on; touching zero is no difference yet."""
    if not enough or interval is None:
        return Verdict.NOT_ENOUGH_DATA
    if interval.low > 0.0:
        return Verdict.ADAPTIVE_BETTER if higher_is_better else Verdict.HOLDOUT_BETTER
    if interval.high < 0.0:
        return Verdict.HOLDOUT_BETTER if higher_is_better else Verdict.ADAPTIVE_BETTER
    return Verdict.NO_DIFFERENCE_YET


def _comparison(
    metric: str,
    adaptive: float | None,
    holdout: float | None,
    adaptive_n: int,
    holdout_n: int,
    adaptive_interval: Interval | None,
    holdout_interval: Interval | None,
    interval: Interval | None,
    *,
    higher_is_better: bool,
    enough: bool,
    needed: int | None,
) -> Comparison:
    lift = adaptive - holdout if adaptive is not None and holdout is not None else None
    relative = lift / holdout if lift is not None and holdout else None
    return Comparison(
        metric=metric,
        adaptive=adaptive,
        holdout=holdout,
        adaptive_n=adaptive_n,
        holdout_n=holdout_n,
        adaptive_interval=adaptive_interval,
        holdout_interval=holdout_interval,
        lift=lift,
        relative_lift=relative,
        interval=interval,
        higher_is_better=higher_is_better,
        verdict=decide(interval, higher_is_better=higher_is_better, enough=enough),
        needed_per_group=needed,
    )


def _mean(values: Sequence[float]) -> float | None:
    return statistics.fmean(values) if values else None
