"""The bot's command menu in private chats, in Russian and English: every customer sees the
commands that exercise their rights next to /help (`setMyCommands`, per language)."""

from __future__ import annotations

import logging

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.types import BotCommand, BotCommandScopeAllPrivateChats, BotCommandScopeChat

log = logging.getLogger(__name__)

CUSTOMER_COMMANDS: dict[str, tuple[tuple[str, str], ...]] = {
    "ru": (
        ("help", "Что умеет бот"),
        ("link", "Найти мои заказы по телефону"),
        ("privacy", "Какие данные хранятся и зачем"),
        ("mydata", "Выгрузить мои данные (JSON)"),
        ("forget", "Удалить все мои данные"),
        ("profiling_off", "Не подстраиваться под меня"),
        ("profiling_on", "Снова подстраиваться"),
        ("stop_checkins", "Не писать мне первым"),
    ),
    "en": (
        ("help", "What the bot can do"),
        ("link", "Find my orders by phone"),
        ("privacy", "What data is kept and why"),
        ("mydata", "Download my data (JSON)"),
        ("forget", "Erase all my data"),
        ("profiling_off", "Stop tailoring replies to me"),
        ("profiling_on", "Tailor replies again"),
        ("stop_checkins", "Don't message me first"),
    ),
}


async def set_customer_menu(bot: Bot) -> bool:
    """Set the menu for private chats: English as the default, Russian for Russian apps.
    Best effort: a menu Telegram refuses is logged, never a reason not to start."""
    scope = BotCommandScopeAllPrivateChats()
    try:
        for lang, commands in CUSTOMER_COMMANDS.items():
            await bot.set_my_commands(
                [BotCommand(command=name, description=text) for name, text in commands],
                scope=scope,
                language_code=None if lang == "en" else lang,
            )
    except TelegramAPIError as exc:
        log.warning("the command menu was not set: %s", exc)
        return False
    return True


ADMIN_COMMANDS: dict[str, tuple[tuple[str, str], ...]] = {
    "ru": (
        ("stats", "Сводка: конверсия, CSAT, удержание"),
        ("segments", "Клиенты по сегментам"),
        ("customer", "Карточка клиента: /customer 42"),
        ("sources", "Рекламные ссылки"),
        ("export", "Выгрузка CSV"),
        ("status", "Состояние бота"),
    ),
    "en": (
        ("stats", "Summary: conversion, CSAT, retention"),
        ("segments", "Customers by segment"),
        ("customer", "Customer card: /customer 42"),
        ("sources", "Ad links"),
        ("export", "CSV export"),
        ("status", "Bot status"),
    ),
}


async def set_admin_menu(bot: Bot, admin_ids: frozenset[int]) -> bool:
    """Each admin's own private chat gets the admin commands above the customers' (a chat
    scope outranks the all-private-chats one), so nobody else ever sees them. An admin who
    never opened the bot makes Telegram answer "chat not found": logged, the others go on."""
    ok = True
    for admin_id in sorted(admin_ids):
        scope = BotCommandScopeChat(chat_id=admin_id)
        try:
            for lang in ADMIN_COMMANDS:
                commands = ADMIN_COMMANDS[lang] + CUSTOMER_COMMANDS[lang]
                await bot.set_my_commands(
                    [BotCommand(command=name, description=text) for name, text in commands],
                    scope=scope,
                    language_code=None if lang == "en" else lang,
                )
        except TelegramAPIError as exc:
            log.warning("the admin menu for %s was not set: %s", admin_id, exc)
            ok = False
    return ok
