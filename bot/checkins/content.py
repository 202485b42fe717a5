"""The words of a check-in, adapted to the customer like a reply is.

The profile's advice says how much to write: one line for the hurried (`short`), a greeting
and the point for most (`medium`), and for the careful reader (`long`) the facts they would
otherwise ask for, taken from the shop's knowledge file (warranty and returns after a
delivery, an answer to a doubt, the item's price and stock, how to reach the shop). Russian
switches to «ты» (`informal`) when the customer writes that way. Every text ends with how to
answer, and the stop button lets the customer end proactive messages in one tap.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from bot.replies.knowledge import Item, Knowledge, text
from bot.replies.rules.register import informal
from bot.texts.checkins import CHECKIN_TEXTS
from profiling.types import Lang

KINDS = frozenset({"delivered", "doubting", "problem", "cart", "quiet"})
LENGTHS = frozenset({"short", "medium", "long"})


@dataclass(frozen=True, slots=True)
class Message:
    """Plain text (the caller escapes it for HTML) and the stop button's label."""

    text: str
    stop_label: str


def _t(key: str, lang: Lang, **values: Any) -> str:
    return CHECKIN_TEXTS[key][lang].format(**values)


def _price(value: Decimal) -> str:
    """1 290 or 1 290.50: grouped by spaces, which read right in both languages."""
    whole = value == value.to_integral_value()
    return (f"{value:,.0f}" if whole else f"{value:,.2f}").replace(",", " ")


def _item(knowledge: Knowledge | None, name: str | None) -> Item | None:
    """The catalogue item a product name refers to (its name in either language or an alias)."""
    if knowledge is None or not name:
        return None
    wanted = name.casefold()
    for item in knowledge.catalog:
        names = {item.name.ru.casefold(), item.name.en.casefold(), item.sku.casefold()}
        if wanted in names or wanted in {a.casefold() for a in item.aliases}:
            return item
    return None


def _item_info(knowledge: Knowledge | None, name: str | None, lang: Lang) -> list[str]:
    item = _item(knowledge, name)
    if item is None or knowledge is None:
        return []
    stock = _t("checkin.in_stock" if item.in_stock else "checkin.out_of_stock", lang)
    info = _t(
        "checkin.item_info",
        lang,
        name=text(item.name, lang),
        price=_price(item.price),
        currency=knowledge.shop.currency,
        stock=stock,
    )
    return [info]


def _extras(kind: str, detail: Mapping[str, Any], k: Knowledge | None, lang: Lang) -> list[str]:
    """Facts from the knowledge file a careful reader would ask for next."""
    if k is None:
        return []
    product = detail.get("product")
    lines: list[str] = []
    if kind == "delivered":
        p = k.policies
        found = [text(pol.summary, lang) for pol in (p.warranty, p.returns, p.guarantees) if pol]
        if found:
            lines.append(" ".join(found[:2]))
    elif kind == "doubting":
        lines += _item_info(k, product, lang)
        wanted = detail.get("objection")
        chosen = next((o for o in k.objections if o.id == wanted), None)
        chosen = chosen or (k.objections[0] if k.objections else None)
        if chosen is not None:
            lines.append(text(chosen.answer, lang))
    elif kind == "problem":
        c = k.contacts
        reach = [x for x in (c.phone, c.email, text(c.hours, lang)) if x]
        if reach:
            lines.append(_t("checkin.contacts", lang, contacts=", ".join(reach)))
    elif kind in ("cart", "quiet"):
        lines += _item_info(k, product, lang)
        delivery = k.policies.delivery
        if kind == "cart" and delivery is not None:
            lines.append(text(delivery.summary, lang))
        if k.shop.order_url:
            lines.append(_t("checkin.order_link", lang, url=k.shop.order_url))
    return lines


def _fields(kind: str, detail: Mapping[str, Any], lang: Lang) -> dict[str, str]:
    """Template fields from the trigger's detail, with wording for what is missing."""
    order = detail.get("order_id")
    items = detail.get("items") or []
    product = detail.get("product") or ""
    if kind == "cart" and not product:
        product = _t("checkin.cart.items", lang)
    return {
        "order_ref": (
            _t("checkin.order_ref", lang, order=order)
            if order
            else _t("checkin.order_ref.none", lang)
        ),
        "item": _t("checkin.item", lang, item=items[0]) if items else "",
        "product": product,
        "on_product": _t("checkin.on_product", lang, product=product) if product else "",
    }


def _keys(kind: str, detail: Mapping[str, Any]) -> tuple[str, str, str]:
    """The short, lead and ask templates for this kind and detail."""
    base = f"checkin.{kind}"
    if kind == "problem" and detail.get("handoff"):
        return f"{base}.handoff.short", f"{base}.handoff.lead", f"{base}.ask"
    if kind == "quiet" and not detail.get("product"):
        return f"{base}.short.none", f"{base}.lead.none", f"{base}.ask"
    return f"{base}.short", f"{base}.lead", f"{base}.ask"


def compose_checkin(
    trigger_kind: str,
    detail: Mapping[str, Any],
    *,
    lang: Lang | str,
    length: str,
    formal: bool,
    knowledge: Knowledge | None,
    first_name: str | None,
) -> Message:
    """The check-in for a trigger (`bot.checkins.triggers.Trigger.kind` and `.detail`)."""
    if trigger_kind not in KINDS:
        raise ValueError(f"unknown check-in kind {trigger_kind!r}")
    if length not in LENGTHS:
        raise ValueError(f"unknown length {length!r}")
    lang = Lang(lang)
    fields = _fields(trigger_kind, detail, lang)
    # The templates name the product fragment `{product}`; doubting uses the prepositional one.
    if trigger_kind == "doubting":
        fields["product"] = fields["on_product"]
    short, lead, ask = _keys(trigger_kind, detail)
    if length == "short":
        parts = [CHECKIN_TEXTS[short][lang].format(**fields)]
        facts: list[str] = []
    else:
        name = f", {first_name.strip()}" if first_name and first_name.strip() else ""
        hello = _t("checkin.hello", lang, name=name)
        parts = [hello, CHECKIN_TEXTS[lead][lang].format(**fields)]
        facts = _extras(trigger_kind, detail, knowledge, lang) if length == "long" else []
    closing = [] if length == "short" else [CHECKIN_TEXTS[ask][lang].format(**fields)]
    if lang == Lang.RU and not formal:
        # Turned part by part: one sentence the list cannot turn keeps only itself polite.
        parts, facts, closing = (
            [informal(p) for p in parts],
            [informal(p) for p in facts],
            [informal(p) for p in closing],
        )
    body = " ".join(parts)
    if facts:
        body += "\n\n" + "\n".join(facts) + "\n\n" + " ".join(closing)
    elif closing:
        body += " " + closing[0]
    return Message(text=body, stop_label=_t("checkin.stop", lang))
