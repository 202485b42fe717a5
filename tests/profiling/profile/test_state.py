"""The incremental profile state: horizons, decay, feedback, serialization and migration."""

from __future__ import annotations

import dataclasses
import json

import pytest

from profiling.engine import ProfileEngine
from profiling.profile.state import HalfLives, ProfileState
from profiling.profile.timing import composing_pace_s
from profiling.types import (
    Intent,
    Lang,
    SourceContext,
)
from tests.factories import DAY, HOUR, MIN, T0, as_v1, make_signals


def _busy_state(engine: ProfileEngine) -> ProfileState:
    """A state with every part touched: dialogs, topics, intents, orders, feedback, override."""
    from profiling.assess.segments import Segment

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
    engine.observe_outgoing(state, T0 + 3 * DAY - MIN, 500)
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
    # The pace is the 20 s gap judged against typing 12 characters (see composing_pace_s).
    assert state.dialog_avg_gap_s == pytest.approx(composing_pace_s(20, 12))


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


# (bot reply chars before the first message or None for no reply, first message flags,
#  reply chars before the second or None, second flags, expected preference range).
FEEDBACK_CASES = [
    # A long answer, then "shorter": a full jump.
    (600, {"asks_shorter": True}, None, {}, (-1.0, -0.8)),
    # A short answer, then "more detail": a full jump.
    (120, {"asks_more_detail": True}, None, {}, (0.8, 1.0)),
    # A miss flips an old preference at once.
    (600, {"asks_shorter": True}, 60, {"asks_more_detail": True}, (0.8, 1.0)),
    (100, {"asks_more_detail": True}, 900, {"asks_shorter": True}, (-1.0, -0.8)),
    # "Shorter" after a two-line answer: most likely about something else, a small move.
    (60, {"asks_shorter": True}, None, {}, (-0.3, -0.2)),
    # "More detail" after a long answer still counts, but less.
    (800, {"asks_more_detail": True}, None, {}, (0.2, 0.3)),
    # The bot has not spoken at all: "too long" is about the delivery, not our answers.
    (None, {"asks_shorter": True}, None, {}, (0.0, 0.0)),
    # The bot spoke before the customer's previous message, not since: no feedback.
    (600, {}, None, {"asks_shorter": True}, (0.0, 0.0)),
]


@pytest.mark.parametrize(("reply1", "first", "reply2", "second", "expected"), FEEDBACK_CASES)
def test_feedback_needs_a_reply_and_scales_with_its_length(
    reply1: int | None,
    first: dict[str, bool],
    reply2: int | None,
    second: dict[str, bool],
    expected: tuple[float, float],
) -> None:
    engine = ProfileEngine()
    state = engine.new_state(now=T0)
    engine.observe_incoming(state, make_signals(30), T0)
    if reply1 is not None:
        engine.observe_outgoing(state, T0 + 20, reply1)
    engine.observe_incoming(state, make_signals(**first), T0 + MIN)
    if reply2 is not None:
        engine.observe_outgoing(state, T0 + MIN + 20, reply2)
    engine.observe_incoming(state, make_signals(**second), T0 + 2 * MIN)
    lo, hi = expected
    assert lo - 1e-9 <= state.length_pref <= hi + 1e-9


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
    for key in ("topics", "overrides", "length_pref", "length_pref_at", "week_hours", "d_intents"):
        del data[key]
    restored = ProfileState.from_dict(data)
    assert restored.messages_total == state.messages_total
    assert restored.topics == {}
    assert restored.overrides == {}
    assert restored.hours == [0.0] * 24
    assert restored.week_hours == [0.0] * 168
    # The engine keeps working on a state with missing parts.
    engine = ProfileEngine()
    engine.observe_incoming(restored, make_signals(), T0 + 4 * DAY)
    engine.assess(restored, T0 + 4 * DAY)


def test_v1_dict_migrates_and_round_trips() -> None:
    state = _busy_state(ProfileEngine())
    v1 = json.loads(json.dumps(as_v1(state.to_dict())))
    restored = ProfileState.from_dict(v1)
    # Each hour bin is spread evenly over the seven weekdays, as of the v1 `at`.
    for day in range(7):
        assert restored.week_hours[day * 24 + 14] == pytest.approx(3.0 / 7)
        assert restored.week_hours[day * 24 + 20] == pytest.approx(1.4 / 7)
    assert sum(restored.week_hours) == pytest.approx(4.4)
    assert restored.hours[14] == pytest.approx(3.0)
    assert restored.hist_at == state.at
    # The override is taken as set at the current message count.
    assert restored.overrides["researcher"][2] == state.messages_total
    assert restored.messages_total == state.messages_total
    assert restored.topics == state.topics
    # Written back it is a dict of the current version that reads back equal.
    data = restored.to_dict()
    assert data["version"] == ProfileState.VERSION == 3
    assert data["site"] is None  # no site events before v3
    assert "hours" not in data
    assert ProfileState.from_dict(json.loads(json.dumps(data))) == restored
    engine = ProfileEngine()
    engine.observe_incoming(restored, make_signals(), T0 + 4 * DAY)
    assert engine.assess(restored, T0 + 4 * DAY).active_hours


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
    assert len(state.week_hours) == 168
    assert state.messages_total == 0
    assert state.last_incoming_at is None
    assert all(len(entry) == 3 for entry in state.topics.values())
    assert state.overrides == {}
    # Whatever was salvaged is usable.
    engine = ProfileEngine()
    engine.observe_incoming(state, make_signals(topics=("ok", "new")), T0)
    engine.assess(state, T0)


