"""Answers from the shop's knowledge file: its policies, its catalogue with prices and
promotions, its FAQ and its contacts — so a cleaning service is never offered pickup points,
and nothing is promised that no code keeps.

Each function returns None when the file has nothing to say; the caller then falls back to
the generic answer that asks for what is missing.
"""

from __future__ import annotations

import re
from datetime import date

from bot.replies.knowledge import Item, Knowledge, Policy, Promotion, text
from bot.replies.retrieval import EntryKind, KnowledgeIndex
from profiling.types import Intent, Lang

# Which policy answers which intent.
POLICY_OF: dict[Intent, str] = {
    Intent.DELIVERY: "delivery",
    Intent.RETURN_REFUND: "returns",
    Intent.WARRANTY: "warranty",
}
# "I'll take it": the customer decided; the answer is the next step to buy, not a question.
BUYING = re.compile(
    r"(?:^|\b)(?:беру|берём|берем|возьму|возьмём|оформляю|оформляем|покупаю|хочу купить|"
    r"хочу заказать|i'?ll take (?:it|one|them)|i'?ll buy|let'?s order|i want to buy|"
    r"i want to order)(?:\b|$)",
    re.IGNORECASE,
)
# Questions about products: the catalogue answers them when the message names one.
PRODUCT_INTENTS = frozenset(
    {Intent.PRODUCT_QUESTION, Intent.PRICE, Intent.COMPARISON, Intent.OTHER, Intent.BOOKING}
)


def money(amount: float, currency: str, lang: Lang) -> str:
    whole = f"{amount:,.0f}" if amount == int(amount) else f"{amount:,.2f}"
    sign = {"RUB": "₽", "USD": "$", "EUR": "€", "GBP": "£"}.get(currency, currency)
    return f"{whole.replace(',', ' ')} {sign}" if lang is Lang.RU else f"{sign}{whole}"


def policy_answer(
    knowledge: Knowledge, intent: Intent, lang: Lang, *, detailed: bool
) -> str | None:
    name = POLICY_OF.get(intent)
    policy: Policy | None = getattr(knowledge.policies, name) if name else None
    if policy is None:
        return None
    answer = text(policy.summary, lang)
    if detailed and policy.details is not None:
        answer = f"{answer} {text(policy.details, lang)}"
    return answer


def missing_policy_answer(knowledge: Knowledge, intent: Intent, lang: Lang) -> str | None:
    """The shop has no such policy (a cleaning service has no delivery): say what it does
    instead of offering what it doesn't."""
    if intent not in POLICY_OF:
        return None
    shop = knowledge.shop
    name = text(shop.name, lang)
    what = text(shop.description, lang) if shop.description is not None else ""
    if intent is Intent.DELIVERY and shop.kind == "services":
        head = (
            f"{name} — это услуги, доставки у нас нет."
            if lang is Lang.RU
            else f"{name} provides services, so there is no delivery."
        )
    else:
        head = (
            f"Об этом в правилах {name} ничего не сказано."
            if lang is Lang.RU
            else f"{name}'s policies say nothing about that."
        )
    contacts = contacts_line(knowledge, lang)
    ask = (
        f" Уточнить можно у магазина: {contacts}."
        if contacts and lang is Lang.RU
        else f" The shop can tell you: {contacts}."
        if contacts
        else ""
    )
    return f"{head} {what}{ask}".replace("  ", " ").strip()


def contacts_line(knowledge: Knowledge, lang: Lang) -> str | None:
    """How to reach people at the shop, from the file (None when it lists no contact)."""
    contacts = knowledge.contacts
    parts: list[str] = []
    if contacts.phone:
        parts.append(("телефон " if lang is Lang.RU else "phone ") + contacts.phone)
    if contacts.email:
        parts.append(("почта " if lang is Lang.RU else "e-mail ") + contacts.email)
    for name, handle in contacts.messengers.items():
        parts.append(f"{name} {handle}")
    if not parts:
        return None
    line = ", ".join(parts)
    if contacts.hours is not None:
        line += f" ({text(contacts.hours, lang)})"
    return line


