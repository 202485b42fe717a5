"""/export [period]: two CSV files — customers with their scores, and the period's dialogs
with their outcomes — UTF-8 with a BOM (spreadsheets then show Cyrillic), as documents."""

from __future__ import annotations

import shutil

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import FSInputFile, Message

from bot.analytics.periods import parse_period
from bot.analytics.render import period_name
from bot.analytics.service import AnalyticsService
from bot.settings import Settings
from bot.texts.catalog import t
from handlers.telegram.admin.common import admin_language, command_argument, guarded


def register(router: Router, settings: Settings) -> None:
    @router.message(Command("export"))
    async def export(message: Message, analytics: AnalyticsService) -> None:
        lang = admin_language(message.from_user, settings)
        argument = command_argument(message)
        try:
            period = parse_period(argument or "all")
        except ValueError:
            await message.answer(t("admin.period.bad", lang, given=argument))
            return
        await message.answer(t("admin.export.busy", lang))
        files = await guarded(message, lang, lambda: analytics.export(period))
        if files is None:
            return
        try:
            await message.answer_document(
                FSInputFile(files.customers, filename=files.customers.name),
                caption=t("admin.export.customers", lang, n=files.customer_rows),
            )
            await message.answer_document(
                FSInputFile(files.dialogs, filename=files.dialogs.name),
                caption=t(
                    "admin.export.dialogs",
                    lang,
                    period=period_name(period, lang),
                    n=files.dialog_rows,
                ),
            )
        finally:
            shutil.rmtree(files.directory, ignore_errors=True)
