"""One error router: log with the update id, answer politely, never show a traceback."""

from __future__ import annotations

import logging

from aiogram import Bot, Router
from aiogram.types import ErrorEvent

from bot.settings import Settings
from bot.texts import pick_language, t

log = logging.getLogger(__name__)


def router() -> Router:
    r = Router(name="errors")

    @r.errors()
    async def on_error(event: ErrorEvent, bot: Bot, settings: Settings) -> bool:
        update = event.update
        log.error(
            "update %s failed: %r", update.update_id, event.exception, exc_info=event.exception
        )
        message = update.message or (update.callback_query and update.callback_query.message)
        user = update.message.from_user if update.message else None
        if message is None or message.chat is None:
            return True
        lang = pick_language(user.language_code if user else None, settings.default_language)
        try:
            await bot.send_message(message.chat.id, t("error", lang))
        except Exception as exc:  # the apology itself may fail (blocked, network): log only
            log.warning("could not apologise for update %s: %s", update.update_id, exc)
        return True

    return r