NAN = float("nan")
INF = float("inf")


@pytest.mark.parametrize(
    ("version", "migrated"),
    [
        (None, True),
        ("abc", True),
        (0, True),
        (-3, True),
        (2.5, True),
        (True, True),
        (NAN, True),
        ("1", True),
        ("2", False),
        (2, False),
        (99, False),  # a newer version: read as it is, unknown keys ignored
    ],
)
def test_from_dict_reads_any_version(version: object, migrated: bool) -> None:
    data = as_v1(_busy_state(ProfileEngine()).to_dict())
    data["version"] = version
    if not migrated:  # a v2 dict under that number
        data.pop("hours")
        data["week_hours"] = [1.0] * 168
    state = ProfileState.from_dict(data)
    assert state.messages_total == 4
    expected = 3.0 / 7 if migrated else 1.0
    assert state.week_hours[14] == pytest.approx(expected)


def _damage(**changes: object) -> dict[str, object]:
    data = _busy_state(ProfileEngine()).to_dict()
    data.update(changes)
    return data


# (damage, check on the loaded state)
DAMAGE_CASES = [
    (_damage(lt_n=NAN), lambda st: st.lt_n == 0.0),
    (_damage(irritation=INF), lambda st: st.irritation == 0.0),
    (_damage(irritation=7.0), lambda st: st.irritation == 1.0),
    (_damage(length_pref=-3.0), lambda st: st.length_pref == -1.0),
    (_damage(problem=-2.0), lambda st: st.problem == 0.0),
    (_damage(d_msgs=-2, messages_total=-7), lambda st: st.d_msgs == 0 and st.messages_total == 0),
    (_damage(lt_log_gap=1e6), lambda st: st.avg_gap_s is not None and st.avg_gap_s < 4e9),
    (_damage(lt_formality=1e9), lambda st: st.lt_formality <= st.lt_n),
    (_damage(d_converted="false"), lambda st: st.d_converted is False),
    (_damage(d_converted="true"), lambda st: st.d_converted is True),
    (_damage(d_converted="maybe"), lambda st: st.d_converted is False),
    (
        _damage(recent_intents={"price": NAN, "booking": 0.4}),
        lambda st: st.recent_intents == {"booking": 0.4},
    ),
    (_damage(d_intents={"price": -3, "booking": 2}), lambda st: st.d_intents == {"booking": 2}),
    (_damage(week_hours=[NAN, -1.0, 2.0]), lambda st: st.week_hours[:3] == [0.0, 0.0, 2.0]),
    (_damage(overrides={"urgent": [INF, 0.0, 1.0]}), lambda st: st.overrides == {}),
    (_damage(src_campaign=12), lambda st: st.src_campaign is None),
    (_damage(last_incoming_at=NAN), lambda st: st.last_incoming_at is None),
]


@pytest.mark.parametrize(("data", "check"), DAMAGE_CASES)
def test_from_dict_refuses_damage_and_stays_usable(data: dict[str, object], check: object) -> None:
    state = ProfileState.from_dict(data)
    assert callable(check) and check(state)
    json.dumps(state.to_dict(), allow_nan=False)  # nothing non-finite is written back
    engine = ProfileEngine()
    for days in (4, 400):  # reading, also long after, never crashes
        engine.assess(state, T0 + days * DAY)
    engine.observe_incoming(state, make_signals(), T0 + 4 * DAY)
    engine.assess(state, T0 + 4 * DAY)
    json.dumps(state.to_dict(), allow_nan=False)


@pytest.mark.parametrize("at", ["missing", "garbage", None, NAN])
def test_lost_at_is_recovered_from_the_latest_event(at: object) -> None:
    state = _busy_state(ProfileEngine())
    data = state.to_dict()
    if at == "missing":
        del data["at"]
    else:
        data["at"] = at
    restored = ProfileState.from_dict(data)
    # Every event time is known, so the latest of them is where the sums were expressed.
    assert restored.at == max(state.last_incoming_at or 0.0, state.last_target_at or 0.0)
    assert restored.lt_n == pytest.approx(state.lt_n)
    ProfileEngine().observe_incoming(restored, make_signals(), restored.at + MIN)
    assert restored.lt_n > 1.0  # history survived the next update


