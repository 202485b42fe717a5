"""Customers: load-or-create by channel identity, keep names and language fresh."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from storage.models import Customer, Profile


@dataclass(frozen=True, slots=True)
class CustomerIdentity:
    """Who wrote, as the channel reports it."""

    channel: str
    external_id: str
    chat_id: int | None = None
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


async def get_with_profile(
    session: AsyncSession, channel: str, external_id: str
) -> Customer | None:
    """The customer with its profile row loaded into the session in the same query, so the
    pipeline's `session.get(Profile, id)` is answered from the identity map."""
    result = await session.execute(
        select(Customer, Profile)
        .outerjoin(Profile, col(Profile.customer_id) == col(Customer.id))
        .where(Customer.channel == channel, Customer.external_id == external_id)
    )
    row = result.first()
    if row is None:
        return None
    customer, profile = row
    if profile is not None:
        # The identity map holds objects weakly: keep the profile alive for the session's life.
        session.info.setdefault("preloaded", []).append(profile)
    return customer


async def get_by_id(session: AsyncSession, customer_id: int) -> Customer | None:
    return await session.get(Customer, customer_id)


def _refresh_identity(customer: Customer, who: CustomerIdentity) -> None:
    for field in ("chat_id", "username", "first_name", "last_name"):
        value = getattr(who, field)
        if value is not None and getattr(customer, field) != value:
            setattr(customer, field, value)


async def load_or_create(
    session: AsyncSession,
    who: CustomerIdentity,
    *,
    now: datetime,
    default_language: str,
    holdout: bool = False,
) -> tuple[Customer, bool]:
    """Return the customer and whether it was created by this call.

    Two updates of a brand-new customer may race on the unique (channel, external_id): the
    loser's insert fails inside a savepoint and it reads the winner's row instead.
    """
    customer = await get_with_profile(session, who.channel, who.external_id)
    if customer is not None:
        _refresh_identity(customer, who)
        seen = customer.last_seen_at
        if seen is None or now - seen >= LAST_SEEN_RESOLUTION or now < seen:
            customer.last_seen_at = now
        return customer, False
    customer = Customer(
        channel=who.channel,
        external_id=who.external_id,
        chat_id=who.chat_id,
        username=who.username,
        first_name=who.first_name,
        last_name=who.last_name,
        language=who.language or default_language,
        holdout=holdout,
        created_at=now,
        last_seen_at=now,
    )
    try:
        async with session.begin_nested():
            session.add(customer)
    except IntegrityError:
        existing = await get(session, who.channel, who.external_id)
        if existing is None:
            raise
        return existing, False
    return customer, True


async def mark_blocked(session: AsyncSession, customer_id: int, blocked: bool = True) -> None:
    customer = await session.get(Customer, customer_id)
    if customer is not None:
        customer.blocked = blocked
