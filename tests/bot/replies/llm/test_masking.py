"""Masking personal data before a text leaves for an LLM: phones, cards and e-mails go, the
numbers a shop talks about (orders, prices, dates, times, models) stay."""

from __future__ import annotations

import pytest

from bot.replies.llm.masking import Masked, luhn_ok, mask, mask_personal


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        # Russian formats, with and without the country code
        ("+7 999 123-45-67", "[phone]"),
        ("8 (999) 123 45 67", "[phone]"),
        ("89991234567", "[phone]"),
        ("+7(495)1234567", "[phone]"),
        ("(+7) 999 123-45-67", "[phone]"),
        ("8-916-123-45-67", "[phone]"),
        ("8 999 12 345 67", "[phone]"),  # grouped the customer's own way
        ("+7 999 1234567", "[phone]"),
        ("999 123-45-67", "[phone]"),
        ("8 800 555-35-35", "[phone]"),
        ("+7 (999) 123-45-67 доб. 123", "[phone]"),
        ("тел:+79991234567, спасибо", "тел:[phone], спасибо"),
        ("мой номер+79991234567.", "мой номер[phone]."),
        # international, with "+"
        ("+44 20 7946 0958", "[phone]"),
        ("+1 415 555 2671", "[phone]"),
        ("+49 30 901820", "[phone]"),
        ("+33 1 42 68 53 00", "[phone]"),
        ("+380 44 123 4567", "[phone]"),
        ("+44 2079 460958", "[phone]"),
        # two phones, and a phone among other numbers
        ("+7 999 123 45 67 или 8 916 555 44 33", "[phone] или [phone]"),
        ("заказ 58213, звоните 8 999 123 45 67", "заказ 58213, звоните [phone]"),
        ("с 10:00 до 18:00 8 800 555 35 35", "с 10:00 до 18:00 [phone]"),
        # the matcher gives up on a phone glued to the next number; the second pass does not
        ("+7 999 123 45 67 2 штуки", "[phone] 2 штуки"),
        ("+7 999 1234567 8 шт", "[phone] 8 шт"),
        ("тел 8 999 123 45 67 12 шт", "тел [phone] 12 шт"),
    ],
)
def test_phones_are_masked(text: str, masked: str) -> None:
    assert mask_personal(text) == masked


@pytest.mark.parametrize(
    ("text", "region", "masked"),
    [
        ("call 020 7946 0958", "GB", "call [phone]"),
        ("call 020 7946 0958", "RU", "call 020 7946 0958"),  # not a Russian number
        ("call (415) 555-2671", "US", "call [phone]"),
        ("звоните 8 999 123 45 67", "RU", "звоните [phone]"),
        ("created 2026-12-02 18:30", "US", "created 2026-12-02 18:30"),
        ("on 12-02-2026 at 10", "US", "on 12-02-2026 at 10"),
    ],
)
def test_a_number_without_plus_is_read_in_the_customers_region(
    text: str, region: str, masked: str
) -> None:
    assert mask_personal(text, region=region) == masked


@pytest.mark.parametrize(
    "text",
    [
        "заказ A-77812",
        "номер заказа 58213",
        "#123456",
        "номер 1234567890",
        "Order 12345678",
        "12 990 ₽",
        "2 890 000 ₽",
        "12 345 678 руб",
        "₽12,990",
        "02.12.2026",
        "2026-12-02",
        "12/02/2026",
        "18:30",
        "с 9:00 до 21:00",
        "3 шт",
        "S24 Ultra 256 ГБ",
        "Dyson V15",
        "WH-1000XM5",
        "1234567",
        "123-45-67",
        "ИНН 7707083893",
        "цены 1 999, 2 999, 3 999",
        "трек 80081234567890",
        "S24 Ultra 256 ГБ за 99 990 ₽, заказ 58213 от 02.12.2026 в 18:30, 3 шт",
    ],
)
def test_shop_numbers_are_left_alone(text: str) -> None:
    assert mask(text) == Masked(text, 0, 0, 0)


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("карта 4111 1111 1111 1111", "карта [card]"),
        ("4111-1111-1111-1111", "[card]"),
        ("4111111111111111", "[card]"),
        ("5555 5555 5555 4444", "[card]"),
        ("3782 822463 10005", "[card]"),  # American Express, 15 digits in 4-6-5
        ("Мир 2200 7000 0000 0009", "Мир [card]"),
        ("6011 0009 9013 92", "[card]"),  # 14 digits
        ("4111 1111 1111 1111 2 шт", "[card] 2 шт"),  # the quantity after it stays
        ("карты 4111 1111 1111 1111 и 5555 5555 5555 4444", "карты [card] и [card]"),
    ],
)
def test_card_numbers_that_pass_luhn_are_masked(text: str, masked: str) -> None:
    assert mask_personal(text) == masked


@pytest.mark.parametrize(
    "text",
    [
        "4111 1111 1111 1112",  # fails Luhn
        "2200 1234 5678 9010",  # fails Luhn
        "4111 1111 1111",  # too short for a card
        "41111111111111111111",  # 20 digits: too long
    ],
)
def test_digit_runs_that_are_not_cards_stay(text: str) -> None:
    assert mask(text).cards == 0
    assert "[card]" not in mask_personal(text)


def test_a_phone_is_never_half_taken_by_a_card() -> None:
    # 8999123456712 passes Luhn, but cards do not start with 8: the phone and "12" stay apart.
    assert luhn_ok("8999123456712")
    assert mask("8 999 123 45 67 12 шт") == Masked("[phone] 12 шт", phones=1, emails=0, cards=0)


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("ivan.petrov@mail.ru", "[email]"),
        ("пишите: Ivan+shop@Example.COM, спасибо", "пишите: [email], спасибо"),
        ("почта@магазин.рф", "[email]"),
        ("sales@shop.xn--p1ai", "[email]"),
        ("79991234567@mail.ru", "[email]"),  # the digits of an address are not a phone
        ("a.b-c_d@sub.domain.co.uk.", "[email]."),
        ("@technodom_shop", "@technodom_shop"),  # a Telegram username is not an address
        ("user@localhost", "user@localhost"),
        ("5 @ 10", "5 @ 10"),
    ],
)
def test_emails_are_masked(text: str, masked: str) -> None:
    assert mask_personal(text) == masked


def test_counts_of_each_kind() -> None:
    text = "Я Иван, ivan@mail.ru, +7 999 123-45-67 и 8 916 555 44 33, карта 4111 1111 1111 1111"
    assert mask(text) == Masked(
        "Я Иван, [email], [phone] и [phone], карта [card]", phones=2, emails=1, cards=1
    )


@pytest.mark.parametrize("text", ["", "Привет, где мой заказ?", "Hello there!"])
def test_text_without_digits_or_at_sign_is_returned_as_is(text: str) -> None:
    assert mask(text) == Masked(text, 0, 0, 0)


@pytest.mark.parametrize(
    ("digits", "ok"),
    [("4111111111111111", True), ("4111111111111112", False), ("0", True), ("18", True)],
)
def test_luhn(digits: str, ok: bool) -> None:
    assert luhn_ok(digits) is ok
