"""Delivery by city, the day said back in full, the price for a quantity — from the file."""

from __future__ import annotations

from datetime import date

import pytest

from bot.replies.base import Place, When
from bot.replies.knowledge import DEFAULT_EXAMPLE, EXAMPLES_DIR, load_knowledge
from bot.replies.rules.logistics import (
    area_for,
    booking_line,
    city_delivery,
    quantity_total,
    when_words,
)
from profiling.types import Lang

ELECTRONICS = load_knowledge(DEFAULT_EXAMPLE)
CLEANING = load_knowledge(EXAMPLES_DIR / "cleaning.yaml")
AREAS = ELECTRONICS.policies.delivery.areas  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("place", "area", "shown"),
    [
        (Place("Москва", "Moscow", "RU"), "Москва и ближнее Подмосковье", "Москва"),
        (Place("Химках"), "Москва и ближнее Подмосковье", "Химки"),  # listed in `cities`
        (Place("Khimki"), "Москва и ближнее Подмосковье", "Khimki"),
        (Place("Казань", "Kazan", "RU"), "По всей России", "Казань"),  # by country
    ],
)
def test_a_city_finds_its_area(place: Place, area: str, shown: str) -> None:
    found = area_for(AREAS, place)
    assert found is not None
    assert found[0].area.ru == area
    assert found[1] == shown


@pytest.mark.parametrize(
    "place",
    [Place("Manchester", "Manchester", "GB"), Place("Тмутаракань"), Place("Minsk", "Minsk", "BY")],
)
def test_a_city_no_area_covers_is_not_guessed(place: Place) -> None:
    assert area_for(AREAS, place) is None


def test_delivery_to_a_covered_city_gives_its_days_and_price() -> None:
    ru = city_delivery(ELECTRONICS, Place("Казань", "Kazan", "RU"), Lang.RU)
    assert ru is not None and "Казань" in ru and "3–7 дней" in ru and "490 ₽" in ru
    en = city_delivery(ELECTRONICS, Place("Москва", "Moscow", "RU"), Lang.EN)
    assert en is not None
    assert "Moscow" in en and "1–3 days" in en and "₽390" in en and "free from ₽5,000" in en


def test_delivery_to_an_uncovered_city_is_honest() -> None:
    en = city_delivery(ELECTRONICS, Place("Manchester", "Manchester", "GB"), Lang.EN)
    assert en is not None
    assert "not in our delivery terms" in en
    assert ELECTRONICS.contacts.phone in en  # type: ignore[operator]


def test_a_shop_without_areas_has_no_city_answer() -> None:
    assert city_delivery(CLEANING, Place("Москва", "Moscow", "RU"), Lang.RU) is None


@pytest.mark.parametrize(
    ("when", "lang", "words"),
    [
        (
            When("в субботу утром", date(2026, 12, 5), part="morning"),
            Lang.RU,
            "на субботу, 5 декабря, утром",
        ),
        (
            When("saturday morning", date(2026, 12, 5), part="morning"),
            Lang.EN,
            "for Saturday 5 December in the morning",
        ),
        (When("by friday", date(2026, 12, 4), by=True), Lang.RU, "до пятницы, 4 декабря"),
        (When("by friday", date(2026, 12, 4), by=True), Lang.EN, "by Friday 4 December"),
        (
            When("в 18:30", date(2026, 12, 2), clock="18:30"),
            Lang.RU,
            "на среду, 2 декабря, в 18:30",
        ),
        (When("на выходных"), Lang.RU, "на выходных"),
    ],
)
def test_the_day_is_said_back_in_full(when: When, lang: Lang, words: str) -> None:
    assert when_words(when, lang) == words


def test_booking_line_carries_the_day_and_the_shops_link() -> None:
    line = booking_line(CLEANING, When("сб", date(2026, 12, 5), part="morning"), Lang.RU)
    assert line == f"Записаться на субботу, 5 декабря, утром: {CLEANING.shop.order_url}"


def test_quantity_total() -> None:
    item = ELECTRONICS.product("SP-A55")
    assert item is not None
    assert quantity_total(ELECTRONICS, item, 3, Lang.RU) == "3 × 790 ₽ = 2 370 ₽."
