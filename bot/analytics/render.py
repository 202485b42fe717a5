"""The admins' reports in words: /stats, /stats ab, /segments and /sources as Telegram HTML
in Russian or English, each under Telegram's 4096 characters. Pure: reports in, text out."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from bot.analytics.formatting import (
    DASH,
    change,
    count,
    duration,
    fraction,
    money,
    points,
    rate,
    score,
    signed,
)
from bot.analytics.service import AbReport, SegmentsReport, StatsReport
from bot.analytics.verdict import (
    CHECKIN_REPLY,
    CONVERSION,
    CSAT,
    ESCALATION,
    MIN_EVENTS,
    MIN_TRIALS,
    RATE_METRICS,
    RETENTION_30,
    TIME_TO_ACTION,
    Comparison,
    Verdict,
    overall,
)
from bot.texts.catalog import t
from profiling.assess.names import segment_name
from profiling.assess.segments import Segment
from profiling.types import Lang
from storage.queries.metrics import Figures, LinkFunnel
from storage.queries.segments import BANDS

MAX_CHARS = 4000
ROWS_SHOWN = 8  # sources or segments per breakdown


def period_name(period: str, lang: Lang) -> str:
    return t(f"admin.period.{period}", lang)


def segment_label(key: str, lang: Lang) -> str:
    try:
        return segment_name(Segment(key), lang)
    except ValueError:
        return t("admin.segment.none", lang)


def source_label(source_id: int | None, labels: Mapping[int, str], lang: Lang) -> str:
    if source_id is None:
        return t("admin.direct", lang)
    return labels.get(source_id, f"#{source_id}")


def _fit(lines: Iterable[str]) -> str:
    """Join lines, dropping whole lines from the end past the limit (a cut tag would break
    the HTML)."""
    out: list[str] = []
    size = 0
    for line in lines:
        if size + len(line) + 1 > MAX_CHARS:
            out.append("…")
            break
        out.append(line)
        size += len(line) + 1
    return "\n".join(out)


# -- /stats ------------------------------------------------------------------------------


def _csat(figures: Figures, lang: Lang) -> str:
    return score(figures.csat, 1, lang) if figures.csat is not None else DASH


def _row(name: str, figures: Figures, lang: Lang) -> str:
    return t(
        "admin.stats.row",
        lang,
        name=name,
        dialogs=count(figures.dialogs),
        conversion=rate(figures.converted, figures.dialogs, lang),
        time=duration(figures.median_seconds_to_action, lang),
        csat=_csat(figures, lang),
        escalation=rate(figures.escalated, figures.dialogs, lang),
    )


def _retention_line(figures: Figures, lang: Lang) -> str:
    parts = []
    for days, kept, eligible in figures.retention:
        if eligible:
            parts.append(
                t(
                    "admin.stats.retention.part",
                    lang,
                    days=days,
                    rate=rate(kept, eligible, lang),
                    kept=count(kept),
                    eligible=count(eligible),
                )
            )
        else:
            parts.append(t("admin.stats.retention.early", lang, days=days))
    return t("admin.stats.retention", lang, cohort=count(figures.cohort), parts=" · ".join(parts))


def _headline(figures: Figures, lang: Lang, currency: str) -> list[str]:
    lines = [
        t("admin.stats.dialogs", lang, n=count(figures.dialogs)),
        t(
            "admin.stats.conversion",
            lang,
            rate=rate(figures.converted, figures.dialogs, lang),
            n=count(figures.converted),
            time=duration(figures.median_seconds_to_action, lang),
        ),
        t("admin.stats.revenue", lang, money=money(figures.revenue, currency, lang)),
    ]
    if figures.rated:
        lines.append(t("admin.stats.csat", lang, mean=_csat(figures, lang), n=count(figures.rated)))
    else:
        lines.append(t("admin.stats.csat.none", lang))
    lines.append(
        t(
            "admin.stats.escalation",
            lang,
            rate=rate(figures.escalated, figures.dialogs, lang),
            n=count(figures.escalated),
            alone=rate(figures.dialogs - figures.escalated, figures.dialogs, lang),
        )
    )
    lines.append(_retention_line(figures, lang))
    if figures.checkins_sent:
        lines.append(
            t(
                "admin.stats.checkins",
                lang,
                sent=count(figures.checkins_sent),
                replied=rate(figures.checkins_replied, figures.checkins_sent, lang),
                opted_out=rate(figures.checkins_opted_out, figures.checkins_sent, lang),
            )
        )
    else:
        lines.append(t("admin.stats.checkins.none", lang))
    return lines


def _breakdown(title_key: str, rows: list[tuple[str, Figures]], lang: Lang) -> list[str]:
    rows = [row for row in rows if row[1].dialogs]
    if not rows:
        return []
    rows.sort(key=lambda row: (-row[1].dialogs, row[0]))
    lines = ["", t(title_key, lang)]
    lines.extend(_row(name, figures, lang) for name, figures in rows[:ROWS_SHOWN])
    if len(rows) > ROWS_SHOWN:
        lines.append(t("admin.stats.more_rows", lang, n=len(rows) - ROWS_SHOWN))
    return lines


def render_stats(report: StatsReport, lang: Lang, *, currency: str) -> str:
    lines = [t("admin.stats.title", lang, period=period_name(report.period, lang)), ""]
    total = report.total
    if not total.dialogs and not total.checkins_sent and not total.cohort:
        lines.append(t("admin.stats.empty", lang))
        return _fit(lines)
    lines.extend(_headline(total, lang, currency))
    lines.extend(
        _breakdown(
            "admin.stats.by_source",
            [
                (source_label(key, report.source_labels, lang), figures)
                for key, figures in report.by_source.items()
            ],
            lang,
        )
    )
    lines.extend(
        _breakdown(
            "admin.stats.by_segment",
            [(segment_label(key, lang), figures) for key, figures in report.by_segment.items()],
            lang,
        )
    )
    lines.extend(["", t("admin.stats.footer", lang)])
    return _fit(lines)


# -- /stats ab ---------------------------------------------------------------------------


def _value(comparison: Comparison, value: float | None, lang: Lang) -> str:
    if value is None:
        return DASH
    if comparison.metric in RATE_METRICS:
        return fraction(value, lang)
    if comparison.metric == TIME_TO_ACTION:
        return duration(value, lang)
    return score(value, 2, lang)


def _difference(comparison: Comparison, value: float | None, lang: Lang) -> str:
    if value is None:
        return DASH
    if comparison.metric in RATE_METRICS:
        return points(value, lang)
    if comparison.metric == TIME_TO_ACTION:
        return duration(value, lang, signed=True)
    return signed(value, 2, lang)


def _mark(comparison: Comparison, lang: Lang) -> str:
    if comparison.verdict is Verdict.ADAPTIVE_BETTER:
        return t("admin.ab.better", lang)
    if comparison.verdict is Verdict.HOLDOUT_BETTER:
        return t("admin.ab.worse", lang)
    return t("admin.ab.same", lang)


def ab_metric_labels(lang: Lang) -> dict[str, str]:
    keys = (CONVERSION, TIME_TO_ACTION, CSAT, ESCALATION, RETENTION_30, CHECKIN_REPLY)
    return {key: t(f"admin.ab.metric.{key}", lang) for key in keys}


def _ab_row(comparison: Comparison, lang: Lang) -> str:
    name = t(f"admin.ab.metric.{comparison.metric}", lang)
    a = _value(comparison, comparison.adaptive, lang)
    h = _value(comparison, comparison.holdout, lang)
    if comparison.verdict is Verdict.NOT_ENOUGH_DATA or comparison.interval is None:
        return t("admin.ab.row.no_data", lang, metric=name, a=a, h=h)
    return t(
        "admin.ab.row",
        lang,
        metric=name,
        a=a,
        h=h,
        lift=_difference(comparison, comparison.lift, lang),
        low=_difference(comparison, comparison.interval.low, lang),
        high=_difference(comparison, comparison.interval.high, lang),
        mark=_mark(comparison, lang),
    )


def _verdict_line(report: AbReport, lang: Lang) -> str:
    headline = overall(report.comparisons)
    primary = report.comparisons[0]
    if headline is Verdict.NOT_ENOUGH_DATA:
        a, h = report.adaptive.dialogs, report.holdout.dialogs
        if min(a, h) < MIN_TRIALS:
            return t(
                "admin.ab.verdict.not_enough_data",
                lang,
                a=count(a),
                h=count(h),
                need=MIN_TRIALS,
            )
        return t("admin.ab.verdict.few_conversions", lang, need=MIN_EVENTS)
    if headline is Verdict.NO_DIFFERENCE_YET:
        need = (
            t("admin.ab.need", lang, n=count(primary.needed_per_group))
            if primary.needed_per_group
            else ""
        )
        return t("admin.ab.verdict.no_difference_yet", lang, need=need)
    lift = points(abs(primary.lift) if primary.lift is not None else None, lang)
    key = (
        "admin.ab.verdict.adaptive_better"
        if headline is Verdict.ADAPTIVE_BETTER
        else "admin.ab.verdict.holdout_better"
    )
    return t(key, lang, lift=lift)


def render_ab(report: AbReport, lang: Lang, *, holdout_percent: float) -> str:
    lines = [
        t("admin.ab.title", lang, period=period_name(report.period, lang)),
        t(
            "admin.ab.groups",
            lang,
            a=count(report.adaptive.dialogs),
            h=count(report.holdout.dialogs),
            share=f"{holdout_percent:g}",
        ),
        "",
        _verdict_line(report, lang),
        "",
    ]
    lines.extend(_ab_row(c, lang) for c in report.comparisons)
    lines.extend(["", t("admin.ab.note", lang)])
    return _fit(lines)


# -- /segments ---------------------------------------------------------------------------


def render_segments(report: SegmentsReport, lang: Lang, *, period: str) -> str:
    now, before = report.now, report.before
    lines = [t("admin.segments.title", lang, period=period_name(period, lang)), ""]
    if not sum(now.hotness.values()) and not sum(now.segments.values()):
        lines.append(t("admin.segments.empty", lang))
        return _fit(lines)
    ordered = sorted(now.segments.items(), key=lambda item: (item[0] == "none", -item[1]))
    for key, n in ordered:
        previous = before.segments.get(key, 0) if before is not None else None
        lines.append(
            t(
                "admin.segments.row",
                lang,
                name=segment_label(key, lang),
                n=count(n),
                change=change(n, previous),
            )
        )
        shown = report.examples.get(key) or []
        if shown:
            names = ", ".join(
                f"#{ex.customer_id} {ex.name or ''} ({ex.value:.2f})".replace("  ", " ")
                for ex in shown
            )
            lines.append(t("admin.segments.examples", lang, names=names))
    lines.append("")
    for kind in ("hotness", "churn"):
        bands_now = getattr(now, kind)
        bands_before = getattr(before, kind) if before is not None else None
        values: dict[str, str] = {}
        for band, _low, _high in BANDS:
            n = bands_now.get(band, 0)
            values[band] = count(n)
            values[f"{band}_change"] = change(
                n, bands_before.get(band, 0) if bands_before is not None else None
            )
        lines.append(
            t("admin.segments.bands", lang, score=t(f"admin.segments.{kind}", lang), **values)
        )
    lines.append("")
    if before is None or report.before_day is None:
        lines.append(t("admin.segments.no_history", lang))
    else:
        lines.append(t("admin.segments.since", lang, day=report.before_day.isoformat()))
    return _fit(lines)


# -- /sources ----------------------------------------------------------------------------


def render_sources(rows: list[LinkFunnel], lang: Lang, *, period: str, currency: str) -> str:
    lines = [t("admin.sources.title", lang, period=period_name(period, lang)), ""]
    if not rows:
        lines.append(t("admin.sources.empty", lang))
        return _fit(lines)
    for row in rows:
        name = row.payload or t("admin.direct", lang)
        if row.campaign and row.campaign != row.payload:
            name = f"{name} ({row.campaign})"
        lines.append(
            t(
                "admin.sources.row",
                lang,
                name=name,
                starts=count(row.starts),
                dialogs=count(row.dialogs),
                conversions=count(row.conversions),
                rate=rate(row.conversions, row.dialogs, lang),
                time=duration(row.median_seconds_to_action, lang),
                revenue=money(row.revenue, currency, lang),
            )
        )
    return _fit(lines)
