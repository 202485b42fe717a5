"""Phone numbers as people type them, turned into one comparable form (E.164)."""

from __future__ import annotations

import phonenumbers

# Numbers written without a country code are read as this country's (8 999 … in Russia).
DEFAULT_REGION = "RU"


def normalize_phone(raw: str, region: str = DEFAULT_REGION) -> str | None:
    """`+79991234567` for "8 (999) 123-45-67"; None for anything that is not a possible
    phone number. Telegram shares contacts without the plus ("79991234567"), so a number
    of 11+ digits without one is tried as international first."""
    text = raw.strip()
    if not text or len(text) > 32:
        return None
    candidates = [text]
    digits = "".join(ch for ch in text if ch.isdigit())
    if not text.startswith("+") and len(digits) >= 11 and not digits.startswith("8"):
        candidates.insert(0, "+" + digits)
    for candidate in candidates:
        try:
            number = phonenumbers.parse(candidate, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return None
