"""The words of a check-in: adapted to length, register and language, honest, answerable."""

from __future__ import annotations

import re
from typing import Any

import pytest

from bot.checkins.content import compose_checkin
from bot.replies.knowledge import Knowledge, load_knowledge
from bot.texts.checkins import CHECKIN_TEXTS
from profiling.types import Lang

KNOWLEDGE = load_knowledge(None)  # the bundled electronics example
DYSON = "Dyson V15"
DETAILS: dict[str, dict[str, Any]] = {
    "delivered": {"order_id": "1042", "items": [DYSON], "delivered_at": "2026-11-30T12:00:00"},
    "doubting": {"product": DYSON, "doubting": 0.6},
    "problem": {"handoff": False, "order_id": "1042"},
    "cart": {"product": DYSON},
    "quiet": {"product": DYSON, "hotness": 80},
}
CASES = [
    (kind, lang, length, formal)
    for kind in DETAILS
    for lang in ("ru", "en")
    for length in ("short", "medium", "long")
    for formal in (True, False)
]
# Ways to answer the message must be offered in every text, at its end.
ASK = {"ru": re.compile(r"напиш", re.I), "en": re.compile(r"reply", re.I)}
# Nothing the code does not do: no reminders, no calls, no promises of later messages.
PROMISES = re.compile(r"напомн|позвон|перезвон|remind|i'll call|we'll call|call you", re.I)


def compose(kind: str, lang: str, length: str, formal: bool, **kw: Any) -> str:
    kw.setdefault("knowledge", KNOWLEDGE)
    kw.setdefault("first_name", "Анна" if lang == "ru" else "Ann")
    detail = kw.pop("detail", DETAILS[kind])
    return compose_checkin(kind, detail, lang=lang, length=length, formal=formal, **kw).text


@pytest.mark.parametrize(("kind", "lang", "length", "formal"), CASES)
def test_every_text_is_honest_and_answerable(
    kind: str, lang: str, length: str, formal: bool
) -> None:
    text = compose(kind, lang, length, formal)
    last = text.strip().split("\n")[-1]
    assert ASK[lang].search(last), text
    assert not PROMISES.search(text), text
    assert "{" not in text and "}" not in text
    if length == "short":
        assert "\n" not in text and "Ann" not in text and "Анна" not in text
    else:
        assert text.startswith(("Здравствуйте, Анна!", "Привет, Анна!", "Hello, Ann!"))
    if lang == "ru" and not formal:
        assert not re.search(r"(?<![\w-])(вы|вас|вам|ваш\w*|напишите)(?![\w-])", text, re.I)
    if lang == "en":
        assert not re.search(r"[а-яё]", text, re.I), text


@pytest.mark.parametrize(
    ("kind", "lang", "length", "formal", "expected"),
    [
        (
            "delivered",
            "ru",
            "short",
            True,
            "Заказ №1042 (Dyson V15) у вас — всё в порядке? Если нет, напишите в ответ.",
        ),
        (
            "delivered",
            "ru",
            "short",
            False,
            "Заказ №1042 (Dyson V15) у тебя — всё в порядке? Если нет, напиши в ответ.",
        ),
        (
            "delivered",
            "en",
            "medium",
            True,
            "Hello, Ann! Order #1042 (Dyson V15) has been delivered. Is everything all right "
            "with your purchase? If anything is wrong or you have questions, just reply to this "
            "message.",
        ),
        (
            "doubting",
            "ru",
            "medium",
            False,
            "Привет, Анна! Если ты ещё выбираешь Dyson V15, я на связи. Напиши в ответ, что "
            "смущает, — подскажу.",
        ),
        (
            "cart",
            "en",
            "short",
            True,
            "About the Dyson V15 in your cart: any questions? Just reply.",
        ),
        ("problem", "ru", "short", True, "Ваш вопрос ещё не решён? Напишите в ответ — продолжим."),
    ],
)
def test_exact_wording(kind: str, lang: str, length: str, formal: bool, expected: str) -> None:
    assert compose(kind, lang, length, formal) == expected


def test_long_adds_what_a_careful_reader_asks_next() -> None:
    delivered = compose("delivered", "en", "long", True)
    assert "1-year warranty" in delivered  # the warranty summary
    assert "within 14 days" in delivered  # the returns summary
    doubting = compose("doubting", "ru", "long", True)
    assert "64 990 RUB, в наличии" in doubting  # the item, found by its alias
    assert KNOWLEDGE.objections[0].answer.ru in doubting
    chosen = compose(
        "doubting", "en", "long", True, detail={"product": DYSON, "objection": "breaks"}
    )
    assert "1-year manufacturer's warranty" in chosen
    cart = compose("cart", "en", "long", True)
    assert "Courier delivery" in cart and "To order: https://" in cart
    problem = compose("problem", "ru", "long", True)
    assert "+7 495 123-45-67" in problem
    assert "warranty" not in compose("delivered", "en", "medium", True)


def test_handoff_and_missing_details() -> None:
    handoff = compose("problem", "en", "medium", True, detail={"handoff": True})
    assert "Sorry nobody got back to you in time" in handoff
    assert compose("quiet", "ru", "medium", True, detail={}).startswith(
        "Здравствуйте, Анна! Как ваши поиски?"
    )
    assert "Про товары в корзине" in compose("cart", "ru", "short", True, detail={})
    assert compose("delivered", "en", "short", True, detail={}).startswith("Your order has arrived")
    # No knowledge file, no name: still a complete message.
    bare = compose("doubting", "en", "long", True, knowledge=None, first_name=None)
    assert bare == (
        "Hello! If you're still deciding on Dyson V15, I'm here to help. "
        "Just reply with what's holding you back."
    )


def test_stop_label_and_errors() -> None:
    ru = compose_checkin(
        "cart",
        {"product": DYSON},
        lang=Lang.RU,
        length="short",
        formal=True,
        knowledge=None,
        first_name=None,
    )
    en = compose_checkin(
        "cart",
        {"product": DYSON},
        lang="en",
        length="short",
        formal=True,
        knowledge=None,
        first_name=None,
    )
    assert ru.stop_label == "Не писать мне первым"
    assert en.stop_label == "Don't message me first"
    with pytest.raises(ValueError, match="kind"):
        compose_checkin(
            "birthday", {}, lang="en", length="short", formal=True, knowledge=None, first_name=None
        )
    with pytest.raises(ValueError, match="length"):
        compose_checkin(
            "cart", {}, lang="en", length="huge", formal=True, knowledge=None, first_name=None
        )


def test_every_template_has_both_languages() -> None:
    for key, texts in CHECKIN_TEXTS.items():
        assert set(texts) == {Lang.RU, Lang.EN}, key
        assert all(value.strip() for value in texts.values()), key


def test_services_shop_without_policies_still_writes() -> None:
    shop = Knowledge.model_validate({"shop": {"name": "Чистый дом", "kind": "services"}})
    text = compose("delivered", "ru", "long", True, knowledge=shop)
    assert text.endswith("напишите в ответ на это сообщение.")