def human_answer(knowledge: Knowledge, lang: Lang) -> str:
    """Asked for a person: the honest answer until human handoff exists — where people at
    the shop can be reached, not a promise to "pass it on"."""
    contacts = contacts_line(knowledge, lang)
    if lang is Lang.RU:
        head = "Переключить разговор на сотрудника прямо здесь я пока не могу."
        tail = f" Связаться с магазином: {contacts}." if contacts else ""
        return f"{head}{tail} А я готов ответить сам — напишите, что случилось."
    head = "I can't hand this chat to a person yet."
    tail = f" You can reach the shop: {contacts}." if contacts else ""
    return f"{head}{tail} I'm happy to help myself — tell me what happened."


def _promotion_line(promotion: Promotion, lang: Lang) -> str:
    line = f"{text(promotion.title, lang)}: {text(promotion.text, lang)}"
    if promotion.code:
        line += (" Промокод " if lang is Lang.RU else " Promo code ") + promotion.code + "."
    return line


def product_line(
    knowledge: Knowledge,
    item: Item,
    lang: Lang,
    *,
    detailed: bool,
    campaign: str | None,
    today: date,
) -> str:
    """The product named, its price, and the promotion that applies to it."""
    name = text(item.name, lang)
    price = money(float(item.price), knowledge.shop.currency, lang)
    unit = text(item.unit, lang)
    line = f"{name} — {price}" + (f" {unit}" if unit and knowledge.shop.kind == "services" else "")
    if item.old_price is not None:
        old = money(float(item.old_price), knowledge.shop.currency, lang)
        line += f" (было {old})" if lang is Lang.RU else f" (was {old})"
    if not item.in_stock:
        line += ", сейчас нет в наличии" if lang is Lang.RU else ", out of stock right now"
    line += "."
    if detailed and item.features:
        line += " " + "; ".join(text(f, lang) for f in item.features[:3]) + "."
    promotions = knowledge.promotions_for(sku=item.sku, campaign=campaign, today=today)
    if promotions:
        line += " " + _promotion_line(promotions[0], lang)
    return line


_WORD = re.compile(r"[\w/]+")
# The share of an item's name (or alias) a message must say for the item to be the one meant.
MIN_COVERAGE = 0.5


def _coverage(item: Item, words: set[str]) -> float:
    """How much of the item's best-matching name or alias the message says: "galaxy s24
    ultra" covers the phone's alias "s24 ultra" whole, but only part of "Galaxy S24 Ultra
    silicone case" — the case is not what was asked for."""
    names = [item.name.ru, item.name.en, *item.aliases]
    best = 0.0
    for name in names:
        parts = set(_WORD.findall(name.lower()))
        if parts:
            best = max(best, len(parts & words) / len(parts))
    return best


def _names_it(item: Item, words: set[str]) -> bool:
    """The message names this item itself: a model token of it ("s24", «в15») or the whole
    of one of its names of two words or more («мойка окон») — not just a generic word of an
    alias («телефон»)."""
    for name in (item.name.ru, item.name.en, *item.aliases):
        parts = set(_WORD.findall(name.lower()))
        shared = parts & words
        # A model token names the item ("s24", «в15», "xm5"); a lone digit ("2 pcs") does not.
        if any(len(word) >= 2 and any(ch.isdigit() for ch in word) for word in shared):
            return True
        if len(parts) >= 2 and shared == parts:
            return True
    return False


def catalogue_items(index: KnowledgeIndex, message: str, lang: Lang, k: int = 2) -> list[Item]:
    """The catalogue items the message names, best first: the retrieval's candidates ranked
    by how completely the message names them, then by score."""
    hits = index.search(message, lang=lang, k=k + 2, kinds=[EntryKind.PRODUCT])
    words = set(_WORD.findall(message.lower()))
    ranked = sorted(
        (
            hit
            for hit in hits
            if isinstance(hit.entry, Item)
            # A weak match is not the item asked for: "AirPods Pro 2" shares "pro 2" with
            # "Xiaomi Smart Kettle 2 Pro", and a kettle is not what the customer wants.
            and (_coverage(hit.entry, words) >= MIN_COVERAGE or _names_it(hit.entry, words))
        ),
        key=lambda hit: (-_coverage(hit.entry, words), -hit.score),  # type: ignore[arg-type]
    )
    return [hit.entry for hit in ranked[:k]]  # type: ignore[misc]


