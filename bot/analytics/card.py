"""The customer card an admin opens with /customer: who they are, every segment with its
value, confidence and reasons, hotness and churn with reasons, active hours, sources, orders,
site behaviour, totals, check-ins, CSAT and the latest messages. Telegram HTML, under 4096
characters (the oldest messages go first when it is long). Pure."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from html import escape

from bot.analytics.formatting import count, money
from bot.analytics.service import CustomerCard
from bot.clock import as_utc
from bot.handoff.card import (
    display_name,
    message_line,
    order_lines,
    reasons_text,
    site_lines,
    source_line,
)
from bot.texts.catalog import t
from profiling.assess.names import segment_name
from profiling.types import Lang

MAX_CHARS = 4000
_TRIGGERS: dict[str, tuple[str, str]] = {
    "delivered": ("после доставки", "after delivery"),
    "doubting": ("сомневался", "was doubting"),
    "problem": ("нерешённая проблема", "open problem"),
    "cart": ("брошенная корзина", "abandoned cart"),
    "quiet": ("замолчал", "went quiet"),
}
_STATUSES: dict[str, tuple[str, str]] = {
    "planned": ("запланировано", "planned"),
    "claimed": ("отправляется", "sending"),
    "sent": ("отправлено", "sent"),
    "failed": ("не доставлено", "failed"),
    "skipped": ("пропущено", "skipped"),
    "cancelled": ("отменено", "cancelled"),
    "lost": ("потеряно", "lost"),
}
_OUTCOMES: dict[str, tuple[str, str]] = {
    "replied": ("ответил", "replied"),
    "converted": ("купил", "converted"),
    "opted_out": ("отписался", "opted out"),
}


def _pick(pair: tuple[str, str] | None, fallback: str, lang: Lang) -> str:
    if pair is None:
        return fallback
    return pair[0] if lang is Lang.RU else pair[1]


def _when(moment: datetime | None, offset: timezone) -> str:
    if moment is None:
        return "—"
    return as_utc(moment).astimezone(offset).strftime("%d.%m.%Y %H:%M")


def _hours(hours: tuple[int, ...]) -> str:
    """(9, 10, 11, 19, 20) → "9–12, 19–21"."""
    spans: list[list[int]] = []
    for hour in sorted(hours):
        if spans and hour == spans[-1][1]:
            spans[-1][1] = hour + 1
        else:
            spans.append([hour, hour + 1])
    return ", ".join(f"{start}–{end}" for start, end in spans)


def _head(card: CustomerCard, lang: Lang, offset: timezone) -> list[str]:
    customer = card.customer
    who = display_name(card.facts.who)
    if customer.username:
        who = f"{who} (@{customer.username})" if customer.username not in who else who
    group = "holdout" if customer.holdout else "adaptive"
    lines = [
        t("admin.customer.title", lang, id=customer.id, who=who),
        t(
            "admin.customer.meta",
            lang,
            channel=customer.channel,
            external=customer.external_id,
            language=customer.language,
            group=t(f"admin.customer.group.{group}", lang),
            created=_when(customer.created_at, offset),
            seen=_when(customer.last_seen_at, offset),
        ),
    ]
    flags = []
    if customer.consent is False:
        flags.append(t("admin.customer.flag.no_consent", lang))
    if customer.profiling_opt_out:
        flags.append(t("admin.customer.flag.profiling_off", lang))
    if customer.checkins_opt_out:
        flags.append(t("admin.customer.flag.checkins_off", lang))
    if customer.blocked:
        flags.append(t("admin.customer.flag.blocked", lang))
    if flags:
        lines.append(t("admin.customer.flags", lang, flags=", ".join(flags)))
    return lines


def _profile(card: CustomerCard, lang: Lang) -> list[str]:
    assessment = card.assessment
    if assessment is None:
        return [t("admin.customer.no_profile", lang)]
    lines = [t("admin.customer.segments", lang)]
    ranked = sorted(assessment.segments.items(), key=lambda item: -item[1].value)
    for segment, value in ranked:
        lines.append(
            t(
                "admin.customer.segment",
                lang,
                name=segment_name(segment, lang),
                value=f"{value.value:.2f}",
                confidence=f"{value.confidence:.2f}",
                pinned=t("admin.customer.pinned", lang) if segment.value in card.pinned else "",
            )
        )
        why = reasons_text(value.reasons, lang) if value.value >= 0.3 else ""
        if why:
            lines.append(f"   {escape(why, quote=False)}")
    for key, score in (("hotness", assessment.hotness), ("churn", assessment.churn)):
        line = t(f"admin.customer.{key}", lang, value=score.value)
        why = reasons_text(score.reasons, lang)
        lines.append(f"{line} — {escape(why, quote=False)}" if why else line)
    if assessment.active_hours:
        lines.append(t("admin.customer.hours", lang, hours=_hours(assessment.active_hours)))
    else:
        lines.append(t("admin.customer.hours.none", lang))
    return lines


def _checkins(card: CustomerCard, lang: Lang, offset: timezone) -> list[str]:
    if not card.checkins:
        return [t("admin.customer.no_checkins", lang)]
    lines = [t("admin.customer.checkins", lang)]
    for row in card.checkins:
        outcome = _pick(_OUTCOMES.get(row.outcome or ""), row.outcome or "", lang)
        lines.append(
            t(
                "admin.customer.checkin",
                lang,
                when=_when(row.sent_at or row.due_at, offset),
                trigger=_pick(_TRIGGERS.get(row.trigger), row.trigger, lang),
                status=_pick(_STATUSES.get(row.status), row.status, lang),
                outcome=f" → {outcome}" if outcome else "",
            )
        )
    return lines


def _surveys(card: CustomerCard, lang: Lang, offset: timezone) -> list[str]:
    if not card.surveys:
        return [t("admin.customer.no_csat", lang)]
    lines = [t("admin.customer.csat", lang)]
    for row in card.surveys:
        if row.rating is None:
            lines.append(t("admin.customer.rating.none", lang, when=_when(row.asked_at, offset)))
            continue
        comment = f" — «{row.comment[:200]}»" if row.comment else ""
        lines.append(
            t(
                "admin.customer.rating",
                lang,
                when=_when(row.rated_at or row.asked_at, offset),
                rating=row.rating,
                comment=comment,
            )
        )
    return lines


def render_customer(
    card: CustomerCard, lang: Lang, *, utc_offset_minutes: int, currency: str
) -> str:
    offset = timezone(timedelta(minutes=utc_offset_minutes))
    facts = card.facts
    totals = card.totals
    body = [
        *_head(card, lang, offset),
        "",
        *_profile(card, lang),
        "",
        source_line(facts, lang),
        t(
            "admin.customer.figures",
            lang,
            dialogs=count(totals.dialogs),
            conversions=count(totals.conversions),
            revenue=money(totals.revenue, currency, lang),
        ),
        *order_lines(facts, lang, offset),
        *site_lines(facts, lang, offset),
        "",
        *_checkins(card, lang, offset),
        *_surveys(card, lang, offset),
    ]
    messages = [message_line(line, offset) for line in facts.messages]
    while messages:
        text = "\n".join([*body, "", t("admin.customer.messages", lang), *messages])
        if len(text) <= MAX_CHARS:
            return text
        messages = messages[1:]  # the oldest goes first
    # Still too long (many long comments): whole lines go from the end, never a cut inside
    # a tag or an entity, which Telegram would refuse.
    kept: list[str] = []
    size = 2  # the closing "…"
    for line in body:
        if size + len(line) + 1 > MAX_CHARS:
            return "\n".join([*kept, "…"])
        kept.append(line)
        size += len(line) + 1
    return "\n".join(kept)
