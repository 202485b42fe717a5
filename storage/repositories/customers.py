"""Customers: load-or-create by channel identity, keep names and language fresh."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import select

from storage.models import Customer
from storage.repositories.upsert import insert_ignore


@dataclass(frozen=True, slots=True)
class CustomerIdentity:
    """Who wrote, as the channel reports it."""

    channel: str
    external_id: str
    address: str | None = None  # where to reply, in the channel's terms
    username: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    language: str | None = None


# last_seen_at is coarse on purpose: the exact timing lives in the profile, and writing the
# customer row on every message would cost a statement per message for nothing.
LAST_SEEN_RESOLUTION = timedelta(minutes=5)


async def get(session: AsyncSession, channel: str, external_id: str) -> Customer | None:
    result = await session.execute(
        select(Customer).where(Customer.channel == channel, Customer.external_id == external_id)
    )
    return result.scalar_one_or_none()


def _refresh_identity(customer: Customer, who: CustomerIdentity) -> None:
    for field in ("address", "username", "first_name", "last_name"):
        value = getattr(who, field)
        if value is not None and getattr(customer, field) != value:
            setattr(customer, field, value)


def touch(customer: Customer, who: CustomerIdentity, now: datetime, *, seen: bool = True) -> None:
    """Keep names and address fresh and `last_seen_at` roughly current (no query)."""
    _refresh_identity(customer, who)
    if not seen:
        return
    seen = customer.last_seen_at
    if seen is None or now - seen >= LAST_SEEN_RESOLUTION or now < seen:
        customer.last_seen_at = now


async def load_or_create(
    session: AsyncSession,
    who: CustomerIdentity,
    *,
    now: datetime,
    default_language: str,
    holdout: bool = False,
    seen: bool = True,
) -> tuple[Customer, bool]:
    """Return the customer and whether it was created by this call.

    Two updates of a brand-new customer may race on the unique (channel, external_id): the
    loser's insert does nothing and it reads the winner's row.
    """
    customer = await get(session, who.channel, who.external_id)
    if customer is not None:
        touch(customer, who, now, seen=seen)
        return customer, False
    created = await insert_ignore(
        session,
        Customer,
        {
            "channel": who.channel,
            "external_id": who.external_id,
            "address": who.address,
            "username": who.username,
            "first_name": who.first_name,
            "last_name": who.last_name,
            "language": who.language or default_language,
            "first_source_id": None,
            "last_source_id": None,
            "profiling_opt_out": False,
            "checkins_opt_out": False,
            "blocked": False,
            "holdout": holdout,
            "created_at": now,
            "last_seen_at": now,
        },
        ["channel", "external_id"],
    )
    customer = await get(session, who.channel, who.external_id)
    if customer is None:
        raise RuntimeError(f"customer {who.channel}:{who.external_id} vanished after insert")
    return customer, created


async def count(session: AsyncSession) -> int:
    result = await session.execute(select(func.count()).select_from(Customer))
    return int(result.scalar_one())
