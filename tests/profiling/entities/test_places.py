"""Cities: the built-in list in both scripts and all cases, and places after delivery words."""

from __future__ import annotations

import pytest

from profiling.entities import find_cities, russian_name, same_place

KNOWN: list[tuple[str, list[str]]] = [
    ("Доставите в Москву?", ["Moscow"]),
    ("отправка из Казани", ["Kazan"]),
    ("по Питеру курьером", ["Saint Petersburg"]),
    ("в СПб есть самовывоз?", ["Saint Petersburg"]),
    ("я в Санкт-Петербурге", ["Saint Petersburg"]),
    ("живу в Нижнем Новгороде", ["Nizhny Novgorod"]),
    ("из Ростова-на-Дону в Краснодар", ["Rostov-on-Don", "Krasnodar"]),
    ("доставка в екатеринбург", ["Yekaterinburg"]),
    ("из Уфы", ["Ufa"]),
    ("Новосибирск, Омск и Томск", ["Novosibirsk", "Omsk", "Tomsk"]),
    ("deliver to Manchester?", ["Manchester"]),
    ("Do you ship to New York?", ["New York"]),
    ("in london next week", ["London"]),
    ("from Berlin to Paris", ["Berlin", "Paris"]),
    ("доставка в Лондон", ["London"]),
    ("I live in Kazan", ["Kazan"]),
    # not cities
    ("уф, ладно", []),  # «уф» is not Уфа
    ("нижний ящик", []),
    ("сумма заказа", []),
    ("a perm please", []),  # short Latin names need a capital
    ("Москвич 412", []),
    ("доставка в субботу", []),
    ("deliver to me on Friday", []),
    ("отправьте в Телеграм", []),
    ("меня зовут Владимир", []),
]


@pytest.mark.parametrize(("text", "expected"), KNOWN)
def test_known_cities(text: str, expected: list[str]) -> None:
    found = find_cities(text)
    assert [c.name for c in found] == expected
    assert all(c.known for c in found)


DELIVERY: list[tuple[str, str]] = [
    ("ship to Reading?", "Reading"),
    ("can you deliver to Milton Keynes", "Milton Keynes"),
    ("доставка в Кострому будет?", "Кострому"),
    ("а привезёте в Жуковский?", "Жуковский"),
    ("отправите до Сыктывкара?", "Сыктывкара"),
    ("Привезите в Люберцы послезавтра", "Люберцы"),
]


@pytest.mark.parametrize(("text", "name"), DELIVERY)
def test_unknown_place_after_delivery_words(text: str, name: str) -> None:
    (city,) = find_cities(text)
    assert (city.name, city.known) == (name, False)
    assert text[city.start : city.end] == name


def test_written_form_is_kept() -> None:
    (city,) = find_cities("Доставите в Москву?")
    assert (city.name, city.text) == ("Moscow", "Москву")


@pytest.mark.parametrize(
    ("text", "country"),
    [("доставка в Казань", "RU"), ("deliver to Manchester", "GB"), ("в Минск", "BY")],
)
def test_known_cities_carry_their_country(text: str, country: str) -> None:
    assert [city.country for city in find_cities(text)] == [country]


@pytest.mark.parametrize(
    ("written", "listed", "same"),
    [
        ("Химках", "Химки", True),
        ("Москву", "Москва", True),
        ("Нижнем Новгороде", "Нижний Новгород", True),
        ("Химки", "Мытищи", False),
        ("Нижний", "Нижний Новгород", False),
    ],
)
def test_same_place_across_case_forms(written: str, listed: str, same: bool) -> None:
    assert same_place(written, listed) is same


def test_russian_name_of_a_known_city() -> None:
    assert russian_name("Kazan") == "Казань"
    assert russian_name("Atlantis") is None
