"""End-to-end scenarios through the ProfileEngine facade, with prebuilt MessageSignals."""

from __future__ import annotations

import pytest

from profiling.assess.segments import Segment
from profiling.engine import EngineConfig, ProfileEngine
from profiling.profile.state import ProfileState
from profiling.types import Intent, Lang, SourceContext
from tests.factories import DAY, HOUR, MIN, T0, as_v1, make_signals


def _hurried(engine: ProfileEngine) -> ProfileState:
    state = engine.new_state(now=T0)
    texts = [(14, True), (9, False), (20, True), (11, False), (8, False)]
    for i, (chars, urgent) in enumerate(texts):
        engine.observe_incoming(
            state, make_signals(chars, urgent=urgent, formality=-0.3), T0 + i * 12
        )
    return state


def _researcher(engine: ProfileEngine) -> ProfileState:
    state = engine.new_state(now=T0)
    intents = [
        Intent.PRODUCT_QUESTION,
        Intent.COMPARISON,
        Intent.PRODUCT_QUESTION,
        Intent.COMPARISON,
    ]
    ts = T0
    for intent in intents:
        engine.observe_incoming(
            state,
            make_signals(420, questions=2, terminology=3, formality=0.6, intent=intent),
            ts,
        )
        engine.observe_outgoing(state, ts + 30, 700)
        ts += 6 * MIN
    return state


def _problem_customer(engine: ProfileEngine) -> tuple[ProfileState, int]:
    state = engine.new_state(now=T0)
    engine.observe_incoming(state, make_signals(60, intent=Intent.PRICE), T0)
    engine.observe_order(state, T0 + HOUR, "created")
    engine.observe_order(state, T0 + 2 * HOUR, "paid")
    calm_churn = engine.assess(state, T0 + 5 * DAY).churn.value
    angry = make_signals(
        45, intent=Intent.ORDER_STATUS, polarity=-0.8, irritation=0.85, waiting=True, questions=2
    )
    engine.observe_incoming(state, angry, T0 + 5 * DAY)
    engine.observe_incoming(state, angry, T0 + 5 * DAY + 40)
    return state, calm_churn


def test_hurried_customer_is_urgent_and_gets_short_answers() -> None:
    engine = ProfileEngine()
    a = engine.assess(_hurried(engine), T0 + 60)
    urgent = a.segments[Segment.URGENT]
    assert urgent.value > a.segments[Segment.RESEARCHER].value
    assert urgent.value >= 0.6
    assert a.advice.length == "short"
    assert a.top_segments()[0][0] is Segment.URGENT
    assert {r.code for r in urgent.reasons} >= {"short_messages", "urgency_words", "rapid_pace_s"}


def test_researcher_scores_high_and_gets_long_answers() -> None:
    engine = ProfileEngine()
    a = engine.assess(_researcher(engine), T0 + 20 * MIN)
    researcher = a.segments[Segment.RESEARCHER]
    assert researcher.value >= 0.6
    assert researcher.value > a.segments[Segment.URGENT].value
    assert a.advice.length == "long"
    assert a.advice.formal is True
    assert a.advice.lead_with == "comparison"


def test_order_problem_is_returning_with_problem_irritated_and_raises_churn() -> None:
    engine = ProfileEngine()
    state, calm_churn = _problem_customer(engine)
    a = engine.assess(state, T0 + 5 * DAY + 60)
    assert a.segments[Segment.RETURNING_WITH_PROBLEM].value >= 0.6
    assert a.segments[Segment.IRRITATED].value >= 0.6
    assert a.churn.value > calm_churn + 20
    assert a.advice.empathetic is True
    assert a.advice.lead_with in {"order_status", "handoff"}
    assert a.churn.reasons[0].code in {"irritation", "open_problem"}


def test_irritation_decays_after_two_days() -> None:
    engine = ProfileEngine()
    state, _ = _problem_customer(engine)
    angry_at = T0 + 5 * DAY + 40
    fresh = engine.assess(state, angry_at + 60).segments[Segment.IRRITATED].value
    later = engine.assess(state, angry_at + 2 * DAY).segments[Segment.IRRITATED].value
    assert fresh >= 0.6
    assert later < 0.2


