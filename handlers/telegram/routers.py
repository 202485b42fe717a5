"""The Telegram routers by audience, in matching order."""

from __future__ import annotations

from aiogram import Router

from bot.settings import Settings
from handlers.telegram import errors
from handlers.telegram.admin.router import admin_router
from handlers.telegram.customer.router import customer_router
from handlers.telegram.operator.router import operator_router


def audience_routers(settings: Settings) -> list[Router]:
    """Errors first; the operator chat before anyone else (an operator's private chat must
    not reach the customer router); admin commands before the customers' catch-all."""
    return [
        errors.router(),
        operator_router(settings),
        admin_router(settings),
        customer_router(settings),
    ]
