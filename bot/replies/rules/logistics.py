"""Where and when: delivery to the city the customer named, a booking for the day they
named, and a price for the quantity they want — from the shop's file, never guessed.

A city is matched to a delivery area by the area's own words, its `cities` list (any case
form: «в Химках» is «Химки») or its `country` (an area «по всей России» answers for Kazan,
not for Manchester). A city no area covers is said to be not covered by the rules, with the
areas there are and the shop's contacts — not "we deliver everywhere".
"""

from __future__ import annotations

from datetime import date

from bot.replies.base import Place, When
from bot.replies.knowledge import DeliveryArea, Item, Knowledge, text
from bot.replies.rules.grounded import contacts_line, money
from profiling.entities import same_place
from profiling.types import Lang

_RU_ACC = ("понедельник", "вторник", "среду", "четверг", "пятницу", "субботу", "воскресенье")
_RU_GEN = ("понедельника", "вторника", "среды", "четверга", "пятницы", "субботы", "воскресенья")
_EN_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_RU_MONTHS = (
    "января", "февраля", "марта", "апреля", "мая", "июня",
    "июля", "августа", "сентября", "октября", "ноября", "декабря",
)  # fmt: skip
_EN_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
_RU_PARTS = {"morning": "утром", "afternoon": "днём", "evening": "вечером", "night": "ночью"}
_EN_PARTS = {
    "morning": "in the morning",
    "afternoon": "in the afternoon",
    "evening": "in the evening",
    "night": "at night",
}


def _day(day: date, lang: Lang, *, by: bool) -> str:
    if lang is Lang.RU:
        weekday = (_RU_GEN if by else _RU_ACC)[day.weekday()]
        return f"{weekday}, {day.day} {_RU_MONTHS[day.month - 1]}"
    return f"{_EN_DAYS[day.weekday()]} {day.day} {_EN_MONTHS[day.month - 1]}"


def when_words(when: When, lang: Lang) -> str:
    """«на субботу, 5 декабря, утром», "for Saturday 5 December at 18:30", «до пятницы,
    4 декабря» — the customer's day said back in full, so a wrong reading shows at once."""
    if when.day is None and when.clock is None:
        return when.text
    if when.by and when.day is not None:
        return ("до " if lang is Lang.RU else "by ") + _day(when.day, lang, by=True)
    parts: list[str] = []
    if when.day is not None:
        parts.append(("на " if lang is Lang.RU else "for ") + _day(when.day, lang, by=False))
    if when.clock is not None:
        clock = f"в {when.clock}" if lang is Lang.RU else f"at {when.clock}"
        parts.append(clock if parts else ("на " if lang is Lang.RU else "for ") + when.clock)
    elif when.part is not None:
        parts.append((_RU_PARTS if lang is Lang.RU else _EN_PARTS).get(when.part, ""))
    separator = ", " if lang is Lang.RU else " "
    return separator.join(part for part in parts if part)


def _days(low: int, high: int, lang: Lang) -> str:
    span = str(low) if low == high else f"{low}–{high}"
    if lang is not Lang.RU:
        return f"{span} day" + ("" if high == 1 and low == high else "s")
    last = high % 100
    if 11 <= last <= 14:
        word = "дней"
    else:
        word = {1: "день", 2: "дня", 3: "дня", 4: "дня"}.get(high % 10, "дней")
    return f"{span} {word}"


def _covers(area: DeliveryArea, city: Place) -> str | None:
    """The area's own spelling of `city` when the area names it (None: it does not)."""
    names = [city.name, *([city.canonical] if city.canonical else [])]
    for listed in area.cities:
        if any(same_place(name, listed) for name in names):
            return listed
    for wording in (area.area.ru, area.area.en):
        words = wording.replace(",", " ").split()
        for name in names:
            size = len(name.split())
            spans = [" ".join(words[i : i + size]) for i in range(len(words) - size + 1)]
            for span in spans:
                if same_place(name, span):
                    return span
    return None


