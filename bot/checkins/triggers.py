"""What is worth writing to a customer about, first: pure detection over plain facts.

A good barista speaks up for a reason the customer cares about: the delivery that just
arrived, a problem left open, a cart left behind, a choice left unmade, a keen customer gone
quiet. Each rule below reads `Facts` the caller gathered (orders, last messages, the profile's
assessment, site events) and says when the earliest sensible moment is and why. Nothing here
reads a clock or a database; `Facts.now` is the only "now".

Two restraints keep it from being spam: nothing older than `max_age_days` is raised again,
and a customer who has not answered the bot's last unprompted message gets no more sales
nudges. An open problem outranks everything: offering a cart or a product to someone whose
complaint is unresolved is tone-deaf, so it is then the only trigger.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from bot.replies.base import OrderView
from profiling.assess.segments import Segment
from profiling.engine import Assessment

# Most valuable first: care for a problem, care after a purchase, then the sales nudges.
KINDS = ("problem", "delivered", "cart", "doubting", "quiet")
_SALES = frozenset({"cart", "doubting", "quiet"})
# The bot's reply follows a message within seconds; a bot message this long after the
# customer's last word was unprompted (an earlier check-in) and is still unanswered.
UNPROMPTED_AFTER = timedelta(hours=1)
# An irritated customer hears about their problem, not about products.
IRRITATED_MAX = 0.6


@dataclass(frozen=True, slots=True)
class Trigger:
    """A reason to write first: `kind` (one of KINDS), the earliest sensible moment, JSON-ready
    `detail` for the wording (order id, product…), and `why` in English words for the log."""

    kind: str
    earliest: datetime
    detail: dict[str, Any]
    why: str


@dataclass(slots=True)
class Facts:
    """Everything the rules read about one customer at `now`; the caller gathers it."""

    now: datetime
    orders: Sequence[OrderView] = ()  # newest first
    last_customer_message_at: datetime | None = None
    last_bot_message_at: datetime | None = None
    assessment: Assessment | None = None
    open_problem: bool = False  # the last dialog ended on an unresolved problem or complaint
    handoff_timed_out_at: datetime | None = None  # a handoff nobody picked up
    cart: tuple[datetime, str] | None = None  # (added at, product name), no order after it
    viewed_products: list[str] = field(default_factory=list)  # recent first
    converted_since_cart: bool = False


def _days(delta: timedelta) -> str:
    days = delta.total_seconds() / 86400
    return f"{days:.0f} day{'' if round(days) == 1 else 's'}"


def _unanswered_nudge(f: Facts) -> bool:
    """Whether the bot's last message came unprompted after the customer's and is unanswered."""
    if f.last_bot_message_at is None:
        return False
    if f.last_customer_message_at is None:
        return True
    return f.last_bot_message_at > f.last_customer_message_at + UNPROMPTED_AFTER


def _ordered_since(f: Facts, moment: datetime) -> bool:
    return any(o.ordered_at >= moment and o.status != "cancelled" for o in f.orders)


def _segment(f: Facts, segment: Segment) -> float:
    if f.assessment is None:
        return 0.0
    score = f.assessment.segments.get(segment)
    return 0.0 if score is None else score.value


def _problem(f: Facts, max_age: timedelta, after: timedelta) -> Trigger | None:
    handoff = f.handoff_timed_out_at
    if handoff is not None and f.now - handoff <= max_age:
        ref, earliest, why = handoff, handoff, "a handoff to a human timed out with no reply"
    elif f.open_problem and f.last_customer_message_at is not None:
        ref = f.last_customer_message_at
        if f.now - ref > max_age:
            return None
        earliest, why = ref + after, "the last dialog ended on a problem that is not resolved"
    else:
        return None
    if f.last_bot_message_at is not None and f.last_bot_message_at > ref + UNPROMPTED_AFTER:
        return None  # already followed up; the customer has not answered
    detail: dict[str, Any] = {"handoff": handoff is not None}
    if f.orders:
        detail["order_id"] = f.orders[0].shop_order_id
    return Trigger("problem", earliest, detail, why)


def _delivered(f: Facts, after: timedelta, window: timedelta, max_age: timedelta) -> Trigger | None:
    order = next((o for o in f.orders if o.status == "delivered"), None)
    if order is None:
        return None
    age = f.now - order.updated_at
    if not after <= age <= min(after + window, max_age):
        return None
    contact = [t for t in (f.last_customer_message_at, f.last_bot_message_at) if t is not None]
    if any(t > order.updated_at for t in contact):
        return None  # they have been in touch since it arrived
    detail = {
        "order_id": order.shop_order_id,
        "items": list(order.items),
        "delivered_at": order.updated_at.isoformat(),
    }
    why = f"order {order.shop_order_id} was delivered {_days(age)} ago; no contact since"
    return Trigger("delivered", order.updated_at + after, detail, why)


def _cart(f: Facts, after: timedelta, max_age: timedelta) -> Trigger | None:
    if f.cart is None or f.converted_since_cart:
        return None
    at, product = f.cart
    age = f.now - at
    if not after <= age <= max_age or _ordered_since(f, at):
        return None
    why = f"put {product!r} in the cart {_days(age)} ago and did not order"
    return Trigger("cart", at + after, {"product": product}, why)


def _doubting(f: Facts, minimum: float, after: timedelta, max_age: timedelta) -> Trigger | None:
    value = _segment(f, Segment.DOUBTING_BUYER)
    last = f.last_customer_message_at
    if value < minimum or last is None:
        return None
    silence = f.now - last
    if not after <= silence <= max_age or _ordered_since(f, last):
        return None
    product = f.viewed_products[0] if f.viewed_products else None
    why = f"a doubting buyer ({value:.2f}) silent for {_days(silence)} without ordering"
    return Trigger("doubting", last + after, {"product": product, "doubting": value}, why)


def _quiet(f: Facts, hot: int, after: timedelta, max_age: timedelta) -> Trigger | None:
    last = f.last_customer_message_at
    if f.assessment is None or last is None:
        return None
    hotness = f.assessment.hotness.value
    silence = f.now - last
    if hotness < hot or not after <= silence <= max_age or _ordered_since(f, last):
        return None
    product = f.viewed_products[0] if f.viewed_products else None
    why = f"high interest (hotness {hotness}) then {_days(silence)} of silence"
    return Trigger("quiet", last + after, {"product": product, "hotness": hotness}, why)


def find_triggers(
    facts: Facts,
    *,
    delivered_after_days: float = 3,
    delivered_window_days: float = 7,
    cart_after_hours: float = 6,
    quiet_after_days: float = 5,
    doubting_min: float = 0.4,
    doubting_after_days: float = 1,
    hot_min: int = 60,
    problem_after_hours: float = 2,
    max_age_days: float = 14,
) -> list[Trigger]:
    """Reasons to write first, most valuable first (order of KINDS), at most one per kind.

    An open problem is the only trigger when present; sales nudges (cart, doubting, quiet)
    are withheld from an irritated customer and from one who left the bot's unprompted
    message unanswered.
    """
    f = facts
    max_age = timedelta(days=max_age_days)
    problem = _problem(f, max_age, timedelta(hours=problem_after_hours))
    if problem is not None:
        return [problem]
    found = [
        _delivered(
            f,
            timedelta(days=delivered_after_days),
            timedelta(days=delivered_window_days),
            max_age,
        ),
        _cart(f, timedelta(hours=cart_after_hours), max_age),
        _doubting(f, doubting_min, timedelta(days=doubting_after_days), max_age),
        _quiet(f, hot_min, timedelta(days=quiet_after_days), max_age),
    ]
    no_sales = _unanswered_nudge(f) or _segment(f, Segment.IRRITATED) >= IRRITATED_MAX
    triggers = [t for t in found if t is not None and not (no_sales and t.kind in _SALES)]
    triggers.sort(key=lambda t: KINDS.index(t.kind))
    return triggers
