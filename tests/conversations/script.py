"""The conversation scripts' vocabulary and their runner.

A `Dialog` is a customer (name, language), a `Setup` (the knowledge file, a shop customer
linked by the deep link, orders with statuses, site events, an ad campaign) and turns: what
the customer writes (`Say`), pauses (`Wait`) and the shop changing an order meanwhile
(`OrderUpdate`). Each `Say` carries the PROPERTIES its reply must have (`Expect`), never a
whole reply text. `run_dialog` plays a dialog through the production Dispatcher and returns
every reply with every property checked; the test suite and `bench/conversations.py` share it.
"""

from __future__ import annotations

import html
import json
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal

from bot.app import Application
from bot.shop.schemas import CustomerIn, OrderIn, SiteEventIn
from tests.factories import ManualClock, TelegramCustomer, feed
from tests.fakes.bot_api import FakeBotApi

KnowledgeName = Literal["electronics", "cleaning"]
Category = Literal[
    "orders",
    "policies",
    "products",
    "buying",
    "handoff",
    "feedback",
    "repetition",
    "scenes",
    "greetings",
]
CATEGORIES: tuple[Category, ...] = (
    "orders",
    "policies",
    "products",
    "buying",
    "handoff",
    "feedback",
    "repetition",
    "scenes",
    "greetings",
)

# The shop's order or booking link, as each bundled knowledge file writes it.
ORDER_URL: dict[KnowledgeName, str] = {
    "electronics": "https://technodom.example.ru/cart",
    "cleaning": "https://chisty-dom.example.ru/booking",
}

# What the bot asks for, in words a reply uses when it asks for that thing.
SLOT_MARKERS: dict[str, tuple[str, ...]] = {
    "order_number": ("номер заказа", "order number", "проверьте номер", "check the number"),
    "which_order": ("о каком", "which one"),
    "product": ("какой товар", "что оформляем", "which product", "which model", "назовите"),
    "city": ("ваш город", "напишите город", "your city", "which city"),
}
# Requests only: a reply that asks for one thing names no other thing it wants.
_OTHER_REQUESTS = {
    "order_number": ("product", "city"),
    "which_order": ("product", "city"),
    "product": ("order_number", "city"),
    "city": ("order_number", "product"),
}

# The bot promises nothing that no code keeps (README, "What the bot will and will not
# promise"); the same words as tests/bot/replies/test_no_promises.py.
PROMISES = re.compile(
    r"передаю|передам|подключу|перезвон|напомин|пришлю напомин|проверю|свяжется|"
    r"вернусь к вам|подтвержу|I'll check|let me check|passing you|I'll pass|bring in a manager|"
    r"remind|call you back|get back to you|will contact you|I'll confirm",
    re.IGNORECASE,
)


# ---------------------------------------------------------------- the scripts' vocabulary
@dataclass(frozen=True)
class Order:
    """An order the shop reported; `statuses` are sent one after another (its history)."""

    number: str
    statuses: tuple[str, ...]
    item: str = "Чайник Bosch"
    sku: str = "KT-1"
    total: float = 1990
    days_ago: float = 1


@dataclass(frozen=True)
class Visit:
    """A site event: a page viewed `minutes_ago` before the chat begins."""

    page: str
    minutes_ago: float = 10
    device: str | None = None
    campaign: str | None = None


@dataclass(frozen=True)
class Setup:
    knowledge: KnowledgeName = "electronics"
    # A shop customer created with the API and linked by their personal deep link.
    linked: bool = False
    orders: tuple[Order, ...] = ()
    # Site events: of the linked customer (by customer_id) or of an anonymous visitor who
    # then presses "chat with us" (`/start v-<id>`).
    visits: tuple[Visit, ...] = ()
    # The ad campaign of the `/start c-<campaign>` link.
    campaign: str | None = None
    # Seconds between the setup (the /start) and the first turn.
    pause: float = 20


@dataclass(frozen=True)
class Expect:
    """The properties one reply must have. Texts are compared case-insensitively."""

    contains: tuple[str, ...] = ()
    # At least one of these (the same fact in either of its wordings).
    contains_any: tuple[str, ...] = ()
    not_contains: tuple[str, ...] = ()
    starts_with: str | None = None
    # The bot asked for exactly this one thing (a key of SLOT_MARKERS).
    asks: str | None = None
    # The reply gives the shop's order or booking link.
    next_step: bool = False
    # Never the same reply twice in a row.
    not_same_as_previous: bool = True
    # No promise to check, call back, pass on or remind.
    no_promise: bool = False
    # No sentence said twice within the reply.
    no_sentence_twice: bool = True
    # Compared with the previous reply of the dialog.
    length: Literal["shorter", "longer"] | None = None
    # Labels of buttons the reply must carry (inline or keyboard), in any order.
    buttons: tuple[str, ...] = ()


