"""`handoff.requested` reaches the CRM's outbox in the transaction that opens the handoff —
when a CRM is configured, and only then."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack
from typing import Any

import pytest
from pydantic import SecretStr
from sqlmodel import col

from bot.app import Application
from bot.settings import Settings
from storage.models import Handoff
from storage.models.outbox import OutboxEvent
from tests.factories import ManualClock, TelegramCustomer, feed, free_port, running_app, stored_rows
from tests.fakes.bot_api import FakeBotApi

OPERATORS = -1001234567890
SECRET = "whsec_" + base64.b64encode(b"handoff-tests-secret-of-32-byte!").decode()

MakeApp = Callable[..., Awaitable[Application]]


@pytest.fixture
async def make_app(
    in_process_settings: Settings, bot_api: FakeBotApi, clock: ManualClock
) -> AsyncIterator[MakeApp]:
    async with AsyncExitStack() as apps:

        async def build(**overrides: Any) -> Application:
            values: dict[str, Any] = {"operator_chat_id": OPERATORS, **overrides}
            return await apps.enter_async_context(
                running_app(in_process_settings, bot_api, clock, **values)
            )

        yield build


async def ask_for_a_person(app: Application, clock: ManualClock) -> None:
    anna = TelegramCustomer(1001, "Anna")
    await feed(app, anna.message("Здравствуйте!", clock()))
    clock.advance(20)
    await feed(app, anna.message("Соедините с менеджером, пожалуйста", clock()))


async def test_a_handoff_is_one_requested_event_for_the_crm(
    make_app: MakeApp, clock: ManualClock
) -> None:
    app = await make_app(
        crm_webhook_url=f"http://127.0.0.1:{free_port()}/crm",
        crm_webhook_secret=SecretStr(SECRET),
    )
    await ask_for_a_person(app, clock)
    clock.advance(20)  # the customer writes on: relayed, no second event
    await feed(app, TelegramCustomer(1001, "Anna").message("Жду", clock()))
    events = await stored_rows(app, OutboxEvent, col(OutboxEvent.event_type) == "handoff.requested")
    (handoff,) = await stored_rows(app, Handoff)
    assert len(events) == 1
    payload = events[0].payload
    assert payload["type"] == "handoff.requested"
    data = payload["data"]
    assert data["handoff"]["id"] == handoff.id
    assert data["handoff"]["reason"] == "asked"
    assert data["handoff"]["detail"] == "клиент попросил позвать человека"
    assert data["handoff"]["deadline_at"].endswith("Z")
    assert data["customer"]["first_name"] == "Anna"
    assert "hotness" in data["scores"]
    assert events[0].customer_id == handoff.customer_id


async def test_without_a_crm_no_event_is_kept(make_app: MakeApp, clock: ManualClock) -> None:
    app = await make_app()
    await ask_for_a_person(app, clock)
    assert len(await stored_rows(app, Handoff)) == 1
    assert await stored_rows(app, OutboxEvent) == []
