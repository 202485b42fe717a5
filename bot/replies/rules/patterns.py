"""The seed's patterns, visible in the reply: what the profile says about this customer
changes what comes first and what is added unasked.

- returning customer with a problem, with a recent order: the bot speaks of that order first
  and offers help (support mode);
- researcher or price-sensitive at the start of a dialog, at a services shop: the experience,
  the team and the insurance — the things that remove a doubt — raised without being asked;
- doubting buyer looking at two products: «Вижу, что вы сравниваете эти две модели…» and the
  objection removed (warranty, free returns) unasked.

The holdout group ("blind" bot) gets none of this: `ctx.advice` is None for them.
"""

from __future__ import annotations

from datetime import timedelta

from bot.replies.base import OrderView, ReplyContext
from bot.replies.knowledge import Knowledge, text
from bot.replies.rules.grounded import money
from profiling.assess.segments import Segment
from profiling.types import Lang

# A segment counts as the customer's when it is at least this strong; a hint of it (enough
# to add reassurance, never to change the answer) from HINT (the neutral prior is 0.2).
STRONG = 0.4
HINT = 0.27
RECENT_ORDER = timedelta(days=21)


def segment_value(ctx: ReplyContext, segment: Segment) -> float:
    if ctx.assessment is None or ctx.advice is None:  # no profile, or the blind bot
        return 0.0
    score = ctx.assessment.segments.get(segment)
    return score.value if score is not None else 0.0


def _top(ctx: ReplyContext) -> Segment | None:
    if ctx.assessment is None or ctx.advice is None:
        return None
    top = ctx.assessment.top_segments(1, min_value=STRONG)
    return top[0][0] if top else None


def support_opening(ctx: ReplyContext, lang: Lang) -> str | None:
    """A customer returning with a problem and a recent order: that order first."""
    if _top(ctx) is not Segment.RETURNING_WITH_PROBLEM or not ctx.new_dialog:
        return None
    recent = _recent_order(ctx.orders, ctx)
    if recent is None:
        return None
    when = recent.ordered_at.strftime("%d.%m")
    items = ", ".join(recent.items[:2])
    what = f" ({items})" if items else ""
    if lang is Lang.RU:
        return (
            f"Вижу ваш заказ {recent.shop_order_id}{what} от {when}. Если с ним что-то не так, "
            "расскажите — подскажу, как решить: обмен, возврат или гарантийный ремонт."
        )
    return (
        f"I can see your order {recent.shop_order_id}{what} from {when}. If something is wrong "
        "with it, tell me and I'll help: an exchange, a return or a warranty repair."
    )


def _recent_order(
    orders: tuple[OrderView, ...] | list[OrderView], ctx: ReplyContext
) -> OrderView | None:
    if not orders:
        return None
    latest = orders[0]
    if ctx.today is not None and (ctx.today - latest.ordered_at.date()) > RECENT_ORDER:
        return None
    return latest


def reassurance(ctx: ReplyContext, knowledge: Knowledge, lang: Lang) -> str | None:
    """Researcher or price-sensitive at the start of a dialog, at a services shop: the
    experience and the insurance, unasked."""
    if not ctx.new_dialog or knowledge.shop.kind != "services" or knowledge.experience is None:
        return None
    if (
        max(segment_value(ctx, Segment.RESEARCHER), segment_value(ctx, Segment.PRICE_SENSITIVE))
        < HINT
    ):
        return None
    experience = knowledge.experience
    parts: list[str] = []
    if experience.years:
        parts.append(
            f"работаем {experience.years} лет"
            if lang is Lang.RU
            else f"{experience.years} years in business"
        )
    if experience.insurance_amount:
        amount = money(float(experience.insurance_amount), knowledge.shop.currency, lang)
        parts.append(
            f"имущество застраховано на {amount}"
            if lang is Lang.RU
            else f"your property is insured for {amount}"
        )
    if experience.team is not None:
        parts.append(
            text(experience.team, lang).rstrip(".").lower()
            if lang is Lang.RU
            else text(experience.team, lang).rstrip(".")
        )
    if not parts:
        return None
    joined = "; ".join(parts)
    return f"Коротко о нас: {joined}." if lang is Lang.RU else f"About us, briefly: {joined}."


def comparison_help(
    ctx: ReplyContext, knowledge: Knowledge, names: list[str], lang: Lang
) -> str | None:
    """A doubting buyer looking at two products: name what they do, offer the differences,
    and remove the usual objection unasked."""
    if len(names) < 2 or segment_value(ctx, Segment.DOUBTING_BUYER) < HINT:
        return None
    if lang is Lang.RU:
        line = "Вижу, что вы сравниваете эти две модели. Рассказать ключевые отличия?"
    else:
        line = "I see you're comparing these two models. Shall I go through the key differences?"
    objection = knowledge.objections[0] if knowledge.objections else None
    if objection is not None:
        line += " " + text(objection.answer, lang)
    return line


def researching(ctx: ReplyContext) -> bool:
    """A customer who reads and compares: the researcher segment, or long answers wanted."""
    advice = ctx.advice
    if advice is None:
        return False
    return advice.length == "long" or segment_value(ctx, Segment.RESEARCHER) >= STRONG
