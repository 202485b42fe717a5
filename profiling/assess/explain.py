"""Human explanations of an assessment, in Russian and English, and a JSON-safe export.

Every `Reason.code` the engine emits has a sentence template here; the measured value is
formatted in its own unit (characters, seconds, shares; a "level" always in 0..1) so an
operator can check it. Paces are composing paces (`profiling.profile.timing.composing_pace_s`:
the gap judged against the time typing the message takes), and their sentences say so. No
internal code reaches a human: intents, "lead with" values and languages have names in
both languages, and a code without a template is at least written out in words.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from profiling.assess.names import (
    intent_name,
    language_name,
    lead_with_name,
    length_name,
    segment_name,
    words,
)
from profiling.assess.segments import Segment, SegmentScore
from profiling.types import Lang, Reason

if TYPE_CHECKING:
    from profiling.assess.scores import Score
    from profiling.engine import Assessment


def _num0(v: float, lang: Lang) -> str:
    return f"{v:.0f}"


def _num2(v: float, lang: Lang) -> str:
    return f"{v:.2f}"


def _level(v: float, lang: Lang) -> str:
    """A level, always in 0..1: the scorers report the saturated value they weigh, and a
    reason from elsewhere (an older engine, a stored payload) is clamped rather than shown as
    "level 3.47", which means nothing to a reader."""
    return f"{min(1.0, max(0.0, v)):.2f}"


def _pct(v: float, lang: Lang) -> str:
    return f"{100.0 * v:.0f}%"


def _dur(v: float, lang: Lang) -> str:
    ru = lang is Lang.RU
    if v < 90:
        return f"{v:.0f} с" if ru else f"{v:.0f} s"
    if v < 90 * 60:
        return f"{v / 60:.0f} мин" if ru else f"{v / 60:.0f} min"
    if v < 36 * 3600:
        return f"{v / 3600:.1f} ч" if ru else f"{v / 3600:.1f} h"
    return f"{v / 86400:.1f} дн." if ru else f"{v / 86400:.1f} days"


def _times(v: float, lang: Lang) -> str:
    """A count of times: «1 раз», «3 раза», «5 раз»; "once", "4 times".

    `v` is a decayed count: every event that still weighs something is counted whole, so four
    views over four days (3.3 once decayed) read «4 раза», not «3 раза».
    """
    n = max(0, math.ceil(v - 0.01))
    if lang is not Lang.RU:
        return "once" if n == 1 else f"{n} times"
    if n % 10 in (2, 3, 4) and n % 100 not in (12, 13, 14):
        return f"{n} раза"
    return f"{n} раз"


Fmt = Callable[[float, Lang], str]
# code -> (value format, Russian sentence, English sentence); {v} is the formatted value.
_TEMPLATES: Mapping[str, tuple[Fmt, str, str]] = {
    "short_messages": (
        _num0,
        "Короткие сообщения: в среднем {v} симв.",
        "Short messages: {v} chars on average",
    ),
    "long_messages": (
        _num0,
        "Длинные сообщения: в среднем {v} симв.",
        "Long messages: {v} chars on average",
    ),
    "urgency_words": (
        _pct,
        "Просит поторопиться («срочно») в {v} сообщений",
        'Asks to hurry ("urgent") in {v} of messages',
    ),
    "burst": (
        _num0,
        "Пишет очередями: сообщений подряд — до {v}",
        "Writes in bursts: up to {v} in a row",
    ),
    "rapid_pace_s": (
        _dur,
        "Быстрый темп: {v} между сообщениями с учётом времени набора",
        "Rapid pace: {v} between messages, allowing for typing time",
    ),
    "slow_pace_s": (
        _dur,
        "Неспешный темп: {v} между сообщениями с учётом времени набора",
        "Unhurried pace: {v} between messages, allowing for typing time",
    ),
    "fast_reply_s": (
        _dur,
        "Отвечает боту за {v} с учётом времени набора",
        "Answers the bot within {v}, allowing for typing time",
    ),
    "questions": (_pct, "Вопросы в {v} сообщений", "Questions in {v} of messages"),
    "terminology": (
        _num2,
        "Профессиональные термины: {v} на сообщение",
        "Professional terms: {v} per message",
    ),
    "product_questions": (
        _pct,
        "Вопросы о товаре и сравнения: {v} сообщений",
        "Product and comparison questions: {v} of messages",
    ),
    "returns_to_topics": (
        _num0,
        "Возвращается с интересом к покупке: диалогов — {v}",
        "Comes back with buying interest: {v} dialogs",
    ),
    "revisited_topics": (
        _num0,
        "Возвращается к тем же товарам: {v} — в нескольких диалогах",
        "Comes back to the same products: {v} asked about in several dialogs",
    ),
    "compares": (
        _pct,
        "Сравнивает варианты в {v} сообщений",
        "Compares alternatives in {v} of messages",
    ),
    "asks_characteristics": (
        _pct,
        "Спрашивает о характеристиках в {v} сообщений",
        "Asks about characteristics in {v} of messages",
    ),
    "price_questions": (
        _pct,
        "Вопросы о цене и скидках: {v} сообщений",
        "Price and discount questions: {v} of messages",
    ),
    "price_dialogs": (
        _num0,
        "Диалогов с вопросами о цене: {v}",
        "Dialogs with price questions: {v}",
    ),
    "recent_price_interest": (
        _level,
        "Недавний интерес к цене: уровень {v}",
        "Recent interest in price: level {v}",
    ),
    "no_purchase": (
        _num0,
        "Нет покупки, диалогов с интересом: {v}",
        "No purchase, dialogs with interest: {v}",
    ),
    "recent_purchase": (_pct, "Недавняя покупка (свежесть {v})", "Recent purchase (freshness {v})"),
    "reports_fault": (
        _level,
        "Сообщает о проблеме с купленным, а не сомневается: уровень {v}",
        "Reports a problem with a purchase, not hesitating: level {v}",
    ),
    "problem_intents": (
        _level,
        "Вопросы о заказе, возврате или жалобы: уровень {v}",
        "Order status, return or complaint questions: level {v}",
    ),
    "open_problem": (
        _level,
        "Нерешённая проблема с заказом: уровень {v}",
        "Unresolved order problem: level {v}",
    ),
    "negative_sentiment": (_level, "Негативный тон: уровень {v}", "Negative tone: level {v}"),
    "has_order": (_num0, "Есть заказы: {v}", "Has orders: {v}"),
    "irritation": (_pct, "Раздражение: {v}", "Irritation: {v}"),
    "waiting_complaints": (
        _level,
        "Жалобы на ожидание: уровень {v}",
        "Complaints about waiting: level {v}",
    ),
    "discount_source": (
        _num0,
        "Пришёл из рекламы со скидкой ({v})",
        "Came from a discount ad ({v})",
    ),
    "neutral_prior": (
        _num2,
        "Мало данных: нейтральная оценка {v}",
        "Little evidence: neutral estimate {v}",
    ),
    "source_prior": (
        _num2,
        "Мало данных: оценка по рекламному источнику {v}",
        "Little evidence: estimate from the ad source {v}",
    ),
    "operator_override": (
        _num2,
        "Оператор указал значение {v}",
        "An operator set the value to {v}",
    ),
    "engagement": (
        _num0,
        "Вовлечённость: сообщений в диалоге — {v}",
        "Engagement: messages in the dialog: {v}",
    ),
    "buying_intents": (
        _level,
        "Намерение купить (цена, бронь, товар): уровень {v}",
        "Buying intent (price, booking, product): level {v}",
    ),
    "recency_s": (_dur, "Последнее сообщение {v} назад", "Last message {v} ago"),
    "sentiment": (_num2, "Тон сообщений: {v} (от −1 до 1)", "Message tone: {v} (−1 to 1)"),
    "ad_source": (_num0, "Пришёл из рекламы ({v})", "Came from an ad ({v})"),
    "target_action": (
        _pct,
        "Недавнее целевое действие (свежесть {v})",
        "Recent target action (freshness {v})",
    ),
    "silence_ratio": (
        _num2,
        "Молчит в {v} раза дольше обычного",
        "Silent {v} times longer than usual",
    ),
    "failed_orders": (
        _level,
        "Отменённые или возвращённые заказы: уровень {v}",
        "Cancelled or returned orders: level {v}",
    ),
    "activity_decline": (_pct, "Активность: {v} от обычной", "Activity: {v} of the usual"),
    "threatens_to_leave": (
        _level,
        "Говорит, что уйдёт («больше не закажу»): уровень {v}",
        'Says they will leave ("never ordering again"): level {v}',
    ),
    # The shop's website: every sentence says the signal came from the site.
    "site_info_pages": (
        _times,
        "{v} читал(а) на сайте FAQ, доставку, страховку, отзывы или условия",
        "Read the FAQ, delivery, insurance, reviews or terms pages on the site {v}",
    ),
    "site_info_dwell_s": (
        _dur,
        "Провёл(а) на справочных страницах сайта {v}",
        "Spent {v} on the site's information pages",
    ),
    "site_compares": (
        _times,
        "{v} сравнивал(а) товары на сайте",
        "Compared products on the site {v}",
    ),
    "site_repeat_views": (
        _times,
        "{v} смотрел(а) один и тот же товар на сайте",
        "Viewed the same product {v} on the site",
    ),
    "site_abandoned_cart_s": (
        _dur,
        "Товар лежит в корзине на сайте без оформления уже {v}",
        "Left items in the cart on the site without checking out for {v}",
    ),
    "site_price_dwell_s": (
        _dur,
        "Долго смотрел(а) цены на сайте: {v}",
        "Spent a long time on the prices page on the site: {v}",
    ),
    "site_price_views": (
        _times,
        "{v} открывал(а) страницу цен на сайте",
        "Opened the prices page on the site {v}",
    ),
    "site_support_pages": (
        _times,
        "После покупки {v} заходил(а) на сайте на страницы возврата, гарантии или контактов",
        "Visited the returns, warranty or contacts pages on the site {v} after a purchase",
    ),
    "site_cart": (
        _level,
        "Добавлял(а) товары в корзину или начинал(а) оформление на сайте: уровень {v}",
        "Added to the cart or started a checkout on the site: level {v}",
    ),
    "site_mobile_device": (
        _pct,
        "Заходит на сайт с телефона (свежесть {v}): отвечать короче",
        "Visits the site from a phone (freshness {v}): shorter answers",
    ),
    "style_length": (_num0, "Сам пишет в среднем {v} симв.", "Writes {v} chars on average"),
    "style_pace_s": (
        _dur,
        "Пауза между сообщениями с учётом времени набора: {v}",
        "Pause between messages, allowing for typing time: {v}",
    ),
    "segment_balance": (_num2, "Исследователь минус срочный: {v}", "Researcher minus urgent: {v}"),
    "length_feedback": (
        _num2,
        "Просил ответы другой длины: предпочтение {v} (−1 короче, +1 длиннее)",
        "Asked for a different length: preference {v} (−1 shorter, +1 longer)",
    ),
    "formality": (_num2, "Формальность: {v} (от −1 до 1)", "Formality: {v} (−1 to 1)"),
    "empathy_irritated": (
        _num2,
        "Клиент раздражён ({v}): сначала признать чувства",
        "The customer is irritated ({v}): acknowledge feelings first",
    ),
    "empathy_problem": (
        _num2,
        "У клиента проблема с заказом ({v})",
        "The customer has an order problem ({v})",
    ),
    "handoff_needed": (
        _num2,
        "Сильное раздражение ({v}) и проблема: передать оператору",
        "Strong irritation ({v}) and a problem: hand off to an operator",
    ),
}

# Reasons that explain a decision rather than add to a number: no "(+1)" after them.
_NO_EFFECT = frozenset({"formality", "empathy_irritated", "empathy_problem", "handoff_needed"})


def _effect(c: float) -> str:
    return f"{c:+.0f}" if abs(c) >= 1.0 else f"{c:+.2f}"


def render_reason(reason: Reason, lang: Lang) -> str:
    """One sentence with the measured value and the signed effect, e.g. "... (+0.15)"."""
    code = reason.code
    template = _TEMPLATES.get(code)
    if template is not None:
        fmt, ru, en = template
        text = (ru if lang is Lang.RU else en).format(v=fmt(reason.value, lang))
    elif code.startswith("intent_"):
        name = intent_name(code.removeprefix("intent_"), lang)
        text = f"Последний запрос: {name}" if lang is Lang.RU else f"Latest request: {name}"
        return f"{text}."
    else:
        text = f"{words(code).capitalize()}: {reason.value:.2f}"
    if code in _NO_EFFECT:
        return f"{text}."
    return f"{text} ({_effect(reason.contribution)})."


def render_segment(segment: Segment, score: SegmentScore, lang: Lang, max_reasons: int = 3) -> str:
    label = "уверенность" if lang is Lang.RU else "confidence"
    head = f"{segment_name(segment, lang)}: {score.value:.2f} ({label} {score.confidence:.2f})"
    reasons = " ".join(render_reason(r, lang) for r in score.reasons[:max_reasons])
    return f"{head}. {reasons}" if reasons else f"{head}."


def _render_score(title: str, score: Score, lang: Lang) -> str:
    reasons = " ".join(render_reason(r, lang) for r in score.reasons[:3])
    return f"{title}: {score.value}/100. {reasons}".rstrip()


def render_assessment(assessment: Assessment, lang: Lang) -> str:
    """A multi-line summary for `barista shell --explain` and admin cards."""
    ru = lang is Lang.RU
    language = language_name(assessment.lang, lang)
    lines = [("Язык клиента: " if ru else "Customer language: ") + language]
    lines.append("Сегменты:" if ru else "Segments:")
    ranked = sorted(assessment.segments.items(), key=lambda kv: -kv[1].value)
    lines.extend(f"  {render_segment(seg, sc, lang, max_reasons=2)}" for seg, sc in ranked)
    lines.append(
        _render_score("Горячесть лида" if ru else "Lead hotness", assessment.hotness, lang)
    )
    lines.append(_render_score("Риск оттока" if ru else "Churn risk", assessment.churn, lang))
    hours = ", ".join(f"{h:02d}:00" for h in assessment.active_hours)
    if not hours:
        hours = "пока нет данных" if ru else "no data yet"
    lines.append(("Активные часы: " if ru else "Active hours: ") + hours)
    adv = assessment.advice
    yes, no = ("да", "нет") if ru else ("yes", "no")
    lead = lead_with_name(adv.lead_with, lang)
    length = length_name(adv.length, lang)
    if ru:
        lines.append(
            f"Совет: длина — {length}, на «вы» — "
            f"{yes if adv.formal else no}, эмпатия — {yes if adv.empathetic else no}, "
            f"начать с: {lead}"
        )
    else:
        lines.append(
            f"Advice: length {length}, formal {yes if adv.formal else no}, "
            f"empathetic {yes if adv.empathetic else no}, lead with: {lead}"
        )
    lines.extend(f"  {render_reason(r, lang)}" for r in adv.reasons)
    return "\n".join(lines)


def _reason_dict(reason: Reason) -> dict[str, Any]:
    return {
        "code": reason.code,
        "value": round(reason.value, 4),
        "contribution": round(reason.contribution, 4),
        "text_ru": render_reason(reason, Lang.RU),
        "text_en": render_reason(reason, Lang.EN),
    }


def _score_dict(score: Score) -> dict[str, Any]:
    return {"value": score.value, "reasons": [_reason_dict(r) for r in score.reasons]}


def assessment_to_dict(assessment: Assessment) -> dict[str, Any]:
    """A JSON-safe dict of the whole assessment (for the API, webhooks and admin cards)."""
    adv = assessment.advice
    return {
        "lang": assessment.lang.value,
        "segments": {
            seg.value: {
                "value": round(sc.value, 4),
                "confidence": round(sc.confidence, 4),
                "reasons": [_reason_dict(r) for r in sc.reasons],
            }
            for seg, sc in assessment.segments.items()
        },
        "hotness": _score_dict(assessment.hotness),
        "churn": _score_dict(assessment.churn),
        "active_hours": list(assessment.active_hours),
        "advice": {
            "length": adv.length,
            "formal": adv.formal,
            "empathetic": adv.empathetic,
            "lead_with": adv.lead_with,
            "reasons": [_reason_dict(r) for r in adv.reasons],
        },
    }
