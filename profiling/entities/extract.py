"""One call for every entity of a message, with each character span feeding one entity.

The extractors run from the most to the least specific shape, and a later one skips what an
earlier one claimed: e-mails, phones (so a phone is not an order number or a price),
catalogue products (so "S8" or the "15" of "iPhone 15" is not a quantity), order numbers,
dates and times (so «до 15.03» is not money), money, quantities, then cities.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final, Protocol, TypeVar

from profiling.entities.catalog import CatalogIndex
from profiling.entities.contacts import find_emails, find_phones
from profiling.entities.numbers import find_money, find_quantities
from profiling.entities.orders import OrderNumberFormats, find_order_numbers
from profiling.entities.places import find_cities
from profiling.entities.spans import Claimed
from profiling.entities.times import find_times
from profiling.entities.types import CityMention, Entities, TimeMention
from profiling.text.prepare import detect_language
from profiling.types import Lang

# What the bot has just asked for (`expecting`): a bare answer is then read as that.
EXPECT_ORDER_NUMBER: Final = "order_number"
EXPECT_QUANTITY: Final = "quantity"
EXPECT_CITY: Final = "city"
EXPECTABLE: Final = frozenset({EXPECT_ORDER_NUMBER, EXPECT_QUANTITY, EXPECT_CITY})

# A reply that is only a place name: one to three words, nothing else.
_BARE_PLACE_RE = re.compile(r"\s*(?P<p>[^\W\d_]+(?:[\s-][^\W\d_]+){0,2})\s*[.!]?\s*")


class _Spanned(Protocol):
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


_T = TypeVar("_T", bound=_Spanned)


def _unclaimed(found: Sequence[_T], claimed: Claimed) -> tuple[_T, ...]:
    kept = tuple(item for item in found if not claimed.overlaps(item.start, item.end))
    for item in kept:
        claimed.add(item.start, item.end)
    return kept


def extract_entities(
    text: str,
    *,
    lang: Lang | None = None,
    catalog: CatalogIndex | None = None,
    orders: OrderNumberFormats | None = None,
    now: float | None = None,
    utc_offset_minutes: int = 0,
    expecting: str | None = None,
) -> Entities:
    """Every entity of `text` (see the module notes for the order of precedence).

    `catalog`: the shop's products and services (no products without it). `orders`: the
    shop's order-number formats (default: the usual forms). `now`: the message's unix time;
    dates and times are only resolved when it is given. `expecting`: what the bot has just
    asked for, one of `EXPECTABLE` ("order_number", "quantity", "city"), so that a bare
    "58213", "3" or «Жуковский» is read as the answer.
    """
    if expecting is not None and expecting not in EXPECTABLE:
        raise ValueError(f"expecting must be one of {sorted(EXPECTABLE)}, not {expecting!r}")
    if not text or text.isspace():
        return Entities()
    claimed = Claimed()
    emails = _unclaimed(find_emails(text), claimed)
    phones = _unclaimed(find_phones(text), claimed)
    products = _unclaimed(catalog.match(text), claimed) if catalog is not None else ()
    order_numbers = _unclaimed(
        find_order_numbers(text, orders, expecting_order=expecting == EXPECT_ORDER_NUMBER),
        claimed,
    )
    times: tuple[TimeMention, ...] = ()
    if now is not None:
        language = lang or detect_language(text)
        found_times = find_times(
            text, now=now, utc_offset_minutes=utc_offset_minutes, lang=language
        )
        times = _unclaimed(found_times, claimed)
    money = _unclaimed(find_money(text), claimed)
    quantities = _unclaimed(
        find_quantities(
            text, [(p.start, p.end) for p in products], expecting=expecting == EXPECT_QUANTITY
        ),
        claimed,
    )
    cities = _unclaimed(find_cities(text), claimed)
    if not cities and expecting == EXPECT_CITY and not claimed.ranges():
        bare = _BARE_PLACE_RE.fullmatch(text)
        if bare is not None:
            start, end = bare.span("p")
            cities = (CityMention(text[start:end], text[start:end], start, end, False),)
    return Entities(
        order_numbers=order_numbers,
        products=products,
        cities=cities,
        times=times,
        quantities=quantities,
        money=money,
        phones=phones,
        emails=emails,
    )
