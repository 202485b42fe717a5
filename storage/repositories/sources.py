"""Ad sources (deep-link payloads) and the first/latest touch of each customer."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import select

from storage.models import AdSource, Customer, SourceTouch
from storage.repositories.upsert import insert_ignore


async def get_by_payload(session: AsyncSession, payload: str) -> AdSource | None:
    result = await session.execute(select(AdSource).where(AdSource.payload == payload))
    return result.scalar_one_or_none()


async def get_or_create(
    session: AsyncSession,
    *,
    payload: str,
    campaign: str | None,
    ad: str | None,
    creative: str | None,
    now: datetime,
    origin: str = "auto",
) -> AdSource:
    source = await get_by_payload(session, payload)
    if source is not None:
        return source
    values = {
        "payload": payload,
        "campaign": campaign,
        "ad": ad,
        "creative": creative,
        "origin": origin,
        "created_at": now,
    }
    await insert_ignore(session, AdSource, values, ["payload"])
    created = await get_by_payload(session, payload)
    if created is None:
        raise RuntimeError(f"ad source {payload!r} vanished after insert")
    return created


async def record_touch(
    session: AsyncSession,
    customer: Customer,
    source: AdSource | None,
    *,
    raw_payload: str | None,
    valid: bool,
    now: datetime,
) -> None:
    """Log the touch; the first sourced touch is kept forever, the latest one moves."""
    session.add(
        SourceTouch(
            customer_id=customer.id,  # type: ignore[arg-type]
            source_id=source.id if source else None,
            raw_payload=raw_payload,
            valid=valid,
            created_at=now,
        )
    )
    if source is None:
        return
    if customer.first_source_id is None:
        customer.first_source_id = source.id
        customer.first_touch_at = now
    customer.last_source_id = source.id
    customer.last_touch_at = now


async def get(session: AsyncSession, source_id: int | None) -> AdSource | None:
    return None if source_id is None else await session.get(AdSource, source_id)
