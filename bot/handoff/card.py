"""What the operators read: the context card of a handoff, the customer's relayed messages
and the wording of waits — pure functions over plain values, Telegram HTML, escaped.

The card says who the customer is, why the bot called a person, the profile (segments with
their reasons, lead hotness, churn risk), where the customer came from, their orders in the
shop, what they did on the site, and the latest messages of the chat; a footer says how to
answer and how to give the dialog back. It stays under Telegram's 4096-character limit by
dropping the oldest messages first: the card must be one message, the one operators reply to.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from html import escape, unescape

from bot.clock import as_utc
from bot.handoff.triggers import MISSES_BEFORE, Thresholds, hotness_of, irritation_of
from bot.replies.rules.grounded import money
from bot.texts.catalog import CATALOGUE, t
from profiling.assess.explain import render_reason
from profiling.assess.names import language_name, segment_name
from profiling.engine import Assessment
from profiling.types import Lang, Reason
from storage.models.handoff import (
    REASON_ADMIN,
    REASON_FAILED_TWICE,
    REASON_HOT_LEAD,
    REASON_IRRITATION,
)

# Telegram takes 4096 characters; the margin covers emoji, which Telegram counts twice.
MAX_CARD_CHARS = 4000
# A relayed customer message fits one post together with its header.
MAX_RELAYED_CHARS = 3800
MAX_LINE_TEXT = 280  # of one message in the card's history
MAX_NAME = 64
SEGMENTS_SHOWN = 3
SEGMENT_MIN_VALUE = 0.4  # weaker segments say nothing an operator can use
REASONS_PER_SCORE = 2

_TAG = re.compile(r"<[^>]+>")

_STATUS: dict[str, tuple[str, str]] = {
    "created": ("оформлен", "placed"),
    "paid": ("оплачен", "paid"),
    "shipped": ("отправлен", "shipped"),
    "delivered": ("доставлен", "delivered"),
    "returned": ("возвращён", "returned"),
    "cancelled": ("отменён", "cancelled"),
}
_SITE_EVENTS: dict[str, tuple[str, str]] = {
    "page_view": ("страница", "page"),
    "product_view": ("товар", "product"),
    "add_to_cart": ("в корзину", "added to cart"),
    "remove_from_cart": ("из корзины", "removed from cart"),
    "checkout_started": ("начал оформление", "checkout started"),
    "search": ("поиск", "search"),
    "lead_submitted": ("заявка", "lead form"),
    "booking_created": ("запись", "booking"),
}


@dataclass(frozen=True, slots=True)
class Who:
    channel: str
    external_id: str
    first_name: str | None = None
    last_name: str | None = None
    username: str | None = None
    language: str | None = None


@dataclass(frozen=True, slots=True)
class OrderLine:
    number: str
    status: str
    total: float
    currency: str
    items: tuple[str, ...]
    ordered_at: datetime


@dataclass(frozen=True, slots=True)
class SiteLine:
    kind: str
    at: datetime
    page: str | None = None
    product: str | None = None


@dataclass(frozen=True, slots=True)
class ChatLine:
    """One message of the chat: the customer's, the bot's, or an operator's."""

    incoming: bool
    text: str  # the customer's as written; the bot's and operators' as sent (HTML)
    at: datetime
    by_operator: bool = False


@dataclass(frozen=True, slots=True)
class CardFacts:
    who: Who
    reason: str
    why: str  # the reason in words (the handoff's detail)
    assessment: Assessment | None  # None: the customer objected to profiling
    first_source: str | None = None
    latest_source: str | None = None
    linked: bool = False  # the chat is linked to a shop customer
    orders: tuple[OrderLine, ...] = ()
    site: tuple[SiteLine, ...] = ()
    messages: tuple[ChatLine, ...] = ()  # oldest first


def _e(text: str) -> str:
    return escape(text, quote=False)


def _clip(text: str, limit: int) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def _pick(pair: tuple[str, str], lang: Lang) -> str:
    return pair[0] if lang is Lang.RU else pair[1]


# -- wording -----------------------------------------------------------------------------


def _ru_genitive(n: int, one: str, many: str) -> str:
    """«до 1 минуты», «до 21 минуты», «до 5 минут»: the genitive after «до», «в течение»."""
    return one if n % 10 == 1 and n % 100 != 11 else many


