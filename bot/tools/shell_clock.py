"""The shell's clock: real time plus however far `/wait` has moved it.

The whole application is built with this clock, so message dates, the 30-minute dialog
boundary, reply latencies and the profile's "time since" all see a jump, and a customer can
come back "three days later" without waiting three days. Between jumps it keeps ticking with
real time, so the pauses of a person typing still count as they would in Telegram.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from bot.clock import Clock, system_clock

# "45s", "31m", "2h", "3d", and combinations written largest unit first: "1h30m", "2d 4h".
_DURATION = re.compile(r"(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?")
# Ten years: far enough for any retention window; further would overflow `datetime`.
MAX_WAIT = timedelta(days=3650)


class ShellClock:
    """A manual clock that otherwise follows `base` (real time by default)."""

    def __init__(self, base: Clock = system_clock) -> None:
        self._base = base
        self.offset = timedelta(0)

    def __call__(self) -> datetime:
        return self._base() + self.offset

    def advance(self, delta: timedelta) -> datetime:
        self.offset += delta
        return self()


def parse_duration(text: str) -> timedelta | None:
    """`timedelta` for "31m", "2h", "3d", "45s" or "1h30m"; None for anything else, for zero
    and for more than `MAX_WAIT` (the caller prints the usage)."""
    compact = "".join(text.lower().split())
    match = _DURATION.fullmatch(compact)
    if not compact or match is None:
        return None
    days, hours, minutes, seconds = (int(part) if part else 0 for part in match.groups())
    try:
        delta = timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)
    except OverflowError:
        return None
    if delta <= timedelta(0) or delta > MAX_WAIT:
        return None
    return delta


def format_duration(delta: timedelta) -> str:
    """The way a person says how long they waited: "1d 2h 5m"."""
    seconds = int(delta.total_seconds())
    parts = []
    for unit, size in (("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)):
        count, seconds = divmod(seconds, size)
        if count:
            parts.append(f"{count}{unit}")
    return " ".join(parts) or "0s"
