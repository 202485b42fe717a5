"""Segment scores: behaviour scenarios, priors, reasons that add up, overrides."""

from __future__ import annotations

import pytest

from profiling.assess.segments import (
    NEUTRAL_PRIOR,
    Segment,
    source_priors,
)
from profiling.engine import ProfileEngine
from profiling.profile.state import ProfileState
from profiling.text.style import mentions_urgency
from profiling.types import Intent, SourceContext
from tests.factories import DAY, HOUR, MIN, T0, make_signals


@pytest.mark.parametrize(
    ("text", "urgent"),
    [
        ("Срочно нужен ответ", True),
        ("нужно СРОЧНО, горит", True),
        ("Можно побыстрее?", True),
        ("ответьте прямо сейчас", True),
        ("Need it ASAP", True),
        ("please reply right now", True),
        ("this is urgent!", True),
        ("Спасибо, всё пришло", False),
        ("Сколько стоит доставка?", False),
        ("what's the price of the grinder", False),
        ("I will decide later", False),
    ],
)
def test_mentions_urgency(text: str, urgent: bool) -> None:
    assert mentions_urgency(text) is urgent


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (SourceContext(), set()),
        (SourceContext(campaign="autumn_SALE_2024"), {Segment.PRICE_SENSITIVE}),
        (SourceContext(tags=frozenset({"skidka15"})), {Segment.PRICE_SENSITIVE}),
        (SourceContext(ad="Акция недели"), {Segment.PRICE_SENSITIVE}),
        (SourceContext(creative="review-video"), {Segment.RESEARCHER}),
        (SourceContext(campaign="cart_retarget"), {Segment.DOUBTING_BUYER}),
        (
            SourceContext(campaign="compare_models", tags=frozenset({"promo"})),
            {Segment.RESEARCHER, Segment.PRICE_SENSITIVE},
        ),
        (SourceContext(campaign="brand_awareness"), set()),
        # Whole words, not substrings: no "sale" in wholesale, "cart" in cartridge ...
        (SourceContext(campaign="wholesale_partners"), set()),
        (SourceContext(ad="cartridge-filters"), set()),
        (SourceContext(creative="operating_manual"), set()),
        (SourceContext(campaign="presale_teaser"), set()),
        # ... but plurals, stems, camelCase, digits and Russian forms do match.
        (SourceContext(campaign="springSales2024"), {Segment.PRICE_SENSITIVE}),
        (SourceContext(ad="PROMOcode"), {Segment.PRICE_SENSITIVE}),
        (SourceContext(campaign="промо_весна"), {Segment.PRICE_SENSITIVE}),
        (SourceContext(tags=frozenset({"промокод"})), {Segment.PRICE_SENSITIVE}),
        (SourceContext(campaign="BlackFriday"), {Segment.PRICE_SENSITIVE}),
        (SourceContext(campaign="abandoned-carts"), {Segment.DOUBTING_BUYER}),
        (SourceContext(creative="grinderComparison"), {Segment.RESEARCHER}),
        (SourceContext(ad="same-day-delivery"), {Segment.URGENT}),
        (SourceContext(ad="Срочная доставка"), {Segment.URGENT}),
    ],
)
def test_source_priors(source: SourceContext, expected: set[Segment]) -> None:
    priors = source_priors(source)
    assert set(priors) == expected
    assert all(NEUTRAL_PRIOR < p < 1.0 for p in priors.values())


def _doubter(engine: ProfileEngine) -> ProfileState:
    """Three visits on three days about the same grinder: compares, asks, checks the price."""
    state = engine.new_state(now=T0)
    visits = [
        [Intent.PRODUCT_QUESTION, Intent.PRICE],
        [Intent.COMPARISON, Intent.PRODUCT_QUESTION],
        [Intent.PRICE, Intent.COMPARISON],
    ]
    for day, intents in enumerate(visits):
        for i, intent in enumerate(intents):
            signals = make_signals(90, questions=1, intent=intent, topics=("grinder_c2",))
            engine.observe_incoming(state, signals, T0 + day * DAY + i * 3 * MIN)
    return state


def test_doubting_buyer_and_purchase_lowers_it() -> None:
    engine = ProfileEngine()
    state = _doubter(engine)
    now = T0 + 2 * DAY + 10 * MIN
    before = engine.assess(state, now).segments[Segment.DOUBTING_BUYER]
    assert before.value >= 0.6
    codes = {r.code for r in before.reasons}
    assert {"returns_to_topics", "compares", "no_purchase"} <= codes
    engine.observe_order(state, now, "created")
    after = engine.assess(state, now + MIN).segments[Segment.DOUBTING_BUYER]
    assert after.value < before.value - 0.3
    assert any(r.code == "recent_purchase" and r.contribution < 0 for r in after.reasons)


