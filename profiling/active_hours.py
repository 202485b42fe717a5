"""When a customer usually writes, and when it is polite to write to them.

The profile keeps a decayed 24-bin histogram of the customer's messages by local hour (shop
time zone). From it come the customer's active hours and the next moment to contact them,
which never falls in the shop's quiet hours.
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

_HOUR_S = 3600.0


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


def active_hours(hist: Sequence[float], limit: int = MAX_ACTIVE_HOURS) -> tuple[int, ...]:
    """Local hours the customer usually writes at, best first (empty without history)."""
    peak = max(hist) if hist else 0.0
    if peak < MIN_ACTIVE_WEIGHT:
        return ()
    threshold = max(MIN_ACTIVE_WEIGHT, ACTIVE_SHARE * peak)
    # (-smoothed weight, hour) tuples sort natively: best first, earlier hour on ties.
    ranked = [
        (-(w + NEIGHBOUR_WEIGHT * (hist[h - 1] + hist[(h + 1) % 24])), h)
        for h, w in enumerate(hist)
        if w >= threshold
    ]
    ranked.sort()
    return tuple([h for _, h in ranked[:limit]])


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
    wanted = set(allowed)
    offset_s = utc_offset_minutes * 60
    local = after + offset_s
    hour_start = math.floor(local / _HOUR_S) * _HOUR_S
    for i in range(25):
        start = hour_start + i * _HOUR_S
        if int(start // _HOUR_S) % 24 in wanted:
            return max(after, start - offset_s)
    return after  # unreachable: 25 consecutive hours cover every hour of the day
