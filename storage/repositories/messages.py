"""The message log, both directions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert
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


@dataclass(frozen=True, slots=True)
class Outgoing:
    """A reply as it is logged: after delivery, with the channel's verdict."""

    customer_id: int
    text: str
    created_at: datetime
    status: str = "sent"  # "sent", "blocked", "rejected", "failed"
    external_id: str | None = None
    features: dict[str, Any] | None = None


def _outgoing_row(reply: Outgoing) -> dict[str, Any]:
    return {
        "customer_id": reply.customer_id,
        "direction": "out",
        "text": reply.text,
        "chars": len(reply.text),
        "created_at": reply.created_at,
        "gap_s": None,
        "latency_s": None,
        "external_id": reply.external_id,
        "status": reply.status,
        "features": reply.features,
    }


async def insert_outgoing(session: AsyncSession, replies: Sequence[Outgoing]) -> None:
    """Log replies in one executemany INSERT, in the given order (ids follow it)."""
    if replies:
        await session.execute(insert(Message), [_outgoing_row(r) for r in replies])


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


async def count_incoming_since(session: AsyncSession, since: datetime) -> int:
    """Messages received from customers since `since`."""
    result = await session.execute(
        select(func.count())
        .select_from(Message)
        .where(Message.direction == "in", col(Message.created_at) >= since)
    )
    return int(result.scalar_one())
