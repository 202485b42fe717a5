"""Value types of the entity extractors: frozen, slotted, cheap to build and to compare.

Every mention keeps its character span (`start`, `end`) in the original message so that the
extractors can be run together without two of them claiming the same characters.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Bound = Literal["max", "min"]
PartOfDay = Literal["morning", "afternoon", "evening", "night"]


@dataclass(frozen=True, slots=True)
class CatalogItem:
    """One product or service of the shop: a stable key and every name customers use."""

    key: str
    names: tuple[str, ...]
    category: str | None = None


@dataclass(frozen=True, slots=True)
class ProductMention:
    key: str  # the catalogue item's key
    name: str  # the catalogue name that matched (one of the item's `names`)
    text: str  # the words of the message, as written
    start: int
    end: int
    score: float  # 0..1: share of the name that the message spelled out (1 = all of it)


@dataclass(frozen=True, slots=True)
class OrderNumber:
    number: str  # as written, without a leading "#" or "№"
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class CityMention:
    name: str  # canonical English name for a known city, else the words as written
    text: str
    start: int
    end: int
    known: bool  # in the built-in list (False: guessed from "deliver to <Capitalised>")
    country: str | None = None  # ISO 3166 code of a known city ("RU", "GB"); None: unknown


@dataclass(frozen=True, slots=True)
class TimeMention:
    """A meant interval [start_ts, end_ts) in unix seconds; start_ts == end_ts for a clock
    time ("at 18:30"). Deadlines ("by friday", «к пятнице») start at `now`."""

    text: str
    start_ts: float
    end_ts: float
    part_of_day: PartOfDay | None
    start: int = 0
    end: int = 0


@dataclass(frozen=True, slots=True)
class Quantity:
    count: int
    unit: str | None  # "pcs" when a unit word was written, else None
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Money:
    amount: float
    currency: str | None  # ISO code: "RUB", "USD", "EUR", "GBP"; None when not written
    bound: Bound | None  # "max" for «до 30 тысяч», "min" for "from 500", None for a price
    text: str = ""
    start: int = 0
    end: int = 0


@dataclass(frozen=True, slots=True)
class Phone:
    number: str  # digits only, with a leading "+" when the customer wrote one
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Email:
    address: str  # lower-cased
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Entities:
    order_numbers: tuple[OrderNumber, ...] = ()
    products: tuple[ProductMention, ...] = ()
    cities: tuple[CityMention, ...] = ()
    times: tuple[TimeMention, ...] = ()
    quantities: tuple[Quantity, ...] = ()
    money: tuple[Money, ...] = ()
    phones: tuple[Phone, ...] = ()
    emails: tuple[Email, ...] = ()
