"""Timing features of one incoming message and the time arithmetic the profile relies on.

Time is always passed in (float unix seconds); nothing here reads the clock. Local time is the
shop's time zone given as a fixed UTC offset, because the shop, not the server, defines when it
is "night" for its customers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

# Messages closer than this form one "burst" (someone typing a thought in several bubbles).
BURST_GAP_S = 60.0

# Composing speed of a relaxed writer, thinking included (a phone, a few words at a time):
# about one character a second. A message is judged hurried only when it arrived faster
# than that: a 260-character message is ~4 minutes of composing, whatever its gap.
COMPOSING_CHARS_PER_S = 1.0

_SECONDS_PER_HOUR = 3600
_SECONDS_PER_DAY = 86_400
# 1970-01-01 was a Thursday; with Monday = 0 the epoch's weekday is 3.
_EPOCH_WEEKDAY = 3
_LN2 = math.log(2.0)


@dataclass(frozen=True, slots=True)
class TimingSignals:
    """When a message arrived relative to the conversation around it."""

    gap_s: float | None  # since the customer's previous message (None: first, or late)
    latency_s: float | None  # since the bot's last reply, if it came after the previous message
    new_dialog: bool  # first message, or the gap reached the dialog boundary
    burst: int  # messages in the current burst (gaps < BURST_GAP_S), this one included
    hour_of_week: int  # 0..167 in the shop's local time, Monday 00:00 = 0

    @property
    def local_hour(self) -> int:
        return self.hour_of_week % 24


def decay_factor(elapsed_s: float, half_life_s: float) -> float:
    """Weight left after `elapsed_s` for a quantity halving every `half_life_s`.

    Negative elapsed time (events delivered out of order) does not grow weights back.
    """
    if elapsed_s <= 0.0:
        return 1.0
    return math.exp(-_LN2 * elapsed_s / half_life_s)


def composing_pace_s(gap_s: float, chars: int) -> float:
    """The pace of a message: its gap compared with what composing its length takes.

    A raw gap called a 260-character message sent 70 s after the previous one "fast", yet
    the customer spent those seconds writing: that is composing, not hurrying. The pace is
    the gap, but never less than the time a relaxed writer takes to compose the message,

        pace = max(gap, chars / COMPOSING_CHARS_PER_S),

    so «где??» after 10 s reads 10 s (rapid) and the 260 characters read 260 s (unhurried).
    It grows with the gap and with the length, never the other way round. Latencies
    (answers to the bot) are judged the same way.
    """
    return max(gap_s, chars / COMPOSING_CHARS_PER_S)


def local_seconds(ts: float, utc_offset_minutes: int) -> float:
    return ts + utc_offset_minutes * 60


def local_hour(ts: float, utc_offset_minutes: int) -> int:
    """Hour of day 0..23 of `ts` in the shop's time zone."""
    return int(local_seconds(ts, utc_offset_minutes) % _SECONDS_PER_DAY) // _SECONDS_PER_HOUR


def hour_of_week(ts: float, utc_offset_minutes: int) -> int:
    """Hour of week 0..167 (Monday 00:00 = 0) of `ts` in the shop's time zone."""
    local = local_seconds(ts, utc_offset_minutes)
    weekday = (int(local // _SECONDS_PER_DAY) + _EPOCH_WEEKDAY) % 7
    return weekday * 24 + int(local % _SECONDS_PER_DAY) // _SECONDS_PER_HOUR


def measure_timing(
    *,
    ts: float,
    last_incoming_at: float | None,
    last_outgoing_at: float | None,
    previous_burst: int,
    dialog_gap_s: float,
    utc_offset_minutes: int,
) -> TimingSignals:
    """Timing of a message arriving at `ts`, given what happened before it.

    A reply latency only exists when the bot spoke after the customer's previous message:
    otherwise the customer is not answering anything, they are just writing again. A message
    older than the customer's latest one (delivered out of order) gets neither a gap nor a
    latency and keeps the current burst as it was.
    """
    how = hour_of_week(ts, utc_offset_minutes)
    if last_incoming_at is not None and ts < last_incoming_at:
        # Delivered late: an older message than one already folded in. It has no gap, no
        # latency and no place in the current burst, and it does not start a dialog.
        return TimingSignals(
            gap_s=None,
            latency_s=None,
            new_dialog=False,
            burst=max(1, previous_burst),
            hour_of_week=how,
        )
    gap = None if last_incoming_at is None else ts - last_incoming_at
    latency = None
    if last_outgoing_at is not None and (
        last_incoming_at is None or last_outgoing_at >= last_incoming_at
    ):
        latency = max(0.0, ts - last_outgoing_at)
    new_dialog = gap is None or gap >= dialog_gap_s
    # The bot's reply in between ends a burst: the customer is answering, not piling on.
    in_burst = gap is not None and gap < BURST_GAP_S and latency is None
    burst = previous_burst + 1 if in_burst and not new_dialog else 1
    return TimingSignals(
        gap_s=gap,
        latency_s=latency,
        new_dialog=new_dialog,
        burst=burst,
        hour_of_week=how,
    )
