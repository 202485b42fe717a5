"""The check before an LLM's answer is sent: good answers pass, and each kind of mistake —
empty, too long, a promise, the wrong language, an invented status, price, date, term, order
or number — is caught, while the shop's ordinary wording does not trip it."""

from __future__ import annotations

import re
from collections.abc import Collection

import pytest

from bot.replies.llm.check import PASS, Verdict, check_answer
from profiling.types import Lang

RU, EN = Lang.RU, Lang.EN

FACTS_RU = """Магазин «ТехноДом». Телефон +7 495 123-45-67, почта [email].
Ежедневно с 10:00 до 21:00. Доставка курьером по Москве за 1–3 дня, по всей России — за 3–7 дней.
Стоимость доставки по Москве — 390 ₽, бесплатно от 5000 ₽. Товар надлежащего качества можно
вернуть в течение 14 дней. Деньги вернём в течение 10 дней после получения товара. Гарантия
производителя 1 год. Рассрочка 0 % на 6 месяцев. Samsung Galaxy S24 Ultra 256 ГБ — 99 990 ₽.
Dyson V15 Detect — 54 990 ₽. Заказ A-77812 передан в доставку. В нём: Samsung Galaxy S24 Ultra;
сумма 99 990 ₽; оформлен 02.12.2026. Клиент: где мой заказ?"""

FACTS_EN = """TechnoDom. Phone +7 495 123-45-67. Daily 10:00–21:00.
Courier delivery in Moscow in 1–3 days, across Russia in 3–7 days. Delivery in Moscow costs 390 ₽,
free from 5,000 ₽. You can return an item in good condition within 14 days. 1-year warranty.
0 % installments for 6 months. Samsung Galaxy S24 Ultra 256 GB — 99 990 ₽.
Order A-77812 is on its way to you. It has: Samsung Galaxy S24 Ultra; total 99 990 ₽;
placed 02.12.2026. Customer: where is my order?"""

SHIPPED = frozenset({"shipped"})


def lang_of(answer: str) -> Lang:
    return RU if re.search("[а-яё]", answer, re.IGNORECASE) else EN


def check(
    answer: str,
    lang: Lang = RU,
    statuses: Collection[str] = SHIPPED,
    facts: str | None = None,
    allowed: Collection[str] = (),
    max_chars: int = 600,
) -> Verdict:
    if facts is None:
        facts = FACTS_RU if lang is RU else FACTS_EN
    return check_answer(
        answer,
        lang=lang,
        max_chars=max_chars,
        facts=facts,
        order_statuses=statuses,
        allowed_promises=allowed,
    )


@pytest.mark.parametrize(
    ("lang", "answer"),
    [
        (RU, "Ваш заказ A-77812 с Samsung Galaxy S24 Ultra уже передан в доставку, курьер "
             "привезёт его за 1–3 дня."),
        (RU, "Заказ A-77812 оформлен 2 декабря и уже в пути. Сумма — 99 990 руб."),
        (RU, "Доставка по Москве стоит 390 ₽, а от 5 000 ₽ — бесплатно. Обычно курьер в пути "
             "1–3 дня."),
        (RU, "Да, Samsung Galaxy S24 Ultra есть, 99 990 ₽. Гарантия — 12 месяцев, можно в "
             "рассрочку на 6 месяцев."),
        (RU, "Мы работаем с 10:00 до 21:00, телефон +7 (495) 123-45-67."),
        (RU, "Мы работаем ежедневно с 10 до 21 часа."),
        (RU, "Вернуть товар можно в течение 14 дней, деньги вернём за 10 дней."),
        (RU, "Заказ A-77812 оформлен 02.12.2026, оплачен и передан в доставку."),
        (RU, "Samsung Galaxy S24 Ultra Titanium Black — отличный выбор!"),
        (RU, "Samsung Galaxy S24 Ultra Titanium Black"),  # names only: no language to judge
        (RU, "Ок"),
        (EN, "Your order A-77812 is on its way and should arrive in 1–3 days."),
        (EN, "Delivery in Moscow costs 390 ₽ and is free from ₽5,000."),
        (EN, "We're open daily from 10:00 to 21:00. The warranty is 12 months."),
        (EN, "It was placed on Dec 2 and has been shipped."),
        (EN, "You can return it within 14 days; the S24 Ultra costs 99,990 rubles."),
        (EN, "Thanks!"),
    ],
)  # fmt: skip
def test_good_answers_pass(lang: Lang, answer: str) -> None:
    assert check(answer, lang) == PASS