@pytest.mark.parametrize(
    ("source", "segment"),
    [
        (SourceContext(campaign="black_friday_SALE"), Segment.PRICE_SENSITIVE),
        (SourceContext(tags=frozenset({"скидки-март"})), Segment.PRICE_SENSITIVE),
        (SourceContext(ad="promo_code_10"), Segment.PRICE_SENSITIVE),
        (SourceContext(creative="grinders-compare-2024"), Segment.RESEARCHER),
        (SourceContext(campaign="review_blogger"), Segment.RESEARCHER),
    ],
)
def test_cold_start_source_prior_with_low_confidence(
    source: SourceContext, segment: Segment
) -> None:
    engine = ProfileEngine()
    state = engine.new_state(now=T0, source=source)
    score = engine.assess(state, T0).segments[segment]
    neutral = engine.assess(engine.new_state(now=T0), T0).segments[segment]
    assert score.value >= 0.5
    assert score.value > neutral.value
    assert score.confidence <= 0.3
    assert score.reasons[0].code == "source_prior"


def test_confidence_grows_with_evidence() -> None:
    engine = ProfileEngine()
    state = engine.new_state(now=T0)
    confidences = []
    for i in range(6):
        engine.observe_incoming(state, make_signals(200, questions=1), T0 + i * MIN)
        confidences.append(
            engine.assess(state, T0 + i * MIN).segments[Segment.RESEARCHER].confidence
        )
    assert confidences == sorted(confidences)
    assert confidences[-1] > confidences[0] + 0.2


def test_no_evidence_is_neutral() -> None:
    engine = ProfileEngine()
    a = engine.assess(engine.new_state(now=T0), T0)
    assert a.top_segments() == []
    assert all(sc.confidence == 0.0 for sc in a.segments.values())
    assert a.advice.length == "medium"
    assert a.active_hours == ()


def test_feedback_shorter_flips_advice_quickly() -> None:
    engine = ProfileEngine()
    state = _researcher(engine)
    assert engine.assess(state, T0 + 30 * MIN).advice.length == "long"
    engine.observe_incoming(state, make_signals(8, asks_shorter=True), T0 + 30 * MIN)
    assert engine.assess(state, T0 + 31 * MIN).advice.length == "short"


def test_feedback_more_detail_flips_short_writer_to_long() -> None:
    engine = ProfileEngine()
    state = _hurried(engine)
    engine.observe_outgoing(state, T0 + 70, 60)
    engine.observe_incoming(state, make_signals(12, asks_more_detail=True), T0 + 90)
    assert engine.assess(state, T0 + 100).advice.length == "long"


def test_override_pins_segment_and_fades_slowly() -> None:
    engine = ProfileEngine()
    state = _hurried(engine)
    engine.override(state, Segment.RESEARCHER, 0.95, T0 + 60)
    pinned = engine.assess(state, T0 + 120).segments[Segment.RESEARCHER]
    assert pinned.value >= 0.9
    assert pinned.confidence >= 0.9
    assert any(r.code == "operator_override" for r in pinned.reasons)
    a_week = engine.assess(state, T0 + 7 * DAY).segments[Segment.RESEARCHER]
    assert a_week.value >= 0.8  # still pinned a week later


def test_target_action_raises_hotness_and_buying_intents_count() -> None:
    engine = ProfileEngine()
    state = engine.new_state(now=T0, source=SourceContext(campaign="coffee_launch"))
    engine.observe_incoming(state, make_signals(50, intent=Intent.GREETING), T0)
    idle = engine.assess(state, T0 + MIN).hotness.value
    engine.observe_incoming(state, make_signals(60, intent=Intent.PRICE, questions=1), T0 + 2 * MIN)
    engine.observe_incoming(state, make_signals(60, intent=Intent.BOOKING), T0 + 4 * MIN)
    interested = engine.assess(state, T0 + 5 * MIN).hotness.value
    engine.observe_target_action(state, T0 + 6 * MIN, "booking")
    booked = engine.assess(state, T0 + 7 * MIN).hotness.value
    assert idle < interested < booked
    cold = engine.assess(state, T0 + 20 * DAY).hotness.value
    assert cold < interested


