"""When a customer usually writes, and when it is polite to write to them.

The profile keeps a decayed 168-bin histogram of the customer's messages by local hour of
week (shop time zone, Monday 00:00 = bin 0) and its 24-bin sum by hour of day. Both are
kept in "growth units" (see `histogram_weight`), so counting a message touches two bins
instead of decaying all 192 on every update; a reader multiplies by `scale`, the decay from
the histogram's reference time to now.

From the hours of day come the customer's active hours. From the hours of week comes the
next moment to contact them: a slot like those they write in, the same weekday group
(Monday–Friday or the weekend) counting as evidence, so someone who writes only at weekends
is contacted at the weekend. Nothing is ever proposed in the shop's quiet hours.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence

# With no history, contact the customer in ordinary shop hours: [11:00, 20:00) local.
DEFAULT_CONTACT_HOURS = (11, 20)
# An hour is "active" when it holds at least this share of the busiest hour's weight ...
ACTIVE_SHARE = 0.25
# ... and at least this many (decayed) messages, so one stray message at 3 a.m. is not a habit.
MIN_ACTIVE_WEIGHT = 0.5
MAX_ACTIVE_HOURS = 6
# Neighbouring hours count half when ranking: writing at 13:00 suggests 14:00 is fine too.
NEIGHBOUR_WEIGHT = 0.5
# A slot of the week also counts the same hour on the other days of its group (weekdays or
# weekend), averaged: writing on Monday and Wednesday at 13:00 makes Tuesday 13:00 good too.
SIMILAR_DAYS_WEIGHT = 1.0
WEEKDAYS = range(5)  # Monday..Friday; the weekend is Saturday and Sunday
WEEK_BINS = 168
# Growth units are rebased once a weight would exceed 2**REBASE_HALF_LIVES, which keeps
# stored numbers small (a rebase happens about once in 16 long-term half-lives).
REBASE_HALF_LIVES = 16.0

_HOUR_S = 3600.0
_LN2 = math.log(2.0)
# The unix epoch began on a Thursday: hours since the epoch + 72 is the Monday-based hour.
_EPOCH_HOUR_OF_WEEK = 3 * 24


def histogram_weight(ts: float, hist_at: float, half_life_s: float) -> float:
    """Weight a message at `ts` adds to a histogram kept in growth units as of `hist_at`.

    Instead of multiplying every bin by the decay at each update, a later message adds a
    larger weight, 2**((ts - hist_at) / half_life); the ratios between bins are exactly
    those of a decayed histogram, and reading at `now` multiplies by the decay since
    `hist_at`. The caller rebases (see `REBASE_HALF_LIVES`) before this grows too large.
    """
    return math.exp(_LN2 * (ts - hist_at) / half_life_s)


def in_window(hour: int, window: tuple[int, int]) -> bool:
    """Whether `hour` is in the local [start, end) window; start > end wraps midnight.

    (22, 9) covers 22:00-08:59; (0, 0) or any start == end is an empty window.
    """
    start, end = window
    if start == end:
        return False
    if start < end:
        return start <= hour < end
    return hour >= start or hour < end


def active_hours(
    hist: Sequence[float], limit: int = MAX_ACTIVE_HOURS, scale: float = 1.0
) -> tuple[int, ...]:
    """Local hours the customer usually writes at, best first (empty without history).

    `scale` turns the stored weights into decayed message counts at the moment of reading.
    """
    peak = max(hist) if hist else 0.0
    if peak * scale < MIN_ACTIVE_WEIGHT:
        return ()
    threshold = max(MIN_ACTIVE_WEIGHT / scale, ACTIVE_SHARE * peak)
    # (-smoothed weight, hour) tuples sort natively: best first, earlier hour on ties.
    ranked = [
        (-(w + NEIGHBOUR_WEIGHT * (hist[h - 1] + hist[(h + 1) % 24])), h)
        for h, w in enumerate(hist)
        if w >= threshold
    ]
    ranked.sort()
    return tuple([h for _, h in ranked[:limit]])


def week_to_day(week: Sequence[float]) -> list[float]:
    """The 24-bin hour-of-day histogram of a 168-bin hour-of-week one."""
    return [sum(week[h::24]) for h in range(24)]


def good_week_slots(week: Sequence[float], scale: float = 1.0) -> frozenset[int]:
    """Hours of week (0..167) that suit the customer, judged like `active_hours`.

    A slot scores its own weight, half of each neighbouring hour's, and the mean weight of
    the same hour on the other days of its group (weekdays or weekend); it is good when the
    score reaches a quarter of the best one and MIN_ACTIVE_WEIGHT decayed messages.
    """
    if len(week) != WEEK_BINS or max(week) * scale <= 0.0:
        return frozenset()
    workdays = [sum(week[d * 24 + h] for d in WEEKDAYS) / 5.0 for h in range(24)]
    weekend = [(week[120 + h] + week[144 + h]) / 2.0 for h in range(24)]
    scores = [
        w
        + NEIGHBOUR_WEIGHT * (week[i - 1] + week[(i + 1) % WEEK_BINS])
        + SIMILAR_DAYS_WEIGHT * (workdays if i < 120 else weekend)[i % 24]
        for i, w in enumerate(week)
    ]
    threshold = max(MIN_ACTIVE_WEIGHT / scale, ACTIVE_SHARE * max(scores))
    return frozenset(i for i, sc in enumerate(scores) if sc >= threshold)


def next_contact_slot(
    good_hours: Collection[int],
    after: float,
    *,
    utc_offset_minutes: int,
    quiet_hours: tuple[int, int],
    contact_hours: tuple[int, int] = DEFAULT_CONTACT_HOURS,
) -> float:
    """The first moment >= `after` in one of `good_hours` and outside the quiet hours.

    Falls back to the shop's contact hours when the customer has no usable hours (no history,
    or they only write at night), then to any non-quiet hour. Returns `after` itself when it
    already qualifies, otherwise the start of the qualifying hour.
    """
    allowed = [h for h in good_hours if not in_window(h, quiet_hours)]
    if not allowed:
        allowed = [
            h for h in range(24) if in_window(h, contact_hours) and not in_window(h, quiet_hours)
        ]
    if not allowed:
        allowed = [h for h in range(24) if not in_window(h, quiet_hours)]
    if not allowed:
        return after
    found = _next_matching(after, utc_offset_minutes, set(allowed), period=24)
    return after if found is None else found


def next_contact_slot_in_week(
    week: Sequence[float],
    after: float,
    *,
    scale: float,
    utc_offset_minutes: int,
    quiet_hours: tuple[int, int],
    contact_hours: tuple[int, int] = DEFAULT_CONTACT_HOURS,
) -> float:
    """The first moment >= `after` in one of the customer's good hours of the week.

    Falls back, in order, to their good hours of day, to the shop's contact hours and to any
    non-quiet hour (see `next_contact_slot`); never in the quiet hours.
    """
    slots = {i for i in good_week_slots(week, scale) if not in_window(i % 24, quiet_hours)}
    if slots:
        found = _next_matching(after, utc_offset_minutes, slots, period=WEEK_BINS)
        if found is not None:
            return found
    day = week_to_day(week) if len(week) == WEEK_BINS else []
    return next_contact_slot(
        active_hours(day, scale=scale) if day else (),
        after,
        utc_offset_minutes=utc_offset_minutes,
        quiet_hours=quiet_hours,
        contact_hours=contact_hours,
    )


def _next_matching(
    after: float, utc_offset_minutes: int, wanted: Collection[int], period: int
) -> float | None:
    """Start of the first local hour from `after` on whose hour (mod `period`) is wanted.

    `period` 24 matches hours of day, 168 hours of week; `after` itself when its own hour
    matches. Looks one full period (plus the current hour) ahead.
    """
    offset_s = utc_offset_minutes * 60
    first = math.floor((after + offset_s) / _HOUR_S)
    for i in range(period + 1):
        hour = first + i
        if (hour + _EPOCH_HOUR_OF_WEEK) % period in wanted:
            return max(after, hour * _HOUR_S - offset_s)
    return None