def test_one_time_visitor_is_not_a_doubter() -> None:
    engine = ProfileEngine()
    state = engine.new_state(now=T0)
    engine.observe_incoming(state, make_signals(80, intent=Intent.PRODUCT_QUESTION), T0)
    assert engine.assess(state, T0 + MIN).segments[Segment.DOUBTING_BUYER].value < 0.5


def test_price_sensitive_from_messages_across_dialogs() -> None:
    engine = ProfileEngine()
    state = engine.new_state(now=T0)
    for day in range(3):
        engine.observe_incoming(state, make_signals(40, intent=Intent.PRICE), T0 + day * DAY)
        engine.observe_incoming(state, make_signals(30), T0 + day * DAY + MIN)
    score = engine.assess(state, T0 + 2 * DAY + 2 * MIN).segments[Segment.PRICE_SENSITIVE]
    assert score.value >= 0.6
    assert score.confidence >= 0.7


def test_discount_prior_fades_into_evidence() -> None:
    engine = ProfileEngine()
    state = engine.new_state(now=T0, source=SourceContext(campaign="summer_sale"))
    cold = engine.assess(state, T0).segments[Segment.PRICE_SENSITIVE]
    for i in range(8):  # lots of messages, never about price
        engine.observe_incoming(
            state, make_signals(60, intent=Intent.PRODUCT_QUESTION), T0 + i * MIN
        )
    warm = engine.assess(state, T0 + 9 * MIN).segments[Segment.PRICE_SENSITIVE]
    assert warm.confidence > cold.confidence
    assert warm.value < cold.value


def test_returning_problem_needs_an_order_to_be_confident() -> None:
    engine = ProfileEngine()
    angry = make_signals(50, intent=Intent.ORDER_STATUS, polarity=-0.6, irritation=0.5)
    unknown = engine.new_state(now=T0)
    engine.observe_incoming(unknown, angry, T0)
    known = engine.new_state(now=T0)
    engine.observe_order(known, T0 - 3 * DAY, "paid")
    engine.observe_incoming(known, angry, T0)
    a_unknown = engine.assess(unknown, T0 + MIN).segments[Segment.RETURNING_WITH_PROBLEM]
    a_known = engine.assess(known, T0 + MIN).segments[Segment.RETURNING_WITH_PROBLEM]
    assert a_known.value > a_unknown.value
    assert a_known.value >= 0.6


def test_cancelled_order_opens_a_problem_and_delivery_resolves_it() -> None:
    engine = ProfileEngine()
    state = engine.new_state(now=T0)
    engine.observe_order(state, T0, "created")
    engine.observe_order(state, T0 + DAY, "cancelled")
    engine.observe_incoming(state, make_signals(40, polarity=-0.5), T0 + DAY + HOUR)
    opened = engine.assess(state, T0 + DAY + 2 * HOUR).segments[Segment.RETURNING_WITH_PROBLEM]
    engine.observe_order(state, T0 + DAY + 3 * HOUR, "created")
    engine.observe_order(state, T0 + DAY + 4 * HOUR, "delivered")
    resolved = engine.assess(state, T0 + DAY + 5 * HOUR).segments[Segment.RETURNING_WITH_PROBLEM]
    assert resolved.value < opened.value


def test_override_fades_over_its_half_life() -> None:
    engine = ProfileEngine()
    state = engine.new_state(now=T0)
    engine.observe_incoming(state, make_signals(20), T0)
    engine.override(state, Segment.PRICE_SENSITIVE, 1.0, T0)
    hl = engine.config.half_lives.override_s
    fresh = engine.assess(state, T0).segments[Segment.PRICE_SENSITIVE].value
    faded = engine.assess(state, T0 + hl).segments[Segment.PRICE_SENSITIVE].value
    free = engine.assess(engine.new_state(now=T0), T0).segments[Segment.PRICE_SENSITIVE].value
    assert fresh == pytest.approx(1.0)
    assert free < faded < fresh


def _scenario_states() -> list[tuple[ProfileState, float]]:
    engine = ProfileEngine()
    out = [(engine.new_state(now=T0, source=SourceContext(campaign="sale")), T0)]
    out.append((_doubter(engine), T0 + 3 * DAY))
    state = engine.new_state(now=T0)
    for i in range(6):
        signals = make_signals(
            15 + 60 * i, questions=i % 2, urgent=i == 0, polarity=-0.3 * (i % 3), irritation=0.2 * i
        )
        engine.observe_incoming(state, signals, T0 + i * 25)
    out.append((state, T0 + 200))
    return out


