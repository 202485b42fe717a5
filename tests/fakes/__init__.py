"""Fakes that speak real protocols, so tests drive real clients instead of mocks."""

from tests.fakes.telegram_server import (
    ApiCall,
    ApiError,
    FakeTelegramServer,
    UploadedFile,
    parse_html,
    tiny_png,
)

__all__ = ["ApiCall", "ApiError", "FakeTelegramServer", "UploadedFile", "parse_html", "tiny_png"]
