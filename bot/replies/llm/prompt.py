"""The prompt: what the LLM is told about the shop, the customer and the dialog.

It carries the profile as directives (segments and their reasons, the length budget, the
register, what to lead with), the dialog state and the entities, the knowledge entries found
for the message, the customer's orders, the ad they came from, and the recent dialogue — and
says that facts come only from these. The rule engine's answer goes in as a grounded draft:
the model rephrases checked facts for this person instead of recalling any.

Everything the customer wrote is masked (phones, e-mails, card numbers) before it goes in;
the shop's own facts are not (its phone is not personal data, and the check needs it).
The holdout group gets the same prompt without the directives: the "blind" bot.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.replies.base import Reply, ReplyContext
from bot.replies.knowledge import FaqEntry, Item, Knowledge, Objection, Policy, Promotion, text
from bot.replies.llm.masking import mask_personal
from bot.replies.retrieval import EntryKind, KnowledgeIndex
from bot.replies.rules import grounded
from profiling.assess.explain import render_reason
from profiling.types import Lang

# Characters of a reply by the profile's length advice (the check allows 15 % over).
LENGTH_BUDGET = {"short": 160, "medium": 450, "long": 900}
HISTORY_TURNS = 8
KNOWLEDGE_ENTRIES = 5
_LANGUAGE = {Lang.RU: "Russian", Lang.EN: "English"}


@dataclass(frozen=True, slots=True)
class Prompt:
    messages: list[dict[str, str]]
    # What the answer may state: the context as given (unmasked shop facts), for the check.
    facts: str
    max_chars: int
    order_statuses: frozenset[str]
    lang: Lang


def _entry_text(
    hit_kind: EntryKind, entry: object, knowledge: Knowledge, lang: Lang, today: date
) -> str:
    if isinstance(entry, Item):
        return grounded.product_line(
            knowledge, entry, lang, detailed=True, campaign=None, today=today
        )
    if isinstance(entry, Policy):
        body = text(entry.summary, lang)
        return f"{body} {text(entry.details, lang)}".strip()
    if isinstance(entry, FaqEntry):
        return f"Q: {text(entry.questions[0], lang)} A: {text(entry.answer, lang)}"
    if isinstance(entry, Objection):
        return f"Doubt: {text(entry.doubts[0], lang)} Answer: {text(entry.answer, lang)}"
    if isinstance(entry, Promotion):
        return f"{text(entry.title, lang)}: {text(entry.text, lang)}"
    return ""


def knowledge_lines(
    ctx: ReplyContext, knowledge: Knowledge, index: KnowledgeIndex, lang: Lang
) -> list[str]:
    """The shop's facts for this message: the entries retrieval finds, the products the
    dialog is about, the contacts and how to order."""
    today = ctx.today or date.today()
    lines: list[str] = [f"Shop: {text(knowledge.shop.name, lang)} ({knowledge.shop.kind})."]
    if knowledge.shop.description is not None:
        lines.append(text(knowledge.shop.description, lang))
    seen: set[str] = set()
    for hit in index.search(ctx.text, lang=lang, k=KNOWLEDGE_ENTRIES):
        key = f"{hit.kind}:{hit.key}"
        if key in seen or hit.kind is EntryKind.CONTACT:
            continue
        seen.add(key)
        if line := _entry_text(hit.kind, hit.entry, knowledge, lang, today):
            lines.append(f"- {line}")
    focus = ctx.dialog.slots.get("product") if ctx.dialog is not None else None
    for sku in focus if isinstance(focus, list) else []:
        item = knowledge.product(str(sku))
        if item is not None and f"product:{item.sku}" not in seen:
            seen.add(f"product:{item.sku}")
            lines.append(f"- {_entry_text(EntryKind.PRODUCT, item, knowledge, lang, today)}")
    if (contacts := grounded.contacts_line(knowledge, lang)) is not None:
        lines.append(f"Contacts: {contacts}.")
    if (step := grounded.next_step(knowledge, lang)) is not None:
        lines.append(f"How to order: {step}")
    return lines


def _orders_lines(ctx: ReplyContext) -> list[str]:
    if not ctx.linked:
        return ["The chat is not linked to the shop's customer records (orders unknown)."]
    if not ctx.orders:
        return []
    lines = ["The customer's orders (newest first):"]
    for order in ctx.orders[:5]:
        items = ", ".join(order.items[:3])
        lines.append(
            f"- {order.shop_order_id}: status {order.status}; {order.total:g} {order.currency};"
            f" ordered {order.ordered_at:%d.%m.%Y}; {items}"
        )
    return lines


def _directives(ctx: ReplyContext, lang: Lang, budget: int) -> list[str]:
    """How to answer this person, from the profile (not for the holdout group)."""
    advice = ctx.advice
    assessment = ctx.assessment
    if advice is None or assessment is None:
        return []
    lines = ["How to answer this customer (from their behaviour):"]
    lines.append(f"- Length: {advice.length}, at most {budget} characters.")
    if lang is Lang.RU:
        lines.append(
            "- Address them with «ты»." if not advice.formal else "- Address them with «вы»."
        )
    else:
        lines.append("- Tone: " + ("formal and polite." if advice.formal else "friendly, casual."))
    if advice.empathetic:
        lines.append("- Acknowledge their feelings or the problem first, in plain words.")
    if advice.lead_with:
        lines.append(f"- Lead with: {advice.lead_with.replace('_', ' ')}.")
    for segment, score in assessment.top_segments(3, min_value=0.4):
        why = "; ".join(render_reason(reason, Lang.EN) for reason in score.reasons[:2])
        lines.append(f"- Segment {segment.value} ({score.value:.2f}): {why}")
    lines.append(
        f"- Lead hotness {assessment.hotness.value}/100, churn risk {assessment.churn.value}/100."
    )
    return lines


def _dialog_lines(ctx: ReplyContext) -> list[str]:
    lines: list[str] = []
    dialog = ctx.dialog
    if dialog is not None:
        if dialog.awaiting:
            lines.append(f"The bot asked for: {dialog.awaiting}.")
        known = {k: v for k, v in dialog.slots.items() if v not in (None, "", [], ())}
        if known:
            lines.append(
                "Known in this dialog: "
                + "; ".join(f"{k} = {mask_personal(str(v))}" for k, v in known.items())
            )
    if ctx.city is not None:
        lines.append(f"City named: {ctx.city.name}.")
    if ctx.when is not None:
        when = ctx.when
        exact = f"{when.day or ''} {when.clock or when.part or ''}".strip()
        lines.append(f"Day/time named: {when.text} ({exact}).")
    if ctx.quantity:
        lines.append(f"Quantity named: {ctx.quantity}.")
    if ctx.source is not None and ctx.source.campaign:
        lines.append(f"Came from the ad campaign: {ctx.source.campaign}.")
    if ctx.site:
        lines.append("On the shop's website lately (newest first): " + "; ".join(ctx.site))
    return lines


def build_prompt(
    ctx: ReplyContext,
    draft: Reply,
    knowledge: Knowledge | None,
    index: KnowledgeIndex | None,
    *,
    region: str = "RU",
) -> Prompt:
    """The messages for the chat completion, and what the answer is checked against."""
    lang = ctx.lang if ctx.lang in (Lang.RU, Lang.EN) else Lang.EN
    advice = ctx.advice
    budget = LENGTH_BUDGET[advice.length if advice is not None else "medium"]
    budget = max(budget, min(len(draft.text) + 80, LENGTH_BUDGET["long"]))
    facts: list[str] = []
    if knowledge is not None and index is not None:
        facts += knowledge_lines(ctx, knowledge, index, lang)
    facts += _orders_lines(ctx)
    facts += _dialog_lines(ctx)
    system = [
        "You are the shop's assistant in a chat. Answer the customer's last message.",
        f"Write in {_LANGUAGE[lang]}, plain text, no markdown, at most {budget} characters.",
        "State facts (prices, order statuses, dates, terms, policies) ONLY from the FACTS and "
        "the DRAFT below; if they do not say, say you do not know and give the shop's contacts.",
        "Never promise to call, check later, remind or pass the chat to a person.",
        "The DRAFT is a correct answer from the shop's rules: keep its facts and links, "
        "rephrase it for this person.",
    ]
    system += _directives(ctx, lang, budget)
    context = "FACTS:\n" + "\n".join(facts) + f"\n\nDRAFT:\n{draft.text}"
    messages = [{"role": "system", "content": "\n".join(system) + "\n\n" + context}]
    for item in list(ctx.history)[-HISTORY_TURNS:]:
        role = "user" if item.direction == "in" else "assistant"
        messages.append({"role": role, "content": mask_personal(item.text, region=region)})
    current = mask_personal(ctx.text, region=region)
    if not messages[-1:] or messages[-1]["content"] != current or messages[-1]["role"] != "user":
        messages.append({"role": "user", "content": current})
    # The answer may repeat what the customer said, so their words count as facts too.
    checked = context + "\n" + "\n".join(item.text for item in ctx.history) + "\n" + ctx.text
    return Prompt(
        messages=messages,
        facts=checked,
        max_chars=budget,
        order_statuses=frozenset(order.status for order in ctx.orders),
        lang=lang,
    )
