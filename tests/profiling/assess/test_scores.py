"""Lead hotness and churn risk: documented formulas, their drivers and their reasons."""

from __future__ import annotations

from dataclasses import replace

import pytest

from profiling.assess.scores import Score
from profiling.engine import ProfileEngine
from profiling.profile.snapshot import take_snapshot
from profiling.profile.state import ProfileState
from profiling.types import Intent, SourceContext
from tests.factories import DAY, HOUR, MIN, T0, make_signals


def _weekly_customer(engine: ProfileEngine, weeks: int = 6) -> ProfileState:
    """Comes back once a week for a short chat."""
    state = engine.new_state(now=T0)
    for w in range(weeks):
        for i in range(3):
            engine.observe_incoming(state, make_signals(50), T0 + w * 7 * DAY + i * MIN)
    return state


def _reason(score: Score, code: str) -> float:
    return next((r.contribution for r in score.reasons if r.code == code), 0.0)


@pytest.mark.parametrize(
    ("silent_days", "low", "high"),
    [(3, 0, 5), (7, 0, 5), (21, 3, 25), (60, 20, 100)],
)
def test_churn_grows_with_silence_against_usual_cadence(
    silent_days: int, low: int, high: int
) -> None:
    engine = ProfileEngine()
    state = _weekly_customer(engine)
    last = state.last_incoming_at
    assert last is not None
    churn = engine.assess(state, last + silent_days * DAY).churn
    assert low <= churn.value <= high
    if silent_days >= 21:
        assert churn.reasons[0].code == "silence_ratio"


def test_usual_cadence_is_learned() -> None:
    state = _weekly_customer(ProfileEngine())
    assert state.usual_dialog_gap_s == pytest.approx(7 * DAY, rel=0.01)


def test_activity_decline_is_a_churn_reason() -> None:
    engine = ProfileEngine()
    state = engine.new_state(now=T0)
    for day in range(60):  # daily for two months
        engine.observe_incoming(state, make_signals(40), T0 + day * DAY)
    steady = engine.assess(state, T0 + 59 * DAY + MIN).churn
    engine.observe_incoming(state, make_signals(40), T0 + 80 * DAY)  # then three quiet weeks
    declined = engine.assess(state, T0 + 80 * DAY + MIN).churn
    assert _reason(steady, "activity_decline") == 0.0
    assert _reason(declined, "activity_decline") > 3.0


def test_recent_purchase_lowers_churn_and_irritation_raises_it() -> None:
    engine = ProfileEngine()
    base = _weekly_customer(engine, weeks=2)
    now = T0 + 30 * DAY
    neutral = engine.assess(base, now).churn.value
    bought = _weekly_customer(engine, weeks=2)
    engine.observe_order(bought, now - DAY, "delivered")
    assert engine.assess(bought, now).churn.value < neutral
    calm = _weekly_customer(engine, weeks=2)
    engine.observe_incoming(calm, make_signals(30), now - MIN)
    angry = _weekly_customer(engine, weeks=2)
    engine.observe_incoming(angry, make_signals(30, polarity=-0.8, irritation=0.9), now - MIN)
    assert engine.assess(angry, now).churn.value > engine.assess(calm, now).churn.value + 20


def _hotness(engine: ProfileEngine, campaign: str | None, intents: list[Intent]) -> int:
    state = engine.new_state(now=T0, source=SourceContext(campaign=campaign))
    for i, intent in enumerate(intents):
        engine.observe_incoming(state, make_signals(50, intent=intent), T0 + i * MIN)
    return engine.assess(state, T0 + 5 * MIN).hotness.value


def test_hotness_ladder() -> None:
    """Each rung adds one driver: an ad click, buying questions, then a booking."""
    engine = ProfileEngine()
    ladder = [
        _hotness(engine, None, [Intent.GREETING]),
        _hotness(engine, "spring_launch", [Intent.GREETING]),
        _hotness(engine, "spring_launch", [Intent.PRICE, Intent.PRODUCT_QUESTION]),
        _hotness(engine, "spring_launch", [Intent.PRICE, Intent.BOOKING, Intent.BOOKING]),
    ]
    assert ladder == sorted(ladder)
    assert len(set(ladder)) == 4
    assert ladder[-1] >= 60


