"""The handoff sweeper as a background task: it times out what is due on its own, keeps
going when telling one customer fails, and stops promptly."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from bot.app import Application, build_application
from bot.handoff.sweeper import HandoffSweeper
from bot.handoff.values import HandoffRef
from bot.settings import Settings
from storage.models import Handoff
from tests.factories import NO_LIMITS, ManualClock, TelegramCustomer, feed, stored_rows
from tests.fakes.bot_api import FakeBotApi
from tests.fakes.session import InProcessBotApi

OPERATORS = -1001234567890


@pytest.fixture
async def app(
    in_process_settings: Settings, bot_api: FakeBotApi, clock: ManualClock
) -> AsyncIterator[Application]:
    application = build_application(
        in_process_settings.model_copy(update={"operator_chat_id": OPERATORS}),
        bot_session=InProcessBotApi(bot_api),
        clock=clock,
        telegram_limits=NO_LIMITS,
    )
    await application.start()
    try:
        yield application
    finally:
        await application.close()


async def ask(app: Application, clock: ManualClock, user_id: int) -> None:
    clock.advance(5)
    await feed(app, TelegramCustomer(user_id, f"C{user_id}").message("Позовите оператора", clock()))


async def test_the_running_sweeper_tells_the_customer_and_stops(
    app: Application, bot_api: FakeBotApi, clock: ManualClock
) -> None:
    conversation = app.conversation
    assert conversation.handoff is not None
    sweeper = HandoffSweeper(
        app.session_factory,
        conversation.handoff,
        conversation.on_handoff_timeout,
        clock=clock,
        interval_s=0.01,
    )
    await ask(app, clock, 1001)
    sweeper.start()
    try:
        await asyncio.sleep(0.05)
        assert (await stored_rows(app, Handoff))[0].status == "waiting"
        clock.advance(601)
        await bot_api.wait_until(
            lambda: "никто из сотрудников" in bot_api.sent_messages(1001)[-1]["text"], timeout=5
        )
    finally:
        await sweeper.stop()
    assert not sweeper.running


async def test_one_customer_failing_does_not_stop_the_others(
    app: Application, clock: ManualClock
) -> None:
    told: list[int] = []

    async def tell(ref: HandoffRef) -> None:
        if ref.customer_id == 1:
            raise RuntimeError("boom")
        told.append(ref.customer_id)

    assert app.conversation.handoff is not None
    sweeper = HandoffSweeper(
        app.session_factory, app.conversation.handoff, tell, clock=clock, batch=1
    )
    for user_id in (1001, 1002, 1003):
        await ask(app, clock, user_id)
    clock.advance(700)
    assert await sweeper.sweep_once() == 3  # in batches of one
    assert sorted(told) == [2, 3]
    assert {h.status for h in await stored_rows(app, Handoff)} == {"timed_out"}


async def test_stopping_an_idle_sweeper_is_prompt(app: Application, clock: ManualClock) -> None:
    assert app.conversation.handoff is not None
    sweeper = HandoffSweeper(
        app.session_factory,
        app.conversation.handoff,
        app.conversation.on_handoff_timeout,
        clock=clock,
        interval_s=3600,
    )
    sweeper.start()
    await asyncio.sleep(0.02)
    await asyncio.wait_for(sweeper.stop(), timeout=1)
    await sweeper.stop()  # twice is harmless
