"""Writing an event to the outbox, inside the transaction that caused it.

The caller commits: an event exists only if the change that caused it is committed too, and
every committed change that should reach the CRM has its event (no dual write). The payload
is stored in the Standard Webhooks shape and sent as it is stored, on every attempt.
"""

from __future__ import annotations

import json
import secrets
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import as_utc
from storage.repositories import outbox as repository

WEBHOOK_ID_PREFIX = "msg_"
# Crockford's base32, as ULIDs use: no I, L, O, U; sorts like the number it encodes.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
# session.info key: events were added in this session (`take_enqueued`).
_ENQUEUED = "barista.outbox_enqueued"


def _base32(number: int, length: int) -> str:
    chars = []
    for _ in range(length):
        number, digit = divmod(number, 32)
        chars.append(_ALPHABET[digit])
    return "".join(reversed(chars))


def new_webhook_id(now: datetime) -> str:
    """ "msg_" + a ULID: 48 bits of milliseconds then 80 random bits, 26 characters, so ids
    sort by creation time (to the millisecond) and never collide in practice."""
    millis = int(as_utc(now).timestamp() * 1000) & (2**48 - 1)
    return WEBHOOK_ID_PREFIX + _base32(millis, 10) + _base32(secrets.randbits(80), 16)


def iso_timestamp(moment: datetime) -> str:
    """ISO-8601 in UTC with a "Z", as the Standard Webhooks examples write it."""
    return as_utc(moment).astimezone(UTC).isoformat().replace("+00:00", "Z")


def encode_body(payload: dict[str, Any]) -> str:
    """The request body: compact JSON, non-ASCII kept as is (the signature covers these exact
    characters, and the same payload always encodes to the same text)."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))


async def enqueue(
    session: AsyncSession,
    *,
    event_type: str,
    customer_id: int | None,
    data: dict[str, Any],
    now: datetime,
) -> str:
    """Add an event to the outbox in the caller's transaction; returns its webhook id.

    The payload is `{"type": event_type, "timestamp": now (ISO-8601), "data": data}`; `data`
    must be JSON-serialisable (checked here, so a bad value fails the caller's unit of work
    instead of the dispatcher later).
    """
    payload = {"type": str(event_type), "timestamp": iso_timestamp(now), "data": data}
    encode_body(payload)  # raises TypeError/ValueError now, not at delivery time
    webhook_id = new_webhook_id(now)
    await repository.add(
        session,
        webhook_id=webhook_id,
        event_type=str(event_type),
        customer_id=customer_id,
        payload=payload,
        now=as_utc(now),
    )
    session.info[_ENQUEUED] = True
    return webhook_id


def take_enqueued(session: AsyncSession) -> bool:
    """Whether events were enqueued in this session since the last call (after a commit: wake
    the dispatcher)."""
    return bool(session.info.pop(_ENQUEUED, False))
