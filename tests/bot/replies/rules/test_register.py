"""The «ты» register: a closed list of words, and a sentence it cannot turn whole stays «вы»."""

from __future__ import annotations

import pytest

from bot.replies.rules.register import informal


@pytest.mark.parametrize(
    ("polite", "casual"),
    [
        (
            "Пришлите, пожалуйста, номер заказа — покажу его статус.",
            "Пришли, пожалуйста, номер заказа — покажу его статус.",
        ),
        ("Нажмите /link и поделитесь телефоном.", "Нажми /link и поделись телефоном."),
        (
            "Вижу, что вы сравниваете эти две модели.",
            "Вижу, что ты сравниваешь эти две модели.",
        ),
        ("Напишите, как вам удобнее.", "Напиши, как тебе удобнее."),
        ("Здравствуйте! Чем помочь?", "Привет! Чем помочь?"),
        (
            "Ваш заказ в пути, ваши деньги в безопасности.",
            "Твой заказ в пути, твои деньги в безопасности.",
        ),
        # Words that only look like verbs stay: «сайте», «работе».
        ("Подробнее на сайте.", "Подробнее на сайте."),
        ("Оплата при получении.", "Оплата при получении."),
    ],
)
def test_polite_forms_become_casual(polite: str, casual: str) -> None:
    assert informal(polite) == casual


def test_a_sentence_that_cannot_be_turned_whole_stays_polite() -> None:
    # «вы платили» has no genderless «ты» form: the whole reply keeps «вы».
    text = "Напишите номер. Деньги вернём тем же способом, которым вы платили."
    assert informal(text) == text


def test_english_is_untouched() -> None:
    assert informal("Send me the order number.") == "Send me the order number."
