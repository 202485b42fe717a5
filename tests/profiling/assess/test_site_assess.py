"""What site events do to the assessment: segments, scores and advice, each with a reason
that says it came from the site, in Russian and English."""

from __future__ import annotations

import re

import pytest

from profiling.assess.explain import render_assessment, render_reason, render_segment
from profiling.assess.segments import Segment
from profiling.engine import Assessment, ProfileEngine
from profiling.profile.state import ProfileState
from profiling.types import Intent, Lang, Reason, SiteEvent, SourceContext
from tests.factories import DAY, HOUR, MIN, T0, make_signals


def _page(ts: float, page: str, device: str | None = None) -> SiteEvent:
    return SiteEvent("page_view", ts, page=page, device=device)


def _view(ts: float, product: str, category: str | None = None) -> SiteEvent:
    return SiteEvent("product_view", ts, product_key=product, category=category)


def _feed(engine: ProfileEngine, state: ProfileState, events: list[SiteEvent]) -> None:
    for event in events:
        engine.observe_site_event(state, event)


def _site_codes(a: Assessment, segment: Segment) -> set[str]:
    return {r.code for r in a.segments[segment].reasons if r.code.startswith("site_")}


# ------------------------------------------------------------------ the two scenes of the seed
def _cleaning_visitor(engine: ProfileEngine) -> ProfileState:
    """From a cleaning-service ad, on a phone: prices for four minutes, FAQ, insurance."""
    state = engine.new_state(now=T0, source=SourceContext(campaign="cleaning"))
    _feed(
        engine,
        state,
        [
            _page(T0, "prices", "mobile"),
            _page(T0 + 4 * MIN, "faq", "mobile"),
            _page(T0 + 6 * MIN, "insurance", "mobile"),
        ],
    )
    return state


def test_scene_cleaning_visitor_reads_prices_faq_insurance_on_a_phone() -> None:
    engine = ProfileEngine()
    before = engine.assess(engine.new_state(now=T0, source=SourceContext(campaign="cleaning")), T0)
    a = engine.assess(_cleaning_visitor(engine), T0 + 7 * MIN)
    for segment, code in [
        (Segment.PRICE_SENSITIVE, "site_price_dwell_s"),
        (Segment.RESEARCHER, "site_info_pages"),
    ]:
        score = a.segments[segment]
        assert score.value > before.segments[segment].value + 0.06, segment
        assert code in _site_codes(a, segment)
        # Three page views are some evidence, not a verdict.
        assert score.value < 0.5
        assert 0.2 <= score.confidence <= 0.5
    assert a.advice.length == "short"
    assert any(r.code == "site_mobile_device" and r.contribution < 0 for r in a.advice.reasons)
    en, ru = render_assessment(a, Lang.EN), render_assessment(a, Lang.RU)
    assert "prices page on the site: 4 min" in en
    assert "цены на сайте: 4 мин" in ru
    assert "Visits the site from a phone" in en
    assert "с телефона" in ru


def _kettle_buyer(engine: ProfileEngine, *, looks_at_kettle: bool = False) -> ProfileState:
    """Bought a kettle a week ago; now the returns and contacts pages."""
    state = engine.new_state(now=T0 - 8 * DAY)
    engine.observe_order(state, T0 - 7 * DAY - HOUR, "created", new_order=True)
    engine.observe_order(state, T0 - 7 * DAY, "delivered", new_order=False)
    events = [_page(T0, "returns"), _page(T0 + 3 * MIN, "contacts")]
    if looks_at_kettle:
        events = [_view(T0 - 10 * MIN + i * MIN, "kettle-x1", "kettles") for i in range(3)]
        events += [_page(T0, "returns"), _page(T0 + 3 * MIN, "contacts")]
    _feed(engine, state, events)
    return state


