"""Dialogs, conversions and the per-link figures built from them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from storage.models import AdSource, Conversion, Dialog, Message, SourceTouch
from storage.repositories.upsert import insert_ignore


def start(session: AsyncSession, customer_id: int, at: datetime, source_id: int | None) -> None:
    session.add(Dialog(customer_id=customer_id, started_at=at, source_id=source_id))


async def latest_before(session: AsyncSession, customer_id: int, at: datetime) -> Dialog | None:
    """The customer's last dialog that began at or before `at`."""
    result = await session.execute(
        select(Dialog)
        .where(Dialog.customer_id == customer_id, col(Dialog.started_at) <= at)
        .order_by(col(Dialog.started_at).desc(), col(Dialog.id).desc())
        .limit(1)
    )
    return result.scalar_one_or_none()


async def last_incoming_before(
    session: AsyncSession, customer_id: int, at: datetime
) -> datetime | None:
    result = await session.execute(
        select(func.max(Message.created_at)).where(
            Message.customer_id == customer_id,
            Message.direction == "in",
            col(Message.created_at) <= at,
            # Conversation only: commands, stickers and shared contacts (status "command")
            # start no dialog, so they must not keep an old one alive.
            col(Message.status) == "received",
        )
    )
    return result.scalar_one_or_none()


async def add_conversion(session: AsyncSession, values: dict[str, Any]) -> bool:
    """Record a target action once per (customer, kind, ref); False when known already."""
    return await insert_ignore(session, Conversion, values, ["customer_id", "kind", "ref"])


@dataclass(frozen=True, slots=True)
class LinkFigures:
    source: AdSource
    starts: int
    dialogs: int
    conversions: int
    first_touch_conversions: int
    seconds_to_conversion: list[float]
    revenue: float


async def link_figures(session: AsyncSession) -> list[LinkFigures]:
    """Every tracked link with its starts, dialogs and the conversions after them."""
    sources = list((await session.execute(select(AdSource).order_by(col(AdSource.id)))).scalars())
    starts = dict(
        (
            await session.execute(
                select(SourceTouch.source_id, func.count())
                .where(col(SourceTouch.source_id).is_not(None))
                .group_by(col(SourceTouch.source_id))
            )
        ).all()
    )
    dialogs = dict(
        (
            await session.execute(
                select(Dialog.source_id, func.count())
                .where(col(Dialog.source_id).is_not(None))
                .group_by(col(Dialog.source_id))
            )
        ).all()
    )
    attributed = (
        await session.execute(
            select(Dialog.source_id, Conversion.seconds_from_dialog_start, Conversion.revenue)
            .join(Dialog, col(Dialog.id) == col(Conversion.dialog_id))
            .where(col(Dialog.source_id).is_not(None))
        )
    ).all()
    seconds: dict[int, list[float]] = {}
    revenue: dict[int, float] = {}
    for source_id, took, money in attributed:
        if source_id is None:
            continue
        seconds.setdefault(source_id, []).append(float(took or 0.0))
        revenue[source_id] = revenue.get(source_id, 0.0) + float(money or 0.0)
    first_touch = dict(
        (
            await session.execute(
                select(Conversion.first_source_id, func.count())
                .where(col(Conversion.first_source_id).is_not(None))
                .group_by(col(Conversion.first_source_id))
            )
        ).all()
    )
    return [
        LinkFigures(
            source=source,
            starts=int(starts.get(source.id, 0)),
            dialogs=int(dialogs.get(source.id, 0)),
            conversions=len(seconds.get(source.id, [])),  # type: ignore[arg-type]
            first_touch_conversions=int(first_touch.get(source.id, 0)),
            seconds_to_conversion=sorted(seconds.get(source.id, [])),  # type: ignore[arg-type]
            revenue=round(revenue.get(source.id, 0.0), 2),  # type: ignore[arg-type]
        )
        for source in sources
    ]


ATTRIBUTION_WINDOW = timedelta(days=7)
