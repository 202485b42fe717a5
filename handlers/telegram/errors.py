"""One error router: log with the update id, answer politely, never show a traceback."""

from __future__ import annotations

import logging

from aiogram import Router
from aiogram.types import ErrorEvent

from bot.channels.telegram.delivery import TelegramDelivery
from bot.settings import Settings
from bot.texts.catalog import pick_language, t

log = logging.getLogger(__name__)


def router() -> Router:
    r = Router(name="errors")

    @r.errors()
    async def on_error(event: ErrorEvent, delivery: TelegramDelivery, settings: Settings) -> bool:
        update = event.update
        log.error(
            "update %s failed: %r", update.update_id, event.exception, exc_info=event.exception
        )
        message = update.message
        if message is None or message.chat.type != "private":
            return True
        user = message.from_user
        lang = pick_language(user.language_code if user else None, settings.default_language)
        # Through the one delivery path: limits, 429 and 403 are handled there too.
        result = await delivery.send_text(message.chat.id, t("error", lang))
        if result.error:
            log.warning("could not apologise for update %s: %s", update.update_id, result.error)
        return True

    return r
