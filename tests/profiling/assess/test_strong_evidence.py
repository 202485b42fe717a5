"""Strong evidence gives confident segments within one dialog.

Confidence used to grow with the message count alone, so three clearly urgent messages
were no surer than three that barely hinted at it. Each case is one dialog of real texts
(seconds since the previous message, text), the segment it shows, and the lowest value and
confidence expected after it.
"""

from __future__ import annotations

import pytest

from profiling.assess.segments import Segment
from profiling.engine import Assessment, ProfileEngine
from profiling.types import Lang
from tests.factories import T0

RESEARCH_RU = [
    "Подскажите, чем отличается Bosch TWK от Tefal KO по мощности, материалу колбы и шуму? "
    "Интересует также, как они ведут себя при жёсткой воде и есть ли защита от включения без воды.",
    "А какие у них характеристики нагревательного элемента и какая гарантия? Какой из них "
    "надёжнее по отзывам?",
    "И ещё: есть ли у вас сравнение по энергопотреблению и скорости закипания?",
]
STRONG_CASES = [
    (
        Lang.RU,
        [
            (0, "срочно! где мой заказ?"),
            (15, "мне нужно сегодня, срочно"),
            (12, "быстрее, срочно!!"),
        ],
        Segment.URGENT,
        0.7,
        0.85,
    ),
    (
        Lang.EN,
        [
            (0, "urgent! where is my order?"),
            (15, "I need it today, asap"),
            (12, "hurry up please!!"),
        ],
        Segment.URGENT,
        0.7,
        0.85,
    ),
    (
        Lang.RU,
        [(0, "сколько стоит чайник?"), (40, "а скидка есть?"), (40, "а подешевле есть?")],
        Segment.PRICE_SENSITIVE,
        0.5,
        0.75,
    ),
    (Lang.RU, list(zip((0, 200, 250), RESEARCH_RU, strict=True)), Segment.RESEARCHER, 0.45, 0.7),
    (
        Lang.RU,
        [(0, "вы издеваетесь?! где заказ!!!"), (20, "ЭТО УЖАСНО, неделю жду"), (20, "безобразие")],
        Segment.IRRITATED,
        0.6,
        0.9,
    ),
]


def _dialog(lang: Lang, messages: list[tuple[int, str]]) -> Assessment:
    engine = ProfileEngine()
    state = engine.new_state(now=T0, lang=lang)
    t = T0
    for gap, text in messages:
        t += gap
        engine.observe_incoming(state, engine.analyze(text, lang), t)
        engine.observe_outgoing(state, t + 3, 60)
    return engine.assess(state, t)


@pytest.mark.parametrize(("lang", "messages", "segment", "value", "confidence"), STRONG_CASES)
def test_three_clear_messages_give_a_confident_segment(
    lang: Lang, messages: list[tuple[int, str]], segment: Segment, value: float, confidence: float
) -> None:
    score = _dialog(lang, messages).segments[segment]
    assert score.value >= value
    assert score.confidence >= confidence


@pytest.mark.parametrize("segment", [Segment.RESEARCHER, Segment.PRICE_SENSITIVE])
def test_faint_signals_stay_unconfident(segment: Segment) -> None:
    # Three plain messages at a calm pace: nothing speaks for any segment.
    a = _dialog(Lang.RU, [(0, "добрый день, у меня вопрос"), (300, "понятно"), (300, "спасибо")])
    assert a.segments[segment].value < 0.5
    assert a.segments[segment].confidence <= 0.7
