"""The rule-based responder: intent decides what to say, the profile's advice decides how."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from html import escape

from bot.replies.base import Reply, ReplyContext
from bot.replies.knowledge import Knowledge
from bot.replies.retrieval import KnowledgeIndex
from bot.replies.rules import catalogue, grounded, logistics, patterns, slots
from bot.replies.rules.clarify import clarify
from bot.replies.rules.feedback import on_feedback
from bot.replies.rules.orders import order_reply
from bot.replies.rules.phrases import (
    ANSWERS,
    CAMPAIGN_HINT,
    EMPATHY,
    LENGTH_FEEDBACK,
    OFFER_PERSON,
)
from bot.replies.rules.register import informal
from profiling.types import Intent, Lang

_LENGTH_INDEX = {"short": 0, "medium": 1, "long": 2}
# Openers for which a campaign hint is useful: the customer has not said what they want yet.
_OPEN_INTENTS = frozenset({Intent.GREETING, Intent.OTHER})


class RuleResponder:
    """Deterministic, local, always available: the fallback when no LLM is configured or
    the LLM is down, and the baseline the LLM must beat. Its facts come from the shop's
    knowledge file (and the customer's orders), never from fixed strings."""

    local = True

    def __init__(self, knowledge: Knowledge | None = None) -> None:
        self.knowledge = knowledge
        self.index = KnowledgeIndex.build(knowledge) if knowledge is not None else None

    async def reply(self, ctx: ReplyContext) -> Reply:
        return compose_reply(ctx, self.knowledge, self.index)


def _length_feedback(ctx: ReplyContext) -> str | None:
    if ctx.signals.asks_shorter:
        return "shorter"
    if ctx.signals.asks_more_detail:
        return "longer"
    return None


# With an order number named, these messages are about that order ("Order #A-77812 — any
# news?", «заказ 58213 когда привезут?»).
_ORDER_NUMBER_INTENTS = frozenset({Intent.OTHER, Intent.DELIVERY, Intent.GREETING})


def _about_orders(ctx: ReplyContext) -> bool:
    """An order question, an order number with nothing else asked, or the order number the
    bot asked for."""
    intent = ctx.signals.intent.intent
    if intent is Intent.ORDER_STATUS or ctx.answering == "order_number":
        return True
    return bool(ctx.order_numbers) and intent in _ORDER_NUMBER_INTENTS


def compose_reply(
    ctx: ReplyContext, knowledge: Knowledge | None = None, index: KnowledgeIndex | None = None
) -> Reply:
    lang = ctx.lang if ctx.lang in (Lang.RU, Lang.EN) else Lang.EN
    advice = ctx.advice
    short = bool(advice and advice.length == "short")
    reply: Reply | None = on_feedback(ctx, knowledge, lang)
    if reply is not None:
        return replace(reply, text=_in_register(ctx, knowledge, escape(reply.text, quote=False)))
    if _about_orders(ctx):
        reply = order_reply(ctx, lang, short=short)
    elif knowledge is not None and index is not None:
        reply = _grounded(ctx, knowledge, index, lang, short=short)
    if reply is None and _unclear(ctx):
        misses = ctx.dialog.misses if ctx.dialog is not None else 0
        if misses >= 1:
            # The second unclear message in a row: another strategy, not the same question.
            reply = clarify(knowledge, lang, misses=misses, short=short)
            return replace(
                reply, text=_in_register(ctx, knowledge, escape(reply.text, quote=False))
            )
    if reply is None:
        # The generic answers carry their own empathy opening (`_general`).
        reply = Reply(_general(ctx, lang), asks=_asks(ctx), topic=None, missed=_unclear(ctx))
        text = reply.text
    else:
        text = f"{EMPATHY[lang][0]} {reply.text}" if advice and advice.empathetic else reply.text
    # The seed's patterns: what the profile says changes what comes first and what is added.
    if (opening := patterns.support_opening(ctx, lang)) is not None and reply.topic != "order":
        text = f"{opening} {text}"
    if knowledge is not None and (extra := patterns.reassurance(ctx, knowledge, lang)):
        text = f"{text} {extra}"
    # A hurried customer gets one sentence, and a button for the rest.
    more = short and reply.topic in _EXPANDABLE
    text = _not_again(ctx, escape(text, quote=False), knowledge, lang)
    options = reply.options
    if (
        ctx.dialog is not None
        and reply.asks is not None
        and ctx.dialog.asked.get(reply.asks, 0) >= 2
    ):
        # Asked for the same thing twice already: a person is one press away.
        options = (*options, "person") if "person" not in options else options
    return replace(reply, text=_in_register(ctx, knowledge, text), more=more, options=options)


def _unclear(ctx: ReplyContext) -> bool:
    """The bot could not tell what this message wants (not a «короче» about the last
    answer, not a slot it asked for)."""
    return (
        ctx.signals.intent.intent is Intent.OTHER
        and ctx.answering is None
        and _length_feedback(ctx) is None
        and not ctx.signals.asks_clarification
    )


def _in_register(ctx: ReplyContext, knowledge: Knowledge | None, text: str) -> str:
    """«ты» for a customer who writes on «ты» terms, at a shop whose tone allows it."""
    advice = ctx.advice
    if ctx.lang is not Lang.RU or advice is None or advice.formal:
        return text
    if knowledge is not None and knowledge.shop.tone == "formal":
        return text
    return informal(text)


# Topics whose answer has a fuller version the "More" button can give.
_EXPANDABLE = frozenset({"order", "product", "delivery", "returns", "warranty"})


_AGAIN = {Lang.RU: "Повторю:", Lang.EN: "To repeat:"}
_ASK_PEOPLE = {
    Lang.RU: "Если нужен ответ человека — {contacts}.",
    Lang.EN: "If you'd rather ask a person: {contacts}.",
}


def _not_again(ctx: ReplyContext, text: str, knowledge: Knowledge | None, lang: Lang) -> str:
    """Never the same words twice in a row: the same answer asked again is said another way
    — "to repeat", then with the shop's contacts for a person — so the customer sees the bot
    heard the repeat."""
    dialog = ctx.dialog
    if dialog is None or not dialog.said_before(text):
        return text
    variants = [f"{_AGAIN[lang]} {text}"]
    contacts = grounded.contacts_line(knowledge, lang) if knowledge is not None else None
    if contacts:
        people = escape(_ASK_PEOPLE[lang].format(contacts=contacts), quote=False)
        variants.append(f"{text} {people}")
    for variant in variants:
        if not dialog.said_before(variant):
            return variant
    return variants[-1]


def _grounded(
    ctx: ReplyContext, knowledge: Knowledge, index: KnowledgeIndex, lang: Lang, *, short: bool
) -> Reply | None:
    """An answer from the shop's file: a person asked for, a policy, the products the
    message names, or a FAQ; None when the file has nothing for this message."""
    intent = ctx.signals.intent.intent
    if intent is Intent.HUMAN_REQUEST:
        return Reply(grounded.human_answer(knowledge, lang), topic="contacts")
    if (where := slots.delivery_to_city(ctx, knowledge, lang)) is not None:
        return where
    if (booking := slots.booking(ctx, knowledge, index, lang)) is not None:
        return booking
    if grounded.BUYING.search(ctx.text) and intent is not Intent.COMPARISON:
        return _buying(ctx, knowledge, index, lang)
    if intent in grounded.POLICY_OF:
        answer = grounded.policy_answer(knowledge, intent, lang, detailed=not short)
        if answer is None:
            answer = grounded.missing_policy_answer(knowledge, intent, lang)
        if answer is not None:
            asks = None
            if intent is Intent.DELIVERY and slots.ask_city(ctx, knowledge):
                answer = f"{answer} {slots.ASK_CITY[lang]}"
                asks = "city"
            return Reply(answer, asks=asks, topic=grounded.POLICY_OF[intent])
    if intent in (Intent.PRODUCT_QUESTION, Intent.OTHER):
        # «Есть гарантия, если пылесос сломается?»: a policy asked about a product is the
        # policy, not the product's price.
        policy = grounded.policy_in(index, ctx.text, lang, detailed=not short)
        if policy is not None:
            return Reply(policy[0], topic=policy[1])
    if (
        intent in (Intent.PRODUCT_QUESTION, Intent.PRICE, Intent.OTHER)
        and catalogue.WHOLE_RANGE.search(ctx.text)
        and not grounded.names_an_item(index, ctx.text, lang)
        and (summary := catalogue.overview(knowledge, lang)) is not None
    ):
        return Reply(summary, topic="catalog")
    if intent in (Intent.PRODUCT_QUESTION, Intent.PRICE, Intent.OTHER):
        choice = grounded.category_choice(
            index, knowledge, ctx.text, lang, price_level=_price_level(ctx)
        )
        if choice:
            campaign = ctx.source.campaign if ctx.source is not None else None
            today = ctx.today or date.today()
            lines = [
                grounded.product_line(
                    knowledge, item, lang, detailed=not short, campaign=campaign, today=today
                )
                for item in choice
            ]
            skus = tuple(item.sku for item in choice)
            return Reply(" ".join(lines), topic="product", products=skus)
    if intent in grounded.PRODUCT_INTENTS:
        items = grounded.catalogue_items(
            index, ctx.text, lang, k=2 if intent is Intent.COMPARISON else 1
        )
        if items:
            campaign = ctx.source.campaign if ctx.source is not None else None
            today = ctx.today or date.today()
            lines = [
                grounded.product_line(
                    knowledge, item, lang, detailed=not short, campaign=campaign, today=today
                )
                for item in items
            ]
            if intent is Intent.COMPARISON and len(items) > 1 and patterns.researching(ctx):
                # A careful reader comparing two models gets them side by side.
                lines = [catalogue.comparison_table(knowledge, items, lang)]
            if len(items) == 1 and ctx.quantity and ctx.quantity > 1:
                lines.append(logistics.quantity_total(knowledge, items[0], ctx.quantity, lang))
            related = catalogue.related_line(knowledge, items[0], lang)
            if len(items) == 1 and patterns.researching(ctx) and related is not None:
                lines.append(related)
            if intent is not Intent.COMPARISON and (step := grounded.next_step(knowledge, lang)):
                lines.append(step)
            names = [grounded.text(item.name, lang) for item in items]
            if (help_ := patterns.comparison_help(ctx, knowledge, names, lang)) is not None:
                lines.append(help_)
            skus = tuple(item.sku for item in items)
            return Reply(" ".join(lines), topic="product", products=skus)
    if intent in grounded.PRODUCT_INTENTS:
        # No product named: a policy, FAQ or objection may answer it (a pre-sale «какая
        # гарантия?» is read as a product question).
        found = grounded.knowledge_answer(index, ctx.text, lang, detailed=not short)
        if found is not None:
            return Reply(found[0], topic=found[1])
    # "What do you sell?", «сколько стоят услуги?»: the catalogue at a glance.
    summary = catalogue.overview(knowledge, lang)
    if intent in (Intent.PRODUCT_QUESTION, Intent.PRICE) and summary is not None:
        return Reply(summary, topic="catalog")
    return None


def _price_level(ctx: ReplyContext) -> float | None:
    """What this customer usually spends on one purchase (their orders' median), for
    suggestions that fit; None without orders (or for the blind bot)."""
    if ctx.advice is None or not ctx.orders:
        return None
    totals = sorted(order.total for order in ctx.orders)
    return totals[len(totals) // 2]


def _buying(ctx: ReplyContext, knowledge: Knowledge, index: KnowledgeIndex, lang: Lang) -> Reply:
    """«Беру» / "I'll take it": the next step to buy what is in focus — named now, or the
    products the bot spoke about in this dialog — never "which product?" when it knows."""
    items = grounded.catalogue_items(index, ctx.text, lang, k=1)
    if not items and ctx.dialog is not None:
        focus = ctx.dialog.slots.get("product")
        skus = focus if isinstance(focus, list) else []
        items = [item for sku in skus if (item := knowledge.product(str(sku))) is not None][:1]
    if not items:
        ask = (
            "Что оформляем? Напишите название."
            if lang is Lang.RU
            else "Which product? Tell me its name."
        )
        return Reply(ask, asks="product", topic="buying")
    item = items[0]
    name = grounded.text(item.name, lang)
    step = grounded.next_step(knowledge, lang)
    if ctx.quantity and ctx.quantity > 1:
        name = f"{name}: {logistics.quantity_total(knowledge, item, ctx.quantity, lang)[:-1]}"
    if lang is Lang.RU:
        head = f"Отлично! {name}."
        tail = f" {step}" if step else " Напишите, как вам удобнее оформить, — подскажу."
    else:
        head = f"Great choice! {name}."
        tail = f" {step}" if step else " Tell me how you'd like to order and I'll guide you."
    return Reply(head + tail, topic="buying", products=(item.sku,))


def _asks(ctx: ReplyContext) -> str | None:
    # The general answers about returns end by asking for the order number.
    return "order_number" if ctx.signals.intent.intent is Intent.RETURN_REFUND else None


def _fresh(ctx: ReplyContext, options: list[str]) -> str:
    """The first option that is not the bot's previous reply: never the same words twice in
    a row (the same content at another length reads as a new answer)."""
    dialog = ctx.dialog
    for option in options:
        if dialog is None or not dialog.said_before(escape(option, quote=False)):
            return option
    return options[0]


def _general(ctx: ReplyContext, lang: Lang) -> str:
    advice = ctx.advice
    length = advice.length if advice else "medium"
    index = _LENGTH_INDEX.get(length, 1)
    intent = ctx.signals.intent.intent
    lead = advice.lead_with if advice else None

    parts: list[str] = []
    feedback = _length_feedback(ctx)
    if feedback is not None and intent is Intent.OTHER:
        # "Shorter" / "more details" about the previous answer: say so, then give that
        # answer again at the asked length.
        parts.append(LENGTH_FEEDBACK[feedback][lang])
        previous = ctx.previous_intent
        if previous is not None and previous not in _OPEN_INTENTS:
            parts.append(ANSWERS[previous][lang][0 if feedback == "shorter" else 2])
        return " ".join(parts)
    if advice and advice.empathetic:
        parts.append(EMPATHY[lang][0 if index == 0 else 1])
    if lead == "handoff" and intent is not Intent.HUMAN_REQUEST and not ctx.handoff:
        # The profile says a human should take over (strong irritation, a problem
        # repeated): say so first, then still answer the question.
        parts.append(ANSWERS[Intent.HUMAN_REQUEST][lang][0])
    versions = ANSWERS[intent][lang]
    others = [versions[i] for i in (index + 1, index - 1, index + 2, index - 2) if 0 <= i < 3]
    parts.append(_fresh_part(ctx, parts, [versions[index], *others]))
    if lead == "handoff" and ctx.handoff and intent is not Intent.HUMAN_REQUEST:
        # A person can be called: offer it, after the answer (never "I can't").
        parts.append(OFFER_PERSON[lang])
    if (
        intent in _OPEN_INTENTS
        and index > 0
        and ctx.source is not None
        and ctx.source.campaign
        and ctx.new_dialog
    ):
        parts.append(CAMPAIGN_HINT[lang])
    return " ".join(parts)


def _fresh_part(ctx: ReplyContext, before: list[str], options: list[str]) -> str:
    """The answer part whose whole reply would not repeat the previous one."""
    prefix = " ".join(before)
    whole = [f"{prefix} {option}" if prefix else option for option in options]
    chosen = _fresh(ctx, whole)
    return options[whole.index(chosen)]