@pytest.mark.parametrize("looks_at_kettle", [False, True])
def test_scene_kettle_buyer_on_returns_and_contacts_returns_with_a_problem(
    looks_at_kettle: bool,
) -> None:
    engine = ProfileEngine()
    a = engine.assess(_kettle_buyer(engine, looks_at_kettle=looks_at_kettle), T0 + 5 * MIN)
    ranked = sorted(a.segments.items(), key=lambda kv: -kv[1].value)
    top, score = ranked[0]
    assert top is Segment.RETURNING_WITH_PROBLEM
    assert score.value >= 0.45
    assert score.value > a.segments[Segment.DOUBTING_BUYER].value + 0.2
    assert "site_support_pages" in _site_codes(a, top)
    en = render_segment(top, score, Lang.EN)
    ru = render_segment(top, score, Lang.RU)
    assert "returns, warranty or contacts pages on the site 2 times after a purchase" in en
    assert "После покупки 2 раза заходил(а) на сайте" in ru
    # The open problem shows in the churn risk too, and the purchase no longer reassures.
    assert any(r.code == "site_support_pages" for r in a.churn.reasons)


def test_support_pages_without_a_recent_purchase_are_research_not_a_problem() -> None:
    engine = ProfileEngine()
    prospect = engine.new_state(now=T0)
    old_buyer = engine.new_state(now=T0)
    engine.observe_order(old_buyer, T0 - 60 * DAY, "delivered", new_order=True)
    for state in (prospect, old_buyer):
        _feed(engine, state, [_page(T0, "returns"), _page(T0 + 3 * MIN, "contacts")])
        a = engine.assess(state, T0 + 5 * MIN)
        assert a.segments[Segment.RETURNING_WITH_PROBLEM].value < 0.3
        assert not _site_codes(a, Segment.RETURNING_WITH_PROBLEM)
        assert "site_info_pages" in _site_codes(a, Segment.RESEARCHER)


# ------------------------------------------------------------------ each effect, moderately
def _days(events_per_day: list[SiteEvent], days: int) -> list[SiteEvent]:
    return [
        SiteEvent(e.kind, e.ts + d * DAY, e.page, e.product_key, e.category, e.price, e.device)
        for d in range(days)
        for e in events_per_day
    ]


# (events, segment, a site code among its reasons, lowest value): the neutral value is 0.2.
EFFECT_CASES = [
    # Four views of one kettle over four days.
    (_days([_view(T0, "kettle-x1")], 4), Segment.DOUBTING_BUYER, "site_repeat_views", 0.3),
    # Comparing two kettles in each of three visits.
    (
        _days([_view(T0, "kettle-x1", "kettles"), _view(T0 + MIN, "kettle-y2", "kettles")], 3),
        Segment.DOUBTING_BUYER,
        "site_compares",
        0.3,
    ),
    (_days([_page(T0, "compare")], 3), Segment.RESEARCHER, "site_compares", 0.22),
    # Prices read for five minutes, three days running.
    (
        _days([_page(T0, "prices"), _page(T0 + 5 * MIN, "catalog")], 3),
        Segment.PRICE_SENSITIVE,
        "site_price_dwell_s",
        0.4,
    ),
    (_days([_page(T0, "prices")], 3), Segment.PRICE_SENSITIVE, "site_price_views", 0.25),
    # FAQ, delivery, reviews and terms, over two visits.
    (
        _days(
            [
                _page(T0, "faq"),
                _page(T0 + 3 * MIN, "delivery"),
                _page(T0 + 6 * MIN, "reviews"),
                _page(T0 + 8 * MIN, "terms"),
            ],
            2,
        ),
        Segment.RESEARCHER,
        "site_info_pages",
        0.35,
    ),
    # A cart left for a day.
    (
        [SiteEvent("add_to_cart", T0, product_key="kettle-x1"), _page(T0 + DAY, "home")],
        Segment.DOUBTING_BUYER,
        "site_abandoned_cart_s",
        0.22,
    ),
]


@pytest.mark.parametrize(("events", "segment", "code", "lowest"), EFFECT_CASES)
def test_each_site_signal_moves_its_segment_with_a_site_reason(
    events: list[SiteEvent], segment: Segment, code: str, lowest: float
) -> None:
    engine = ProfileEngine()
    state = engine.new_state(now=T0)
    _feed(engine, state, events)
    now = max(e.ts for e in events) + MIN
    a = engine.assess(state, now)
    neutral = engine.assess(engine.new_state(now=T0), now).segments[segment]
    score = a.segments[segment]
    assert code in _site_codes(a, segment)
    assert score.value >= lowest
    assert score.value > neutral.value
    assert score.value < 0.8  # the site alone never makes a strong label
    assert score.confidence > neutral.confidence
    # The moods learn nothing from page views; nor do message features appear.
    for mood in (Segment.URGENT, Segment.IRRITATED):
        assert a.segments[mood].value == pytest.approx(neutral.value)
        assert a.segments[mood].confidence == 0.0
    codes = {r.code for sc in a.segments.values() for r in sc.reasons}
    assert not codes & {"short_messages", "long_messages", "questions", "slow_pace_s"}