def test_empty_and_too_long() -> None:
    assert check("") == Verdict(False, "empty")
    assert check("  \n ") == Verdict(False, "empty")
    assert check("а" * 115, max_chars=100).ok  # 15 % slack
    long = check("а" * 116, max_chars=100)
    assert (long.ok, long.reason) == (False, "too_long")


@pytest.mark.parametrize(
    ("lang", "answer", "reason", "detail"),
    [
        # promises no code keeps
        (RU, "Я уточню и перезвоню вам.", "promise", "call: перезвоню"),
        (RU, "Мы свяжемся с вами завтра.", "promise", "call: свяжемся"),
        (RU, "Уточню у склада и отвечу.", "promise", "follow_up: уточню"),
        (RU, "Я проверю статус и вернусь к вам.", "promise", "follow_up: проверю"),
        (RU, "Сообщу, как только товар поступит.", "promise", "follow_up: сообщу, как только"),
        (RU, "Напомню вам в пятницу.", "promise", "remind: напомню"),
        (RU, "Передам ваш вопрос менеджеру.", "promise", "handoff: передам ваш вопрос менеджеру"),
        (RU, "Менеджер свяжется с вами в течение часа.", "promise", "handoff: менеджер свяжется"),
        (EN, "I'll call you back in a minute.", "promise", "call: i'll call"),
        (EN, "Let me check with the warehouse.", "promise", "follow_up: let me check"),
        (EN, "I’ll get back to you tomorrow.", "promise", "follow_up: get back to you"),
        (EN, "I will remind you on Friday.", "promise", "remind: remind you"),
        (EN, "I'll pass you to a manager.", "promise", "handoff: pass you to a manager"),
        # the wrong language
        (RU, "Your order A-77812 is on its way.", "wrong_language", "Your order is on its way"),
        (RU, "Delivery in Moscow costs 390 ₽.", "wrong_language", "Delivery in Moscow costs"),
        (EN, "Ваш заказ в пути.", "wrong_language", "Ваш заказ в пути"),
        # a status the shop did not report
        (RU, "Ваш заказ доставлен.", "unknown_order_status", "delivered: доставлен"),
        (RU, "Заказ A-77812 отменён.", "unknown_order_status", "cancelled: отменен"),
        (EN, "Your order has been delivered.", "unknown_order_status",
             "delivered: has been delivered"),
        (EN, "Your order was cancelled.", "unknown_order_status", "cancelled: was cancelled"),
        # invented numbers
        (RU, "Стоимость — 89 990 ₽.", "unknown_price", "89 990 ₽"),
        (EN, "It costs $120.", "unknown_price", "$120"),
        (RU, "Доставим 5 декабря.", "unknown_date", "5 декабря"),
        (RU, "Доставим 05.12.", "unknown_date", "05.12"),
        (EN, "It arrives on Dec 5.", "unknown_date", "on Dec 5"),
        (RU, "Курьер приедет в 18:30.", "unknown_time", "18:30"),
        (RU, "Вернуть можно в течение 30 дней.", "unknown_number", "30 дней"),
        (RU, "Гарантия 2 года.", "unknown_number", "2 года"),
        (EN, "We deliver in 2 days.", "unknown_number", "2 days"),
        (EN, "The warranty is 24 months.", "unknown_number", "24 months"),
        (RU, "Ваш заказ B-12345 передан в доставку.", "unknown_order", "B-12345"),
        (RU, "Ваш заказ №58213 скоро приедет.", "unknown_order", "58213"),
        (EN, "Order #58213 is on its way.", "unknown_order", "58213"),
        (RU, "На складе осталось 150 штук.", "unknown_number", "150"),
        (RU, "Звоните: 8 800 555-35-35.", "unknown_number", "8 800 555-35-35"),
        (RU, "Samsung Galaxy S24 Ultra на 512 ГБ тоже есть.", "unknown_number", "512"),
    ],
)  # fmt: skip
def test_each_failure_is_named(lang: Lang, answer: str, reason: str, detail: str) -> None:
    assert check(answer, lang) == Verdict(False, reason, detail)


