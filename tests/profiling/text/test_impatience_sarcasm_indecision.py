"""Impatience raises irritation, sarcastic thanks are no thanks, indecision is no complaint.

Customers wrote «алло», «ну?», "anyone there?" and were read as calm; «спасибо, блин, очень
помог» was answered as gratitude; "I still can't decide" got "sorry for the wait".
"""

from __future__ import annotations

import pytest

from profiling.engine import ProfileEngine
from profiling.text.signals import analyze_message
from profiling.types import Intent, Lang, Sentiment
from tests.factories import T0

IMPATIENT = [
    "алло",
    "Алло?",
    "ну?",
    "ау",
    "эй",
    "???",
    "?",
    "hello??",
    "Hello?",
    "anyone there?",
    "is anyone there?",
    "есть кто живой?",
    "вы там уснули?",
    "где заказ??",
    "ну и?",
    "ГДЕ МОЙ ЗАКАЗ",
    "WHERE IS MY ORDER",
    "сколько можно ждать?!",
]
CALM = [
    "привет",
    "hello",
    "ну, в общем, хочу чайник",
    "Отлично!!",
    "Спасибо!!!",
    "где мой заказ",
    "есть кто в наличии из моделей Bosch?",
    "ок",
]


@pytest.mark.parametrize("text", IMPATIENT)
def test_impatience_raises_irritation(text: str) -> None:
    signals = analyze_message(text, language_hint=Lang.RU)
    assert signals.sentiment.irritation >= 0.3, signals.sentiment
    assert signals.sentiment.label is not Sentiment.POSITIVE


@pytest.mark.parametrize("text", CALM)
def test_calm_messages_stay_calm(text: str) -> None:
    assert analyze_message(text, language_hint=Lang.RU).sentiment.irritation < 0.3


SARCASTIC = [
    "спасибо, блин, очень помог",
    "Спасибо, блин. Очень помогли",
    "thanks for nothing",
    "Thanks for nothing!",
    "ну спасибо",
    "ну спасибо, удружили",
    "great, just great",
]
GRATEFUL = [
    "спасибо большое!",
    "Спасибо, всё понятно",
    "thanks a lot, really helpful",
    "thank you!",
]


@pytest.mark.parametrize("text", SARCASTIC)
def test_sarcasm_is_negative_not_gratitude(text: str) -> None:
    signals = analyze_message(text, language_hint=Lang.RU)
    assert signals.sentiment.label is Sentiment.NEGATIVE
    assert signals.intent.intent is not Intent.THANKS


@pytest.mark.parametrize("text", GRATEFUL)
def test_real_thanks_stay_thanks(text: str) -> None:
    signals = analyze_message(text, language_hint=Lang.RU)
    assert signals.intent.intent is Intent.THANKS
    assert signals.sentiment.label is not Sentiment.NEGATIVE


def test_sarcastic_thanks_do_not_ease_an_open_problem() -> None:
    engine = ProfileEngine()
    state = engine.new_state(now=T0, lang=Lang.RU)
    engine.observe_order(state, T0, "created")
    engine.observe_incoming(state, engine.analyze("чайник сломался", Lang.RU), T0 + 10)
    before = state.problem
    engine.observe_incoming(
        state, engine.analyze("ну спасибо, блин, очень помогли", Lang.RU), T0 + 60
    )
    assert state.problem >= before


UNDECIDED = [
    "I still can't decide",
    "I can't decide between the two",
    "still undecided, sorry",
    "всё никак не могу выбрать",
    "не знаю, что выбрать",
    "Не могу определиться",
    "не знаю какой лучше",
]
WAITING = ["still waiting for my order", "жду уже неделю", "where is my order? still waiting"]


@pytest.mark.parametrize("text", UNDECIDED)
def test_indecision_is_doubting_not_a_waiting_complaint(text: str) -> None:
    signals = analyze_message(text, language_hint=Lang.RU)
    assert not signals.sentiment.waiting_complaint
    assert signals.sentiment.label is not Sentiment.NEGATIVE
    assert signals.sentiment.irritation < 0.2
    assert signals.intent.intent in {Intent.COMPARISON, Intent.PRODUCT_QUESTION}


@pytest.mark.parametrize("text", WAITING)
def test_waiting_complaints_still_count(text: str) -> None:
    assert analyze_message(text, language_hint=Lang.RU).sentiment.waiting_complaint


# (two questions in one dialog, whether the second is impatience)
REPEATED_CASES = [
    (("где мой заказ?", "где заказ?"), True),
    (("what is the status of my order?", "any update on my order status?"), True),
    (("позовите оператора?", "можно оператора?"), True),
    (("сколько стоит чайник?", "сколько стоит кофемолка?"), False),
    (("где мой заказ?", "сколько стоит чайник?"), False),
    (("доставка в Казань есть?", "а в Тверь доставка есть?"), False),
]


@pytest.mark.parametrize(("texts", "impatient"), REPEATED_CASES)
def test_a_repeated_question_raises_irritation(texts: tuple[str, str], impatient: bool) -> None:
    engine = ProfileEngine()
    state = engine.new_state(now=T0, lang=Lang.RU)
    for i, text in enumerate(texts):
        signals = engine.analyze(text, state.lang)
        assert signals.sentiment.irritation < 0.3  # calm on its own
        engine.observe_incoming(state, signals, T0 + 40 * i)
        engine.observe_outgoing(state, T0 + 40 * i + 5, 120)
    assert (state.irritation >= 0.3) is impatient


def test_the_same_question_in_a_new_dialog_is_not_a_repeat() -> None:
    engine = ProfileEngine()
    state = engine.new_state(now=T0, lang=Lang.RU)
    engine.observe_incoming(state, engine.analyze("где мой заказ?", Lang.RU), T0)
    engine.observe_incoming(state, engine.analyze("где мой заказ?", Lang.RU), T0 + 86_400)
    assert state.irritation < 0.3
