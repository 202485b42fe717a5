"""/stats [today|7d|30d|all] and /stats ab: the summary and the adaptive-vs-blind experiment,
the period switched with buttons (the message is edited), charts sent as photos."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.analytics.periods import PERIODS, parse_period
from bot.analytics.render import render_ab, render_stats
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


def _keyboard(view: str, period: str, lang: Lang) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    period_row(builder, "st" if view == "stats" else "ab", period, lang)
    if view == "stats":
        builder.button(text=t("admin.button.ab", lang), callback_data=f"{PREFIX}ab:{period}")
        builder.button(
            text=t("admin.button.funnel", lang), callback_data=chart_data("funnel", period)
        )
        builder.button(
            text=t("admin.button.heatmap", lang), callback_data=chart_data("heatmap", period)
        )
    else:
        builder.button(text=t("admin.button.stats", lang), callback_data=f"{PREFIX}st:{period}")
        builder.button(
            text=t("admin.button.ab_chart", lang), callback_data=chart_data("ab", period)
        )
    return markup(builder, len(PERIODS), 3)


async def _stats_text(analytics: AnalyticsService, period: str, lang: Lang) -> str:
    return render_stats(await analytics.stats(period), lang, currency=analytics.currency)


async def _ab_text(analytics: AnalyticsService, period: str, lang: Lang) -> str:
    report = await analytics.ab(period)
    return render_ab(report, lang, holdout_percent=analytics.holdout_percent)


def register(router: Router, settings: Settings) -> None:
    @router.message(Command("stats"))
    async def stats(message: Message, analytics: AnalyticsService) -> None:
        lang = admin_language(message.from_user, settings)
        argument = command_argument(message).lower()
        view = "ab" if argument.split()[:1] == ["ab"] else "stats"
        given = argument.split()[1] if view == "ab" and len(argument.split()) > 1 else None
        try:
            period = parse_period(given if view == "ab" else argument or None)
        except ValueError:
            await message.answer(t("admin.period.bad", lang, given=argument))
            return
        if view == "ab" and given is None:
            period = "all"  # the experiment reads best over its whole life
        render = _ab_text if view == "ab" else _stats_text
        text = await guarded(message, lang, lambda: render(analytics, period, lang))
        if text is not None:
            await show(message, text, _keyboard(view, period, lang))

    @router.callback_query(F.data.startswith(f"{PREFIX}st:") | F.data.startswith(f"{PREFIX}ab:"))
    async def switch(query: CallbackQuery, analytics: AnalyticsService) -> None:
        lang = admin_language(query.from_user, settings)
        parts = callback_parts(query)
        if len(parts) != 2 or parts[1] not in PERIODS:
            await query.answer(t("admin.stale", lang), show_alert=True)
            return
        view, period = ("stats" if parts[0] == "st" else "ab"), parts[1]
        render = _ab_text if view == "ab" else _stats_text
        text = await guarded(query, lang, lambda: render(analytics, period, lang))
        if text is not None:
            await show(query, text, _keyboard(view, period, lang))