@pytest.mark.parametrize("index", [0, 1, 2])
def test_values_bounded_and_reasons_explain_the_value(index: int) -> None:
    engine = ProfileEngine()
    state, now = _scenario_states()[index]
    for segment, score in engine.assess(state, now).segments.items():
        assert 0.0 <= score.value <= 1.0
        assert 0.0 <= score.confidence <= 1.0
        weights = [abs(r.contribution) for r in score.reasons]
        assert weights == sorted(weights, reverse=True), segment
        # Only reasons under 0.005 are dropped, so the shown ones sum to the value.
        total = sum(r.contribution for r in score.reasons)
        assert total == pytest.approx(score.value, abs=0.005 * 8), segment


def _asked(
    intent: Intent, *, has_order: bool, polarity: float = 0.0, irritation: float = 0.0
) -> ProfileState:
    engine = ProfileEngine()
    state = engine.new_state(now=T0)
    if has_order:
        engine.observe_order(state, T0 - 4 * DAY, "paid")
    for i in range(2):
        signals = make_signals(
            40, questions=1, intent=intent, polarity=polarity, irritation=irritation
        )
        engine.observe_incoming(state, signals, T0 + i * MIN)
    return state


# (intent, has an order, polarity, irritation, opens a problem, counts as interest)
PROBLEM_GATE_CASES = [
    (Intent.DELIVERY, False, 0.0, 0.0, False, True),  # "Do you deliver to Kazan?"
    (Intent.WARRANTY, False, 0.0, 0.0, False, True),  # "Is there a warranty?"
    (Intent.RETURN_REFUND, False, 0.0, 0.0, False, True),  # "Can I return it?"
    (Intent.ORDER_STATUS, False, 0.0, 0.0, False, False),  # an order the shop never saw
    (Intent.DELIVERY, True, 0.0, 0.0, True, False),  # a customer's delivery question
    (Intent.ORDER_STATUS, True, 0.0, 0.0, True, False),
    (Intent.DELIVERY, False, -0.6, 0.2, True, False),  # negative: something went wrong
    (Intent.RETURN_REFUND, False, 0.0, 0.5, True, False),  # irritated
    (Intent.COMPLAINT, False, 0.0, 0.0, True, False),  # a complaint is always a problem
]


@pytest.mark.parametrize(
    ("intent", "has_order", "polarity", "irritation", "problem", "interest"), PROBLEM_GATE_CASES
)
def test_order_questions_open_a_problem_only_for_customers_or_upset_ones(
    intent: Intent,
    has_order: bool,
    polarity: float,
    irritation: float,
    problem: bool,
    interest: bool,
) -> None:
    state = _asked(intent, has_order=has_order, polarity=polarity, irritation=irritation)
    assert (state.problem > 0.5) is problem
    assert (state.interest_dialogs > 0.0) is interest
    a = ProfileEngine().assess(state, T0 + 2 * MIN)
    rp = a.segments[Segment.RETURNING_WITH_PROBLEM]
    if not problem:
        assert rp.value < 0.1
        assert a.churn.value < 10
        assert not any(r.code == "open_problem" for r in a.churn.reasons)
    if interest:
        research = a.segments[Segment.RESEARCHER].reasons
        assert any(r.code == "product_questions" for r in research)


def test_revisit_reason_names_what_drove_it() -> None:
    engine = ProfileEngine()
    # Same product in three dialogs, interest only in the first: the topics drove it.
    topics = engine.new_state(now=T0)
    for day in range(3):
        intent = Intent.PRODUCT_QUESTION if day == 0 else Intent.OTHER
        signals = make_signals(60, intent=intent, topics=("grinder_c2",))
        engine.observe_incoming(topics, signals, T0 + day * DAY)
    by_topics = engine.assess(topics, T0 + 2 * DAY + MIN).segments[Segment.DOUBTING_BUYER]
    codes = {r.code: r.value for r in by_topics.reasons}
    assert codes.get("revisited_topics") == 1
    assert "returns_to_topics" not in codes
    # Interest in three dialogs about different things: the dialogs drove it.
    dialogs = _doubter(engine)
    by_dialogs = engine.assess(dialogs, T0 + 3 * DAY).segments[Segment.DOUBTING_BUYER]
    codes = {r.code: r.value for r in by_dialogs.reasons}
    assert codes.get("returns_to_topics") == pytest.approx(3.0, abs=0.1)  # decayed dialogs