def area_for(areas: tuple[DeliveryArea, ...], city: Place) -> tuple[DeliveryArea, str] | None:
    """The area that covers `city` and the city's name to show: an area naming it first,
    then one covering its country."""
    for area in areas:
        if (spelling := _covers(area, city)) is not None:
            return area, spelling if city.canonical is None else city.name
    if city.country is not None:
        for area in areas:
            if area.country == city.country:
                return area, city.name
    return None


def _area_terms(knowledge: Knowledge, area: DeliveryArea, lang: Lang) -> str:
    currency = knowledge.shop.currency
    terms = _days(area.days_min, area.days_max, lang)
    if area.price is not None:
        if area.price == 0:
            terms += ", бесплатно" if lang is Lang.RU else ", free"
        else:
            terms += ", " + money(float(area.price), currency, lang)
    if area.free_from is not None:
        free = money(float(area.free_from), currency, lang)
        terms += f" (бесплатно от {free})" if lang is Lang.RU else f" (free from {free})"
    return terms


def city_delivery(
    knowledge: Knowledge, city: Place, lang: Lang, *, detailed: bool = False
) -> str | None:
    """Delivery to `city`: the area's days and price, or the honest "not in our rules" with
    the areas there are; None when the shop lists no areas (its summary answers instead)."""
    delivery = knowledge.policies.delivery
    if delivery is None or not delivery.areas:
        return None
    found = area_for(delivery.areas, city)
    name = city.name if lang is Lang.RU or city.canonical is None else city.canonical
    if found is not None:
        area, shown = found
        name = shown if lang is Lang.RU or city.canonical is None else city.canonical
        where = text(area.area, lang)
        note = f" {text(area.note, lang)}." if area.note is not None else ""
        if detailed and delivery.details is not None:
            note += f" {text(delivery.details, lang)}"
        if lang is Lang.RU:
            return f"Доставка: {name} ({where}) — {_area_terms(knowledge, area, lang)}.{note}"
        return f"Delivery to {name} ({where}): {_area_terms(knowledge, area, lang)}.{note}"
    known = "; ".join(
        f"{text(a.area, lang)} — {_area_terms(knowledge, a, lang)}" for a in delivery.areas
    )
    contacts = contacts_line(knowledge, lang)
    if lang is Lang.RU:
        head = f"Про {name} в наших условиях доставки ничего не сказано. Доставляем: {known}."
        tail = f" Уточнить, возможна ли доставка к вам: {contacts}." if contacts else ""
    else:
        head = f"{name} is not in our delivery terms. We deliver: {known}."
        tail = f" To ask whether delivery to you is possible: {contacts}." if contacts else ""
    return head + tail


def booking_line(knowledge: Knowledge, when: When | None, lang: Lang) -> str | None:
    """How to book (or order) for the day the customer named — the shop's link or its
    instructions; the bot books nothing itself, so it never says "booked"."""
    shop = knowledge.shop
    services = shop.kind == "services"
    slot = f" {when_words(when, lang)}" if when is not None else ""
    if shop.order_url:
        if lang is Lang.RU:
            verb = "Записаться" if services else "Оформить заказ"
        else:
            verb = "Book" if services else "Order"
        return f"{verb}{slot}: {shop.order_url}"
    if shop.order_instructions is not None:
        lead = (
            (f"Чтобы записаться{slot}: " if lang is Lang.RU else f"To book{slot}: ")
            if services and slot
            else ""
        )
        return lead + text(shop.order_instructions, lang)
    return None


def quantity_total(knowledge: Knowledge, item: Item, quantity: int, lang: Lang) -> str:
    """«3 × 1 990 ₽ = 5 970 ₽» for a customer who wants more than one."""
    currency = knowledge.shop.currency
    each = money(float(item.price), currency, lang)
    total = money(float(item.price) * quantity, currency, lang)
    return f"{quantity} × {each} = {total}."
