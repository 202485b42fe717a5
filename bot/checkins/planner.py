"""Planning: from what is known about a customer now, the check-ins worth sending and when —
each at the first good hour of this customer (their active hours of week, outside quiet
hours) after its trigger allows, stored with the trigger and the slot's reason in words."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.checkins.config import CheckinConfig
from bot.checkins.slots import next_slot
from bot.checkins.triggers import Facts, Trigger, find_triggers
from profiling.profile.active_hours import good_week_slots
from profiling.profile.state import ProfileState
from storage.repositories import checkins


def triggers_for(facts: Facts, config: CheckinConfig) -> list[Trigger]:
    return find_triggers(facts, delivered_after_days=config.delivered_days)


async def plan_triggers(
    session: AsyncSession,
    *,
    customer_id: int,
    state: ProfileState | None,
    triggers: list[Trigger],
    config: CheckinConfig,
    now: datetime,
) -> int:
    """Plan (or move) one check-in per trigger; returns how many were planned."""
    if not triggers:
        return 0
    week = sorted(good_week_slots(state.week_hours)) if state is not None else []
    for trigger in triggers:
        slot = next_slot(
            now=now,
            active_hours_of_week=week,
            utc_offset_minutes=config.utc_offset_minutes,
            quiet_start=config.quiet_start,
            quiet_end=config.quiet_end,
            earliest=max(now, trigger.earliest),
        )
        await checkins.plan(
            session,
            customer_id=customer_id,
            trigger=trigger.kind,
            due_at=slot.at,
            slot_reason=f"{trigger.why}; {slot.reason}",
            detail=trigger.detail,
            now=now,
        )
    return len(triggers)


# An abandoned cart is worth a word this long after it was left.
CART_AFTER = timedelta(hours=6)


def shop_triggers(facts: Sequence[Any], config: CheckinConfig) -> list[Trigger]:
    """Check-ins the shop's facts call for: a delivered order (a few days after delivery)
    and an item added to the cart (hours later, unless an order follows). `facts` are the
    core's order and site facts (duck-typed: `status`/`order_id`/`items`, or `event`)."""
    found: dict[str, Trigger] = {}
    for fact in facts:
        status = getattr(fact, "status", None)
        if status == "delivered":
            at = fact.at
            found["delivered"] = Trigger(
                kind="delivered",
                earliest=at + timedelta(days=config.delivered_days),
                detail={
                    "order_id": fact.order_id,
                    "items": list(fact.items),
                    "delivered_at": at.isoformat(),
                },
                why=f"order {fact.order_id or ''} delivered on {at:%Y-%m-%d}".replace("  ", " "),
            )
        event = getattr(fact, "event", None)
        if event is not None and event.kind == "add_to_cart":
            at = datetime.fromtimestamp(event.ts, tz=UTC)
            product = event.product_key or ""
            found["cart"] = Trigger(
                kind="cart",
                earliest=at + CART_AFTER,
                detail={"product": product},
                why=f"added {product or 'an item'} to the cart on {at:%Y-%m-%d %H:%M} UTC",
            )
    return list(found.values())
