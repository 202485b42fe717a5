"""The catalogue beyond one product: an overview of what the shop sells, the related items
and accessories a researcher wants to hear about, and a side-by-side comparison.

Plain text lines (the channel escapes and renders them): Telegram has no tables, so a
comparison is one line per aspect with both products' values.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.replies.knowledge import Item, Knowledge, text
from bot.replies.rules.grounded import money
from profiling.types import Lang

# Asking about the whole range rather than one item: «какие у вас услуги?», «прайс»,
# "what do you sell?".
WHOLE_RANGE = re.compile(
    r"услуг|прайс|расценк|ассортимент|каталог|что\s+(?:у\s+вас\s+)?(?:есть|продаете|продаёте)|"
    r"price\s*list|your\s+prices|your\s+services|catalog|what\s+do\s+you\s+(?:sell|have|offer)",
    re.IGNORECASE,
)


def _price(knowledge: Knowledge, item: Item, lang: Lang) -> str:
    return money(float(item.price), knowledge.shop.currency, lang)


def overview(knowledge: Knowledge, lang: Lang) -> str | None:
    """What the shop sells: each category with its lowest price (a services shop: each
    service with its price); None for an empty catalogue."""
    if not knowledge.catalog:
        return None
    if knowledge.shop.kind == "services":
        lines = [
            f"{text(item.name, lang)} — {_price(knowledge, item, lang)}"
            + (f" {text(item.unit, lang)}" if text(item.unit, lang) else "")
            for item in knowledge.catalog[:8]
        ]
        head = "Наши услуги и цены:" if lang is Lang.RU else "Our services and prices:"
        tail = "Что вас интересует?" if lang is Lang.RU else "Which one interests you?"
        return "\n".join([head, *(f"• {line}" for line in lines), tail])
    cheapest: dict[str, Item] = {}
    for item in knowledge.catalog:
        best = cheapest.get(item.category)
        if best is None or item.price < best.price:
            cheapest[item.category] = item
    lines = []
    for category, item in cheapest.items():
        label = knowledge.categories.get(category)
        name = text(label, lang) if label is not None else category
        lines.append(
            f"{name} — от {_price(knowledge, item, lang)}"
            if lang is Lang.RU
            else f"{name} — from {_price(knowledge, item, lang)}"
        )
    head = "Что у нас есть:" if lang is Lang.RU else "What we sell:"
    tail = (
        "Назовите, что ищете, — подскажу модели и цены."
        if lang is Lang.RU
        else "Tell me what you're looking for and I'll suggest models and prices."
    )
    return "\n".join([head, *(f"• {line}" for line in lines), tail])


def related_line(knowledge: Knowledge, item: Item, lang: Lang) -> str | None:
    """For a customer who researches: what the item is often compared with, and what goes
    with it — each named with its price, from the file's `related` and `accessories`."""
    parts: list[str] = []
    related = [r for sku in item.related[:2] if (r := knowledge.product(sku)) is not None]
    if related:
        names = ", ".join(f"{text(r.name, lang)} ({_price(knowledge, r, lang)})" for r in related)
        parts.append(
            f"Часто сравнивают с: {names}." if lang is Lang.RU else f"Often compared with: {names}."
        )
    extras = [a for sku in item.accessories[:2] if (a := knowledge.product(sku)) is not None]
    if extras:
        names = ", ".join(f"{text(a.name, lang)} ({_price(knowledge, a, lang)})" for a in extras)
        parts.append(
            f"К нему подойдут: {names}." if lang is Lang.RU else f"Goes well with: {names}."
        )
    return " ".join(parts) or None


def comparison_table(knowledge: Knowledge, items: Sequence[Item], lang: Lang) -> str:
    """Two or more products side by side: price, availability, then each one's key points."""
    names = [text(item.name, lang) for item in items]
    rows = [
        ("Сравнение: " if lang is Lang.RU else "Side by side: ") + " / ".join(names),
        ("• Цена: " if lang is Lang.RU else "• Price: ")
        + " / ".join(_price(knowledge, item, lang) for item in items),
    ]
    if any(not item.in_stock for item in items):
        present = ("есть", "нет") if lang is Lang.RU else ("in stock", "out of stock")
        rows.append(
            ("• Наличие: " if lang is Lang.RU else "• Availability: ")
            + " / ".join(present[0] if item.in_stock else present[1] for item in items)
        )
    for name, item in zip(names, items, strict=True):
        if item.features:
            points = "; ".join(text(feature, lang) for feature in item.features[:4])
            rows.append(f"• {name}: {points}")
    return "\n".join(rows)
