"""Money with bounds and currencies; quantities, and the numbers that are neither."""

from __future__ import annotations

import pytest

from profiling.entities import find_money, find_quantities

MONEY: list[tuple[str, list[tuple[float, str | None, str | None]]]] = [
    ("до 30 тысяч", [(30000, None, "max")]),
    ("30к", [(30000, None, None)]),
    ("бюджет 30к", [(30000, None, "max")]),
    ("30 000 ₽", [(30000, "RUB", None)]),
    ("стоит 4990 руб.", [(4990, "RUB", None)]),
    ("500 р", [(500, "RUB", None)]),
    ("$500", [(500, "USD", None)]),
    ("500$", [(500, "USD", None)]),
    ("under 500 dollars", [(500, "USD", "max")]),
    ("up to £200", [(200, "GBP", "max")]),
    ("не дороже 20 тыс", [(20000, None, "max")]),
    ("не дешевле 5 тысяч рублей", [(5000, "RUB", "min")]),
    ("от 10 до 20 тысяч", [(10000, None, "min"), (20000, None, "max")]),
    ("from 10 to 20k", [(10000, None, "min"), (20000, None, "max")]),
    ("10-20 тысяч", [(10000, None, "min"), (20000, None, "max")]),
    ("€1,299.99", [(1299.99, "EUR", None)]),
    ("1,5 тыс", [(1500, None, None)]),
    ("2 млн", [(2_000_000, None, None)]),
    ("бюджет 30000", [(30000, None, "max")]),
    ("at least 300 euros", [(300, "EUR", "min")]),
    ("в пределах 50 000 руб", [(50000, "RUB", "max")]),
    ("до 30 тысяч, доставка 500 р", [(30000, None, "max"), (500, "RUB", None)]),
    # not money
    ("2 штуки", []),
    ("Dyson V15", []),
    ("15.03", []),
    ("заказ 58213", []),
    ("в 18:30", []),
    ("до 500", []),  # no currency, no thousands, no budget word
    ("к 30 числу", []),
]


@pytest.mark.parametrize(("text", "expected"), MONEY)
def test_money(text: str, expected: list[tuple[float, str | None, str | None]]) -> None:
    assert [(m.amount, m.currency, m.bound) for m in find_money(text)] == expected


QUANTITIES: list[tuple[str, list[tuple[int, str | None]]]] = [
    ("2 штуки", [(2, "pcs")]),
    ("нужно 3 шт.", [(3, "pcs")]),
    ("две штуки", [(2, "pcs")]),
    ("пару", [(2, None)]),
    ("возьму пару", [(2, None)]),
    ("пару фильтров", [(2, None)]),
    ("возьму три", [(3, None)]),
    ("хочу 2", [(2, None)]),
    ("2 pcs", [(2, "pcs")]),
    ("five pieces", [(5, "pcs")]),
    ("a couple", [(2, None)]),
    ("I'll take two", [(2, None)]),
    ("x2", [(2, None)]),
    ("3х", [(3, None)]),
    ("need 10 units", [(10, "pcs")]),
    ("2 упаковки", [(2, "pcs")]),
    # not quantities
    ("пару слов о доставке", []),
    ("пару вопросов", []),
    ("a couple of days", []),
    ("a couple of questions", []),
    ("в 2 раза дешевле", []),
    ("S8", []),
    ("три дня назад", []),
    ("1920x1080", []),
    ("скидка 15%", []),
    ("need 15 minutes", []),
    ("возьму три дня на раздумье", []),
]


@pytest.mark.parametrize(("text", "expected"), QUANTITIES)
def test_quantities(text: str, expected: list[tuple[int, str | None]]) -> None:
    assert [(q.count, q.unit) for q in find_quantities(text)] == expected


def test_number_before_a_product_is_a_count() -> None:
    text = "2 айфона и 3 чайника"
    products = [(2, 8), (13, 20)]
    assert [q.count for q in find_quantities(text, products)] == [2, 3]
    assert find_quantities(text) == []  # without the products: just numbers


def test_bare_number_when_the_bot_asked() -> None:
    assert [q.count for q in find_quantities("3", expecting=True)] == [3]
    assert find_quantities("3") == []