@dataclass(frozen=True)
class Say:
    text: str
    expect: Expect = field(default_factory=Expect)


@dataclass(frozen=True)
class Wait:
    seconds: float


@dataclass(frozen=True)
class OrderUpdate:
    """The shop sends a new status of an order in the middle of the dialog."""

    number: str
    status: str


Turn = Say | Wait | OrderUpdate


@dataclass(frozen=True)
class Dialog:
    id: str
    category: Category
    lang: Literal["ru", "en"]
    name: str
    turns: tuple[Turn, ...]
    setup: Setup = field(default_factory=Setup)
    why: str = ""


# ---------------------------------------------------------------- results
@dataclass(frozen=True)
class Check:
    name: str
    passed: bool


@dataclass
class TurnResult:
    said: str
    reply: str
    seconds: float
    checks: list[Check] = field(default_factory=list)


@dataclass
class DialogResult:
    dialog: Dialog
    setup_replies: list[str] = field(default_factory=list)
    turns: list[TurnResult] = field(default_factory=list)

    @property
    def checks(self) -> list[Check]:
        return [check for turn in self.turns for check in turn.checks]

    @property
    def failed(self) -> list[tuple[int, Check]]:
        return [
            (n, check)
            for n, turn in enumerate(self.turns, 1)
            for check in turn.checks
            if not check.passed
        ]

    def transcript(self) -> str:
        lines = [f"[{self.dialog.id}] {self.dialog.category}, {self.dialog.lang}"]
        if self.dialog.why:
            lines.append(f"  why: {self.dialog.why}")
        lines += [f"  (setup) bot: {reply}" for reply in self.setup_replies]
        for n, turn in enumerate(self.turns, 1):
            lines.append(f"  {n}. customer: {turn.said}")
            lines.append(f"     bot: {turn.reply}")
            lines += [f"     FAILED: {check.name}" for check in turn.checks if not check.passed]
        return "\n".join(lines)


# ---------------------------------------------------------------- checking one reply
def _plain(text: str) -> str:
    """The reply as the customer reads it, for comparison: entities decoded, any kind of
    space as a space, case folded."""
    text = html.unescape(text).replace("\u00a0", " ").replace("\u202f", " ")
    return text.casefold()


def check_reply(
    expect: Expect,
    reply: str,
    previous: str | None,
    knowledge: KnowledgeName,
    buttons: Sequence[str] = (),
) -> list[Check]:
    plain = _plain(reply)
    checks = [Check("replied", bool(reply.strip()))]
    shown = {_plain(label) for label in buttons}
    checks += [Check(f"button «{b}»", _plain(b) in shown) for b in expect.buttons]
    checks += [Check(f"contains «{s}»", _plain(s) in plain) for s in expect.contains]
    if expect.contains_any:
        found = any(_plain(s) in plain for s in expect.contains_any)
        checks.append(Check(f"contains one of {list(expect.contains_any)}", found))
    checks += [Check(f"not_contains «{s}»", _plain(s) not in plain) for s in expect.not_contains]
    if expect.starts_with is not None:
        starts = plain.lstrip().startswith(_plain(expect.starts_with))
        checks.append(Check(f"starts_with «{expect.starts_with}»", starts))
    if expect.asks is not None:
        checks.append(Check(f"asks {expect.asks}", _asks_only(plain, expect.asks)))
    if expect.next_step:
        url = ORDER_URL[knowledge]
        checks.append(Check(f"next_step {url}", url.casefold() in plain))
    if expect.no_promise:
        promise = PROMISES.search(html.unescape(reply))
        checks.append(Check("no_promise" + (f" («{promise[0]}»)" if promise else ""), not promise))
    if expect.no_sentence_twice:
        sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+", plain) if s.strip()]
        checks.append(Check("no_sentence_twice", len(sentences) == len(set(sentences))))
    if previous is not None and expect.not_same_as_previous:
        checks.append(Check("not_same_as_previous", plain != _plain(previous)))
    if previous is not None and expect.length is not None:
        shorter = len(plain) < len(_plain(previous))
        longer = len(plain) > len(_plain(previous))
        ok = shorter if expect.length == "shorter" else longer
        checks.append(Check(f"{expect.length} than the previous reply", ok))
    return checks


