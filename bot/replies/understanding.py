"""What the bot takes from a message beyond its intent: the entities the responder needs,
read with the pure extractors of `profiling.entities` and the shop's own formats."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from bot.replies.base import Place, When
from profiling.entities import (
    EXPECTABLE,
    CityMention,
    TimeMention,
    extract_entities,
    russian_name,
)
from profiling.entities.orders import OrderNumberFormats, find_order_numbers
from profiling.types import Lang

__all__ = [
    "OrderNumberFormats",
    "Understood",
    "follow_up_place",
    "order_formats",
    "order_numbers_in",
    "place_of",
    "understand",
    "when_of",
]


def order_formats(patterns: str | None) -> OrderNumberFormats:
    r"""ORDER_NUMBER_PATTERNS (regular expressions separated by spaces; a comma belongs to a
    pattern, as in `\d{4,8}`) compiled once; empty: the usual forms. A bad pattern raises
    `ValueError` naming it."""
    parts: Sequence[str] = (patterns or "").split()
    try:
        return OrderNumberFormats.from_patterns(parts or None)
    except Exception as exc:  # re.error: name the pattern, not a traceback
        raise ValueError(f"ORDER_NUMBER_PATTERNS has a bad pattern: {exc}") from None


def order_numbers_in(
    text: str, *, expecting: bool, formats: OrderNumberFormats | None
) -> tuple[str, ...]:
    """Order numbers the message names; with `expecting` (the bot just asked for one) a
    bare number counts too."""
    return tuple(
        found.number for found in find_order_numbers(text, formats, expecting_order=expecting)
    )


@dataclass(frozen=True, slots=True)
class Understood:
    """The entities of one message that the replies use."""

    order_numbers: tuple[str, ...] = ()
    city: Place | None = None
    when: When | None = None
    quantity: int | None = None


def understand(
    text: str,
    *,
    expecting: str | None,
    formats: OrderNumberFormats | None,
    now: float,
    utc_offset_minutes: int = 0,
    lang: Lang | None = None,
) -> Understood:
    """Order numbers, the city, the day and time and the quantity the message names;
    `expecting` is the slot the bot just asked for, so a bare answer («Казань», "3",
    "58213") counts."""
    found = extract_entities(
        text,
        lang=lang,
        orders=formats,
        now=now,
        utc_offset_minutes=utc_offset_minutes,
        expecting=expecting if expecting in EXPECTABLE else None,
    )
    city = found.cities[0] if found.cities else None
    time_ = found.times[0] if found.times else None
    quantity = found.quantities[0].count if found.quantities else None
    return Understood(
        order_numbers=tuple(n.number for n in found.order_numbers),
        city=place_of(city) if city is not None else None,
        when=when_of(time_, now, utc_offset_minutes) if time_ is not None else None,
        quantity=quantity,
    )


# «а в Химки?», "what about to Leeds?": a follow-up naming only a place, after a delivery
# answer — a capitalised name after «в»/"to", since a bare word there is as often "thanks".
_FOLLOW_UP_PLACE = re.compile(
    r"\s*(?:(?:а|и|and|what about|how about)\s+)?(?:в|во|до|to)\s+"
    r"(?P<p>[A-ZА-ЯЁ][\w-]+(?:\s[A-ZА-ЯЁ][\w-]+)?)\s*[?.!]*\s*",
    re.IGNORECASE,
)


def follow_up_place(text: str) -> Place | None:
    """The place a short follow-up names («а в Химки?»), or None."""
    match = _FOLLOW_UP_PLACE.fullmatch(text)
    if match is None or not match.group("p")[:1].isupper():
        return None
    return Place(name=match.group("p"))


def place_of(city: CityMention) -> Place:
    """A known city by its Russian nominative name («в Казани» → «Казань»), an unknown one
    as written."""
    if city.known:
        name = russian_name(city.name) or city.text
        return Place(name=name, canonical=city.name, country=city.country)
    return Place(name=city.name)


_SECONDS_IN_DAY = 86_400


def when_of(mention: TimeMention, now: float, utc_offset_minutes: int) -> When:
    """The mention as a day, a clock time or a part of the day, in local time."""
    tz = timezone(timedelta(minutes=utc_offset_minutes))
    start = datetime.fromtimestamp(mention.start_ts, tz)
    end = datetime.fromtimestamp(mention.end_ts, tz)
    by = abs(mention.start_ts - now) < 1 and mention.end_ts - mention.start_ts > 3600
    if by:
        # A deadline runs from now to its end: the day it ends by ("by friday").
        last = end - timedelta(seconds=1)
        return When(text=mention.text, day=last.date(), by=True)
    clock = start.strftime("%H:%M") if mention.start_ts == mention.end_ts else None
    span = mention.end_ts - mention.start_ts
    day = start.date() if clock or span <= _SECONDS_IN_DAY else None
    return When(text=mention.text, day=day, clock=clock, part=mention.part_of_day)
