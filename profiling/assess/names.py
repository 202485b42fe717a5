"""Russian and English names of the engine's values: segments, intents, advice, languages.

Explanations and admin cards show these instead of internal codes; a value without a name
(added by a newer engine) is at least written out in words.
"""

from __future__ import annotations

from collections.abc import Mapping

from profiling.assess.segments import Segment
from profiling.profile.meaning import PREPURCHASE_KEY
from profiling.types import Intent, Lang

_SEGMENT_NAMES: Mapping[Segment, tuple[str, str]] = {
    Segment.URGENT: ("Срочный", "Urgent"),
    Segment.RESEARCHER: ("Исследователь", "Researcher"),
    Segment.DOUBTING_BUYER: ("Сомневающийся покупатель", "Doubting buyer"),
    Segment.RETURNING_WITH_PROBLEM: ("Вернулся с проблемой", "Returning with a problem"),
    Segment.IRRITATED: ("Раздражён", "Irritated"),
    Segment.PRICE_SENSITIVE: ("Чувствителен к цене", "Price-sensitive"),
}

_LENGTHS: Mapping[str, tuple[str, str]] = {
    "short": ("коротко", "short"),
    "medium": ("средне", "medium"),
    "long": ("подробно", "long"),
}

_INTENT_NAMES: Mapping[str, tuple[str, str]] = {
    Intent.ORDER_STATUS.value: ("статус заказа", "order status"),
    Intent.DELIVERY.value: ("доставка", "delivery"),
    Intent.RETURN_REFUND.value: ("возврат денег или товара", "return or refund"),
    Intent.COMPLAINT.value: ("жалоба", "complaint"),
    Intent.WARRANTY.value: ("гарантия", "warranty"),
    Intent.PRICE.value: ("цена и скидки", "price and discounts"),
    Intent.PRODUCT_QUESTION.value: ("вопрос о товаре", "product question"),
    Intent.COMPARISON.value: ("сравнение товаров", "product comparison"),
    Intent.BOOKING.value: ("бронь или запись", "booking"),
    Intent.HUMAN_REQUEST.value: ("просит живого оператора", "asks for a human"),
    Intent.GREETING.value: ("приветствие", "greeting"),
    Intent.THANKS.value: ("благодарность", "thanks"),
    Intent.OTHER.value: ("другое", "other"),
    PREPURCHASE_KEY: ("вопрос до покупки", "pre-purchase question"),
}

# What to mention first in the reply (`ReplyAdvice.lead_with`).
_LEAD_NAMES: Mapping[str, tuple[str, str]] = {
    "order_status": ("статуса заказа", "the order status"),
    "delivery": ("доставки", "delivery"),
    "return": ("условий возврата", "the return terms"),
    "warranty": ("гарантии", "the warranty"),
    "apology": ("извинения", "an apology"),
    "price": ("цены", "the price"),
    "comparison": ("сравнения вариантов", "a comparison"),
    "product": ("ответа о товаре", "the product answer"),
    "booking": ("брони", "the booking"),
    "handoff": ("передачи оператору", "a handoff to an operator"),
}

_LANG_NAMES: Mapping[Lang, tuple[str, str]] = {
    Lang.RU: ("русский", "Russian"),
    Lang.EN: ("английский", "English"),
}


def pick(pair: tuple[str, str], lang: Lang) -> str:
    """The Russian or the English half of a (ru, en) pair."""
    return pair[0] if lang is Lang.RU else pair[1]


def words(code: str) -> str:
    """An internal code written out in words, for values no table names yet."""
    return code.replace("_", " ")


def intent_name(intent: str, lang: Lang) -> str:
    """Human name of an intent value ("order_status" → «статус заказа» / "order status")."""
    pair = _INTENT_NAMES.get(intent)
    return pick(pair, lang) if pair else words(intent)


def lead_with_name(lead_with: str | None, lang: Lang) -> str:
    """Human name of a `ReplyAdvice.lead_with` value; a dash when there is none."""
    if lead_with is None:
        return "—"
    pair = _LEAD_NAMES.get(lead_with)
    return pick(pair, lang) if pair else words(lead_with)


def segment_name(segment: Segment, lang: Lang) -> str:
    return pick(_SEGMENT_NAMES[segment], lang)


def length_name(length: str, lang: Lang) -> str:
    """Human name of a `ReplyAdvice.length` value."""
    pair = _LENGTHS.get(length)
    return pick(pair, lang) if pair else words(length)


def language_name(language: Lang, lang: Lang) -> str:
    return pick(_LANG_NAMES[language], lang)
