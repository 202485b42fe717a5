"""Pace is composing speed: a long message after a minute is not a "fast pace".

A customer sent a 260-character message 70 s after the previous one and was called
"Rapid pace: 70 s between messages". Each case is a dialog of (seconds since the previous
message, characters) and whether the urgent segment may credit a rapid pace.
"""

from __future__ import annotations

import pytest

from profiling.assess.explain import render_assessment
from profiling.assess.segments import Segment
from profiling.engine import Assessment, ProfileEngine
from profiling.types import Lang
from tests.factories import T0, make_signals

PACE_CASES = [
    ("long message after 70 s", [(0, 12), (70, 260)], False),
    ("two long messages a minute apart", [(0, 300), (60, 280), (65, 250)], False),
    ("a pasted text right away", [(0, 20), (15, 600)], False),
    ("short messages every 10 s", [(0, 10), (10, 6), (10, 8)], True),
    ("short bubbles in a row", [(0, 5), (4, 16), (6, 12)], True),
]


def _dialog(messages: list[tuple[int, int]]) -> Assessment:
    engine = ProfileEngine()
    state = engine.new_state(now=T0)
    t = T0
    for gap, chars in messages:
        t += gap
        engine.observe_incoming(state, make_signals(chars), t)
    return engine.assess(state, t)


def _rapid(a: Assessment) -> float:
    return sum(
        r.contribution for r in a.segments[Segment.URGENT].reasons if r.code == "rapid_pace_s"
    )


@pytest.mark.parametrize(("name", "messages", "rapid"), PACE_CASES)
def test_rapid_pace_is_judged_against_the_length(
    name: str, messages: list[tuple[int, int]], rapid: bool
) -> None:
    a = _dialog(messages)
    if rapid:
        assert _rapid(a) >= 0.05, name
    else:
        assert _rapid(a) < 0.01, name
        assert "Rapid pace" not in render_assessment(a, Lang.EN)
        assert "Быстрый темп" not in render_assessment(a, Lang.RU)


def test_a_long_message_after_a_minute_reads_unhurried() -> None:
    a = _dialog([(0, 12), (70, 260)])
    slow = [r for r in a.segments[Segment.RESEARCHER].reasons if r.code == "slow_pace_s"]
    assert slow and slow[0].value >= 240.0  # composing 260 characters, not a 70 s dash
    assert "allowing for typing time" in render_assessment(a, Lang.EN)