def test_irritation_cools_a_lead() -> None:
    engine = ProfileEngine()
    scores = []
    for irritation in (0.0, 0.9):
        state = engine.new_state(now=T0)
        signals = make_signals(50, intent=Intent.PRICE, irritation=irritation)
        engine.observe_incoming(state, signals, T0)
        scores.append(engine.assess(state, T0 + MIN).hotness)
    assert scores[1].value < scores[0].value
    assert _reason(scores[1], "irritation") < 0


@pytest.mark.parametrize("days_later", [0, 1, 10, 100])
def test_scores_bounded_and_reasons_sorted(days_later: int) -> None:
    engine = ProfileEngine()
    state = _weekly_customer(engine, weeks=3)
    engine.observe_incoming(
        state, make_signals(20, intent=Intent.BOOKING, polarity=0.9), T0 + 21 * DAY
    )
    engine.observe_target_action(state, T0 + 21 * DAY, "booking")
    a = engine.assess(state, T0 + (21 + days_later) * DAY)
    for score in (a.hotness, a.churn):
        assert 0 <= score.value <= 100
        points = [abs(r.contribution) for r in score.reasons]
        assert points == sorted(points, reverse=True)
        # Dropped reasons are under half a point each.
        total = sum(r.contribution for r in score.reasons)
        assert min(100.0, max(0.0, total)) == pytest.approx(score.value, abs=4.0)


@pytest.mark.parametrize(
    ("every_days", "at_day"),
    [(2, 10), (2, 20), (2, 90), (1, 12), (1, 60), (5, 30)],
)
def test_activity_trend_is_one_for_a_steady_writer_at_any_age(every_days: int, at_day: int) -> None:
    engine = ProfileEngine()
    state = engine.new_state(now=T0)
    for day in range(0, at_day + 1, every_days):
        engine.observe_incoming(state, make_signals(40), T0 + day * DAY + 10 * HOUR)
    now = T0 + at_day * DAY + 11 * HOUR
    trend = take_snapshot(state, now, engine.config.half_lives).activity_trend
    assert trend == pytest.approx(1.0, abs=0.25)
    assert _reason(engine.assess(state, now).churn, "activity_decline") == 0.0


def test_loyalty_credit_is_withheld_while_the_order_is_the_problem() -> None:
    engine = ProfileEngine()
    state = engine.new_state(now=T0)
    engine.observe_order(state, T0, "paid")
    happy = engine.assess(state, T0 + DAY).churn
    angry = make_signals(40, intent=Intent.ORDER_STATUS, polarity=-0.8, irritation=0.9)
    for i in range(3):
        engine.observe_incoming(state, angry, T0 + DAY + i * MIN)
    upset = engine.assess(state, T0 + DAY + 5 * MIN).churn
    assert _reason(happy, "recent_purchase") < -10
    assert _reason(upset, "recent_purchase") > -3  # almost no credit for the problem order


@pytest.mark.parametrize(
    ("threat", "days_later", "low", "high"),
    # Two weeks later the warning still counts at half strength, and no purchase offsets it.
    [(False, 0, 0, 50), (True, 0, 60, 100), (True, 14, 10, 60), (True, 60, 0, 45)],
)
def test_stated_intent_to_leave_raises_churn(
    threat: bool, days_later: int, low: int, high: int
) -> None:
    engine = ProfileEngine()
    state = engine.new_state(now=T0)
    engine.observe_order(state, T0 - 3 * DAY, "delivered")
    # "Worst shop ever, never ordering again"
    worst = make_signals(38, intent=Intent.COMPLAINT, polarity=-0.9, irritation=0.6)
    engine.observe_incoming(state, replace(worst, threatens_to_leave=threat), T0)
    churn = engine.assess(state, T0 + MIN + days_later * DAY).churn
    assert low <= churn.value <= high
    assert (_reason(churn, "threatens_to_leave") > 0) is threat
    if threat:
        assert _reason(churn, "recent_purchase") > -5
