"""/segments [period] and /sources [period]: customers per segment and score band now and how
that moved, with examples; each ad link's funnel. Periods switch in place; charts as photos."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.analytics.periods import PERIODS, parse_period
from bot.analytics.render import render_segments, render_sources
from bot.analytics.service import AnalyticsService
from bot.settings import Settings
from bot.texts.catalog import t
from handlers.telegram.admin.charts import chart_data
from handlers.telegram.admin.common import (
    PREFIX,
    admin_language,
    callback_parts,
    command_argument,
    guarded,
    markup,
    period_row,
    show,
)
from profiling.types import Lang


def _keyboard(action: str, chart: str, period: str, lang: Lang) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    period_row(builder, action, period, lang)
    label = "admin.button.segments_chart" if action == "sg" else "admin.button.funnel"
    builder.button(text=t(label, lang), callback_data=chart_data(chart, period))
    return markup(builder, len(PERIODS), 1)


async def _segments_text(analytics: AnalyticsService, period: str, lang: Lang) -> str:
    return render_segments(await analytics.segments(period), lang, period=period)


async def _sources_text(analytics: AnalyticsService, period: str, lang: Lang) -> str:
    rows = await analytics.sources(period)
    return render_sources(rows, lang, period=period, currency=analytics.currency)


def register(router: Router, settings: Settings) -> None:
    views = {
        "sg": (_segments_text, "segments"),
        "so": (_sources_text, "funnel"),
    }

    async def answer(message: Message, analytics: AnalyticsService, action: str) -> None:
        lang = admin_language(message.from_user, settings)
        argument = command_argument(message)
        try:
            period = parse_period(argument or None)
        except ValueError:
            await message.answer(t("admin.period.bad", lang, given=argument))
            return
        render, chart = views[action]
        text = await guarded(message, lang, lambda: render(analytics, period, lang))
        if text is not None:
            await show(message, text, _keyboard(action, chart, period, lang))

    @router.message(Command("segments"))
    async def segments(message: Message, analytics: AnalyticsService) -> None:
        await answer(message, analytics, "sg")

    @router.message(Command("sources"))
    async def sources(message: Message, analytics: AnalyticsService) -> None:
        await answer(message, analytics, "so")

    @router.callback_query(F.data.startswith(f"{PREFIX}sg:") | F.data.startswith(f"{PREFIX}so:"))
    async def switch(query: CallbackQuery, analytics: AnalyticsService) -> None:
        lang = admin_language(query.from_user, settings)
        parts = callback_parts(query)
        if len(parts) != 2 or parts[1] not in PERIODS:
            await query.answer(t("admin.stale", lang), show_alert=True)
            return
        action, period = parts
        render, chart = views[action]
        text = await guarded(query, lang, lambda: render(analytics, period, lang))
        if text is not None:
            await show(query, text, _keyboard(action, chart, period, lang))
