"""What a handoff's card is made of, read from storage in the caller's session (a few small
queries, once per handoff): the customer's sources, orders, site events and latest messages."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import as_utc
from bot.handoff.card import CardFacts, ChatLine, OrderLine, SiteLine, Who
from profiling.engine import Assessment
from storage.models import AdSource, Customer
from storage.repositories import messages, shop, sources

MESSAGES_SHOWN = 8
ORDERS_SHOWN = 5
SITE_EVENTS_SHOWN = 5


def who_of(customer: Customer) -> Who:
    return Who(
        channel=customer.channel,
        external_id=customer.external_id,
        first_name=customer.first_name,
        last_name=customer.last_name,
        username=customer.username,
        language=customer.language,
    )


def _source_words(source: AdSource | None) -> str | None:
    if source is None:
        return None
    named = [part for part in (source.campaign, source.ad, source.creative) if part]
    return " / ".join(named) if named else source.payload


async def gather(
    session: AsyncSession,
    customer: Customer,
    *,
    reason: str,
    why: str,
    assessment: Assessment | None,
) -> CardFacts:
    customer_id: int = customer.id  # type: ignore[assignment]
    first = await sources.get(session, customer.first_source_id)
    latest = (
        first
        if customer.last_source_id == customer.first_source_id
        else await sources.get(session, customer.last_source_id)
    )
    linked = await shop.linked_to(session, customer_id)
    orders: list[OrderLine] = []
    if linked is not None and linked.id is not None:
        rows = sorted(
            await shop.orders_of(session, linked.id),
            key=lambda row: as_utc(row.ordered_at),
            reverse=True,
        )
        orders = [
            OrderLine(
                number=row.shop_id,
                status=row.status,
                total=float(row.total),
                currency=row.currency,
                items=tuple(str(item["name"]) for item in row.items if item.get("name")),
                ordered_at=row.ordered_at,
            )
            for row in rows[:ORDERS_SHOWN]
        ]
    events = await shop.recent_events(session, customer_id, SITE_EVENTS_SHOWN)
    site = tuple(
        SiteLine(
            kind=event.type,
            at=event.at,
            page=event.page,
            product=str((event.product or {}).get("name") or (event.product or {}).get("sku"))
            if event.product
            else None,
        )
        for event in events
    )
    recent = await messages.recent(session, customer_id, MESSAGES_SHOWN)
    lines = tuple(
        ChatLine(
            incoming=row.direction == "in",
            text=row.text,
            at=row.created_at,
            by_operator=(row.features or {}).get("path") == "operator",
        )
        for row in recent
    )
    return CardFacts(
        who=who_of(customer),
        reason=reason,
        why=why,
        assessment=assessment,
        first_source=_source_words(first),
        latest_source=_source_words(latest),
        linked=linked is not None,
        orders=tuple(orders),
        site=site,
        messages=lines,
    )
