"""`extract_entities`: every extractor in one call, each span feeding one entity only."""

from __future__ import annotations

import pytest

from profiling.entities import (
    EXPECT_CITY,
    EXPECT_ORDER_NUMBER,
    EXPECT_QUANTITY,
    CatalogIndex,
    Entities,
    OrderNumberFormats,
    extract_entities,
)
from profiling.types import Lang

from .conftest import NOW, OFFSET, at


def run(text: str, catalog: CatalogIndex, expecting: str | None = None) -> Entities:
    return extract_entities(
        text, catalog=catalog, now=NOW, utc_offset_minutes=OFFSET, expecting=expecting
    )


def summary(found: Entities) -> dict[str, list[object]]:
    """The entities as plain values, only the kinds that were found."""
    kinds: dict[str, list[object]] = {
        "orders": [o.number for o in found.order_numbers],
        "products": [p.key for p in found.products],
        "cities": [c.name for c in found.cities],
        "times": [t.text for t in found.times],
        "quantities": [q.count for q in found.quantities],
        "money": [(m.amount, m.bound) for m in found.money],
        "phones": [p.number for p in found.phones],
        "emails": [e.address for e in found.emails],
    }
    return {kind: values for kind, values in kinds.items() if values}


CASES: list[tuple[str, dict[str, list[object]]]] = [
    ("Order #A-77812", {"orders": ["A-77812"]}),
    ("Номер заказа 58213", {"orders": ["58213"]}),
    (
        "Roborock S8 или Dreame L10s Ultra? Бюджет до 30 тысяч",
        {"products": ["roborock-s8", "dreame-l10s"], "money": [(30000, "max")]},
    ),
    ("deliver to Manchester by friday?", {"cities": ["Manchester"], "times": ["by friday"]}),
    (
        "Генеральную уборку в субботу утром, мой телефон +7 916 123-45-67",
        {"products": ["general"], "times": ["в субботу утром"], "phones": ["+79161234567"]},
    ),
    ("2 штуки айфон 15 pro", {"products": ["iphone-15-pro"], "quantities": [2]}),
    ("2 айфона 15", {"products": ["iphone-15"], "quantities": [2]}),
    ("возьму пару AirPods Pro 2", {"products": ["airpods-pro-2"], "quantities": [2]}),
    (
        "Заказ №58213, пишите на shop.client@mail.ru",
        {"orders": ["58213"], "emails": ["shop.client@mail.ru"]},
    ),
    (
        "Доставка в Казань к пятнице, 3 шт.",
        {"cities": ["Kazan"], "times": ["к пятнице"], "quantities": [3]},
    ),
    ("Need a Dyson V15 under $700", {"products": ["dyson-v15"], "money": [(700, "max")]}),
    (
        "мытьё окон и химчистка дивана завтра в 10 утра",
        {"products": ["windows", "sofa"], "times": ["завтра в 10 утра"]},
    ),
    (
        "Order 5531: 2 x AirPods Pro 2, deliver to Leeds tomorrow at 6 pm, call +44 7700 900123",
        {
            "orders": ["5531"],
            "products": ["airpods-pro-2"],
            "cities": ["Leeds"],
            "times": ["tomorrow at 6 pm"],
            "quantities": [2],
            "phones": ["+447700900123"],
        },
    ),
    (
        "хочу 3 айфона 15 про и пару airpods pro 2 к пятнице в Питер",
        {
            "products": ["iphone-15-pro", "airpods-pro-2"],
            "cities": ["Saint Petersburg"],
            "times": ["к пятнице"],
            "quantities": [3, 2],
        },
    ),
    (
        "iPhone 15 Pro за 100 000 ₽ или Galaxy S24 за 80 тыс?",
        {"products": ["iphone-15-pro", "galaxy-s24"], "money": [(100000, None), (80000, None)]},
    ),
    (
        "заказ 58213 на 2 штуки до 30 тысяч в субботу",
        {
            "orders": ["58213"],
            "times": ["в субботу"],
            "quantities": [2],
            "money": [(30000, "max")],
        },
    ),
    # the negative cases: one span, one entity
    ("+7 916 123-45-67 2 штуки", {"phones": ["+79161234567"], "quantities": [2]}),
    ("89161234567", {"phones": ["89161234567"]}),  # a phone, not an order nor money
    ("мой номер 8 916 123 45 67", {"phones": ["89161234567"]}),
    ("Заказ на 30000 рублей", {"money": [(30000, None)]}),  # a price, not an order
    ("Roborock S8", {"products": ["roborock-s8"]}),  # "S8" is not a quantity
    ("Galaxy S24 2 штуки", {"products": ["galaxy-s24"], "quantities": [2]}),
    ("пару слов о доставке", {}),
    ("до 15.03", {"times": ["до 15.03"]}),  # a date, not money
    ("в 18:30", {"times": ["в 18:30"]}),
    ("привет!", {}),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_extract(catalog: CatalogIndex, text: str, expected: dict[str, list[object]]) -> None:
    assert summary(run(text, catalog)) == expected


EXPECTING: list[tuple[str, str, dict[str, list[object]]]] = [
    ("58213", EXPECT_ORDER_NUMBER, {"orders": ["58213"]}),
    ("58213", EXPECT_QUANTITY, {}),  # too many to be a count of items
    ("3", EXPECT_QUANTITY, {"quantities": [3]}),
    ("3", EXPECT_ORDER_NUMBER, {}),
    ("Жуковский", EXPECT_CITY, {"cities": ["Жуковский"]}),
    ("Тверь", EXPECT_CITY, {"cities": ["Tver"]}),
    ("Milton Keynes", EXPECT_CITY, {"cities": ["Milton Keynes"]}),
    ("в Москву", EXPECT_CITY, {"cities": ["Moscow"]}),
    ("89161234567", EXPECT_ORDER_NUMBER, {"phones": ["89161234567"]}),
]


@pytest.mark.parametrize(("text", "expecting", "expected"), EXPECTING)
def test_expecting(
    catalog: CatalogIndex, text: str, expecting: str, expected: dict[str, list[object]]
) -> None:
    assert summary(run(text, catalog, expecting)) == expected


def test_unknown_expectation_is_an_error(catalog: CatalogIndex) -> None:
    with pytest.raises(ValueError, match="expecting"):
        run("58213", catalog, "order")


def test_without_catalogue_or_clock() -> None:
    found = extract_entities("Roborock S8 завтра, заказ 58213")
    assert found.products == ()
    assert found.times == ()  # no "now": relative dates cannot be resolved
    assert [o.number for o in found.order_numbers] == ["58213"]


def test_custom_order_formats(catalog: CatalogIndex) -> None:
    formats = OrderNumberFormats.from_patterns([r"\bBR-\d{6}\b"])
    found = extract_entities("где BR-123456 и заказ 58213?", catalog=catalog, orders=formats)
    assert [o.number for o in found.order_numbers] == ["BR-123456"]


def test_time_values_and_language_hint(catalog: CatalogIndex) -> None:
    found = extract_entities(
        "03/12", lang=Lang.RU, catalog=catalog, now=NOW, utc_offset_minutes=OFFSET
    )
    assert [(t.start_ts, t.end_ts) for t in found.times] == [(at(3), at(4))]


@pytest.mark.parametrize("text", ["", "   ", "\n"])
def test_empty(catalog: CatalogIndex, text: str) -> None:
    assert run(text, catalog) == Entities()
