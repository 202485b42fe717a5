"""The Telegram routers in matching order."""

from __future__ import annotations

from aiogram import Router

from handlers.telegram import errors
from handlers.telegram.customer import chat, help, start


def feature_routers() -> list[Router]:
    """Routers in matching order; the catch-all chat router must stay last."""
    return [errors.router(), start.router(), help.router(), chat.router()]
