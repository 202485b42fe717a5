"""Answers about the customer's orders from what the shop reported: the status of the order
they mean, or the one thing still missing to find it — never a promise to "check" that no
code keeps.

Which order: the number the customer gave (now, or earlier in this dialog); else their only
open order; else their latest order when they have no open one. Several open orders and no
number: the bot names them and asks which. Not linked to the shop: the bot says how to link
(the phone button, /link) instead of pretending to look.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.replies.base import OrderView, Reply, ReplyContext
from profiling.types import Lang

OPEN_STATUSES = frozenset({"created", "paid", "shipped"})

STATUS: dict[str, dict[Lang, str]] = {
    "created": {Lang.RU: "оформлен и ждёт оплаты", Lang.EN: "is placed and awaiting payment"},
    "paid": {Lang.RU: "оплачен, мы его собираем", Lang.EN: "is paid, and we're packing it"},
    "shipped": {Lang.RU: "передан в доставку", Lang.EN: "is on its way to you"},
    "delivered": {Lang.RU: "доставлен", Lang.EN: "has been delivered"},
    "returned": {Lang.RU: "возвращён", Lang.EN: "has been returned"},
    "cancelled": {Lang.RU: "отменён", Lang.EN: "has been cancelled"},
}

_ORDER = {Lang.RU: "Заказ", Lang.EN: "Order"}


def _key(number: str) -> str:
    return number.strip().lstrip("#№").replace(" ", "").upper()


def _find(orders: Sequence[OrderView], number: str) -> OrderView | None:
    wanted = _key(number)
    for order in orders:
        if _key(order.shop_order_id) == wanted:
            return order
    # "58213" for an order the shop calls "A-58213": the digits alone, when unambiguous.
    digits = "".join(ch for ch in wanted if ch.isdigit())
    matches = [
        o for o in orders if digits and "".join(filter(str.isdigit, o.shop_order_id)) == digits
    ]
    return matches[0] if len(matches) == 1 else None


def _money(total: float, currency: str, lang: Lang) -> str:
    amount = f"{total:,.0f}".replace(",", "\u00a0") if total == int(total) else f"{total:,.2f}"
    sign = {"RUB": "₽", "USD": "$", "EUR": "€", "GBP": "£"}.get(currency)
    return f"{amount}\u00a0{sign}" if sign else f"{amount} {currency}"


def describe(order: OrderView, lang: Lang, *, detailed: bool) -> str:
    status = STATUS.get(order.status, {Lang.RU: order.status, Lang.EN: order.status})[lang]
    text = f"{_ORDER[lang]} {order.shop_order_id} {status}."
    if detailed:
        items = ", ".join(order.items[:3])
        total = _money(order.total, order.currency, lang)
        when = order.ordered_at.strftime("%d.%m.%Y")
        if lang is Lang.RU:
            text += f" В нём: {items}; сумма {total}; оформлен {when}." if items else ""
        else:
            text += f" It has: {items}; total {total}; placed {when}." if items else ""
    return text


def _next_step(order: OrderView, lang: Lang) -> str:
    if order.status == "delivered":
        return (
            "Если с ним что-то не так, опишите, что случилось, — подскажу, как решить."
            if lang is Lang.RU
            else "If anything is wrong with it, tell me what happened and I'll help sort it out."
        )
    if order.status in OPEN_STATUSES:
        return (
            "Как только статус изменится, он появится здесь, когда вы спросите."
            if lang is Lang.RU
            else "When the status changes, you'll see it here whenever you ask."
        )
    return ""


def order_reply(ctx: ReplyContext, lang: Lang, *, short: bool) -> Reply:
    """The reply to a question about an order (or to the order number the bot asked for)."""
    numbers = ctx.order_numbers
    orders = ctx.orders
    if numbers:
        number = numbers[0]
        order = _find(orders, number)
        if order is not None:
            parts = [describe(order, lang, detailed=not short)]
            if not short and (step := _next_step(order, lang)):
                parts.append(step)
            return Reply(" ".join(parts), topic="order")
        if ctx.linked:
            known = ", ".join(o.shop_order_id for o in orders[:5])
            text = (
                (
                    f"Заказа {number} среди ваших нет. Ваши заказы: {known}. Проверьте номер?"
                    if lang is Lang.RU
                    else f"I can't find order {number} among yours: {known}. Could you check the "
                    "number?"
                )
                if known
                else _not_found_unlinked(number, lang)
            )
            return Reply(text, asks="order_number", topic="order")
        return Reply(_not_found_unlinked(number, lang), topic="order")
    if orders:
        open_orders = [o for o in orders if o.status in OPEN_STATUSES]
        if len(open_orders) == 1 or (not open_orders and orders):
            order = open_orders[0] if open_orders else orders[0]
            parts = [describe(order, lang, detailed=not short)]
            if not short and (step := _next_step(order, lang)):
                parts.append(step)
            return Reply(" ".join(parts), topic="order")
        listed = " ".join(describe(o, lang, detailed=False) for o in open_orders[:5])
        ask = "О каком речь?" if lang is Lang.RU else "Which one do you mean?"
        return Reply(f"{listed} {ask}", asks="order_number", topic="order")
    if ctx.linked:
        text = (
            "Заказов от вас я пока не вижу. Пришлите номер заказа — найду его."
            if lang is Lang.RU
            else "I don't see any orders from you yet. Send me the order number and I'll find it."
        )
        return Reply(text, asks="order_number", topic="order")
    asked_before = ctx.dialog.asked.get("order_number", 0) if ctx.dialog is not None else 0
    return Reply(_ask_number(lang, asked_before), asks="order_number", topic="order")


def _ask_number(lang: Lang, asked_before: int) -> str:
    """Asking for the order number; a second time, another way (where to find it), so the
    customer never reads the same request twice."""
    if asked_before == 0:
        return (
            "Пришлите номер заказа. Или нажмите /link и поделитесь номером телефона — тогда я "
            "сам найду ваши заказы."
            if lang is Lang.RU
            else "Send me the order number. Or tap /link and share your phone number, and I'll "
            "find your orders myself."
        )
    return (
        "Номер заказа есть в письме или SMS о покупке, например 58213 или A-77812. Если его "
        "под рукой нет, нажмите /link: по номеру телефона я найду заказы сам."
        if lang is Lang.RU
        else "The order number is in the purchase e-mail or SMS, e.g. 58213 or A-77812. If you "
        "don't have it to hand, tap /link and I'll find your orders by your phone number."
    )


def _not_found_unlinked(number: str, lang: Lang) -> str:
    if lang is Lang.RU:
        return (
            f"Пока не вижу заказ {number}: этот чат ещё не связан с магазином. Нажмите /link и "
            "поделитесь номером телефона, на который оформлен заказ, — и я покажу его статус."
        )
    return (
        f"I can't see order {number} yet: this chat isn't linked to the shop. Tap /link and share "
        "the phone number the order was placed with, and I'll show its status."
    )
