"""Answers that use what the customer said about where and when: delivery to the city they
named (asked about, given as the answer to the bot's question, or a follow-up «а в Химки?»),
and a booking for the day they named — each asking for the one missing thing, once."""

from __future__ import annotations

from datetime import date

from bot.replies.base import Reply, ReplyContext
from bot.replies.knowledge import Knowledge
from bot.replies.retrieval import KnowledgeIndex
from bot.replies.rules import grounded, logistics
from profiling.types import Intent, Lang

ASK_CITY = {
    Lang.RU: "Напишите город — скажу срок и цену доставки.",
    Lang.EN: "Tell me your city and I'll give the delivery time and price.",
}
_ASK_WHEN = {
    Lang.RU: "На какой день и время вас записать? Напишите, например: «в субботу утром».",
    Lang.EN: 'Which day and time suit you? For example: "Saturday morning".',
}


def ask_city(ctx: ReplyContext, knowledge: Knowledge) -> bool:
    """Whether to ask for the city: delivery differs by area, and it was not asked yet."""
    delivery = knowledge.policies.delivery
    if delivery is None or len(delivery.areas) < 2 or ctx.city is not None:
        return False
    return ctx.dialog is None or ctx.dialog.asked.get("city", 0) == 0


def delivery_to_city(ctx: ReplyContext, knowledge: Knowledge, lang: Lang) -> Reply | None:
    """Delivery to the city named now — asked about directly, given as the answer to the
    bot's question, or named right after a delivery answer («а в Казань?»)."""
    intent = ctx.signals.intent.intent
    about_delivery = (
        intent is Intent.DELIVERY
        or ctx.answering == "city"
        or (
            intent is Intent.OTHER
            and ctx.dialog is not None
            and ctx.dialog.last_topic == "delivery"
            and ctx.dialog.slots.get("city") is not None
        )
    )
    if not about_delivery or ctx.city is None:
        return None
    if intent is Intent.OTHER and ctx.answering != "city" and not _names_city_now(ctx):
        return None
    detailed = ctx.advice is not None and ctx.advice.length == "long"
    answer = logistics.city_delivery(knowledge, ctx.city, lang, detailed=detailed)
    return Reply(answer, topic="delivery") if answer is not None else None


def _names_city_now(ctx: ReplyContext) -> bool:
    city = ctx.city
    return city is not None and (
        city.name.lower()[:4] in ctx.text.lower()
        or (city.canonical is not None and city.canonical.lower()[:4] in ctx.text.lower())
    )


def booking(
    ctx: ReplyContext, knowledge: Knowledge, index: KnowledgeIndex, lang: Lang
) -> Reply | None:
    """A booking at a services shop: the day named (now or as the answer to the bot's
    question) goes into the next step; without one, the bot asks for it — once."""
    if knowledge.shop.kind != "services":
        return None
    intent = ctx.signals.intent.intent
    if intent is not Intent.BOOKING and ctx.answering != "when":
        return None
    items = grounded.catalogue_items(index, ctx.text, lang, k=1)
    if not items and ctx.dialog is not None:
        focus = ctx.dialog.slots.get("product")
        skus = focus if isinstance(focus, list) else []
        items = [item for sku in skus if (item := knowledge.product(str(sku))) is not None][:1]
    head = ""
    if items:
        item = items[0]
        campaign = ctx.source.campaign if ctx.source is not None else None
        head = (
            grounded.product_line(
                knowledge,
                item,
                lang,
                detailed=False,
                campaign=campaign,
                today=ctx.today or date.today(),
            )
            + " "
        )
    skus = tuple(item.sku for item in items)
    if ctx.when is None:
        if ctx.dialog is not None and ctx.dialog.asked.get("when", 0) > 0:
            step = logistics.booking_line(knowledge, None, lang) or ""
            return Reply((head + step).strip(), topic="booking", products=skus)
        step = logistics.booking_line(knowledge, None, lang)
        # The link ends its line: a word after it would read as part of the address.
        text = head + (f"{step}\n" if step else "") + _ASK_WHEN[lang]
        return Reply(text.strip(), asks="when", topic="booking", products=skus)
    step = logistics.booking_line(knowledge, ctx.when, lang)
    if step is None:
        return None
    return Reply((head + step).strip(), topic="booking", products=skus)


# What a topic of the dialog re-asks of the knowledge file when the customer says «короче»,
# «подробнее» or «не понял» about the last answer.