@pytest.mark.parametrize(
    ("answer", "allowed", "ok"),
    [
        ("Передам ваш вопрос менеджеру, он свяжется с вами.", ("handoff",), True),
        ("Передам ваш вопрос менеджеру, он свяжется с вами.", (), False),
        ("A manager will contact you shortly.", ("handoff",), True),
        ("Передам менеджеру. А я пока проверю наличие.", ("handoff",), False),
        ("I'll call you back.", ("handoff",), False),
    ],
)
def test_allowed_promises_lift_a_kind(answer: str, allowed: tuple[str, ...], ok: bool) -> None:
    assert check(answer, lang_of(answer), allowed=allowed).ok is ok


@pytest.mark.parametrize(
    ("answer", "statuses", "ok"),
    [
        # every step before the current one is true of the order
        ("Заказ оформлен, оплачен и передан в доставку.", {"shipped"}, True),
        ("Заказ оформлен, оплачен и передан в доставку.", {"paid"}, False),
        ("Ваш заказ доставлен.", {"returned"}, True),
        ("Ваш заказ отменён, деньги возвращены.", {"cancelled"}, False),
        ("Ваш заказ отменён.", {"cancelled"}, True),
        ("Your order has been refunded.", {"returned"}, True),
        ("Your order has been refunded.", {"delivered"}, False),
        # "on its way" is where the order is now: wrong for a delivered one
        ("Заказ уже в пути.", {"delivered"}, False),
        ("Your parcel is out for delivery today.", {"shipped"}, True),
        ("Your parcel is out for delivery today.", {"paid"}, False),
        ("Your order shipped on Dec 2.", {"paid"}, False),
        # several orders: any of their statuses will do
        ("Один заказ доставлен, второй в пути.", {"delivered", "shipped"}, True),
        # no order known: no status may be stated
        ("Ваш заказ оплачен.", set(), False),
        ("Your order is paid.", set(), False),
    ],
)
def test_order_status_against_the_shops(answer: str, statuses: set[str], ok: bool) -> None:
    assert check(answer, lang_of(answer), statuses).ok is ok


@pytest.mark.parametrize(
    "answer",
    [
        # no promise: a clarifying question, an invitation, the customer's own data
        "Уточню: вам нужна модель на 256 ГБ?",
        "Давайте подберём модель: какой у вас бюджет?",
        "Your personal data will be deleted on request.",
        "Курьер позвонит за час до приезда.",
        "Проверьте, пожалуйста, статус в личном кабинете.",
        "При получении можно проверить товар.",
        # policies and other things that are sent, paid or delivered, not the order's status
        "Доставка бесплатная от 5000 ₽, курьер доставит заказ за 1–3 дня.",
        "Чек отправлен вам на почту.",
        "Трек-номер отправлен вам в SMS, заказ ещё собирается.",
        "Ваше сообщение получено, спасибо.",
        "Как только заказ будет отправлен, вы получите SMS.",
        "Если товар доставлен с повреждениями, пришлите фото.",
        "Заказ ещё не отправлен.",
        "Ваш заказ не был отправлен.",
        "Заказ будет доставлен за 1–3 дня.",
        "По России посылки в пути 3–7 дней.",
        "Free delivery from 5,000 ₽.",
        "We deliver in 1–3 days across Moscow.",
        "Orders are shipped within 1–3 days.",
        "An order is shipped within 1–3 days.",
        "Delivery is paid separately.",
        "It is paid on delivery, by card or cash.",
        "Once it is delivered, you'll get an SMS.",
        "It will be delivered in 1–3 days.",
        "It hasn't shipped yet.",
        "Your order has not been shipped yet.",
    ],
)
def test_ordinary_wording_passes(answer: str) -> None:
    assert check(answer, lang_of(answer), {"paid"}) == PASS


