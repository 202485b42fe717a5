"""`barista checkins preview|send-due`: what is due (or planned) at a moment, and one sweep
as if it were that moment — through the same claim and delivery path as the running bot,
so running it twice for the same moment sends nothing twice."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime

from sqlmodel import col, select

from bot.app import Application
from bot.clock import as_utc
from bot.conversation.checkin_events import Sweep
from storage.db import SessionFactory
from storage.models import Customer
from storage.models.checkin import Checkin
from storage.repositories import checkins


async def preview(
    factory: SessionFactory, *, at: datetime, until: datetime | None, limit: int = 1000
) -> list[dict[str, object]]:
    """The check-ins due at `at` (or planned up to `until`), earliest first."""
    async with factory() as session:
        rows: Sequence[Checkin] = (
            await checkins.planned_until(session, until, limit=limit)
            if until is not None
            else await checkins.due(session, at, limit=limit)
        )
        ids = sorted({row.customer_id for row in rows})
        found = await session.execute(
            select(Customer.id, Customer.external_id).where(col(Customer.id).in_(ids))
        )
        external = {customer_id: external_id for customer_id, external_id in found.all()}
    return [
        {
            "customer": external.get(row.customer_id, str(row.customer_id)),
            "trigger": row.trigger,
            "due_at": as_utc(row.due_at).isoformat(),
            "reason": row.slot_reason,
            "id": row.id,
        }
        for row in rows
    ]


def format_preview(items: list[dict[str, object]], *, as_json: bool) -> str:
    if as_json:
        return "\n".join(json.dumps(item, ensure_ascii=False) for item in items)
    if not items:
        return "nothing due"
    return "\n".join(
        f"{item['due_at']}  {item['customer']}  {item['trigger']}  {item['reason']}"
        for item in items
    )


async def send_due(app: Application, *, at: datetime, instance: str) -> Sweep:
    """One sweep at `at` (the application's clock must read `at`)."""
    config = app.conversation.pipeline.checkins
    if config is None:
        return Sweep(0, 0, {})
    return await app.conversation.sweep_checkins(
        now=at,
        instance=instance,
        batch=config.batch,
        stale_after_s=config.stale_after_s,
    )
