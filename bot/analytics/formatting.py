"""Numbers as an admin reads them: rates, signed differences, durations, money, counts —
in Russian or English. Pure."""

from __future__ import annotations

from bot.replies.rules.grounded import money as shop_money
from profiling.types import Lang

DASH = "—"


def count(n: int) -> str:
    """1234567 → "1 234 567" (a thin-space-free plain space, as Russian writes it; English
    gets commas)."""
    return f"{n:,}".replace(",", " ")


def decimal(text: str, lang: Lang | None) -> str:
    """Russian writes a decimal comma: "5,7 %"."""
    return text.replace(".", ",") if lang is Lang.RU else text


def rate(part: int, whole: int, lang: Lang | None = None) -> str:
    """A share in per cent with one decimal; a dash when there is nothing to divide."""
    if whole <= 0:
        return DASH
    return decimal(f"{100.0 * part / whole:.1f} %", lang)


def fraction(value: float | None, lang: Lang | None = None) -> str:
    """A 0..1 value as per cent with one decimal."""
    return DASH if value is None else decimal(f"{100.0 * value:.1f} %", lang)


def points(value: float | None, lang: Lang) -> str:
    """A signed difference of two rates (fractions), in percentage points."""
    if value is None:
        return DASH
    unit = "п.п." if lang is Lang.RU else "pp"
    number = decimal(f"{100.0 * value:+.1f}".replace("-", "−"), lang)
    return f"{number} {unit}"


def duration(seconds: float | None, lang: Lang, *, signed: bool = False) -> str:
    """Seconds as "1 ч 5 мин" / "1 h 5 min" (days past 48 hours; seconds under a minute)."""
    if seconds is None:
        return DASH
    sign = ""
    if signed:
        sign = "−" if seconds < 0 else "+"
    seconds = abs(seconds)
    ru = lang is Lang.RU
    if seconds < 60:
        return f"{sign}{seconds:.0f} {'с' if ru else 's'}"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{sign}{minutes} {'мин' if ru else 'min'}"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        tail = f" {minutes} {'мин' if ru else 'min'}" if minutes else ""
        return f"{sign}{hours} {'ч' if ru else 'h'}{tail}"
    days, hours = divmod(hours, 24)
    tail = f" {hours} {'ч' if ru else 'h'}" if hours else ""
    return f"{sign}{days} {'дн.' if ru else 'd'}{tail}"


def score(value: float | None, digits: int = 2, lang: Lang | None = None) -> str:
    return DASH if value is None else decimal(f"{value:.{digits}f}", lang)


def signed(value: float | None, digits: int = 2, lang: Lang | None = None) -> str:
    return DASH if value is None else decimal(f"{value:+.{digits}f}".replace("-", "−"), lang)


def money(amount: float, currency: str, lang: Lang) -> str:
    return decimal(shop_money(round(amount, 2), currency, lang), lang)


def change(now: int, before: int | None) -> str:
    """How a count moved: "(+12)", "(−3)", "(=)"; nothing without a count to compare to."""
    if before is None:
        return ""
    delta = now - before
    if delta == 0:
        return "(=)"
    return f"({delta:+d})".replace("-", "−")
