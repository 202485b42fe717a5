"""The message log, both directions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from storage.models import Message
from storage.repositories.upsert import insert_ignore


async def insert_incoming_once(
    session: AsyncSession,
    *,
    customer_id: int,
    text: str,
    at: datetime,
    gap_s: float | None,
    latency_s: float | None,
    external_id: str | None,
    features: dict[str, Any] | None,
    status: str = "received",
) -> bool:
    """Store a received message; False when this external id was stored before (Telegram
    delivered it twice), so the caller can skip it instead of answering twice."""
    return await insert_ignore(
        session,
        Message,
        {
            "customer_id": customer_id,
            "direction": "in",
            "text": text,
            "chars": len(text),
            "created_at": at,
            "gap_s": gap_s,
            "latency_s": latency_s,
            "external_id": external_id,
            "status": status,
            "features": features,
        },
        ["customer_id", "direction", "external_id"],
    )


def add_outgoing(
    session: AsyncSession,
    *,
    customer_id: int,
    text: str,
    at: datetime,
    status: str = "sent",
    external_id: str | None = None,
    features: dict[str, Any] | None = None,
) -> Message:
    """A reply that was already delivered (live replies go through `bot.conversation.reply_log`)."""
    message = Message(
        customer_id=customer_id,
        direction="out",
        text=text,
        chars=len(text),
        created_at=at,
        gap_s=None,
        latency_s=None,
        external_id=external_id,
        status=status,
        features=features,
    )
    session.add(message)
    return message


async def external_ids(session: AsyncSession, customer_id: int, prefix: str) -> set[str]:
    """External ids starting with `prefix` already stored for a customer (for idempotent
    imports)."""
    result = await session.execute(
        select(Message.external_id).where(
            Message.customer_id == customer_id,
            col(Message.external_id).startswith(prefix),
        )
    )
    return {value for value in result.scalars().all() if value is not None}


async def recent(session: AsyncSession, customer_id: int, limit: int = 20) -> Sequence[Message]:
    """The latest `limit` messages of a customer, oldest first."""
    result = await session.execute(
        select(Message)
        .where(Message.customer_id == customer_id)
        .order_by(col(Message.created_at).desc(), col(Message.id).desc())
        .limit(limit)
    )
    return list(reversed(result.scalars().all()))
