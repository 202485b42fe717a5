"""The catalogue at a glance, related items, and two products side by side."""

from __future__ import annotations

from bot.replies.knowledge import DEFAULT_EXAMPLE, EXAMPLES_DIR, load_knowledge
from bot.replies.rules.catalogue import WHOLE_RANGE, comparison_table, overview, related_line
from bot.replies.rules.clarify import clarify, options_for
from profiling.types import Lang

ELECTRONICS = load_knowledge(DEFAULT_EXAMPLE)
CLEANING = load_knowledge(EXAMPLES_DIR / "cleaning.yaml")


def test_overview_of_a_goods_shop_lists_categories_from_their_lowest_price() -> None:
    text = overview(ELECTRONICS, Lang.RU)
    assert text is not None
    cheapest = min(item.price for item in ELECTRONICS.catalog if item.category == "accessories")
    assert f"от {cheapest:,.0f}".replace(",", " ") in text
    assert text.count("•") == len({item.category for item in ELECTRONICS.catalog})


def test_overview_of_a_services_shop_lists_services_with_units() -> None:
    text = overview(CLEANING, Lang.EN)
    assert text is not None
    assert "Our services and prices" in text and "per" in text


def test_whole_range_questions() -> None:
    for asked in (
        "какие у вас услуги?",
        "пришлите прайс",
        "what do you sell?",
        "price list please",
    ):
        assert WHOLE_RANGE.search(asked), asked
    assert not WHOLE_RANGE.search("сколько стоит Dyson V15?")


def test_related_line_names_related_items_and_accessories_with_prices() -> None:
    phone = ELECTRONICS.product("PH-S24U")
    assert phone is not None
    line = related_line(ELECTRONICS, phone, Lang.RU)
    assert line is not None
    for sku in (*phone.related[:2], *phone.accessories[:2]):
        item = ELECTRONICS.product(sku)
        assert item is not None and item.name.ru in line


def test_comparison_table_puts_prices_and_features_side_by_side() -> None:
    a, b = ELECTRONICS.product("RV-S8"), ELECTRONICS.product("RV-L10S")
    assert a is not None and b is not None
    table = comparison_table(ELECTRONICS, [a, b], Lang.EN)
    lines = table.splitlines()
    assert lines[0].startswith("Side by side: ")
    assert lines[1] == "• Price: ₽54,990 / ₽69,990"
    assert any(line.startswith(f"• {a.name.en}:") for line in lines)


def test_options_fit_the_shop() -> None:
    assert options_for(CLEANING) == ("prices", "booking", "person")
    assert options_for(ELECTRONICS) == ("order", "delivery", "returns", "catalog", "person")
    assert "person" in options_for(None)


def test_clarify_adds_contacts_from_the_third_miss() -> None:
    second = clarify(ELECTRONICS, Lang.RU, misses=1)
    third = clarify(ELECTRONICS, Lang.RU, misses=2)
    assert second.options and second.missed
    assert ELECTRONICS.contacts.phone not in second.text  # type: ignore[operator]
    assert ELECTRONICS.contacts.phone in third.text  # type: ignore[operator]
