"""Order numbers: «номер заказа 58213», «заказ №58213», "order #A-77812", "#12345", "A-77812".

A number is only taken for an order number when something says so, because messages are full
of other numbers: an order word right before it (on either language), a "#"/"№" sign, a
letter prefix written like a shop code ("A-77812"), or the bot having just asked for it
(`expecting_order`). Even then a number followed by a currency or a unit word («заказ на
30000 рублей», "order 2 pcs") is a price or a quantity, and a model name such as "S8" or
"V15" never qualifies (fewer than four digits). Phones are left to `contacts`; `extract`
runs that first and keeps the spans apart.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from profiling.entities.types import OrderNumber

# Candidates: an optional "#"/"№", an optional upper-case letter prefix ("A-", "AB"), 4–10
# digits; not part of a longer word, number, decimal, date, time or model name ("WH-1000XM5").
_DEFAULT_PATTERN = (
    r"(?<![\w\-.,:/])(?P<sign>[#№]\s?)?(?P<number>(?:[A-ZА-Я]{1,2}-?)?\d{4,10})(?![\w\-]|[.,:/]\d)"
)
# What makes the number an order number when written right before it: an order word,
# optionally followed by «номер»/"number"/"no."/"is"/«мой» and punctuation.
_CONTEXT_RE = re.compile(
    r"(?:заказ\w*|order\w*|номер\w*|number|трек\w*|tracking|посылк\w*|parcel|ref)"
    r"(?:[\s:#№.,\-]|\b(?:номер|number|no|nr|is|id|мой|моего|my|был|was)\b)*$",
    re.IGNORECASE,
)
_CONTEXT_WINDOW = 40
# "my phone number is 5551234" is not an order number, however short.
_PHONE_CONTEXT_RE = re.compile(r"телефон|тел\.|моб|phone|tel\b|mobile|cell|whatsapp", re.IGNORECASE)
# A number followed by these is a price, a quantity or a duration, not an order.
_NOT_ORDER_AFTER = re.compile(
    r"\s*(?:₽|\$|€|£|руб|р\b|р\.|rub|usd|eur|gbp|тыс|т\.р|k\b|к\b|dollar|euro|pound|bucks"
    r"|шт|pcs|piece|units?\b|items?\b|%|год|year|мин|min|час|hour|дн|day)",
    re.IGNORECASE,
)
_NOT_ORDER_BEFORE = re.compile(r"[$€£]\s?$")
# A shop code with a letter prefix ("A-77812") needs no context; a plain one ("RTX4090")
# would, so only the dashed form with at least five digits counts on its own.
_CODE_RE = re.compile(r"^[A-ZА-Я]{1,2}-\d{5,10}$")


@dataclass(frozen=True, slots=True)
class OrderNumberFormats:
    """The shapes of the shop's order numbers, compiled once.

    With custom patterns, a match that contains a letter is distinctive enough to be an order
    number anywhere; an all-digit match still needs the order context that the default
    formats need. A pattern's named group "number" (else group 1, else the whole match) is
    the number itself.
    """

    patterns: tuple[re.Pattern[str], ...]
    custom: bool = False

    @classmethod
    def from_patterns(cls, patterns: Sequence[str] | None = None) -> OrderNumberFormats:
        if not patterns:
            return cls((re.compile(_DEFAULT_PATTERN),), custom=False)
        return cls(tuple(re.compile(p) for p in patterns), custom=True)


DEFAULT_FORMATS = OrderNumberFormats.from_patterns(None)


def _number_span(match: re.Match[str]) -> tuple[int, int]:
    if "number" in match.re.groupindex:
        return match.span("number")
    if match.re.groups:
        return match.span(1)
    return match.span()


def find_order_numbers(
    text: str, formats: OrderNumberFormats | None = None, *, expecting_order: bool = False
) -> list[OrderNumber]:
    """Order numbers in order of appearance (see the module notes for what counts)."""
    formats = formats or DEFAULT_FORMATS
    found: list[OrderNumber] = []
    seen: set[int] = set()
    for pattern in formats.patterns:
        for match in pattern.finditer(text):
            start, end = _number_span(match)
            if start < 0 or start in seen:
                continue
            number = text[start:end]
            if _is_order(text, match.start(), start, end, number, formats, expecting_order):
                seen.add(start)
                found.append(OrderNumber(number, text[match.start() : end], match.start(), end))
    found.sort(key=lambda o: o.start)
    return found


def _is_order(
    text: str,
    match_start: int,
    start: int,
    end: int,
    number: str,
    formats: OrderNumberFormats,
    expecting_order: bool,
) -> bool:
    if _NOT_ORDER_AFTER.match(text, end) or _NOT_ORDER_BEFORE.search(text, 0, match_start):
        return False
    # The whole match counts: "BR-123456" is distinctive even when only digits are kept.
    if formats.custom and any(ch.isalpha() for ch in text[match_start:end]):
        return True
    if text[match_start:start].strip() in ("#", "№"):  # "#12345", «№58213»
        return True
    if not formats.custom and _CODE_RE.match(number):
        return True
    before = text[max(0, match_start - _CONTEXT_WINDOW) : match_start]
    if _CONTEXT_RE.search(before):
        return not _PHONE_CONTEXT_RE.search(before)
    # Asked for the order number: a bare number is the answer, unless it reads as something
    # else already excluded above (a price, a quantity, a date, a time).
    return expecting_order
