"""What every responder receives and must return, whatever produces the words."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from profiling.assess.advice import ReplyAdvice
from profiling.engine import Assessment
from profiling.types import Intent, Lang, MessageSignals, SourceContext


@dataclass(frozen=True, slots=True)
class HistoryItem:
    direction: str  # "in" or "out"
    text: str


@dataclass(frozen=True, slots=True)
class OrderView:
    """One of the customer's orders, as the shop reported it."""

    shop_order_id: str
    status: str  # created, paid, shipped, delivered, returned, cancelled
    total: float
    currency: str
    items: tuple[str, ...]  # item names
    ordered_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class Place:
    """A city the customer named: `name` to show (the customer's words for a city the bot
    does not know), `canonical` English name of a known one, and its country."""

    name: str
    canonical: str | None = None
    country: str | None = None


@dataclass(frozen=True, slots=True)
class When:
    """A day and time the customer named, in their local time: `day` (None: no day said),
    `clock` ("18:30") or `part` of the day ("morning"); `by` for a deadline ("by friday")."""

    text: str
    day: date | None = None
    clock: str | None = None
    part: str | None = None
    by: bool = False


@dataclass(frozen=True, slots=True)
class Reply:
    """What a responder answers: the text, and what it asked the customer for (a dialog
    slot such as "order_number"; None when it asked nothing), and what the answer was about."""

    text: str
    asks: str | None = None
    topic: str | None = None
    # The catalogue items the reply was about (their skus): the products in focus, which a
    # later «беру» / "I'll take it" refers to.
    products: tuple[str, ...] = ()
    # A fuller answer exists: the channel shows a "More" button that asks for it.
    more: bool = False
    # Topics offered as buttons (keys of `OPTIONS`) when the bot could not tell what the
    # customer wants: pressing one sends that question as the customer's own words.
    options: tuple[str, ...] = ()
    # The bot could not answer this message (a generic reply to an unclear question); two in
    # a row change the strategy.
    missed: bool = False
    # Which path produced the words, recorded with the message: "rules", "llm", or
    # "rules:<why the LLM's answer was not used>" ("rules:timeout", "rules:unknown_price").
    path: str = "rules"


# What an option button asks, by key; the labels are in `bot.texts` ("option.<key>").
OPTIONS = ("order", "delivery", "returns", "catalog", "prices", "booking", "person")


@dataclass(frozen=True, slots=True)
class ReplyContext:
    """Everything a responder may use: the message, the profile's advice, the context.

    `adaptive` is False for the holdout group, which gets the "blind" bot (same content,
    default style) so the lift of adaptation can be measured.
    """

    lang: Lang
    text: str
    signals: MessageSignals
    assessment: Assessment | None
    first_name: str | None
    source: SourceContext | None
    history: Sequence[HistoryItem]
    adaptive: bool = True
    new_dialog: bool = False
    # What the customer asked about in their previous message: "more details" / "shorter"
    # refer to it.
    previous_intent: Intent | None = None
    # The dialog so far (what the bot asked, what it learned, what it said): read-only here.
    dialog: DialogView | None = None
    # The customer's orders (newest first) when the chat is linked to the shop and the
    # message is about orders; `linked` says whether the chat is linked at all.
    orders: Sequence[OrderView] = ()
    linked: bool = False
    # Order numbers the message names (or a bare number answering the bot's question).
    order_numbers: tuple[str, ...] = ()
    # The slot this message answers: what the bot had asked for, now given.
    answering: str | None = None
    # The day the message was written (promotions have validity dates).
    today: date | None = None
    # What the customer said in this dialog about where, when and how many (this message
    # first, then what the dialog remembers).
    city: Place | None = None
    when: When | None = None
    quantity: int | None = None
    # Human handoff is configured: a person can be called into the chat.
    handoff: bool = False
    # What the customer did on the shop's website lately, one line per event, newest first
    # (read for a remote responder only: the rules use it through the profile).
    site: tuple[str, ...] = ()

    @property
    def advice(self) -> ReplyAdvice | None:
        return self.assessment.advice if (self.adaptive and self.assessment) else None


class Responder(Protocol):
    # True when `reply` does no network I/O, so the pipeline may call it inside its short
    # transaction; an LLM responder is remote and the pipeline commits before calling it.
    local: bool

    async def reply(self, ctx: ReplyContext) -> Reply: ...


class DialogView(Protocol):
    """What a responder may read of the dialog state (`bot.conversation.dialog`)."""

    @property
    def awaiting(self) -> str | None: ...

    @property
    def asked(self) -> dict[str, int]: ...

    @property
    def slots(self) -> dict[str, object]: ...

    @property
    def last_topic(self) -> str | None: ...

    @property
    def said(self) -> list[str]: ...

    @property
    def misses(self) -> int: ...

    def knows(self, slot: str) -> bool: ...

    def said_before(self, text: str) -> bool: ...
