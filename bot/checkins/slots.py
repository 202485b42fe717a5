"""When to write to a customer first: the next hour they usually read, never at night.

The profile keeps the hours of the week a customer writes in (`profiling.profile.active_hours`,
bins 0..167 from Monday 00:00 local). A check-in lands best in one of those hours: the seed
customer "comes back every evening after eight" reads a message at 20:00, not at 10:00.
Quiet hours (the customer's local time, spanning midnight when start > end) are never used,
even when the customer is a night owl: a proactive message must not wake anyone.

Planning runs for every customer with a due trigger, so it is arithmetic on hour-of-week
numbers (a binary search in the sorted hours of week), not a walk over datetimes.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache

WEEK_HOURS = 168
# With no pattern (or only night-time activity): ordinary daytime, [10:00, 20:00) local.
DEFAULT_HOURS = (10, 20)
_HOUR_S = 3600
# The unix epoch began on a Thursday 00:00: hours since the epoch + 72 is the Monday-based bin.
_EPOCH_HOUR_OF_WEEK = 72
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True, slots=True)
class Slot:
    """The planned moment (UTC, aware) and why it was chosen, in English words."""

    at: datetime
    reason: str


def local_tz_offset(explicit_minutes: int | None, shop_minutes: int) -> int:
    """The customer's UTC offset in minutes: their own setting wins, else the shop's zone.

    Most customers of a local shop live in its zone; one who told us otherwise is believed.
    """
    return shop_minutes if explicit_minutes is None else explicit_minutes


def _in_window(hour: int, start: int, end: int) -> bool:
    """Whether a local hour is in [start, end); start > end wraps midnight; start == end: none."""
    if start == end:
        return False
    if start < end:
        return start <= hour < end
    return hour >= start or hour < end


@lru_cache(maxsize=64)
def _quiet_mask(quiet_start: int, quiet_end: int) -> tuple[bool, ...]:
    """For each bin of the week, whether it falls in the quiet hours (cached per window)."""
    for name, value in (("quiet_start", quiet_start), ("quiet_end", quiet_end)):
        if not 0 <= value <= 23:
            raise ValueError(f"{name} should be an hour 0..23, got {value}")
    return tuple(_in_window(b % 24, quiet_start, quiet_end) for b in range(WEEK_HOURS))


@lru_cache(maxsize=64)
def _default_bins(quiet_start: int, quiet_end: int) -> tuple[int, ...]:
    """Daytime bins outside the quiet hours; any non-quiet hour if daytime is all quiet."""
    quiet = _quiet_mask(quiet_start, quiet_end)
    day = tuple(b for b in range(WEEK_HOURS) if _in_window(b % 24, *DEFAULT_HOURS) and not quiet[b])
    return day or tuple(b for b in range(WEEK_HOURS) if not quiet[b])


def _aware(value: datetime, name: str) -> float:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} should be timezone-aware, got {value!r}")
    return value.timestamp()


def next_slot(
    *,
    now: datetime,
    active_hours_of_week: Sequence[int] | None,
    utc_offset_minutes: int,
    quiet_start: int = 22,
    quiet_end: int = 9,
    earliest: datetime,
) -> Slot:
    """The first moment >= max(now, earliest) in one of the customer's active hours of week
    and outside the quiet hours; a default daytime slot when there is no usable pattern.

    The moment is the start itself when its hour qualifies, else the start of the first
    qualifying hour, so a sweep never waits for an hour it is already in.
    """
    quiet = _quiet_mask(quiet_start, quiet_end)
    start_ts = max(_aware(now, "now"), _aware(earliest, "earliest"))
    if active_hours_of_week:
        if min(active_hours_of_week) < 0 or max(active_hours_of_week) >= WEEK_HOURS:
            raise ValueError("active hours of week should be in 0..167")
        wanted = {b for b in active_hours_of_week if not quiet[b]}
    else:
        wanted = set()
    bins: Sequence[int] = sorted(wanted) if wanted else _default_bins(quiet_start, quiet_end)
    offset_s = utc_offset_minutes * 60
    hour_idx = math.floor((start_ts + offset_s) / _HOUR_S)
    now_bin = (hour_idx + _EPOCH_HOUR_OF_WEEK) % WEEK_HOURS
    i = bisect_left(bins, now_bin)
    best = bins[i] if i < len(bins) else bins[0]
    delta = (best - now_bin) % WEEK_HOURS
    at_ts = start_ts if delta == 0 else (hour_idx + delta) * _HOUR_S - offset_s
    at = datetime.fromtimestamp(at_ts, UTC)
    loc = datetime.fromtimestamp(start_ts + offset_s, UTC)
    start_local = f"{loc.year}-{loc.month:02d}-{loc.day:02d} {loc.hour:02d}:{loc.minute:02d}"
    zone = _zone(utc_offset_minutes)
    if wanted:
        habit = _describe(best, wanted)
        why = f"usually writes {habit} (local {zone}); the first such hour after {start_local}"
    else:
        lo, hi = DEFAULT_HOURS
        what = "only writes in quiet hours" if active_hours_of_week else "no activity pattern yet"
        why = (
            f"{what}: a default daytime slot {lo:02d}:00–{hi:02d}:00 outside quiet hours "
            f"{quiet_start:02d}:00–{quiet_end:02d}:00 (local {zone}); "
            f"the first such hour after {start_local}"
        )
    return Slot(at=at, reason=why)


def _zone(offset_minutes: int) -> str:
    sign = "+" if offset_minutes >= 0 else "-"
    hours, minutes = divmod(abs(offset_minutes), 60)
    return f"UTC{sign}{hours}" + (f":{minutes:02d}" if minutes else "")


def _part(hour: int) -> str:
    if 5 <= hour < 12:
        return "mornings"
    if 12 <= hour < 17:
        return "afternoons"
    if 17 <= hour < 23:
        return "evenings"
    return "nights"


def _describe(chosen: int, wanted: set[int]) -> str:
    """Words for the habit behind the chosen bin: "on weekday evenings 20:00–22:00".

    Only runs for the chosen slot, so its cost does not grow with the number of bins.
    """
    day, hour = divmod(chosen, 24)
    first = hour
    while first > 0 and day * 24 + first - 1 in wanted:
        first -= 1
    last = hour
    while last < 23 and day * 24 + last + 1 in wanted:
        last += 1
    days = [d for d in range(7) if d * 24 + hour in wanted]
    part = _part(hour)
    span = f"{first:02d}:00–{(last + 1) % 24:02d}:00"
    if len(days) == 7:
        return f"in the {part} {span}"
    if day < 5 and sum(1 for d in days if d < 5) >= 3:
        return f"on weekday {part} {span}"
    if day >= 5 and 5 in days and 6 in days:
        return f"on weekend {part} {span}"
    return f"on {_DAYS[day]} {part} {span}"


def local_hour_quiet(
    at: datetime, utc_offset_minutes: int, quiet_start: int, quiet_end: int
) -> bool:
    """Whether `at` falls in the quiet hours of a customer at this UTC offset."""
    local_hour = math.floor((_aware(at, "at") + utc_offset_minutes * 60) / _HOUR_S) % 24
    return _quiet_mask(quiet_start, quiet_end)[local_hour]
