"""Order numbers: the usual forms, configured formats, and the numbers that are not orders."""

from __future__ import annotations

import pytest

from profiling.entities import OrderNumberFormats, find_order_numbers

CASES: list[tuple[str, list[str]]] = [
    ("Номер заказа 58213", ["58213"]),
    ("номер заказа: 58213, где он?", ["58213"]),
    ("Заказ №58213 не пришёл", ["58213"]),
    ("заказ № 58213", ["58213"]),
    ("по заказу 4521 есть новости?", ["4521"]),
    ("Order #A-77812", ["A-77812"]),
    ("my order number is 5531", ["5531"]),
    ("order no. 123456", ["123456"]),
    ("#12345", ["12345"]),
    ("№ 98765 где?", ["98765"]),
    ("A-77812", ["A-77812"]),
    ("статус B-123456?", ["B-123456"]),
    ("заказы 11111 и #22222", ["11111", "22222"]),
    ("трек-номер 9876543210", ["9876543210"]),
    # not order numbers
    ("58213", []),  # a bare number, nobody asked
    ("Заказ на 30000 рублей", []),
    ("заказал 2 штуки", []),
    ("order 5000 rub worth", []),
    ("Roborock S8 и Dyson V15", []),
    ("Sony WH-1000XM5", []),
    ("цена $12000", []),
    ("заказ от 15.03.2026", []),
    ("заказ к 18:30", []),
    ("заказ #12", []),  # too short
    ("RTX-4090", []),  # four digits after a dashed prefix: a model, not a shop code
    ("version 2.12345", []),
    ("my phone number is 5551234", []),
    ("номер телефона 5551234", []),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_default_formats(text: str, expected: list[str]) -> None:
    assert [o.number for o in find_order_numbers(text)] == expected


EXPECTING: list[tuple[str, list[str]]] = [
    ("58213", ["58213"]),
    ("вот: 58213", ["58213"]),
    ("это 4521", ["4521"]),
    ("5000 рублей", []),  # still a price
    ("2 штуки", []),
    ("12", []),
]


@pytest.mark.parametrize(("text", "expected"), EXPECTING)
def test_bare_number_when_the_bot_asked(text: str, expected: list[str]) -> None:
    assert [o.number for o in find_order_numbers(text, expecting_order=True)] == expected


CUSTOM = OrderNumberFormats.from_patterns([r"\bBR-?(?P<number>\d{6})\b", r"\b\d{8}\b"])
CUSTOM_CASES: list[tuple[str, bool, list[str]]] = [
    ("где BR-123456?", False, ["123456"]),
    ("посылка BR123456", False, ["123456"]),
    ("заказ 12345678", False, ["12345678"]),
    ("12345678", False, []),  # all digits: still needs an order context
    ("12345678", True, ["12345678"]),
    ("заказ 58213", False, []),  # not the shop's format
]


@pytest.mark.parametrize(("text", "expecting", "expected"), CUSTOM_CASES)
def test_custom_formats(text: str, expecting: bool, expected: list[str]) -> None:
    found = find_order_numbers(text, CUSTOM, expecting_order=expecting)
    assert [o.number for o in found] == expected


def test_default_when_no_patterns() -> None:
    assert OrderNumberFormats.from_patterns(None) == OrderNumberFormats.from_patterns([])
    assert not OrderNumberFormats.from_patterns(None).custom


def test_span_covers_the_sign() -> None:
    text = "Заказ №58213 не пришёл"
    (order,) = find_order_numbers(text)
    assert text[order.start : order.end] == "№58213"
