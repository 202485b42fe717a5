"""The shop API under test: `build_api` over the real `ShopService` of the production
application (`app.shop`), mounted at /api/v1 of a real aiohttp server on 127.0.0.1 (as
`bot.runtime.web` mounts it), called with a real aiohttp client."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

import pytest
from aiohttp import ClientSession, web

from bot.app import Application
from bot.shop.api import ShopApi
from bot.shop.openapi import API_PREFIX
from handlers.api.app import build_api

API_KEY = "test-shop-api-key-7f3a9c1e5b"
AUTH = {"Authorization": f"Bearer {API_KEY}"}
MAX_BODY = 1_048_576


@dataclass
class Reply:
    status: int
    body: Any  # the decoded JSON (every answer of the API is JSON)
    headers: Mapping[str, str]


@dataclass
class Api:
    """A client of one running API: `call` sends the key unless told otherwise."""

    base_url: str  # http://127.0.0.1:<port>/api/v1
    session: ClientSession

    async def call(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        data: Any = None,
        headers: Mapping[str, str] | None = None,
        auth: bool = True,
    ) -> Reply:
        sent = {**(AUTH if auth else {}), **(headers or {})}
        async with self.session.request(
            method, self.base_url + path, json=json, data=data, headers=sent
        ) as response:
            assert response.content_type == "application/json", await response.text()
            return Reply(response.status, await response.json(), response.headers)


Serve = Callable[..., Awaitable[Api]]


@pytest.fixture
async def serve() -> AsyncIterator[Serve]:
    """Start the API over a given service; every server is stopped after the test."""
    runners: list[web.AppRunner] = []
    sessions: list[ClientSession] = []

    async def start(
        shop: ShopApi, *, api_key: str | None = API_KEY, max_body_bytes: int = MAX_BODY
    ) -> Api:
        # The root app as bot.runtime.web builds it: its own client_max_size must not matter.
        root = web.Application(client_max_size=1024 * 1024)
        root.add_subapp(API_PREFIX, build_api(shop, api_key=api_key, max_body_bytes=max_body_bytes))
        runner = web.AppRunner(root)
        await runner.setup()
        runners.append(runner)
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        port = runner.addresses[0][1]
        session = ClientSession()
        sessions.append(session)
        return Api(f"http://127.0.0.1:{port}{API_PREFIX}", session)

    yield start
    for session in sessions:
        await session.close()
    for runner in runners:
        await runner.cleanup()


@pytest.fixture
def shop(app: Application) -> ShopApi:
    """The production application's shop service."""
    return app.shop


@pytest.fixture
async def api(shop: ShopApi, serve: Serve) -> Api:
    """The API over the production application's shop service."""
    return await serve(shop)


@pytest.fixture
async def customer(api: Api) -> dict[str, Any]:
    """A shop customer `c-1001`, created through the API."""
    reply = await api.call("PUT", "/customers/c-1001", json={"name": "Anna"})
    assert reply.status == 201, reply.body
    return reply.body  # type: ignore[no-any-return]