def _asks_only(plain: str, slot: str) -> bool:
    """The reply asks for `slot` and for nothing else: its marker is there, no other slot's
    marker is, and there is at most one question."""
    asked = any(marker in plain for marker in SLOT_MARKERS[slot])
    others = any(m in plain for other in _OTHER_REQUESTS[slot] for m in SLOT_MARKERS[other])
    return asked and not others and plain.count("?") <= 1


# ---------------------------------------------------------------- running a dialog
def _order_body(shop_customer: str, order: Order, status: str, at: str) -> OrderIn:
    return OrderIn.model_validate(
        {
            "customer_id": shop_customer,
            "status": status,
            "total": order.total,
            "currency": "RUB",
            "items": [{"sku": order.sku, "name": order.item, "qty": 1, "price": order.total}],
            "created_at": at,
        }
    )


async def run_dialog(
    app: Application, api: FakeBotApi, clock: ManualClock, dialog: Dialog
) -> DialogResult:
    """Play `dialog` through the production Dispatcher; every property of every reply is
    checked and recorded (nothing raises on a failed property)."""
    setup = dialog.setup
    who = TelegramCustomer(8001, dialog.name, dialog.lang)
    result = DialogResult(dialog)
    shop_customer = "c-conv"
    payload: list[str] = []
    start = clock()
    if setup.linked:
        created = await app.shop.put_customer(shop_customer, CustomerIn(name=dialog.name))
        payload.append(created.deep_link.rsplit("start=", 1)[1])
    elif setup.visits:
        events = [_event(visit, start, visitor_id="vis-conv") for visit in setup.visits]
        await app.shop.record_events(events)
        payload.append("v-vis-conv")
    if setup.campaign:
        payload.append(f"c-{setup.campaign}")
    sent = 0
    if payload:
        await feed(app, who.message("/start " + "_".join(payload), clock()))
        messages = api.sent_messages(who.user_id)
        result.setup_replies = [m["text"] for m in messages]
        sent = len(messages)
    orders = {order.number: order for order in setup.orders}
    for order in setup.orders:
        at = (clock() - timedelta(days=order.days_ago)).isoformat()
        for status in order.statuses:
            await app.shop.put_order(order.number, _order_body(shop_customer, order, status, at))
    if setup.linked and setup.visits:
        await app.shop.record_events(
            [_event(visit, start, customer_id=shop_customer) for visit in setup.visits]
        )
    clock.advance(setup.pause)

    previous: str | None = None
    for turn in dialog.turns:
        if isinstance(turn, Wait):
            clock.advance(turn.seconds)
            continue
        if isinstance(turn, OrderUpdate):
            order = orders[turn.number]
            at = (clock() - timedelta(days=order.days_ago)).isoformat()
            await app.shop.put_order(
                turn.number, _order_body(shop_customer, order, turn.status, at)
            )
            continue
        clock.advance(20)
        began = time.perf_counter()
        await feed(app, who.message(turn.text, clock()))
        seconds = time.perf_counter() - began
        messages = api.sent_messages(who.user_id)
        reply = "\n\n".join(m["text"] for m in messages[sent:])
        labels = [label for m in messages[sent:] for label in button_labels(m)]
        sent = len(messages)
        checks = check_reply(turn.expect, reply, previous, setup.knowledge, labels)
        result.turns.append(TurnResult(turn.text, reply, seconds, checks))
        previous = reply
    return result


def _event(
    visit: Visit, start: datetime, *, visitor_id: str | None = None, customer_id: str | None = None
) -> SiteEventIn:
    body: dict[str, object] = {
        "type": "page_view",
        "page": visit.page,
        "at": (start - timedelta(minutes=visit.minutes_ago)).isoformat(),
    }
    if visitor_id is not None:
        body["visitor_id"] = visitor_id
    if customer_id is not None:
        body["customer_id"] = customer_id
    if visit.device is not None:
        body["device"] = visit.device
    if visit.campaign is not None:
        body["source"] = {"campaign": visit.campaign}
    return SiteEventIn.model_validate(body)


def button_labels(message: dict[str, Any]) -> list[str]:
    """The labels of a sent message's buttons (inline or reply keyboard)."""
    markup = message.get("reply_markup") or {}
    if isinstance(markup, str):
        markup = json.loads(markup)
    rows = markup.get("inline_keyboard") or markup.get("keyboard") or []
    return [str(button.get("text", "")) for row in rows for button in row]