def test_assessment_lang_follows_last_message() -> None:
    engine = ProfileEngine()
    state = engine.new_state(now=T0)
    engine.observe_incoming(state, make_signals(lang=Lang.EN), T0)
    assert engine.assess(state, T0).lang is Lang.EN


def test_next_contact_slot_uses_config_and_history() -> None:
    engine = ProfileEngine(EngineConfig(utc_offset_minutes=180, quiet_hours=(22, 9)))
    state = engine.new_state(now=T0)
    # T0 is 22:13 UTC = 01:13 local (+03:00); the customer writes around local 15:00 daily.
    day0 = T0 - (T0 + 180 * 60) % DAY  # local midnight, as unix time
    for day in range(5):
        engine.observe_incoming(state, make_signals(), day0 + day * DAY + 15 * HOUR + 10 * MIN)
    after = day0 + 6 * DAY + 2 * HOUR  # 02:00 local, deep in the quiet hours
    slot = engine.next_contact_slot(state, after)
    assert slot == day0 + 6 * DAY + 15 * HOUR


@pytest.mark.parametrize(
    ("text", "urgent"),
    [
        ("Срочно нужна кофемолка, когда доставка?", True),
        ("need a refill asap", True),
        ("Подскажите, пожалуйста, чем отличаются эти зёрна?", False),
    ],
)
def test_analyze_fills_urgency(text: str, urgent: bool) -> None:
    pytest.importorskip("profiling.text.signals")
    signals = ProfileEngine().analyze(text)
    assert signals.urgent is urgent
    assert signals.chars > 0


MONDAY = 1_704_067_200.0  # 2024-01-01 00:00 UTC, a Monday


def _weekend_writer(engine: ProfileEngine) -> ProfileState:
    """Four weekends of messages around Saturday 14:00 and Sunday 15:00, local time."""
    state = engine.new_state(now=MONDAY)
    for week in range(4):
        sat = MONDAY + week * 7 * DAY + 5 * DAY
        for ts in (sat + 14 * HOUR + 5 * MIN, sat + 14 * HOUR + 9 * MIN, sat + DAY + 15 * HOUR):
            engine.observe_incoming(state, make_signals(), ts)
    return state


@pytest.mark.parametrize("offset_min", [0, 180, -300])
def test_weekend_writer_is_contacted_at_the_weekend(offset_min: int) -> None:
    engine = ProfileEngine(EngineConfig(utc_offset_minutes=offset_min))
    shift = -offset_min * 60  # local times as unix time
    state = engine.new_state(now=MONDAY + shift)
    for week in range(4):
        sat = MONDAY + shift + week * 7 * DAY + 5 * DAY
        for ts in (sat + 14 * HOUR + 5 * MIN, sat + 14 * HOUR + 9 * MIN, sat + DAY + 15 * HOUR):
            engine.observe_incoming(state, make_signals(), ts)
    monday_noon = MONDAY + shift + 4 * 7 * DAY + 12 * HOUR
    slot = engine.next_contact_slot(state, monday_noon)
    saturday = MONDAY + shift + 4 * 7 * DAY + 5 * DAY
    assert saturday + 13 * HOUR <= slot <= saturday + 15 * HOUR  # not Tuesday 11:00
    # Active hours stay hours of day.
    hours = engine.assess(state, monday_noon).active_hours
    assert set(hours) >= {14, 15}
    assert all(0 <= h < 24 for h in hours)