def wait_words(wait: timedelta, lang: Lang) -> str:
    """A wait in words, for «до …», «в течение …», "up to …", "within …"."""
    seconds = max(1.0, wait.total_seconds())
    if seconds < 60:
        n, ru, en = math.ceil(seconds), ("секунды", "секунд"), "second"
    elif seconds < 2 * 3600:
        n, ru, en = math.ceil(seconds / 60), ("минуты", "минут"), "minute"
    else:
        n, ru, en = round(seconds / 3600), ("часа", "часов"), "hour"
    if lang is Lang.RU:
        return f"{n} {_ru_genitive(n, *ru)}"
    return f"{n} {en}" if n == 1 else f"{n} {en}s"


def _times(n: int, lang: Lang) -> str:
    if lang is not Lang.RU:
        return f"{n} times"
    if n % 10 in (2, 3, 4) and n % 100 not in (12, 13, 14):
        return f"{n} раза"
    return f"{n} раз"


def why_text(
    reason: str,
    assessment: Assessment | None,
    thresholds: Thresholds,
    misses: int,
    lang: Lang,
) -> str:
    """Why the bot called a person, in words (kept as the handoff's detail)."""
    if reason == REASON_IRRITATION:
        value, threshold = irritation_of(assessment), thresholds.irritation
        return t("handoff.why.irritation", lang, value=value, threshold=threshold)
    if reason == REASON_HOT_LEAD:
        value, threshold = hotness_of(assessment), thresholds.hotness
        return t("handoff.why.hot_lead", lang, value=value, threshold=threshold)
    if reason == REASON_FAILED_TWICE:
        count = max(misses, MISSES_BEFORE) + 1  # this message missed too
        return t("handoff.why.failed_twice", lang, times=_times(count, lang))
    if reason == REASON_ADMIN:
        return t("handoff.why.admin", lang)
    return t("handoff.why.asked", lang)


def display_name(who: Who) -> str:
    """The customer as operators call them: their name, else @username, else the id."""
    name = " ".join(part for part in (who.first_name, who.last_name) if part and part.strip())
    if name.strip():
        return _clip(name, MAX_NAME)
    if who.username:
        return f"@{who.username}"
    return f"#{who.external_id}"


def topic_title(who: Who) -> str:
    """A forum topic's name for the customer (Telegram allows 128 characters)."""
    name = display_name(who)
    tag = f"@{who.username}" if who.username and not name.startswith("@") else who.external_id
    return _clip(f"{name} · {tag}", 128)


def relay_text(who: Who, text: str, lang: Lang) -> str:
    """A customer's message as posted in the operator chat, under their name."""
    return t("handoff.relay", lang, name=display_name(who), text=_clip_keep(text))


def _clip_keep(text: str) -> str:
    """Clipped to one post, line breaks kept (a relayed message is read as written)."""
    if len(text) <= MAX_RELAYED_CHARS:
        return text
    return text[: MAX_RELAYED_CHARS - 1].rstrip() + "…"


# -- the card ----------------------------------------------------------------------------


def _when(moment: datetime, offset: timezone) -> str:
    return as_utc(moment).astimezone(offset).strftime("%d.%m %H:%M")


def who_line(who: Who, lang: Lang) -> str:
    parts = [display_name(who)]
    if who.username and not parts[0].startswith("@"):
        parts[0] += f" (@{who.username})"
    parts.append(f"{who.channel} {who.external_id}")
    if who.language in (Lang.RU.value, Lang.EN.value):
        language = language_name(Lang(who.language), lang)
        parts.append(t("handoff.card.language", lang, language=language))
    return t("handoff.card.who", lang, who=" · ".join(parts))


def reasons_text(reasons: Sequence[Reason], lang: Lang) -> str:
    return " ".join(render_reason(r, lang) for r in reasons[:REASONS_PER_SCORE])


def _profile_lines(assessment: Assessment | None, lang: Lang) -> list[str]:
    if assessment is None:
        return [t("handoff.card.no_profile", lang)]
    lines = [t("handoff.card.segments", lang)]
    top = assessment.top_segments(SEGMENTS_SHOWN, min_value=SEGMENT_MIN_VALUE)
    if not top:
        lines.append(t("handoff.card.no_segments", lang))
    for segment, score in top:
        why = reasons_text(score.reasons, lang)
        head = f"• {segment_name(segment, lang)} {score.value:.2f}"
        lines.append(_e(f"{head}: {why}" if why else head))
    for key, score in (("hotness", assessment.hotness), ("churn", assessment.churn)):
        head = t(f"handoff.card.{key}", lang, value=score.value)
        why = reasons_text(score.reasons, lang)
        lines.append(f"{head} — {_e(why)}" if why else head)
    return lines


