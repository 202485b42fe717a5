"""The chart buttons under the admin reports: `adm:ch:<kind>:<period>` sends a photo (the
picture is drawn off the event loop by the analytics service)."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.types import BufferedInputFile, CallbackQuery, Message

from bot.analytics.periods import PERIODS
from bot.analytics.render import ab_metric_labels, period_name, segment_label
from bot.analytics.service import AnalyticsService
from bot.settings import Settings
from bot.texts.catalog import t
from handlers.telegram.admin.common import PREFIX, admin_language, callback_parts, guarded
from profiling.assess.segments import Segment
from profiling.types import Lang

CHARTS = ("funnel", "heatmap", "segments", "ab")


def chart_data(kind: str, period: str) -> str:
    return f"{PREFIX}ch:{kind}:{period}"


async def draw(analytics: AnalyticsService, kind: str, period: str, lang: Lang) -> bytes:
    name = period_name(period, lang)
    empty = t("admin.chart.empty", lang)
    if kind == "funnel":
        first, second, third = t("admin.chart.stages", lang).split("|")
        return await analytics.funnel_chart(
            period,
            title=t("admin.chart.funnel", lang, period=name),
            stages=(first, second, third),
            direct=t("admin.direct", lang),
            empty=empty,
        )
    if kind == "heatmap":
        return await analytics.heatmap_chart(
            period,
            title=t("admin.chart.heatmap", lang, period=name),
            weekdays=t("admin.chart.weekdays", lang).split("|"),
            empty=empty,
        )
    if kind == "segments":
        report = await analytics.segments(period)
        names = {key: segment_label(key, lang) for key in [*(s.value for s in Segment), "none"]}
        day = report.before_day.isoformat() if report.before_day else ""
        return await analytics.segments_chart(
            report,
            names,
            title=t("admin.chart.segments", lang),
            empty=empty,
            now_label=t("admin.chart.now", lang),
            previous_label=t("admin.chart.before", lang, day=day),
        )
    report_ab = await analytics.ab(period)
    return await analytics.ab_chart(
        report_ab,
        ab_metric_labels(lang),
        title=t("admin.chart.ab", lang, period=name),
        groups=(t("admin.ab.adaptive", lang), t("admin.ab.holdout", lang)),
        empty=empty,
    )


def register(router: Router, settings: Settings) -> None:
    @router.callback_query(F.data.startswith(f"{PREFIX}ch:"))
    async def chart(query: CallbackQuery, analytics: AnalyticsService) -> None:
        lang = admin_language(query.from_user, settings)
        parts = callback_parts(query)
        message = query.message
        if (
            len(parts) != 3
            or parts[1] not in CHARTS
            or parts[2] not in PERIODS
            or not isinstance(message, Message)
        ):
            await query.answer(t("admin.stale", lang), show_alert=True)
            return
        kind, period = parts[1], parts[2]
        await query.answer(t("admin.rendering", lang))
        png = await guarded(message, lang, lambda: draw(analytics, kind, period, lang))
        if png is not None:
            await message.answer_photo(BufferedInputFile(png, filename=f"{kind}-{period}.png"))
