"""«Короче», "more details", «не понял» about the last real answer: the same facts again,
shorter, fuller or put another way — never an empty «понял»."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from bot.replies.base import Reply, ReplyContext
from bot.replies.knowledge import Knowledge
from bot.replies.rules import grounded
from bot.replies.rules.orders import order_reply
from bot.replies.rules.phrases import LENGTH_FEEDBACK
from profiling.types import Intent, Lang

_POLICY_TOPICS = {name: intent for intent, name in grounded.POLICY_OF.items()}
_FEEDBACK_LEAD = {
    "clarify": {Lang.RU: "Скажу иначе:", Lang.EN: "Put another way:"},
}


def _feedback_kind(ctx: ReplyContext) -> str | None:
    signals = ctx.signals
    if signals.asks_shorter:
        return "shorter"
    # Not understood counts as wanting more detail too: it is asked first, since the answer
    # is the same facts put another way, not just more of them.
    if signals.asks_clarification:
        return "clarify"
    if signals.asks_more_detail:
        return "longer"
    return None


def on_feedback(ctx: ReplyContext, knowledge: Knowledge | None, lang: Lang) -> Reply | None:
    """«Короче», "more details", «не понял» about the last real answer: that answer again,
    shorter, fuller, or put another way — from the same facts, never an empty «понял»."""
    kind = _feedback_kind(ctx)
    dialog = ctx.dialog
    if kind is None or dialog is None or ctx.signals.intent.intent is not Intent.OTHER:
        return None
    topic = dialog.last_topic
    detailed = kind != "shorter"
    body: str | None = None
    if topic == "order":
        number = dialog.slots.get("order_number")
        again = replace(ctx, order_numbers=(str(number),) if number else ctx.order_numbers)
        body = order_reply(again, lang, short=not detailed).text
    elif topic == "product" and knowledge is not None:
        focus = dialog.slots.get("product")
        skus = focus if isinstance(focus, list) else []
        items = [item for sku in skus if (item := knowledge.product(str(sku))) is not None]
        campaign = ctx.source.campaign if ctx.source is not None else None
        today = ctx.today or date.today()
        lines = [
            grounded.product_line(
                knowledge, item, lang, detailed=detailed, campaign=campaign, today=today
            )
            for item in items
        ]
        body = " ".join(lines) or None
    elif topic in _POLICY_TOPICS and knowledge is not None:
        body = grounded.policy_answer(knowledge, _POLICY_TOPICS[topic], lang, detailed=detailed)
    if body is None:
        return None
    if kind == "shorter":
        # Shorter means shorter: the first clause of the answer, and no lead that would make
        # it as long as before.
        body = _first_clause(body)
        last = dialog.said[-1] if dialog.said else ""
        lead = LENGTH_FEEDBACK["shorter"][lang]
        text = f"{lead} {body}" if len(lead) + len(body) + 1 < len(last) else body
        return Reply(text, topic=topic)
    lead = (LENGTH_FEEDBACK.get(kind) or _FEEDBACK_LEAD[kind])[lang]
    return Reply(f"{lead} {body}", topic=topic)


def _first_clause(text: str) -> str:
    """The answer up to its first sentence or clause end (";", ". ")."""
    for mark in ("; ", ". "):
        head, found, _ = text.partition(mark)
        if found and len(head) >= 20:
            return head.rstrip(".") + "."
    return text
