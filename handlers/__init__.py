"""The Telegram adapter: one Router per feature, plus middlewares and filters."""

from __future__ import annotations

from aiogram import Router

from handlers import chat, errors, help, start


def feature_routers() -> list[Router]:
    """Routers in matching order; the catch-all chat router must stay last."""
    return [errors.router(), start.router(), help.router(), chat.router()]
