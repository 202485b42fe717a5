"""Facts the shop reported, turned into the profile's terms and fed through the core's unit
of work — live, or replayed when a chat is linked to a shop customer or a website visitor."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.clock import as_utc
from bot.conversation.work import Fact, OrderFact, SiteFact, Work
from bot.shop.conversions import record_conversion
from profiling.types import SiteEvent as SiteSignal
from storage.models import Customer, ShopCustomer, ShopOrder
from storage.models import SiteEvent as SiteEventRow
from storage.repositories import shop

# Site events that are target actions, and the kind each counts as.
TARGET_EVENTS = {"lead_submitted": "lead", "booking_created": "booking"}


def site_signal(row: SiteEventRow) -> SiteSignal:
    product = row.product or {}
    sku, name = product.get("sku"), product.get("name")
    key = sku or (name.strip().lower() if isinstance(name, str) else None)
    price = product.get("price")
    return SiteSignal(
        kind=row.type,
        ts=as_utc(row.at).timestamp(),
        page=row.page,
        product_key=key,
        category=product.get("category"),
        price=float(price) if isinstance(price, int | float) else None,
        device=row.device,
    )


def event_ref(row: SiteEventRow) -> str:
    """The id a target action from the site is recorded under."""
    return row.event_key or f"site-{row.id}"


async def feed_events(work: Work, customer: Customer, rows: Sequence[SiteEventRow]) -> None:
    """Site events that now belong to `customer`: into the profile, and the leads and
    bookings among them recorded as conversions. Marks them applied."""
    if not rows:
        return
    await work.feed(customer, [SiteFact(site_signal(row)) for row in rows])
    for row in rows:
        kind = TARGET_EVENTS.get(row.type)
        if kind is not None:
            await record_conversion(
                work.session,
                customer,
                kind=kind,
                ref=event_ref(row),
                at=row.at,
                revenue=None,
                now=work.now,
                signal=work.watch is not None,
            )
    await shop.mark_events_applied(work.session, [row.id for row in rows if row.id is not None])


async def order_conversion(work: Work, customer: Customer, order: ShopOrder) -> None:
    await record_conversion(
        work.session,
        customer,
        kind="order",
        ref=order.shop_id,
        at=order.ordered_at,
        revenue=order.total,
        now=work.now,
        signal=work.watch is not None,
    )


async def replay_shop_customer(work: Work, customer: Customer, shop_customer: ShopCustomer) -> int:
    """Everything the shop reported about `shop_customer` before the chat was linked to
    them: order statuses and site events, into `customer`'s profile, oldest first. Returns
    how many facts were fed."""
    assert shop_customer.id is not None and customer.id is not None
    session = work.session
    await shop.claim_events(session, customer.id, shop_customer_id=shop_customer.id)
    facts: list[Fact] = []
    orders = await shop.unapplied_orders(session, shop_customer.id)
    for order in orders:
        for index, change in enumerate(order.history[order.applied :], start=order.applied):
            at = datetime.fromisoformat(change["at"])
            facts.append(
                OrderFact(
                    at=at,
                    status=change["status"],
                    new_order=index == 0,
                    order_id=order.shop_id,
                    items=tuple(str(i.get("name")) for i in order.items if i.get("name")),
                )
            )
    await work.feed(customer, facts)
    for order in orders:
        if order.applied == 0:  # the bot hears of this order for the first time
            await order_conversion(work, customer, order)
        order.applied = order.statuses
    events = await shop.unapplied_events(session, customer.id)
    await feed_events(work, customer, events)
    return len(facts) + len(events)


async def link_shop_customer(
    work: Work, customer: Customer, shop_customer: ShopCustomer, *, by: str, now: datetime
) -> None:
    shop_customer.customer_id = customer.id
    assert customer.id is not None
    work.pipeline.link_changed(customer.id)
    shop_customer.linked_at = now
    shop_customer.linked_by = by
    shop_customer.updated_at = now
    await work.session.flush()
    await replay_shop_customer(work, customer, shop_customer)
