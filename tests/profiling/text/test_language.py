"""Language of a message: decided by words, with the caller's hint for unclear text."""

from __future__ import annotations

import pytest

from profiling.text.prepare import (
    CLEAR_LANGUAGE,
    detect_language,
    has_letters,
    language_evidence,
    prepare,
)
from profiling.types import Lang


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        # Russian sentences with Latin brand and model names stay Russian.
        ("Ужасно! DeLonghi Magnifica Evo сломалась", Lang.RU),
        ("Что лучше: DeLonghi Magnifica или Jura E8?", Lang.RU),
        ("Есть Hario V60 Ceramic White?", Lang.RU),
        ("Подскажите по Breville Barista Express Impress", Lang.RU),
        ("Где мой order?", Lang.RU),
        ("Hello, где заказ номер 12345678?", Lang.RU),
        ("спасибо", Lang.RU),
        # English sentences with a Russian word stay English.
        ("I ordered the кофемолка yesterday but it broke", Lang.EN),
        ("Where is my order? спасибо", Lang.EN),
        ("Where is my order?", Lang.EN),
        ("thanks", Lang.EN),
        ("The Comandante grinder arrived scratched", Lang.EN),
        ("I love the café and crème brûlée", Lang.EN),
    ],
)
def test_clear_text_decides_over_any_hint(text: str, lang: Lang) -> None:
    for hint in (Lang.RU, Lang.EN, None):
        prepared = prepare(text, hint)
        assert prepared.lang is lang
        assert language_evidence(prepared) >= CLEAR_LANGUAGE
    assert detect_language(text, default=Lang.RU) is lang
    assert detect_language(text, default=Lang.EN) is lang


@pytest.mark.parametrize(
    "text",
    ["", "   ", "👍", "😀🎉", "ok", "OK!", "V60?", "12345", "https://example.com/order/77", "))))",
     "!!!", "Jura E8", "refund", "Спасибо, thank you"],
)  # fmt: skip
def test_unclear_text_keeps_the_hint(text: str) -> None:
    for hint in (Lang.RU, Lang.EN):
        prepared = prepare(text, hint)
        assert prepared.lang is hint
        assert language_evidence(prepared) < CLEAR_LANGUAGE
        assert detect_language(text, default=hint) is hint
    assert prepare(text).lang is Lang.EN  # no hint: English, as before


@pytest.mark.parametrize(
    ("text", "letters"),
    [
        ("", False),
        ("👍", False),
        ("12345", False),
        ("https://example.com/x @shop #tag", False),
        ("?!", False),
        ("ok", True),
        ("V60", True),
        ("где", True),
    ],
)
def test_has_letters(text: str, letters: bool) -> None:
    assert has_letters(prepare(text)) is letters


def test_evidence_is_bounded_and_grows_with_the_text() -> None:
    weak = language_evidence(prepare("refund"))
    some = language_evidence(prepare("refund please"))
    strong = language_evidence(prepare("Where is my refund? It has been a week"))
    assert 0.0 < weak < some <= strong == 1.0
    assert language_evidence(prepare("")) == 0.0
    assert language_evidence(prepare("Где мой заказ?")) == 1.0