def test_nan_timestamps_are_refused_everywhere() -> None:
    from profiling.assess.segments import Segment
    from profiling.errors import InvalidTimestamp

    engine = ProfileEngine()
    with pytest.raises(InvalidTimestamp):
        engine.new_state(now=NAN)
    state = _busy_state(engine)
    before = state.to_dict()
    calls = [
        lambda ts: engine.observe_incoming(state, make_signals(), ts),
        lambda ts: engine.observe_outgoing(state, ts, 100),
        lambda ts: engine.observe_order(state, ts, "created"),
        lambda ts: engine.observe_target_action(state, ts, "lead"),
        lambda ts: engine.override(state, Segment.URGENT, 0.5, ts),
        lambda ts: engine.assess(state, ts),
        lambda ts: engine.next_contact_slot(state, ts),
        lambda ts: engine.timing_of(state, ts),
        lambda ts: state.advance(ts, HalfLives()),
    ]
    for call in calls:
        for bad in (NAN, INF, -INF):
            with pytest.raises(InvalidTimestamp):
                call(bad)
    assert state.to_dict() == before  # nothing was half-applied
    with pytest.raises(ValueError, match="finite"):
        engine.override(state, Segment.URGENT, NAN, T0 + 4 * DAY)


def _averages(state: ProfileState) -> tuple[float, float]:
    return state.avg_chars, state.lt_formality / state.lt_n


# (message after three Russian ones: chars, words, lang; whether text averages change;
#  the language afterwards)
NO_WORDS_CASES = [
    (0, 0, Lang.EN, False, Lang.RU),  # an empty message
    (1, 0, Lang.EN, False, Lang.RU),  # "👍"
    (3, 0, Lang.EN, False, Lang.RU),  # "???"
    (2, 1, Lang.EN, True, Lang.RU),  # "ok": a word, but too little to tell a language
    (5, 1, Lang.EN, True, Lang.RU),  # "12345"
    (26, 5, Lang.EN, True, Lang.EN),  # "Could you check it for me": clear English
]


@pytest.mark.parametrize(("chars", "words", "lang", "averages", "lang_after"), NO_WORDS_CASES)
def test_messages_without_words_only_update_timing(
    chars: int, words: int, lang: Lang, averages: bool, lang_after: Lang
) -> None:
    engine = ProfileEngine()
    state = engine.new_state(now=T0)
    for i in range(3):
        engine.observe_incoming(state, make_signals(300, formality=0.8), T0 + i * MIN)
    before = _averages(state)
    hours_before = sum(state.hours)
    msg = make_signals(chars, words=words, lang=lang, formality=-0.5)
    # The analyser marks the language clear only when the text showed it (several words).
    msg = dataclasses.replace(msg, lang_clear=words >= 2)
    engine.observe_incoming(state, msg, T0 + 4 * MIN)
    after = _averages(state)
    assert state.lang is lang_after
    assert (after != pytest.approx(before, rel=1e-9)) is averages
    # Timing always counts: the message total, the gap, the hour.
    assert state.messages_total == 4
    assert state.lt_gaps == pytest.approx(3.0, rel=1e-3)
    assert sum(state.hours) > hours_before
    assert state.last_incoming_at == T0 + 4 * MIN


def test_emoji_keeps_a_long_writer_long() -> None:
    engine = ProfileEngine()
    state = engine.new_state(now=T0)
    for i in range(3):
        engine.observe_incoming(state, make_signals(400, questions=1), T0 + i * MIN)
    engine.observe_outgoing(state, T0 + 3 * MIN, 700)
    for i, chars in enumerate((0, 0, 1)):  # two empty messages and a 👍
        engine.observe_incoming(state, make_signals(chars, words=0), T0 + (4 + i) * MIN)
    a = engine.assess(state, T0 + 8 * MIN)
    assert state.avg_chars == pytest.approx(400)
    assert a.advice.length == "long"
    assert a.lang is Lang.RU


def test_first_message_with_words_sets_the_language() -> None:
    engine = ProfileEngine()
    state = engine.new_state(now=T0)
    engine.observe_incoming(state, make_signals(1, words=0, lang=Lang.EN), T0)
    assert state.lang is Lang.RU  # the default: no words yet
    engine.observe_incoming(state, make_signals(2, words=1, lang=Lang.EN), T0 + MIN)
    assert state.lang is Lang.EN


def test_copy_is_equal_and_shares_no_container() -> None:
    """The cache hands out copies for a unit of work to change; a list or dict shared with
    the original would leak an uncommitted change into the committed state."""
    state = _busy_state(ProfileEngine())
    clone = state.copy()
    assert clone == state and clone is not state
    for f in dataclasses.fields(state):
        value = getattr(state, f.name)
        if isinstance(value, list | dict):
            assert getattr(clone, f.name) is not value, f.name
            if isinstance(value, dict):
                for key, inner in value.items():
                    if isinstance(inner, list):
                        assert getattr(clone, f.name)[key] is not inner, (f.name, key)
    engine = ProfileEngine()
    engine.observe_incoming(clone, make_signals(intent=Intent.PRICE), state.at + MIN)
    assert state.to_dict() != clone.to_dict()
    assert state == ProfileState.from_dict(state.to_dict())
