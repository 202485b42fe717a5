"""Quantities («2 штуки», «пару», «три», "2 pcs", "a couple") and money («до 30 тысяч», «30к»,
«30 000 ₽», "$500", "under 500 dollars", «не дороже 20 тыс») with their bounds.

A number is only money when something says so: a currency, a thousands word («тыс», "k"), or
a budget word («бюджет 30000»). A number is only a quantity with a unit («шт», "pcs", "x2"),
right before a product the catalogue found («2 айфона»), or as a number word after a buying
verb («возьму три»). «Пару»/"a couple of" is two unless the next word is not a thing one
buys («пару слов», "a couple of days"). Phones, order numbers, dates and model names ("S8")
are claimed before these run (`extract`), and a digit glued to letters is never a number.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from profiling.entities.types import Bound, Money, Quantity

_I = re.IGNORECASE

# ----- money -----

_MAX_WORDS = (
    r"до|не\s+дороже|не\s+больше|не\s+более|максимум|макс\.?|в\s+пределах|бюджет\w*(?:\s+до)?"
    r"|under|up\s+to|below|less\s+than|max(?:imum)?|no\s+more\s+than|at\s+most|within"
    r"|budget(?:\s+(?:of|is|up\s+to))?"
)
_MIN_WORDS = (
    r"от|не\s+дешевле|не\s+меньше|не\s+менее|свыше|дороже|больше|from|over|above|more\s+than"
    r"|at\s+least|min(?:imum)?|starting\s+(?:at|from)"
)
# "30 000", "1,299.99", "4990", «1,5»: spaced or comma thousands first, then a plain number.
_NUMBER = (
    r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:[.,]\d{1,2})?"
    r"|\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?|\d+(?:[.,]\d{1,2})?"
)
_CURRENCY_AFTER = (
    r"₽|руб(?:л(?:ей|я|ь))?\.?|р\.|р|rub|rur|\$|usd|долл\w*|dollars?|bucks|€|eur|евро|euros?"
    r"|£|gbp|фунт\w*|pounds?"
)
_MONEY_RE = re.compile(
    rf"(?<![\w.,])(?:(?P<max>{_MAX_WORDS})\s+|(?P<min>{_MIN_WORDS})\s+)?"
    rf"(?P<pre>[$€£₽])?\s?(?P<num>{_NUMBER})"
    r"(?:(?P<k>[кk])(?!\w)|\s?(?P<mult>тыс(?:яч[аи]?|\.)?|тысяч|thousand|grand|млн\.?|миллион\w*"
    r"|million|mln)(?!\w))?"
    rf"(?:\s?(?P<cur>{_CURRENCY_AFTER})(?!\w))?",
    _I,
)
_CURRENCIES = (
    ("₽", "RUB"), ("руб", "RUB"), ("р", "RUB"), ("rub", "RUB"), ("rur", "RUB"),
    ("$", "USD"), ("usd", "USD"), ("долл", "USD"), ("dollar", "USD"), ("bucks", "USD"),
    ("€", "EUR"), ("eur", "EUR"), ("евро", "EUR"), ("£", "GBP"), ("gbp", "GBP"),
    ("фунт", "GBP"), ("pound", "GBP"),
)  # fmt: skip
# Between the two ends of a range; «до» itself is read as the second end's bound word.
_RANGE_JOIN = re.compile(r"\s*(?:(?:to|-|–|—|and)\s*)?", _I)


def _amount(number: str) -> float:
    digits = number.replace(" ", "").replace("\u00a0", "").replace("\u202f", "")
    if "," in digits and "." in digits:
        digits = digits.replace(",", "")
    elif "," in digits:
        whole, _, fraction = digits.rpartition(",")
        # "1,500" is a thousands comma; «1,5» a decimal one.
        digits = digits.replace(",", "") if len(fraction) == 3 else f"{whole}.{fraction}"
    return float(digits)


def _currency(symbol: str | None) -> str | None:
    if not symbol:
        return None
    symbol = symbol.lower()
    return next((code for prefix, code in _CURRENCIES if symbol.startswith(prefix)), None)


def find_money(text: str) -> list[Money]:
    """Sums of money in order of appearance; a range («от 10 до 20 тысяч») is two bounds."""
    if not any(ch.isdigit() for ch in text):
        return []
    raw = list(_MONEY_RE.finditer(text))
    found: list[Money] = []
    range_ends: set[int] = set()  # candidates that close a range: their bound is "max"
    for index, m in enumerate(raw):
        pre, cur, k, mult = m.group("pre"), m.group("cur"), m.group("k"), m.group("mult")
        max_word = (m.group("max") or "").lower()
        follower = raw[index + 1] if index + 1 < len(raw) else None
        in_range = (
            follower is not None
            and not max_word
            and _RANGE_JOIN.fullmatch(text, m.end(), follower.start()) is not None
            # joined by "to"/"-", or «от X до Y»; two prices side by side are not a range
            and bool(text[m.end() : follower.start()].strip() or follower.group("max"))
        )
        if in_range:
            assert follower is not None
            range_ends.add(index + 1)
            if not (pre or cur or k or mult):
                # «от 10 до 20 тысяч»: the first number borrows the second one's unit.
                k, mult, cur = follower.group("k"), follower.group("mult"), follower.group("cur")
                pre = follower.group("pre")
        if not (pre or cur or k or mult) and not max_word.startswith(("бюджет", "budget")):
            continue
        amount = _amount(m.group("num"))
        if k or (mult and mult.lower().startswith(("тыс", "thousand", "grand"))):
            amount *= 1000
        elif mult:
            amount *= 1_000_000
        bound: Bound | None = "max" if max_word or index in range_ends else None
        if m.group("min") or in_range:
            bound = "min"
        found.append(Money(amount, _currency(pre or cur), bound, m.group(0), m.start(), m.end()))
    return found


# ----- quantities -----

_UNIT = r"штук[аиу]?|шт\.?|pcs\.?|pieces?|units?|items?|пачк\w*|упаковк\w*|packs?|boxes|box"
_NUMBER_WORDS: dict[str, int] = {
    "один": 1, "одну": 1, "одна": 1, "два": 2, "две": 2, "три": 3, "четыре": 4, "пять": 5,
    "шесть": 6, "семь": 7, "восемь": 8, "девять": 9, "десять": 10, "one": 1, "two": 2,
    "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
}  # fmt: skip
_WORDS = "|".join(_NUMBER_WORDS)
_NUMBER_UNIT_RE = re.compile(rf"(?<![\w.,:/])(?P<n>\d{{1,4}}|{_WORDS})\s*(?P<u>{_UNIT})(?!\w)", _I)
_TIMES_RE = re.compile(r"(?<![\w.,])(?:[xх×]\s?(?P<n>\d{1,3})|(?P<n2>\d{1,3})\s?[xх×])(?!\w)", _I)
_PAIR_RE = re.compile(
    r"(?<!\w)(?P<w>пару|пара|парочку|a\s+couple(?:\s+of)?|couple\s+of|a\s+pair\s+of)(?!\w)"
    r"(?:\s+(?P<next>[^\W\d_]+))?",
    _I,
)
# Nouns after «пару»/"a couple of" that are not goods.
_NOT_GOODS = re.compile(
    r"слов\w*|вопрос\w*|минут\w*|секунд\w*|дн\w*|день|час\w*|недел\w*|месяц\w*|раз|момент\w*"
    r"|уточнен\w*|лет|мысл\w*|word|question|minute|second|day|hour|week|month|time|thing|year"
    r"|moment|detail",
    _I,
)
_BARE_RE = re.compile(rf"(?<![\w.,:/])(?P<n>\d{{1,3}}|{_WORDS})(?![\w.,:/]|\s*%)", _I)
_BUY_BEFORE = re.compile(
    r"(?:возьму|беру|берем|берём|нужн\w*|надо|закажу|заказать|закажем|куплю|купить|хочу|дайте"
    r"|добавьте|take|buy|order|need|want|get|add)\s+$",
    _I,
)


def _count(value: str) -> int:
    return int(value) if value.isdigit() else _NUMBER_WORDS[value.lower()]


def find_quantities(
    text: str, products: Sequence[tuple[int, int]] = (), *, expecting: bool = False
) -> list[Quantity]:
    """Quantities in order of appearance. `products` are the character spans of catalogue
    mentions: a number right before one is how many of it. With `expecting` (the bot just
    asked how many) a bare number is the answer."""
    found: list[Quantity] = []

    def add(count: int, unit: str | None, start: int, end: int) -> None:
        if 0 < count <= 9999 and not any(q.start < end and start < q.end for q in found):
            found.append(Quantity(count, unit, text[start:end], start, end))

    for m in _NUMBER_UNIT_RE.finditer(text):
        add(_count(m.group("n")), "pcs", m.start(), m.end())
    for m in _TIMES_RE.finditer(text):
        add(int(m.group("n") or m.group("n2")), None, m.start(), m.end())
    for m in _PAIR_RE.finditer(text):
        following = m.group("next")
        if following and _NOT_GOODS.match(following):
            continue
        add(2, None, m.start(), m.end("w"))
    product_starts = {start for start, _ in products}
    for m in _BARE_RE.finditer(text):
        after = len(text) - len(text[m.end() :].lstrip())
        before = text[max(0, m.start() - 20) : m.start()]
        if _NOT_GOODS.match(text, after):
            continue  # "need 15 minutes", «возьму три дня»: a duration, not goods
        if after in product_starts or expecting or _BUY_BEFORE.search(before):
            add(_count(m.group("n")), None, m.start(), m.end())
    found.sort(key=lambda q: q.start)
    return found
