"""The incremental profile state: horizons, decay, feedback, serialization and migration."""

from __future__ import annotations

import json
import math

import pytest

from profiling.engine import ProfileEngine
from profiling.state import HalfLives, ProfileState
from profiling.types import (
    Intent,
    IntentResult,
    Lang,
    MessageSignals,
    Sentiment,
    SentimentResult,
    SourceContext,
)

T0 = 1_700_000_000.0  # a fixed moment; nothing in these tests reads the clock
MIN = 60.0
HOUR = 3600.0
DAY = 86_400.0


def make_signals(
    chars: int = 40,
    *,
    lang: Lang = Lang.RU,
    questions: int = 0,
    terminology: int = 0,
    formality: float = 0.3,
    intent: Intent = Intent.OTHER,
    intent_confidence: float = 0.9,
    polarity: float = 0.0,
    irritation: float = 0.0,
    waiting: bool = False,
    urgent: bool = False,
    asks_more_detail: bool = False,
    asks_shorter: bool = False,
    topics: tuple[str, ...] = (),
) -> MessageSignals:
    """MessageSignals built directly, so state tests do not depend on the text analysers."""
    label = (
        Sentiment.NEGATIVE
        if polarity <= -0.2
        else Sentiment.POSITIVE
        if polarity >= 0.2
        else Sentiment.NEUTRAL
    )
    return MessageSignals(
        lang=lang,
        chars=chars,
        words=max(1, chars // 6),
        questions=questions,
        exclamations=0,
        repeated_punct=0,
        caps_ratio=0.0,
        emoji=0,
        formality=formality,
        polite=formality > 0.5,
        terminology=terminology,
        sentiment=SentimentResult(label, polarity, irritation, waiting),
        intent=IntentResult(intent, intent_confidence),
        asks_more_detail=asks_more_detail,
        asks_shorter=asks_shorter,
        topics=topics,
        urgent=urgent,
    )


def _busy_state(engine: ProfileEngine) -> ProfileState:
    """A state with every part touched: dialogs, topics, intents, orders, feedback, override."""
    from profiling.segments import Segment

    state = engine.new_state(
        now=T0, source=SourceContext(campaign="spring_sale", tags=frozenset({"vk"}))
    )
    engine.observe_incoming(state, make_signals(30, intent=Intent.PRICE, topics=("grinder",)), T0)
    engine.observe_outgoing(state, T0 + 20, 300)
    engine.observe_incoming(state, make_signals(80, questions=1, terminology=2), T0 + 2 * MIN)
    engine.observe_order(state, T0 + 10 * MIN, "created")
    engine.observe_incoming(
        state,
        make_signals(60, intent=Intent.ORDER_STATUS, polarity=-0.6, irritation=0.7, waiting=True),
        T0 + 2 * DAY,
    )
    engine.observe_incoming(
        state, make_signals(10, asks_shorter=True, topics=("grinder",)), T0 + 3 * DAY
    )
    engine.observe_target_action(state, T0 + 3 * DAY, "lead")
    engine.override(state, Segment.RESEARCHER, 0.9, T0 + 3 * DAY)
    return state


def test_counters_and_dialog_boundaries() -> None:
    engine = ProfileEngine()
    state = engine.new_state(now=T0)
    # (offset from T0, expected new_dialog): 30 minutes of silence end a dialog.
    steps = [(0.0, True), (5 * MIN, False), (34 * MIN, False), (64 * MIN, True), (65 * MIN, False)]
    for offset, new_dialog in steps:
        timing = engine.observe_incoming(state, make_signals(), T0 + offset)
        assert timing.new_dialog is new_dialog, offset
    assert state.messages_total == 5
    assert state.dialogs_total == 2
    assert state.d_msgs == 2  # the current dialog only
    assert state.last_incoming_at == T0 + 65 * MIN


def test_two_horizons_dialog_resets_long_term_keeps() -> None:
    engine = ProfileEngine()
    state = engine.new_state(now=T0)
    for i in range(5):  # a thoughtful morning
        engine.observe_incoming(state, make_signals(400), T0 + i * 5 * MIN)
    evening = T0 + 10 * HOUR
    for i in range(3):  # a hurried evening
        engine.observe_incoming(state, make_signals(12), evening + i * 20)
    assert state.dialog_avg_chars == pytest.approx(12)
    assert 12 < state.avg_chars < 400
    assert state.dialog_avg_gap_s == pytest.approx(20)


def test_long_term_average_is_time_decayed() -> None:
    engine = ProfileEngine()
    state = engine.new_state(now=T0)
    engine.observe_incoming(state, make_signals(500), T0)
    engine.observe_incoming(state, make_signals(50), T0 + 30 * DAY)  # one half-life later
    # Weights 0.5 (old) and 1 (new): (0.5·500 + 50) / 1.5
    assert state.avg_chars == pytest.approx((0.5 * 500 + 50) / 1.5, rel=1e-6)


def test_irritation_level_decays_with_half_life() -> None:
    hl = HalfLives()
    engine = ProfileEngine()
    state = engine.new_state(now=T0)
    engine.observe_incoming(state, make_signals(irritation=0.8, polarity=-0.7), T0)
    state.advance(T0 + 2 * DAY, hl)
    assert state.irritation == pytest.approx(0.8 * 0.5 ** (2 * DAY / hl.irritation_s))
    assert state.irritation < 0.01


@pytest.mark.parametrize(
    ("first", "second", "expected_sign"),
    [
        ({"asks_shorter": True}, {}, -1),
        ({"asks_more_detail": True}, {}, 1),
        ({"asks_shorter": True}, {"asks_more_detail": True}, 1),  # a miss flips it at once
        ({"asks_more_detail": True}, {"asks_shorter": True}, -1),
    ],
)
def test_feedback_moves_length_preference_fast(
    first: dict[str, bool], second: dict[str, bool], expected_sign: int
) -> None:
    engine = ProfileEngine()
    state = engine.new_state(now=T0)
    engine.observe_incoming(state, make_signals(**first), T0)
    engine.observe_incoming(state, make_signals(**second), T0 + MIN)
    assert math.copysign(1, state.length_pref) == expected_sign
    assert abs(state.length_pref) >= 0.8


def test_topics_count_dialogs_they_return_in() -> None:
    engine = ProfileEngine()
    state = engine.new_state(now=T0)
    for day in range(3):
        for i in range(2):  # twice per dialog, counted once per dialog
            engine.observe_incoming(
                state, make_signals(topics=("kettle",)), T0 + day * DAY + i * MIN
            )
    assert state.topics["kettle"][1] == 3.0


def test_round_trip_is_equal_and_json_safe() -> None:
    state = _busy_state(ProfileEngine())
    data = state.to_dict()
    assert data["version"] == ProfileState.VERSION
    text = json.dumps(data)  # JSON-safe or this raises
    restored = ProfileState.from_dict(json.loads(text))
    assert restored == state
    assert restored.to_dict() == data


def test_from_dict_of_older_version_missing_keys() -> None:
    state = _busy_state(ProfileEngine())
    data = state.to_dict()
    data["version"] = 1
    for key in ("topics", "overrides", "length_pref", "length_pref_at", "hours", "d_intents"):
        del data[key]
    restored = ProfileState.from_dict(data)
    assert restored.messages_total == state.messages_total
    assert restored.topics == {}
    assert restored.overrides == {}
    assert restored.hours == [0.0] * 24
    # The engine keeps working on a migrated state.
    engine = ProfileEngine()
    engine.observe_incoming(restored, make_signals(), T0 + 4 * DAY)
    engine.assess(restored, T0 + 4 * DAY)


@pytest.mark.parametrize(
    "damaged",
    [
        {},
        {"version": 1},
        {"version": 1, "messages_total": "not a number", "lang": "en"},
        {"hours": [1, 2, 3], "unknown_future_key": {"x": 1}},
        {"last_incoming_at": "yesterday", "messages_total": None, "lang": "xx"},
        {"topics": {"ok": [1.0, 1.0, 0.0], "short": [1.0]}, "overrides": {"urgent": [0.9]}},
    ],
)
def test_from_dict_is_tolerant(damaged: dict[str, object]) -> None:
    state = ProfileState.from_dict(damaged)
    assert len(state.hours) == 24
    assert state.messages_total == 0
    assert state.last_incoming_at is None
    assert all(len(entry) == 3 for entry in state.topics.values())
    assert state.overrides == {}
    # Whatever was salvaged is usable.
    engine = ProfileEngine()
    engine.observe_incoming(state, make_signals(topics=("ok", "new")), T0)
    engine.assess(state, T0)
