"""What the shop's events do to the profile: orders and target actions (conversions).
(What the shop's website reports is in `profiling.profile.site`.)

`ProfileState.add_order` advances the state to the event's time and hands the event here;
like every update of the state, each is O(1) in the history.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from profiling.profile.meaning import RESOLUTION_RELIEF
from profiling.profile.site import close_cart

if TYPE_CHECKING:
    # Only for annotations: the state module imports this one.
    from profiling.profile.state import ProfileState

# Order statuses that count as a purchase, and those that mean it went wrong.
PURCHASE_STATUSES = frozenset({"created", "paid", "shipped", "delivered", "completed"})
FAILED_STATUSES = frozenset({"cancelled", "canceled", "returned", "refunded", "failed"})
PURCHASE_ACTIONS = frozenset({"purchase", "order"})
# A cancelled or returned order adds this much to the open problem.
FAILED_ORDER_PROBLEM = 0.5


def add_order(state: ProfileState, ts: float, status: str, new_order: bool | None = None) -> None:
    """An order event at `ts` (the state already advanced to it).

    `new_order` says whether the shop reports this order for the first time: True counts a
    new order whatever the status (a shop may report an order first as "paid"), False never
    does; None guesses, for callers without order ids (see below).
    """
    status = status.strip().lower()
    if new_order:
        state.orders_total += 1
    if status in PURCHASE_STATUSES:
        # Without order ids a "created" starts a new order; a later status of the same
        # order only counts when no order was known yet.
        if new_order is None and (status == "created" or state.orders_total == 0):
            state.orders_total += 1
        state.last_purchase_at = ts
        state.d_converted = True
        if status in ("delivered", "completed"):
            state.problem *= RESOLUTION_RELIEF
        if state.site is not None:
            close_cart(state.site, ts)
    elif status in FAILED_STATUSES:
        state.bad_orders += 1.0
        state.problem += FAILED_ORDER_PROBLEM
    state.last_order_at = ts
    state.last_order_status = status


def add_target_action(state: ProfileState, ts: float, kind: str) -> None:
    """A conversion at `ts`: "lead", "booking", "purchase"..."""
    kind = kind.strip().lower()
    state.targets_total += 1
    state.last_target_at = ts
    state.last_target_kind = kind
    state.d_converted = True
    if kind in PURCHASE_ACTIONS:
        state.last_purchase_at = ts
        if state.site is not None:
            close_cart(state.site, ts)
