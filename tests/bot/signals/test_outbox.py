"""Writing events: the Standard Webhooks payload shape, sortable unique webhook ids, and the
event living and dying with the caller's transaction."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from bot.signals.events import SignalType
from bot.signals.outbox import encode_body, enqueue, new_webhook_id, take_enqueued
from storage.db import SessionFactory
from storage.models import OutboxEvent

NOW = datetime(2026, 12, 2, 9, 30, 15, 123456, tzinfo=UTC)


async def test_enqueue_writes_the_payload_in_the_callers_transaction(
    sqlite_session_factory: SessionFactory,
) -> None:
    async with sqlite_session_factory() as session:
        webhook_id = await enqueue(
            session,
            event_type=SignalType.HANDOFF_REQUESTED,
            customer_id=42,
            data={"reason": "просит оператора", "n": 1},
            now=NOW,
        )
        assert take_enqueued(session) and not take_enqueued(session)
        await session.commit()

    async with sqlite_session_factory() as session:
        [row] = (await session.execute(select(OutboxEvent))).scalars().all()
    assert row.webhook_id == webhook_id
    assert (row.event_type, row.customer_id, row.status, row.attempts) == (
        "handoff.requested",
        42,
        "pending",
        0,
    )
    assert row.payload == {
        "type": "handoff.requested",
        "timestamp": "2026-12-02T09:30:15.123456Z",
        "data": {"reason": "просит оператора", "n": 1},
    }
    assert (row.created_at, row.next_attempt_at) == (NOW, NOW)  # due at once
    assert encode_body(row.payload) == (
        '{"type":"handoff.requested","timestamp":"2026-12-02T09:30:15.123456Z",'
        '"data":{"reason":"просит оператора","n":1}}'
    )


async def test_a_payload_that_cannot_be_sent_fails_the_unit_not_the_dispatcher(
    sqlite_session_factory: SessionFactory,
) -> None:
    async with sqlite_session_factory() as session:
        with pytest.raises(TypeError):
            await enqueue(session, event_type="lead.hot", customer_id=1, data={"at": NOW}, now=NOW)


def test_webhook_ids_are_unique_and_sort_by_time() -> None:
    ids = [new_webhook_id(NOW + timedelta(milliseconds=i)) for i in range(0, 5000, 7)]
    assert len(set(ids)) == len(ids)
    assert ids == sorted(ids)
    same_moment = {new_webhook_id(NOW) for _ in range(1000)}
    assert len(same_moment) == 1000
    sample = ids[0]
    assert sample.startswith("msg_") and len(sample) == 30
    assert set(sample[4:]) <= set("0123456789ABCDEFGHJKMNPQRSTVWXYZ")


def test_signal_types_are_the_documented_names() -> None:
    assert {t.value for t in SignalType} == {
        "customer.unhappy",
        "lead.hot",
        "customer.churn_risk",
        "customer.need_detected",
        "dialog.converted",
        "handoff.requested",
        "customer.erased",
    }
