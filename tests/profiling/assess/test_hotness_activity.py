"""Lead hotness comes from buying signals, not from message count.

Hotness once rose by +20 on every message, so a customer typing gibberish reached 43/100.
Activity (engagement, recency, quick answers, a good mood) now only amplifies a buying
signal: price, availability or delivery questions, intent to buy, a cart, a target action,
an ad that was clicked.
"""

from __future__ import annotations

import pytest

from profiling.engine import ProfileEngine
from profiling.types import Lang, SiteEvent, SourceContext
from tests.factories import MIN, T0

# (name, messages, the bot answers in between, lowest and highest hotness)
HOTNESS_CASES = [
    ("russian gibberish", ["ыва ывап", "фывфыв", "олдж", "ыва", "йцук", "фыва олдж"], False, 0, 3),
    ("english gibberish", ["asdf", "qwer", "asdf asdf", "zxcv", "jkl", "asdfgh"], True, 0, 3),
    ("emoji and ok", ["👍", "ок", "😀😀", "ок", "ага", "))"], True, 0, 3),
    ("small talk", ["привет", "как дела?", "понятно", "ладно", "хорошо", "ясно"], True, 0, 5),
    ("price and availability", ["сколько стоит чайник?", "есть в наличии?"], True, 20, 100),
    ("delivery before buying", ["а доставка в Казань есть?", "сколько стоит?"], True, 20, 100),
    ("intent to buy", ["хочу купить чайник", "сколько стоит?", "беру"], True, 25, 100),
]


def _hotness(messages: list[str], replies: bool, source: SourceContext | None = None) -> int:
    engine = ProfileEngine()
    state = engine.new_state(now=T0, source=source, lang=Lang.RU)
    t = T0
    for text in messages:
        engine.observe_incoming(state, engine.analyze(text, state.lang), t)
        if replies:
            engine.observe_outgoing(state, t + 5, 80)
        t += 20
    return engine.assess(state, t).hotness.value


@pytest.mark.parametrize(("name", "messages", "replies", "low", "high"), HOTNESS_CASES)
def test_hotness_comes_from_buying_signals(
    name: str, messages: list[str], replies: bool, low: int, high: int
) -> None:
    assert low <= _hotness(messages, replies) <= high, name


@pytest.mark.parametrize("count", [1, 3, 6, 12])
def test_gibberish_does_not_heat_up_with_the_message_count(count: int) -> None:
    assert _hotness(["ыва ывап"] * count, replies=True) <= 3


def test_a_buying_signal_is_amplified_by_activity() -> None:
    once = _hotness(["сколько стоит?"], replies=True)
    engaged = _hotness(["сколько стоит?", "а какой объём?", "есть в наличии?"], replies=True)
    assert engaged > once > 5


def test_an_ad_click_alone_stays_low_and_a_cart_is_a_buying_signal() -> None:
    engine = ProfileEngine()
    source = SourceContext(campaign="spring_launch")
    clicked = _hotness(["ыва ывап", "ыва"], replies=True, source=source)
    assert 0 < clicked <= 25
    state = engine.new_state(now=T0, lang=Lang.RU)
    engine.observe_site_event(state, SiteEvent("add_to_cart", T0, product_key="kettle"))
    engine.observe_incoming(state, engine.analyze("ыва ывап", Lang.RU), T0 + MIN)
    assert engine.assess(state, T0 + MIN).hotness.value >= 15
