"""Builds the `Bot` every part of the program shares, with pacing on its session."""

from __future__ import annotations

from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.session.base import BaseSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode

from bot.channels.telegram.limits import TelegramLimits
from bot.channels.telegram.pacing import PacedRequests


def build_telegram_bot(
    token: str,
    *,
    api_url: str | None = None,
    session: BaseSession | None = None,
    limits: TelegramLimits | None = None,
) -> Bot:
    """A `Bot` on an aiohttp session (pointed at `api_url` when given: a local Bot API server
    or a fake) unless `session` is passed, HTML by default, every call paced and retried.

    The middleware is registered on the session, so only pass a session that no other bot
    paces already."""
    if session is None:
        api = TelegramAPIServer.from_base(api_url) if api_url else None
        session = AiohttpSession(api=api) if api else AiohttpSession()
    session.middleware(PacedRequests(limits))
    return Bot(
        token=token,
        session=session,
        default=DefaultBotProperties(parse_mode=ParseMode.HTML),
    )