def test_migrated_v1_profile_has_no_weekday_preference() -> None:
    engine = ProfileEngine()
    state = _weekend_writer(engine)
    old = ProfileState.from_dict(as_v1(state.to_dict()))  # a v1 histogram at 14:00 and 20:00
    monday_noon = MONDAY + 4 * 7 * DAY + 12 * HOUR
    slot = engine.next_contact_slot(old, monday_noon)
    assert slot == monday_noon + 2 * HOUR  # 14:00 the same day: nothing known of weekdays


@pytest.mark.parametrize(
    ("segment", "target", "messages", "low", "high"),
    [
        # A mood override yields fast: two furious messages after "not irritated" show.
        (Segment.IRRITATED, 0.0, 0, 0.0, 0.05),
        (Segment.IRRITATED, 0.0, 2, 0.5, 1.0),
        # A habit override survives a message or two.
        (Segment.RESEARCHER, 0.95, 2, 0.6, 1.0),
    ],
)
def test_override_yields_to_later_messages(
    segment: Segment, target: float, messages: int, low: float, high: float
) -> None:
    engine = ProfileEngine()
    state = engine.new_state(now=T0)
    engine.observe_order(state, T0 - 5 * DAY, "created")
    engine.observe_incoming(state, make_signals(40, polarity=-0.6, irritation=0.8), T0)
    engine.override(state, segment, target, T0 + MIN)
    for i in range(messages):
        furious = make_signals(
            20, intent=Intent.ORDER_STATUS, polarity=-0.8, irritation=0.9, urgent=True
        )
        engine.observe_incoming(state, furious, T0 + (2 + i) * MIN)
    a = engine.assess(state, T0 + 5 * MIN)
    assert low <= a.segments[segment].value <= high
    if segment is Segment.IRRITATED and messages:
        assert a.advice.empathetic is True


@pytest.mark.parametrize(
    ("days_later", "urgent_max", "burst_shown", "engagement_max"),
    [(0, 1.0, True, 15.0), (3, 0.3, False, 3.0), (90, 0.21, False, 0.0), (365, 0.21, False, 0.0)],
)
def test_dialog_signals_fade_after_the_dialog(
    days_later: int, urgent_max: float, burst_shown: bool, engagement_max: float
) -> None:
    engine = ProfileEngine()
    state = engine.new_state(now=T0)
    for i in range(5):  # five quick «срочно» messages
        engine.observe_incoming(state, make_signals(12, urgent=True), T0 + i * 10)
    a = engine.assess(state, T0 + MIN + days_later * DAY)
    urgent = a.segments[Segment.URGENT]
    assert urgent.value <= urgent_max
    if days_later == 0:
        assert urgent.value >= 0.6
    if days_later >= 90:
        assert urgent.confidence < 0.05  # back to the prior, and says so
    assert any(r.code == "burst" for r in urgent.reasons) is burst_shown
    engagement = next((r.contribution for r in a.hotness.reasons if r.code == "engagement"), 0.0)
    assert engagement <= engagement_max


def test_prospect_asking_delivery_and_returns_is_not_a_problem() -> None:
    """Seed scenario kept: with an order, an angry "where is my order" is a problem."""
    engine = ProfileEngine()
    prospect = engine.new_state(now=T0)
    questions = [Intent.DELIVERY, Intent.DELIVERY, Intent.WARRANTY, Intent.RETURN_REFUND]
    for i, intent in enumerate(questions):
        engine.observe_incoming(
            prospect, make_signals(35, questions=1, intent=intent), T0 + i * MIN
        )
        engine.observe_outgoing(prospect, T0 + i * MIN + 20, 150)
    a = engine.assess(prospect, T0 + 5 * MIN)
    assert a.segments[Segment.RETURNING_WITH_PROBLEM].value < 0.1
    assert a.churn.value < 10
    assert a.segments[Segment.RESEARCHER].value > 0.3
    assert a.hotness.value >= 50  # pre-purchase questions are buying interest
    customer, _ = _problem_customer(engine)
    b = engine.assess(customer, T0 + 5 * DAY + 60)
    assert b.segments[Segment.RETURNING_WITH_PROBLEM].value >= 0.6
