"""The profile's language and the feedback flags.

Gibberish, emoji, numbers and model numbers never change the profile's language; «короче»,
«подробнее» and requests to clarify are read every time, alone and with punctuation.
"""

from __future__ import annotations

import pytest

from profiling.engine import ProfileEngine
from profiling.text.prepare import is_keyboard_mash
from profiling.text.signals import analyze_message
from profiling.text.summary import SUMMARY_FIELDS, signal_summary
from profiling.types import Lang
from tests.factories import T0

NOT_A_LANGUAGE = [
    "ыва ывап",
    "фыва",
    "йцукен",
    "олдж",
    "аааа",
    "asdf",
    "asdf qwer",
    "asdf qwer zxcv",
    "hjkl asdfgh",
    "😀",
    "😀😀👍",
    "))",
    "S8",
    "V15",
    "12345",
    "Galaxy S8",
    "iPhone 15 Pro Max",
    "Bosch TWK 8613",
    "Tefal KO",
    "ok",
]
SEED = {Lang.RU: "Здравствуйте, хочу купить чайник", Lang.EN: "Hello, I want to buy a kettle"}


@pytest.mark.parametrize("start", list(Lang))
@pytest.mark.parametrize("text", NOT_A_LANGUAGE)
def test_noise_never_changes_the_profile_language(start: Lang, text: str) -> None:
    engine = ProfileEngine()
    state = engine.new_state(now=T0, lang=start)
    engine.observe_incoming(state, engine.analyze(SEED[start], state.lang), T0)
    engine.observe_incoming(state, engine.analyze(text, state.lang), T0 + 30)
    assert state.lang is start


# (a message in the other language, the language the profile moves to)
SWITCHES = [
    ("Where is my order?", Lang.EN),
    ("Can you check my order please", Lang.EN),
    ("refund please", Lang.EN),
    ("Где мой заказ?", Lang.RU),
    ("Хочу вернуть чайник", Lang.RU),
]


@pytest.mark.parametrize(("text", "lang"), SWITCHES)
def test_a_clear_message_still_changes_it(text: str, lang: Lang) -> None:
    start = Lang.EN if lang is Lang.RU else Lang.RU
    engine = ProfileEngine()
    state = engine.new_state(now=T0, lang=start)
    engine.observe_incoming(state, engine.analyze(SEED[start], state.lang), T0)
    engine.observe_incoming(state, engine.analyze(text, state.lang), T0 + 30)
    assert state.lang is lang


@pytest.mark.parametrize(
    ("token", "mash"),
    [
        ("ывап", True),
        ("фыва", True),
        ("ыва", True),
        ("йцукен", True),
        ("asdf", True),
        ("qwer", True),
        ("аааа", True),
        ("про", False),
        ("пролить", False),
        ("права", False),
        ("папа", False),
        ("лимит", False),
        ("вода", False),
        ("were", False),
        ("type", False),
        ("ок", False),
    ],
)
def test_keyboard_mash(token: str, mash: bool) -> None:
    assert is_keyboard_mash(token) is mash


SHORTER = ["короче", "Короче!", "КОРОЧЕ", "короче...", "короче, пожалуйста", "покороче",
           "Покороче, пожалуйста!", "а покороче?", "shorter", "Shorter!", "shorter please",
           "tl;dr", "TL;DR", "tldr", "tl;dr?"]  # fmt: skip
MORE = ["подробнее", "Подробнее!", "подробнее...", "ПОДРОБНЕЕ", "подробнее?", "а подробнее?",
        "подробнее, пожалуйста", "можно подробнее?", "more details", "More details!",
        "more details?", "more details, please", "tell me more"]  # fmt: skip
CLARIFY = ["не понял", "Не понял!", "не понял...", "в смысле?", "В смысле??", "в смысле",
           "что?", "Что??", "ЧТО?", "what do you mean?", "What do you mean??",
           "I don't get it", "i dont get it.", "what?", "не въехал"]  # fmt: skip
NO_FEEDBACK = [
    "короче, где заказ?",
    "что с заказом?",
    "что лучше: Bosch или Tefal?",
    "не понимаю, почему так долго",
    "what do you sell?",
    "доставка слишком долго",
]


@pytest.mark.parametrize("text", SHORTER)
def test_asks_shorter(text: str) -> None:
    s = analyze_message(text, language_hint=Lang.RU)
    assert s.asks_shorter and not s.asks_more_detail and not s.asks_clarification


@pytest.mark.parametrize("text", MORE)
def test_asks_more_detail(text: str) -> None:
    s = analyze_message(text, language_hint=Lang.RU)
    assert s.asks_more_detail and not s.asks_shorter


@pytest.mark.parametrize("text", CLARIFY)
def test_asks_clarification(text: str) -> None:
    s = analyze_message(text, language_hint=Lang.RU)
    assert s.asks_clarification and not s.asks_shorter


@pytest.mark.parametrize("text", NO_FEEDBACK)
def test_ordinary_messages_ask_nothing_of_the_kind(text: str) -> None:
    s = analyze_message(text, language_hint=Lang.RU)
    assert not (s.asks_shorter or s.asks_more_detail or s.asks_clarification)


def test_clarification_is_in_the_summary() -> None:
    assert SUMMARY_FIELDS[-1] == "asks_clarification"
    assert signal_summary(analyze_message("в смысле?"))["asks_clarification"] is True
    assert signal_summary(analyze_message("где заказ"))["asks_clarification"] is False


@pytest.mark.parametrize("text", ["в смысле?", "I don't get it", "что?"])
def test_a_clarification_after_a_short_answer_asks_for_longer_ones(text: str) -> None:
    engine = ProfileEngine()
    state = engine.new_state(now=T0, lang=Lang.RU)
    engine.observe_incoming(state, engine.analyze("сколько стоит доставка?", Lang.RU), T0)
    engine.observe_outgoing(state, T0 + 5, 60)
    engine.observe_incoming(state, engine.analyze(text, state.lang), T0 + 30)
    assert state.length_pref > 0.5
