"""Timing signals: gaps, reply latency, bursts, dialog boundaries, hour of week."""

from __future__ import annotations

import pytest

from profiling.profile.timing import (
    TimingSignals,
    composing_pace_s,
    decay_factor,
    hour_of_week,
    local_hour,
    measure_timing,
)

MONDAY = 1_704_067_200.0  # 2024-01-01 00:00 UTC, a Monday
HOUR = 3600.0
DAY = 86_400.0


@pytest.mark.parametrize(
    ("ts", "offset_min", "expected"),
    [
        (MONDAY, 0, 0),
        (MONDAY + 3 * HOUR + 59 * 60, 0, 3),
        (MONDAY, 180, 3),  # Moscow: already 03:00 Monday
        (MONDAY, -60, 6 * 24 + 23),  # an hour west: still Sunday 23:00
        (MONDAY + 2.5 * DAY, 0, 2 * 24 + 12),  # Wednesday noon
        (MONDAY + 7 * DAY - 1, 0, 167),
        (MONDAY + 7 * DAY, 0, 0),  # wraps to the next Monday
        (MONDAY + 5 * DAY + 20 * HOUR, 330, 6 * 24 + 1),  # Sat 20:00 UTC = Sun 01:30 (+05:30)
    ],
)
def test_hour_of_week(ts: float, offset_min: int, expected: int) -> None:
    assert hour_of_week(ts, offset_min) == expected
    assert local_hour(ts, offset_min) == expected % 24


@pytest.mark.parametrize(
    ("elapsed", "half_life", "expected"),
    [(0.0, 10.0, 1.0), (10.0, 10.0, 0.5), (30.0, 10.0, 0.125), (-5.0, 10.0, 1.0)],
)
def test_decay_factor(elapsed: float, half_life: float, expected: float) -> None:
    assert decay_factor(elapsed, half_life) == pytest.approx(expected)


T = MONDAY + 12 * HOUR


@pytest.mark.parametrize(
    ("last_in", "last_out", "prev_burst", "ts", "expected"),
    [
        # First message ever.
        (None, None, 0, T, TimingSignals(None, None, True, 1, 12)),
        # First message, answering a proactive message from the bot.
        (None, T - 90, 0, T, TimingSignals(None, 90.0, True, 1, 12)),
        # Typing on: 20 s after the previous message, the bot silent -> burst grows.
        (T - 20, None, 2, T, TimingSignals(20.0, None, False, 3, 12)),
        # The bot answered in between: a reply latency, and the burst restarts.
        (T - 40, T - 25, 3, T, TimingSignals(40.0, 25.0, False, 1, 12)),
        # The bot's last message was before the customer's previous one: no latency.
        (T - 40, T - 100, 1, T, TimingSignals(40.0, None, False, 2, 12)),
        # A slow follow-up inside the dialog: not a burst.
        (T - 600, None, 4, T, TimingSignals(600.0, None, False, 1, 12)),
        # Exactly 30 minutes of silence end the dialog.
        (T - 1800, None, 1, T, TimingSignals(1800.0, None, True, 1, 12)),
        # Delivered out of order (older than the latest message): no gap, no burst growth.
        (T + 5, None, 1, T, TimingSignals(None, None, False, 1, 12)),
        (T + 5, None, 3, T, TimingSignals(None, None, False, 3, 12)),
        # ... no latency either, even after a bot message, and no new dialog hours back.
        (T + 5, T - 10, 2, T, TimingSignals(None, None, False, 2, 12)),
        (T + 5 * HOUR, None, 1, T, TimingSignals(None, None, False, 1, 12)),
    ],
)
def test_measure_timing(
    last_in: float | None,
    last_out: float | None,
    prev_burst: int,
    ts: float,
    expected: TimingSignals,
) -> None:
    got = measure_timing(
        ts=ts,
        last_incoming_at=last_in,
        last_outgoing_at=last_out,
        previous_burst=prev_burst,
        dialog_gap_s=1800.0,
        utc_offset_minutes=0,
    )
    assert got == expected
    assert got.local_hour == 12


def test_late_message_is_not_a_burst_in_the_profile() -> None:
    from profiling.engine import ProfileEngine
    from tests.factories import make_signals

    engine = ProfileEngine()
    state = engine.new_state(now=T)
    engine.observe_incoming(state, make_signals(), T)
    engine.observe_incoming(state, make_signals(), T + 200)
    for late in (T + 100, T + 150, T + 120):  # three stragglers of the past minutes
        engine.observe_incoming(state, make_signals(), late)
    assert state.burst == 1
    assert state.d_max_burst == 1
    assert state.d_gaps == 1  # only the real 200 s gap
    # the 200 s gap, judged against typing the message (40 characters by default)
    assert state.dialog_avg_gap_s == pytest.approx(composing_pace_s(200.0, 40))
    assert state.last_incoming_at == T + 200
    assert state.messages_total == 5


# (gap s, characters, lowest pace s, highest pace s): the gap judged against typing it.
PACE_CASES = [
    (70.0, 260, 240.0, 400.0),  # a long message that took its whole gap to write: slow
    (10.0, 5, 10.0, 10.0),  # «где??» after 10 s: its gap, rapid
    (5.0, 2, 5.0, 5.0),
    (3.0, 16, 3.0, 30.0),  # a second bubble typed fast still reads rapid
    (600.0, 2, 600.0, 600.0),  # a short message after 10 minutes keeps its gap
    (20.0, 500, 400.0, 600.0),  # a pasted text: composed, not fired off
    (0.0, 0, 0.0, 0.0),
]


@pytest.mark.parametrize(("gap", "chars", "lo", "hi"), PACE_CASES)
def test_composing_pace_judges_the_gap_against_typing(
    gap: float, chars: int, lo: float, hi: float
) -> None:
    assert lo <= composing_pace_s(gap, chars) <= hi


@pytest.mark.parametrize("chars", [0, 10, 40, 120, 260])
def test_composing_pace_grows_with_the_gap_and_with_the_length(chars: int) -> None:
    paces = [composing_pace_s(g, chars) for g in (5.0, 20.0, 70.0, 300.0, 1000.0)]
    assert paces == sorted(paces)
    assert composing_pace_s(70.0, chars) <= composing_pace_s(70.0, chars + 50)
