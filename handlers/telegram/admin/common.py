"""What the admin handlers share: the admin's language, the period buttons, editing a
message in place, and a polite answer when a report fails."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message, User
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.analytics.periods import PERIODS
from bot.settings import Settings
from bot.texts.catalog import pick_language, t
from profiling.types import Lang

log = logging.getLogger(__name__)
T = TypeVar("T")

PREFIX = "adm:"


def admin_language(user: User | None, settings: Settings) -> Lang:
    return pick_language(user.language_code if user else None, settings.default_language)


def period_row(builder: InlineKeyboardBuilder, action: str, current: str, lang: Lang) -> None:
    """today · 7 days · 30 days · all time, the current one marked."""
    for period in PERIODS:
        label = t(f"admin.period.{period}", lang)
        builder.button(
            text=f"• {label}" if period == current else label,
            callback_data=f"{PREFIX}{action}:{period}",
        )


def markup(builder: InlineKeyboardBuilder, *rows: int) -> InlineKeyboardMarkup:
    builder.adjust(*rows)
    return builder.as_markup()


async def show(
    target: Message | CallbackQuery, text: str, keyboard: InlineKeyboardMarkup | None
) -> None:
    """A command answers with a new message; a button edits the message it is under (the
    period switches in place). An unchanged text is not an error."""
    if isinstance(target, Message):
        await target.answer(text, reply_markup=keyboard, disable_web_page_preview=True)
        return
    await edit(target, text, keyboard)
    await target.answer()


async def guarded(
    target: Message | CallbackQuery, lang: Lang, work: Callable[[], Awaitable[T]]
) -> T | None:
    """Run a report; on failure log it and tell the admin in one line (never a traceback)."""
    try:
        return await work()
    except Exception as exc:
        log.exception("admin report failed")
        text = t("admin.failed", lang, error=type(exc).__name__)
        if isinstance(target, CallbackQuery):
            await target.answer(text, show_alert=True)
        else:
            await target.answer(text)
        return None


async def boxed(work: Awaitable[T]) -> tuple[T]:
    """A result that may itself be None, boxed, so `guarded` returning None means only that
    the work failed (and the admin was told)."""
    return (await work,)


async def edit(query: CallbackQuery, text: str, keyboard: InlineKeyboardMarkup | None) -> None:
    """Edit the message a button is under (a double tap's "not modified" is no error)."""
    message = query.message
    if not isinstance(message, Message):
        return
    try:
        await message.edit_text(text, reply_markup=keyboard, disable_web_page_preview=True)
    except TelegramBadRequest as exc:
        if "not modified" not in str(exc):
            raise


async def edit_keyboard(query: CallbackQuery, keyboard: InlineKeyboardMarkup) -> None:
    message = query.message
    if not isinstance(message, Message):
        return
    try:
        await message.edit_reply_markup(reply_markup=keyboard)
    except TelegramBadRequest as exc:
        if "not modified" not in str(exc):
            raise


def command_argument(message: Message) -> str:
    """What follows the command: "/stats 30d" → "30d"."""
    parts = (message.text or "").split(maxsplit=1)
    # Clipped: it may be said back in an answer ("I don't know the period …").
    return parts[1].strip()[:64] if len(parts) > 1 else ""


def callback_parts(query: CallbackQuery) -> list[str]:
    return (query.data or "")[len(PREFIX) :].split(":")
