"""An aiogram session answered in-process by a `FakeBotApi`: the fake Bot API without HTTP.

For handler tests and the benchmark, where a socket per call only costs time. Everything
but the network is what ``AiohttpSession`` does: params are prepared by aiogram's own
`prepare_value` and encoded as the form fields and files it would post, the fake decodes
them as its HTTP server does, and its JSON answer goes through aiogram's `check_response`,
so results and exceptions (TelegramBadRequest, TelegramRetryAfter, TelegramForbiddenError…)
are exactly those a bot gets over HTTP. Middlewares registered on the session (the
production pacing) run as usual, since `BaseSession.__call__` wraps `make_request`.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
from typing import TYPE_CHECKING, Any, cast

from aiogram.client.session.base import BaseSession
from aiogram.methods import TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import InputFile

from tests.fakes.bot_api import FakeBotApi
from tests.fakes.bot_api_format import UploadedFile, decode_form

if TYPE_CHECKING:
    from aiogram import Bot

# aiohttp gives a file part of a form without an explicit content type this one.
_UPLOAD_CONTENT_TYPE = "application/octet-stream"


class InProcessBotApi(BaseSession):
    """`BaseSession` whose requests `api` answers directly, with aiogram's response handling."""

    def __init__(self, api: FakeBotApi | None = None) -> None:
        super().__init__()
        self.api = api if api is not None else FakeBotApi()

    async def make_request(
        self, bot: Bot, method: TelegramMethod[TelegramType], timeout: int | None = None
    ) -> TelegramType:
        fields, files = self.build_form(bot, method)

        async def read_params() -> dict[str, Any]:
            uploads = {key: await _upload(bot, key, file) for key, file in files.items()}
            return decode_form(fields, uploads)

        # A call over the network always yields to the event loop; keep that, so concurrent
        # handlers interleave here as they would in production.
        await asyncio.sleep(0)
        call = await self.api.answer(bot.token, method.__api_method__, read_params)
        response = self.check_response(
            bot=bot,
            method=method,
            status_code=call.status,
            content=self.json_dumps(call.response),
        )
        return cast(TelegramType, response.result)

    def build_form(
        self, bot: Bot, method: TelegramMethod[TelegramType]
    ) -> tuple[dict[str, str], dict[str, InputFile]]:
        """The form fields and files `AiohttpSession.build_form_data` would post for `method`."""
        fields: dict[str, str] = {}
        files: dict[str, InputFile] = {}
        for key, value in method.model_dump(warnings=False).items():
            prepared = self.prepare_value(value, bot=bot, files=files)
            if not prepared:
                continue
            # Only the characters travel: a str enum such as ParseMode.HTML arrives as "HTML".
            fields[key] = prepared.encode().decode()
        return fields, files

    async def stream_content(
        self,
        url: str,
        headers: dict[str, Any] | None = None,
        timeout: int = 30,
        chunk_size: int = 65536,
        raise_for_status: bool = True,
    ) -> AsyncGenerator[bytes, None]:
        # Neither transport of the fake serves file downloads, and tests never leave the
        # machine for a URLInputFile: say so instead of pretending with empty content.
        raise NotImplementedError(f"the in-process fake Bot API does not serve {url}")
        yield b""  # pragma: no cover - makes this an async generator, as the interface wants

    async def close(self) -> None:
        """Nothing to release; the fake's state outlives the session (a restart keeps it)."""


async def _upload(bot: Bot, key: str, file: InputFile) -> UploadedFile:
    """The file as the HTTP server receives it: all its bytes, named as aiogram names it."""
    data = b"".join([chunk async for chunk in file.read(bot)])
    return UploadedFile(key, file.filename or key, _UPLOAD_CONTENT_TYPE, data)
