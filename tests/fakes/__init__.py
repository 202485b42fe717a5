"""Fakes that speak real protocols, so tests drive real clients instead of mocks.

One fake Bot API (`FakeBotApi`), two transports: `FakeTelegramServer` over HTTP on
127.0.0.1 and `InProcessBotApi`, an aiogram session calling it directly."""

from tests.fakes.bot_api import FakeBotApi
from tests.fakes.session import InProcessBotApi
from tests.fakes.telegram_server import (
    ApiCall,
    ApiError,
    FakeTelegramServer,
    UploadedFile,
    parse_html,
    tiny_png,
)

__all__ = [
    "ApiCall",
    "ApiError",
    "FakeBotApi",
    "FakeTelegramServer",
    "InProcessBotApi",
    "UploadedFile",
    "parse_html",
    "tiny_png",
]