@pytest.mark.parametrize(
    ("event", "segment"),
    [
        (_page(T0, "prices"), Segment.PRICE_SENSITIVE),
        (_page(T0, "faq"), Segment.RESEARCHER),
        (_view(T0, "kettle-x1"), Segment.DOUBTING_BUYER),
    ],
)
def test_a_single_page_view_is_a_hint_not_a_label(event: SiteEvent, segment: Segment) -> None:
    engine = ProfileEngine()
    state = engine.new_state(now=T0)
    engine.observe_site_event(state, event)
    engine.observe_site_event(state, _page(T0 + 10 * MIN, "home"))  # ten minutes on it
    score = engine.assess(state, T0 + 11 * MIN).segments[segment]
    assert score.value < 0.35
    assert score.confidence < 0.4


def test_confidence_grows_with_what_was_seen() -> None:
    engine = ProfileEngine()
    state = engine.new_state(now=T0)
    confidences = []
    for day in range(6):
        _feed(
            engine, state, [_page(T0 + day * DAY, "prices"), _page(T0 + day * DAY + 4 * MIN, "faq")]
        )
        a = engine.assess(state, T0 + day * DAY + 5 * MIN)
        confidences.append(a.segments[Segment.PRICE_SENSITIVE].confidence)
    assert confidences == sorted(confidences)
    assert confidences[0] < 0.4 < 0.7 < confidences[-1]


def test_site_and_messages_mix_by_their_share_of_the_evidence() -> None:
    engine = ProfileEngine()
    writer = engine.new_state(now=T0)
    for i in range(6):  # six price questions
        engine.observe_incoming(writer, make_signals(40, intent=Intent.PRICE), T0 + i * MIN)
    only_messages = engine.assess(writer, T0 + 7 * MIN).segments[Segment.PRICE_SENSITIVE]
    # The same customer then spends a visit on product pages, never on prices.
    _feed(engine, writer, [_view(T0 + (8 + i) * MIN, f"kettle-{i}") for i in range(4)])
    mixed = engine.assess(writer, T0 + 12 * MIN).segments[Segment.PRICE_SENSITIVE]
    # One visit weighs one message: the price questions still lead.
    assert only_messages.value - 0.2 < mixed.value < only_messages.value
    assert mixed.confidence >= only_messages.confidence
    assert mixed.reasons[0].code == "price_questions"


def test_reasons_still_add_up_to_the_value() -> None:
    engine = ProfileEngine()
    state = _kettle_buyer(engine, looks_at_kettle=True)
    engine.observe_incoming(state, make_signals(80, intent=Intent.PRICE), T0 + 4 * MIN)
    _feed(engine, state, [_page(T0 + 5 * MIN, "prices"), _page(T0 + 9 * MIN, "faq")])
    for segment, score in engine.assess(state, T0 + 10 * MIN).segments.items():
        total = sum(r.contribution for r in score.reasons)
        assert total == pytest.approx(score.value, abs=0.005 * 10), segment
        weights = [abs(r.contribution) for r in score.reasons]
        assert weights == sorted(weights, reverse=True)
        assert len({r.code for r in score.reasons}) == len(score.reasons)  # each code once


# ------------------------------------------------------------------ scores and advice
def test_cart_and_checkout_raise_lead_hotness_with_a_site_reason() -> None:
    engine = ProfileEngine()
    state = engine.new_state(now=T0)
    cold = engine.assess(state, T0).hotness.value
    engine.observe_site_event(state, SiteEvent("add_to_cart", T0, product_key="kettle-x1"))
    in_cart = engine.assess(state, T0 + MIN).hotness
    engine.observe_site_event(state, SiteEvent("checkout_started", T0 + 2 * MIN))
    checkout = engine.assess(state, T0 + 3 * MIN).hotness
    assert cold < in_cart.value < checkout.value <= 30
    assert checkout.reasons[0].code == "site_cart"
    assert "on the site" in render_reason(checkout.reasons[0], Lang.EN)
    # It cools within days, like buying intents.
    assert engine.assess(state, T0 + 10 * DAY).hotness.value < checkout.value - 10


