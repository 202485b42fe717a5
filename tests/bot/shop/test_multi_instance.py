"""Two bot processes on one PostgreSQL database: the shop API of each may receive the same
order or customer at the same moment; one row results, and both answers are consistent."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from bot.app import Application, build_application
from bot.settings import Settings
from bot.shop.schemas import CustomerIn, OrderIn
from storage.models import ShopCustomer, ShopOrder
from tests.factories import NO_LIMITS, ManualClock, stored_rows
from tests.fakes.bot_api import FakeBotApi
from tests.fakes.session import InProcessBotApi


@pytest.fixture
async def two_apps(
    in_process_settings: Settings, postgres_url: str, bot_api: FakeBotApi, clock: ManualClock
) -> AsyncIterator[tuple[Application, Application]]:
    settings = in_process_settings.model_copy(update={"database_url": postgres_url})
    apps = [
        build_application(
            settings, bot_session=InProcessBotApi(bot_api), clock=clock, telegram_limits=NO_LIMITS
        )
        for _ in range(2)
    ]
    await apps[0].start()
    try:
        yield apps[0], apps[1]
    finally:
        for app in apps:
            await app.close()


def order(status: str = "created") -> OrderIn:
    return OrderIn.model_validate(
        {"customer_id": "c-1", "status": status, "total": 990, "currency": "RUB"}
    )


async def test_two_instances_create_one_customer_and_one_order(
    two_apps: tuple[Application, Application],
) -> None:
    first, second = two_apps
    for round_ in range(5):
        shop_id = f"c-{round_}"
        created = await asyncio.gather(
            first.shop.put_customer(shop_id, CustomerIn(name="Анна")),
            second.shop.put_customer(shop_id, CustomerIn(name="Анна")),
        )
        assert sorted(c.created for c in created) == [False, True]
        assert created[0].deep_link == created[1].deep_link
    await first.shop.put_customer("c-1", CustomerIn())
    for n in range(5):
        outs = await asyncio.gather(
            first.shop.put_order(f"A-{n}", order()), second.shop.put_order(f"A-{n}", order())
        )
        assert sorted(o.created for o in outs) == [False, True]
    orders = await stored_rows(first, ShopOrder)
    assert len(orders) == 5 and all(len(o.history) == 1 for o in orders)
    assert len(await stored_rows(first, ShopCustomer)) == 5
