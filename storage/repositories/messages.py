"""The message log, both directions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from storage.models import Message


def add_incoming(
    session: AsyncSession,
    *,
    customer_id: int,
    text: str,
    at: datetime,
    gap_s: float | None,
    latency_s: float | None,
    external_id: str | None,
    features: dict[str, Any] | None,
) -> Message:
    message = Message(
        customer_id=customer_id,
        direction="in",
        text=text,
        chars=len(text),
        created_at=at,
        gap_s=gap_s,
        latency_s=latency_s,
        external_id=external_id,
        status="received",
        features=features,
    )
    session.add(message)
    return message


def add_outgoing(
    session: AsyncSession,
    *,
    customer_id: int,
    text: str,
    at: datetime,
    features: dict[str, Any] | None = None,
) -> Message:
    """An outgoing reply starts "pending" and becomes "sent" or "failed" after delivery."""
    message = Message(
        customer_id=customer_id,
        direction="out",
        text=text,
        chars=len(text),
        created_at=at,
        # Every column set explicitly, as for incoming rows, so the ORM can insert the
        # message and its reply in one batched statement.
        gap_s=None,
        latency_s=None,
        external_id=None,
        status="pending",
        features=features,
    )
    session.add(message)
    return message


async def mark_delivery(
    session: AsyncSession, message_id: int, *, status: str, external_id: str | None
) -> None:
    message = await session.get(Message, message_id)
    if message is not None:
        message.status = status
        message.external_id = external_id


async def recent(session: AsyncSession, customer_id: int, limit: int = 20) -> Sequence[Message]:
    """The latest `limit` messages of a customer, oldest first."""
    result = await session.execute(
        select(Message)
        .where(Message.customer_id == customer_id)
        .order_by(col(Message.created_at).desc(), col(Message.id).desc())
        .limit(limit)
    )
    return list(reversed(result.scalars().all()))
