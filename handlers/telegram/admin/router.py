"""The admin router: the ADMIN_IDS filter is declared once here, for every admin command and
button (each module registers its handlers on this one router, so none escapes the filter).

Only commands and the admin buttons are matched: an admin who simply writes to the bot is
served (and profiled) like any customer, through the customer router."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import Message

from bot.settings import Settings
from bot.status import StatusService
from bot.texts.catalog import pick_language, t
from handlers.telegram.admin import charts, customer, export, segments, stats
from handlers.telegram.filters import FromAdmin, PrivateChat
from handlers.telegram.middlewares.in_flight import InFlight


def admin_router(settings: Settings) -> Router:
    router = Router(name="admin")
    # Only in the admin's private chat: a card or an export must never land in a group
    # (the operators' chat, or any other the bot was added to).
    for observer in (router.message, router.callback_query):
        observer.filter(FromAdmin(settings.admin_ids), PrivateChat())

    @router.message(Command("status"))
    async def status(message: Message, status: StatusService, in_flight: InFlight) -> None:
        user = message.from_user
        lang = pick_language(user.language_code if user else None, settings.default_language)
        report = await status.report()
        await message.answer(
            t(
                "admin.status",
                lang,
                database=report.database,
                customers=report.customers if report.customers is not None else "—",
                messages=report.messages_24h if report.messages_24h is not None else "—",
                uptime=report.uptime,
                in_flight=in_flight.active,
                version=report.version,
            )
        )

    for module in (stats, segments, customer, export, charts):
        module.register(router, settings)
    return router