@pytest.mark.parametrize(
    ("device", "messages", "length"),
    [
        ("mobile", 0, "short"),
        ("desktop", 0, "medium"),
        ("tablet", 0, "medium"),
        (None, 0, "medium"),
        ("mobile", 3, "short"),  # 60-character writer: medium, a phone tips it to short
        ("desktop", 3, "medium"),
    ],
)
def test_a_phone_asks_for_shorter_answers(device: str | None, messages: int, length: str) -> None:
    engine = ProfileEngine()
    state = engine.new_state(now=T0)
    for i in range(messages):
        engine.observe_incoming(state, make_signals(60), T0 + i * 2 * MIN)
    engine.observe_site_event(state, _page(T0 + 10 * MIN, "catalog", device))
    a = engine.assess(state, T0 + 11 * MIN)
    assert a.advice.length == length
    assert any(r.code == "site_mobile_device" for r in a.advice.reasons) is (device == "mobile")


def test_the_latest_device_wins_and_an_old_phone_visit_fades() -> None:
    engine = ProfileEngine()
    state = engine.new_state(now=T0)
    engine.observe_site_event(state, _page(T0, "catalog", "mobile"))
    assert engine.assess(state, T0 + MIN).advice.length == "short"
    assert engine.assess(state, T0 + 90 * DAY).advice.length == "medium"
    engine.observe_site_event(state, _page(T0 + 2 * MIN, "catalog", "desktop"))
    assert engine.assess(state, T0 + 3 * MIN).advice.length == "medium"


# ------------------------------------------------------------------ explanations
SITE_REASONS = [
    Reason("site_info_pages", 3.0, 0.1),
    Reason("site_info_dwell_s", 180.0, 0.05),
    Reason("site_compares", 2.0, 0.1),
    Reason("site_repeat_views", 4.0, 0.15),
    Reason("site_abandoned_cart_s", 5 * HOUR, 0.05),
    Reason("site_price_dwell_s", 240.0, 0.12),
    Reason("site_price_views", 3.0, 0.1),
    Reason("site_support_pages", 2.0, 0.2),
    Reason("site_cart", 1.5, 15.0),
    Reason("site_mobile_device", 1.0, -0.4),
]


@pytest.mark.parametrize("reason", SITE_REASONS)
def test_every_site_reason_says_it_came_from_the_site(reason: Reason) -> None:
    ru = render_reason(reason, Lang.RU)
    en = render_reason(reason, Lang.EN)
    assert "сайт" in ru
    assert "site" in en
    for text in (ru, en):
        assert not re.search(r"[a-z]+_[a-z]+", text)
        assert text.endswith(".")
    assert ru != en


@pytest.mark.parametrize(
    ("views", "ru", "en"),
    [
        (1.0, "1 раз смотрел(а)", "the same product once on"),
        (2.0, "2 раза смотрел(а)", "the same product 2 times"),
        (3.3, "4 раза смотрел(а)", "the same product 4 times"),  # four views, decayed
        (5.0, "5 раз смотрел(а)", "the same product 5 times"),
        (22.0, "22 раза смотрел(а)", "the same product 22 times"),
    ],
)
def test_repeat_views_read_as_whole_views(views: float, ru: str, en: str) -> None:
    reason = Reason("site_repeat_views", views, 0.15)
    assert ru in render_reason(reason, Lang.RU)
    assert en in render_reason(reason, Lang.EN)


def test_the_seed_sentence_for_four_views() -> None:
    engine = ProfileEngine()
    state = engine.new_state(now=T0)
    _feed(engine, state, _days([_view(T0, "kettle-x1")], 4))
    score = engine.assess(state, T0 + 3 * DAY + MIN).segments[Segment.DOUBTING_BUYER]
    reason = next(r for r in score.reasons if r.code == "site_repeat_views")
    assert render_reason(reason, Lang.RU).startswith(
        "4 раза смотрел(а) один и тот же товар на сайте"
    )
    assert render_reason(reason, Lang.EN).startswith("Viewed the same product 4 times on the site")