@pytest.mark.parametrize(
    ("answer", "facts"),
    [
        # the same amount, however it is written
        ("Цена 12 990 ₽.", "цена: ₽12,990"),
        ("Цена 12990 руб.", "цена: 12 990 ₽"),
        ("Цена 12 990 рублей.", "цена 12990"),
        ("Бюджет — до 30 тысяч рублей.", "до 30 000 ₽"),
        ("The price is $1,299.99.", "Price: 1299.99 USD"),
        # the same date
        ("Оформлен 2 декабря.", "оформлен 02.12.2026"),
        ("Placed on December 2.", "placed 2026-12-02T10:00:00Z"),
        ("Доставим 02.12.2026.", "доставка 2 декабря"),
        # the same term, in other units or the other language
        ("Гарантия 12 месяцев.", "гарантия 1 год"),
        ("Вернуть можно в течение двух недель — 14 дней.", "return within 2 weeks"),
        ("Доставка 24 часа.", "доставка за 1 день"),
        ("Рассрочка на 6 месяцев.", "0 % installments for 6 months"),
        ("Доставка 1-3 рабочих дня.", "доставка 1–3 дня"),
        # the shop's phone, written another way; a model and a code from the facts
        ("Звоните 8 (800) 555-35-35.", "телефон 8 800 555 35 35"),
        ("Звоните +74951234567.", "телефон +7 495 123-45-67"),
        ("Есть наушники Sony WH-1000XM5.", "Sony WH-1000XM5 — 29 990 ₽"),
        ("Номер заказа — A77812.", "Заказ A-77812"),
        # small numbers, percentages and "24/7" are fine
        ("Курьер подождёт 15 минут, скидка 10 %.", ""),
        ("Поддержка 24/7, 100 % оригинал.", ""),
        ("В коробке 2 кабеля и 1 адаптер.", ""),
    ],
)
def test_numbers_are_compared_by_value(answer: str, facts: str) -> None:
    assert check(answer, lang_of(answer), set(), facts=facts) == PASS


@pytest.mark.parametrize(
    ("lang", "answer", "facts"),
    [
        # names quoted from the facts in the other script do not count against the answer
        (EN, "Our showroom: ул. Большая Дмитровка, 12 — open daily.", "ул. Большая Дмитровка, 12"),
        (EN, "Кофемашина DeLonghi Magnifica Evo is in stock.", "Кофемашина DeLonghi Magnifica Evo"),
        (EN, "Кофемашина DeLonghi Magnifica Evo", "Кофемашина DeLonghi Magnifica Evo"),
        (RU, "Samsung Galaxy S24 Ultra 256 GB в наличии", "Samsung Galaxy S24 Ultra 256 GB"),
        (RU, "Есть Hario V60 Ceramic White и Jura E8 Piano Black.", ""),
    ],
)
def test_names_in_the_other_script_pass(lang: Lang, answer: str, facts: str) -> None:
    assert check(answer, lang, set(), facts=facts) == PASS


def test_an_english_answer_copied_from_english_facts_still_fails_a_russian_dialog() -> None:
    verdict = check("Delivery in Moscow costs 390 ₽, free from 5,000 ₽.", RU, facts=FACTS_EN)
    assert (verdict.ok, verdict.reason) == (False, "wrong_language")


def test_checks_run_cheap_to_expensive() -> None:
    # a promise, the wrong language and an invented price: the promise is named first
    assert check("I'll call you, it costs $999.", RU).reason == "promise"
    assert check("Your order costs $999.", RU).reason == "wrong_language"
    assert check("Ваш заказ доставлен, цена 999 ₽.", RU).reason == "unknown_order_status"


def test_lang_may_be_a_plain_string() -> None:
    assert (
        check_answer(
            "Ваш заказ в пути.", lang="ru", max_chars=100, facts="", order_statuses=SHIPPED
        )
        == PASS
    )
