"""Phone numbers and e-mail addresses.

Phones are recognised by shape only (profiling is pure and cannot import `phonenumbers`):
10–15 digits, optionally with "+", spaces, dashes and brackets between them. A bare run of
digits without any of those is only a phone when it looks like one (11 digits from 7, 8 or 0,
or a 10-digit Russian mobile from 9): a bare "1234567890" is more likely an order number.
"""

from __future__ import annotations

import re

from profiling.entities.types import Email, Phone

# A digit, then digits each separated by at most one bracket/dash and one space
# ("+7 (916) 123-45-67", "8-916-123-45-67", "+44 20 7946 0958", "(555) 123-4567").
_PHONE_RE = re.compile(r"(?<![\w+.,/:])(\+)?\(?\d(?:[\s\-]?[()]?[\s\-]?\d){9,16}(?![\w.,]\d|\w)")
_SEPARATORS = frozenset(" -()\u00a0")
_EMAIL_RE = re.compile(
    r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-zA-Z]{2,}(?![\w-])", re.UNICODE
)
MIN_DIGITS, MAX_DIGITS = 10, 15


def _bare_phone(digits: str) -> bool:
    if len(digits) == 11:
        return digits[0] in "780"
    return len(digits) == 10 and digits[0] == "9"


def _trim_russian(raw: str) -> str:
    """A Russian number (+7/7/8 and ten digits) swallowed the number after it
    ("+7 916 123-45-67 2 штуки"): cut it at the space after its eleventh digit."""
    digits = 0
    for index, ch in enumerate(raw):
        if ch.isdigit():
            digits += 1
            if digits == 1 and ch not in "78":
                return raw
            if digits == 11:
                rest = raw[index + 1 :]
                return raw[: index + 1] if rest[:1].isspace() else raw
    return raw


def find_phones(text: str) -> list[Phone]:
    """Phone numbers in order of appearance; `number` is digits only, "+" kept when written."""
    if sum(ch.isdigit() for ch in text) < MIN_DIGITS:  # most messages: no regex at all
        return []
    found: list[Phone] = []
    for match in _PHONE_RE.finditer(text):
        raw = _trim_russian(match.group(0).rstrip(" -("))
        digits = "".join(ch for ch in raw if ch.isdigit())
        if not MIN_DIGITS <= len(digits) <= MAX_DIGITS:
            continue
        plus = match.group(1) is not None
        if not plus and not any(ch in _SEPARATORS for ch in raw) and not _bare_phone(digits):
            continue
        found.append(
            Phone(("+" if plus else "") + digits, raw, match.start(), match.start() + len(raw))
        )
    return found


def find_emails(text: str) -> list[Email]:
    if "@" not in text:
        return []
    return [
        Email(m.group(0).lower(), m.group(0), m.start(), m.end()) for m in _EMAIL_RE.finditer(text)
    ]
