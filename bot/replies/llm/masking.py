"""Personal data out of text before it leaves for an LLM or a log: phones, e-mails, cards.

Pure: no I/O. Order matters. E-mail addresses go first (an address is one token, and the
digits inside it must not be read as a phone). Card numbers go next: 13–19 digits from 2–6
that pass the Luhn check, so that "4111 1111 1111 1111" is never half taken for a phone.
Phones last.

Phones are found by `phonenumbers` at `Leniency.VALID`: a number must be a real, assigned
range of its country, written with "+" or in the customer's `region` ("8 999 …", "999 …" in
Russia). `POSSIBLE` is too loose for shop talk — it takes "1234567", "123-45-67", bare
ten-digit order numbers and «2 890 000 ₽» for phones; `STRICT_GROUPING` misses numbers people
group their own way ("8 999 12 345 67", "+44 2079 460958"), `EXACT_GROUPING` even
"+7 999 1234567". Order numbers ("A-77812", "58213", "#123456"), prices,
dates, clock times and model names ("S24 Ultra", "V15") are not valid numbers and stay.

The library's matcher gives up on a phone glued to the next number ("+7 999 123 45 67 2
штуки": it reads "…67 2" as one candidate and fails), so phone-shaped runs it did not take
are tried again here, trimmed by whole groups from either end.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers

PHONE, EMAIL, CARD = "[phone]", "[email]", "[card]"

# local@domain.tld; domains may be Cyrillic («почта@магазин.рф») or punycode ("xn--p1ai").
_EMAIL_RE = re.compile(
    r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.(?:[^\W\d_]{2,}|xn--[a-z0-9-]+)(?![\w-])",
    re.IGNORECASE,
)
# Digits with at most one space or hyphen between them; a "+" before means a phone.
_DIGIT_RUN_RE = re.compile(r"(?<![\w+])\d(?:[ \u00a0-]?\d)*(?![\w])")
_CARD_MIN, _CARD_MAX = 13, 19
# Payment cards start with 2–6 (Mir and Mastercard 2, Amex and JCB 3, Visa 4, Mastercard and
# Maestro 5, UnionPay and Discover 6). Russian phones start with 7, 8 or 9: "8 999 123 45 67 12"
# passes Luhn by chance one time in ten, and is a phone and a quantity, not a card.
_CARD_FIRST = frozenset("23456")
# A phone-shaped run for the second chance: "+", digits, single separators and brackets.
_PHONE_RUN_RE = re.compile(r"(?<![\w+.,/:])(?:\+|\(\+?)?\d(?:[ \u00a0-]?[()]?[ \u00a0-]?\d){6,18}")
_MIN_PHONE_DIGITS = 7
# The matcher skips dates and clock times on its own; the second chance must, too
# ("2026-12-02 18:30" would otherwise be a Washington number in the US).
_DATE_OR_TIME_RE = re.compile(r"\d{4}-\d\d-\d\d|\d\d-\d\d-\d{4}|:\d")


@dataclass(frozen=True)
class Masked:
    """The masked text and how many of each kind were replaced (for logs and metrics)."""

    text: str
    phones: int
    emails: int
    cards: int


def mask_personal(text: str, *, region: str = "RU") -> str:
    """`text` with phones as "[phone]", e-mails as "[email]" and card numbers as "[card]"."""
    return mask(text, region=region).text


def mask(text: str, *, region: str = "RU") -> Masked:
    """Mask personal data; `region` is where a number written without "+" is read."""
    has_digit = any(ch.isdigit() for ch in text)
    if not has_digit and "@" not in text:  # most messages: nothing to do
        return Masked(text, 0, 0, 0)
    emails = cards = phones = 0
    if "@" in text:
        text, emails = _EMAIL_RE.subn(EMAIL, text)
    if has_digit:
        text, cards = _mask_cards(text)
        text, phones = _mask_phones(text, region)
    return Masked(text, phones, emails, cards)


def luhn_ok(digits: str) -> bool:
    """The Luhn checksum every payment card number carries."""
    total = 0
    for index, ch in enumerate(reversed(digits)):
        value = int(ch)
        if index % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _replace(text: str, spans: list[tuple[int, int]], token: str) -> str:
    for start, end in sorted(spans, reverse=True):
        text = text[:start] + token + text[end:]
    return text


def _groups(run: str, offset: int) -> list[tuple[int, int, str]]:
    """(start, end, digits) of each separator-delimited group of a digit run."""
    return [(offset + m.start(), offset + m.end(), m.group()) for m in re.finditer(r"\d+", run)]


def _card_in(groups: list[tuple[int, int, str]]) -> tuple[int, int] | None:
    """The longest window of whole groups that is a Luhn-valid card number, leftmost first."""
    best: tuple[int, int] | None = None
    best_len = 0
    for i in range(len(groups)):
        if groups[i][2][0] not in _CARD_FIRST:
            continue
        digits = ""
        for j in range(i, len(groups)):
            digits += groups[j][2]
            if len(digits) > _CARD_MAX:
                break
            if len(digits) >= max(_CARD_MIN, best_len + 1) and luhn_ok(digits):
                best, best_len = (groups[i][0], groups[j][1]), len(digits)
    return best


def _mask_cards(text: str) -> tuple[str, int]:
    if sum(ch.isdigit() for ch in text) < _CARD_MIN:
        return text, 0
    spans: list[tuple[int, int]] = []
    for m in _DIGIT_RUN_RE.finditer(text):
        groups = _groups(m.group(), m.start())
        while groups:
            span = _card_in(groups)
            if span is None:
                break
            spans.append(span)
            groups = [g for g in groups if g[0] >= span[1]]  # more cards after it?
    return _replace(text, spans, CARD), len(spans)


def _valid_phone(candidate: str, region: str) -> bool:
    try:
        number = phonenumbers.parse(candidate, region)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_valid_number(number)


def _trimmed_phone(run: str, offset: int, region: str) -> tuple[int, int] | None:
    """The run itself, else its longest prefix or suffix of whole space-separated groups, when
    that is a valid phone."""
    parts = [(m.start(), m.end()) for m in re.finditer(r"\S+", run)]
    for size in range(len(parts), 0, -1):
        for first in (0, len(parts) - size):
            start, end = parts[first][0], parts[first + size - 1][1]
            piece = run[start:end]
            if sum(ch.isdigit() for ch in piece) >= _MIN_PHONE_DIGITS and _valid_phone(
                piece, region
            ):
                return offset + start, offset + end
    return None


def _mask_phones(text: str, region: str) -> tuple[str, int]:
    if sum(ch.isdigit() for ch in text) < _MIN_PHONE_DIGITS:
        return text, 0
    spans = [
        (m.start, m.end)
        for m in phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.VALID)
    ]
    for m in _PHONE_RUN_RE.finditer(text):
        if any(start < m.end() and m.start() < end for start, end in spans):
            continue
        if _DATE_OR_TIME_RE.search(text, m.start(), m.end() + 2):
            continue
        span = _trimmed_phone(m.group().rstrip(" -("), m.start(), region)
        if span is not None:
            spans.append(span)
    return _replace(text, spans, PHONE), len(spans)