def source_line(facts: CardFacts, lang: Lang) -> str:
    if not facts.first_source and not facts.latest_source:
        return t("handoff.card.source.none", lang)
    parts = []
    if facts.first_source:
        parts.append(t("handoff.card.source.first", lang, source=facts.first_source))
    if facts.latest_source and facts.latest_source != facts.first_source:
        parts.append(t("handoff.card.source.latest", lang, source=facts.latest_source))
    # The parts are escaped already: they follow the label rather than go through `t` again.
    return t("handoff.card.source", lang, source="") + "; ".join(parts)


def order_lines(facts: CardFacts, lang: Lang, offset: timezone) -> list[str]:
    if not facts.linked:
        return [t("handoff.card.not_linked", lang)]
    if not facts.orders:
        return [t("handoff.card.no_orders", lang)]
    lines = [t("handoff.card.orders", lang)]
    for order in facts.orders:
        status = _STATUS.get(order.status)
        words = _pick(status, lang) if status else order.status
        total = money(order.total, order.currency, lang)
        items = _clip(", ".join(order.items), 120)
        line = f"• {order.number} — {words}, {total}" + (f" — {items}" if items else "")
        lines.append(_e(f"{line} ({_when(order.ordered_at, offset)})"))
    return lines


def site_lines(facts: CardFacts, lang: Lang, offset: timezone) -> list[str]:
    if not facts.site:
        return [t("handoff.card.no_site", lang)]
    lines = [t("handoff.card.site", lang)]
    for event in facts.site:
        kind = _SITE_EVENTS.get(event.kind)
        what = _pick(kind, lang) if kind else event.kind
        subject = event.product or event.page
        line = f"• {_when(event.at, offset)} — {what}" + (f": {subject}" if subject else "")
        lines.append(_e(_clip(line, 160)))
    return lines


def _plain(html_text: str) -> str:
    """What a sent (HTML) message showed: tags dropped, entities read back."""
    return unescape(_TAG.sub("", html_text))


def message_line(line: ChatLine, offset: timezone) -> str:
    mark = "👤" if line.incoming else ("🧑‍💼" if line.by_operator else "🤖")
    text = line.text if line.incoming else _plain(line.text)
    return f"{_when(line.at, offset)} {mark} {_e(_clip(text, MAX_LINE_TEXT))}"


def render_card(
    facts: CardFacts,
    lang: Lang,
    *,
    wait: timedelta,
    topic: bool = False,
    utc_offset_minutes: int = 0,
    limit: int = MAX_CARD_CHARS,
) -> str:
    """The context card in `lang` (the operators' language), at most `limit` characters."""
    offset = timezone(timedelta(minutes=utc_offset_minutes))
    title = f"handoff.title.{facts.reason}"
    head = [
        t(title if title in CATALOGUE else "handoff.title.asked", lang),
        who_line(facts.who, lang),
        t("handoff.card.why", lang, why=facts.why),
        *_profile_lines(facts.assessment, lang),
        source_line(facts, lang),
    ]
    orders = order_lines(facts, lang, offset)
    site = site_lines(facts, lang, offset)
    messages = [message_line(m, offset) for m in facts.messages]
    footer_key = "handoff.card.footer.topic" if topic else "handoff.card.footer"
    footer = [t(footer_key, lang, wait=wait_words(wait, lang))]
    return _fit(head, orders, site, messages, footer, lang, limit)


def _fit(
    head: list[str],
    orders: list[str],
    site: list[str],
    messages: list[str],
    footer: list[str],
    lang: Lang,
    limit: int,
) -> str:
    """Join the sections, dropping lines until the card fits: the oldest messages first,
    then site events, then orders (their newest stay), then the profile's tail. Every line
    is whole HTML, so the card never ends inside a tag."""

    def joined() -> str:
        blocks = [head, orders, site]
        if messages:
            blocks.append([t("handoff.card.messages", lang), *messages])
        blocks.append(footer)
        return "\n\n".join("\n".join(block) for block in blocks if block)

    text = joined()
    for lines, keep in ((messages, 1), (site, 2), (orders, 2), (head, 3)):
        while len(text) > limit and len(lines) > keep:
            # Messages lose their oldest (first); the other lists their last lines.
            lines.pop(0 if lines is messages else -1)
            text = joined()
    if len(text) <= limit:
        return text
    return text[: text.rfind("\n", 0, limit)]  # whole lines only
