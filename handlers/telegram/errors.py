"""One error router: log with the update id, answer politely, never show a traceback.

The core has already rolled back and kept the text of the message that failed; here the
customer only hears an apology, through the same sender (pacing, 429, 403) as every reply.
"""

from __future__ import annotations

import logging

from aiogram import Router
from aiogram.enums import ChatType
from aiogram.types import ErrorEvent

from bot.channels.sender import Sender
from bot.settings import Settings
from bot.texts.catalog import pick_language, t

log = logging.getLogger(__name__)


def router() -> Router:
    r = Router(name="errors")

    @r.errors()
    async def on_error(event: ErrorEvent, telegram_sender: Sender, settings: Settings) -> bool:
        update = event.update
        log.error(
            "update %s failed: %r", update.update_id, event.exception, exc_info=event.exception
        )
        message = update.message
        if message is None or message.chat.type != ChatType.PRIVATE:
            return True
        user = message.from_user
        lang = pick_language(user.language_code if user else None, settings.default_language)
        result = await telegram_sender.send_text(str(message.chat.id), t("error", lang))
        if result.error:
            log.warning("could not apologise for update %s: %s", update.update_id, result.error)
        return True

    return r