def names_an_item(index: KnowledgeIndex, message: str, lang: Lang) -> bool:
    """Whether the message names a particular catalogue item (a model, a service)."""
    hits = index.search(message, lang=lang, k=3, kinds=[EntryKind.PRODUCT])
    words = set(_WORD.findall(message.lower()))
    return any(isinstance(hit.entry, Item) and _names_it(hit.entry, words) for hit in hits)


def category_choice(
    index: KnowledgeIndex,
    knowledge: Knowledge,
    message: str,
    lang: Lang,
    *,
    price_level: float | None,
) -> list[Item] | None:
    """«Посоветуйте телефон»: no model named, a category meant — its items in stock, those
    nearest the customer's usual price first (their past orders), else cheapest first. None
    when the message names one product (the usual answer) or no category."""
    hits = index.search(message, lang=lang, k=5, kinds=[EntryKind.PRODUCT])
    items = [hit.entry for hit in hits if isinstance(hit.entry, Item)]
    if not items:
        return None
    words = set(_WORD.findall(message.lower()))
    if any(_names_it(item, words) for item in items):
        return None  # a particular product is named
    category = items[0].category
    choice = [item for item in knowledge.find_products_by_category(category) if item.in_stock]
    if len(choice) < 2:
        return None
    if price_level is not None:
        choice.sort(key=lambda item: abs(float(item.price) - price_level))
    else:
        choice.sort(key=lambda item: float(item.price))
    return choice[:2]


def next_step(knowledge: Knowledge, lang: Lang) -> str | None:
    """How to buy or book, as the shop wrote it."""
    shop = knowledge.shop
    if shop.order_url:
        verb = "Оформить" if lang is Lang.RU else "Order"
        if shop.kind == "services":
            verb = "Записаться" if lang is Lang.RU else "Book"
        return f"{verb}: {shop.order_url}"
    if shop.order_instructions is not None:
        return text(shop.order_instructions, lang)
    return None


# A policy is what the message is about when it says one of these (the product it names is
# the context, not the question).
_POLICY_WORDS = re.compile(
    r"гаранти|warrant|guarantee|доставк|deliver|shipping|возврат|вернуть|return|refund|"
    r"оплат|payment|рассрочк|installment|страхов|insur",
    re.IGNORECASE,
)


def policy_in(
    index: KnowledgeIndex, message: str, lang: Lang, *, detailed: bool
) -> tuple[str, str] | None:
    """The policy the message asks about, when it names one (else None)."""
    if not _POLICY_WORDS.search(message):
        return None
    hits = index.search(message, lang=lang, k=1, kinds=[EntryKind.POLICY])
    if not hits or not isinstance(hits[0].entry, Policy):
        return None
    entry = hits[0].entry
    answer = text(entry.summary, lang)
    if detailed and entry.details is not None:
        answer = f"{answer} {text(entry.details, lang)}"
    return answer, hits[0].key


def knowledge_answer(
    index: KnowledgeIndex, message: str, lang: Lang, *, detailed: bool
) -> tuple[str, str] | None:
    """The best policy, FAQ or objection entry for the message, as (answer, topic); a
    pre-sale «какая гарантия?» finds the warranty policy however its intent was read."""
    hits = index.search(
        message, lang=lang, k=1, kinds=[EntryKind.POLICY, EntryKind.FAQ, EntryKind.OBJECTION]
    )
    if not hits:
        return None
    hit = hits[0]
    entry = hit.entry
    if isinstance(entry, Policy):
        answer = text(entry.summary, lang)
        if detailed and entry.details is not None:
            answer = f"{answer} {text(entry.details, lang)}"
        return answer, hit.key
    answer = getattr(entry, "answer", None)
    return (text(answer, lang), "faq") if answer is not None else None


def faq_answer(index: KnowledgeIndex, message: str, lang: Lang) -> str | None:
    hits = index.search(message, lang=lang, k=1, kinds=[EntryKind.FAQ, EntryKind.OBJECTION])
    if not hits:
        return None
    entry = hits[0].entry
    answer = getattr(entry, "answer", None)
    return text(answer, lang) if answer is not None else None
