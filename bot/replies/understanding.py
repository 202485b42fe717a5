"""What the bot takes from a message beyond its intent: the entities the responder needs,
read with the pure extractors of `profiling.entities` and the shop's own formats."""

from __future__ import annotations

from collections.abc import Sequence

from profiling.entities.orders import OrderNumberFormats, find_order_numbers

__all__ = ["OrderNumberFormats", "order_formats", "order_numbers_in"]


def order_formats(patterns: str | None) -> OrderNumberFormats:
    r"""ORDER_NUMBER_PATTERNS (regular expressions separated by spaces; a comma belongs to a
    pattern, as in `\d{4,8}`) compiled once; empty: the usual forms. A bad pattern raises
    `ValueError` naming it."""
    parts: Sequence[str] = (patterns or "").split()
    try:
        return OrderNumberFormats.from_patterns(parts or None)
    except Exception as exc:  # re.error: name the pattern, not a traceback
        raise ValueError(f"ORDER_NUMBER_PATTERNS has a bad pattern: {exc}") from None


def order_numbers_in(
    text: str, *, expecting: bool, formats: OrderNumberFormats | None
) -> tuple[str, ...]:
    """Order numbers the message names; with `expecting` (the bot just asked for one) a
    bare number counts too."""
    return tuple(
        found.number for found in find_order_numbers(text, formats, expecting_order=expecting)
    )
