"""The fake Telegram Bot API served over HTTP on 127.0.0.1, for end-to-end and channel tests.

aiogram's real ``AiohttpSession`` talks to it over HTTP exactly as it talks to
api.telegram.org, so tests exercise the real request encoding, response decoding and
exception mapping instead of a mock. This module is only the transport: the state and the
methods are a `FakeBotApi` (``bot_api.py``), the same one ``session.InProcessBotApi`` answers
from without a network.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from aiohttp import web

from tests.fakes.bot_api import FakeBotApi, Handler
from tests.fakes.bot_api_format import (
    MAX_CAPTION_LENGTH,
    MAX_TEXT_LENGTH,
    MAX_UPLOAD_BYTES,
    ApiCall,
    ApiError,
    UploadedFile,
    bad_request,
    bot_command_entities,
    decode_form,
    decode_value,
    image_size,
    parse_html,
    tiny_png,
    utf16_len,
)

# Re-exported so existing imports from this module keep working after the split.
__all__ = [
    "MAX_CAPTION_LENGTH",
    "MAX_TEXT_LENGTH",
    "MAX_UPLOAD_BYTES",
    "ApiCall",
    "ApiError",
    "FakeBotApi",
    "FakeTelegramServer",
    "Handler",
    "UploadedFile",
    "bot_command_entities",
    "image_size",
    "parse_html",
    "read_params",
    "tiny_png",
    "utf16_len",
]

logger = logging.getLogger(__name__)


async def read_params(request: web.Request) -> dict[str, Any]:
    """Query string plus body (JSON, urlencoded or multipart), as Telegram accepts all three."""
    if request.content_type == "application/json":
        params: dict[str, Any] = {k: decode_value(k, v) for k, v in request.query.items()}
        try:
            body = await request.json()
        except ValueError as error:
            raise bad_request("can't parse JSON object") from error
        if isinstance(body, dict):
            params.update(body)
        return params
    fields: dict[str, str] = {k: v for k, v in request.query.items()}
    uploads: dict[str, UploadedFile] = {}
    if request.method == "POST":
        try:
            form = await request.post()
        except web.HTTPRequestEntityTooLarge as error:
            raise ApiError(413, "Request Entity Too Large") from error
        for key, value in form.items():
            if isinstance(value, web.FileField):
                uploads[key] = UploadedFile(
                    key, value.filename, value.content_type, value.file.read()
                )
            else:
                fields[key] = str(value)
    return decode_form(fields, uploads)


class _Shared:
    """An attribute of the server that is its `FakeBotApi`'s: the server's public API is the
    fake's, as it was before the transport and the state were split."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, server: FakeTelegramServer | None, owner: type | None = None) -> Any:
        return self if server is None else getattr(server.api, self.name)

    def __set__(self, server: FakeTelegramServer, value: Any) -> None:
        setattr(server.api, self.name, value)


class FakeTelegramServer:
    """An async context manager serving a `FakeBotApi` on 127.0.0.1:<free port>.

    Pass `api` to serve an existing fake (its state is then shared with whoever else holds
    it); otherwise a new one is built from the other arguments.
    """

    # Identity, recorded calls and the test-facing API, all the FakeBotApi's own.
    token = _Shared()
    bot_id = _Shared()
    bot_username = _Shared()
    bot_first_name = _Shared()
    calls = _Shared()
    blocked_chats = _Shared()
    webhook = _Shared()
    pending_updates = _Shared()
    calls_to = _Shared()
    sent_messages = _Shared()
    wait_for_call = _Shared()
    wait_until = _Shared()
    fail_next = _Shared()
    block_chat = _Shared()
    push_update = _Shared()
    push_message = _Shared()
    push_callback_query = _Shared()
    make_forum = _Shared()
    topics = _Shared()
    group_message = _Shared()
    push_group_message = _Shared()

    def __init__(
        self,
        token: str = "123456:TEST-TOKEN",
        bot_username: str = "barista_test_bot",
        bot_id: int | None = None,
        *,
        bot_first_name: str = "Barista",
        clock: Callable[[], float] = time.time,
        api: FakeBotApi | None = None,
    ) -> None:
        self.api = api or FakeBotApi(
            token, bot_username, bot_id, bot_first_name=bot_first_name, clock=clock
        )
        self.base_url = ""
        self._runner: web.AppRunner | None = None

    async def __aenter__(self) -> FakeTelegramServer:
        app = web.Application(client_max_size=MAX_UPLOAD_BYTES + 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        host, port = self._runner.addresses[0][:2]
        self.base_url = f"http://{host}:{port}"
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        # Wake parked long polls first so shutdown does not wait out their timeouts.
        self.api.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _handle(self, request: web.Request) -> web.Response:
        call = await self.api.answer(
            request.match_info["token"],
            request.match_info["method"],
            lambda: read_params(request),
        )
        return web.json_response(call.response, status=call.status)
