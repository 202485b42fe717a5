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

    def knows(self, slot: str) -> bool: ...

    def said_before(self, text: str) -> bool: ...
