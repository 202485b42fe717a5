"""The API as the program serves it: mounted by `bot.runtime.web.build_web_app` next to
/healthz, when SHOP_API_KEY is set — and its own body limit, not the root app's, applies."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp import ClientSession, web
from pydantic import SecretStr

from bot.app import Application, build_application
from bot.runtime.web import build_web_app
from bot.settings import Settings
from tests.factories import NO_LIMITS, ManualClock
from tests.fakes.bot_api import FakeBotApi
from tests.fakes.session import InProcessBotApi
from tests.handlers.api.conftest import API_KEY, AUTH

TWO_MIB = 2 * 1_048_576


@pytest.fixture
async def served(
    in_process_settings: Settings, bot_api: FakeBotApi, clock: ManualClock
) -> AsyncIterator[str]:
    settings = in_process_settings.model_copy(
        update={"shop_api_key": SecretStr(API_KEY), "api_max_body_bytes": TWO_MIB}
    )
    app: Application = build_application(
        settings, bot_session=InProcessBotApi(bot_api), clock=clock, telegram_limits=NO_LIMITS
    )
    await app.start()
    runner = web.AppRunner(build_web_app(app, webhook_secret=None))
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    try:
        yield f"http://127.0.0.1:{runner.addresses[0][1]}"
    finally:
        await runner.cleanup()
        await app.close()


async def test_the_program_serves_the_api_under_api_v1(served: str) -> None:
    async with ClientSession() as client:
        health = await client.get(f"{served}/healthz")
        document = await client.get(f"{served}/api/v1/openapi.json")
        links = await client.get(f"{served}/api/v1/links", headers=AUTH)
        refused = await client.get(f"{served}/api/v1/links")

        assert health.status == 200
        assert document.status == 200 and (await document.json())["openapi"] == "3.1.0"
        assert links.status == 200 and await links.json() == {"links": []}
        assert refused.status == 401


async def test_the_api_limit_not_the_root_apps_1_mib_applies(served: str) -> None:
    raw = b'{"name": "Anna"}'
    headers = {**AUTH, "Content-Type": "application/json"}
    async with ClientSession() as client:
        # 1.5 MiB: over the root app's client_max_size, under API_MAX_BODY_BYTES.
        big = await client.put(
            f"{served}/api/v1/customers/c-1",
            data=raw + b" " * (1_572_864 - len(raw)),
            headers=headers,
        )
        too_big = await client.put(
            f"{served}/api/v1/customers/c-2", data=raw + b" " * TWO_MIB, headers=headers
        )

        assert big.status == 201
        assert too_big.status == 413 and (await too_big.json())["error"] == "payload_too_large"
