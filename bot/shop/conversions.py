"""Target actions — an order, a lead, a booking — attributed to the dialog they followed and to
the customer's first and latest ad touch (DESIGN.md: a dialog converts when a target action
comes within 7 days of it)."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import as_utc
from bot.signals.events import SignalType
from bot.signals.outbox import enqueue
from bot.signals.payloads import customer_block
from storage.models import Customer
from storage.repositories import dialogs, shop
from storage.repositories.dialogs import ATTRIBUTION_WINDOW

log = logging.getLogger(__name__)


async def record_conversion(
    session: AsyncSession,
    customer: Customer,
    *,
    kind: str,
    ref: str,
    at: datetime,
    revenue: float | None,
    now: datetime,
    signal: bool = True,
) -> bool:
    """Record the target action once; when it followed a dialog, attribute it and, with
    `signal`, tell the CRM (`dialog.converted`, in this transaction). True when new."""
    assert customer.id is not None
    at = as_utc(at)
    dialog = await dialogs.latest_before(session, customer.id, at)
    last_message = await dialogs.last_incoming_before(session, customer.id, at)
    attributed = (
        dialog is not None
        and last_message is not None
        and as_utc(last_message) >= as_utc(dialog.started_at)
        and at - as_utc(last_message) <= ATTRIBUTION_WINDOW
    )
    seconds = (at - as_utc(dialog.started_at)).total_seconds() if attributed and dialog else None
    new = await dialogs.add_conversion(
        session,
        {
            "customer_id": customer.id,
            "kind": kind,
            "ref": ref,
            "at": at,
            "dialog_id": dialog.id if attributed and dialog else None,
            "seconds_from_dialog_start": seconds,
            "first_source_id": customer.first_source_id,
            "last_source_id": customer.last_source_id,
            "revenue": revenue,
        },
    )
    if new and attributed and dialog is not None and signal:
        linked = await shop.linked_to(session, customer.id)
        await enqueue(
            session,
            event_type=SignalType.DIALOG_CONVERTED.value,
            customer_id=customer.id,
            data={
                "customer": customer_block(customer, linked.shop_id if linked else None),
                "conversion": {
                    "kind": kind,
                    "ref": ref,
                    "at": at.isoformat(),
                    "revenue": revenue,
                    "dialog_started_at": as_utc(dialog.started_at).isoformat(),
                    "seconds_from_dialog_start": seconds,
                },
                "reasons": [
                    f"{kind} {ref} came {_duration(seconds or 0.0)} after the dialog began"
                ],
            },
            now=now,
        )
    return new


def _duration(seconds: float) -> str:
    if seconds < 3600:
        return f"{round(seconds / 60)} min"
    if seconds < 2 * 86_400:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86_400:.1f} days"
