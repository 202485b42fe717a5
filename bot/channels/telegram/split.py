"""Cutting a long HTML text into parts Telegram accepts (4096 characters each)."""

from __future__ import annotations

TELEGRAM_TEXT_LIMIT = 4096


def _safe_cut(window: str, cut: int) -> int:
    """Move a cut back out of an HTML tag or entity (`<b …>`, `&amp;`)."""
    for opener, closer in (("<", ">"), ("&", ";")):
        start = window.rfind(opener, 0, cut)
        if start != -1 and window.find(closer, start, cut) == -1 and start > 0:
            cut = start
    return cut


def split_text(text: str, limit: int = TELEGRAM_TEXT_LIMIT) -> list[str]:
    """Split at paragraph, then line, then word boundaries so no part exceeds `limit`."""
    parts: list[str] = []
    rest = text
    while len(rest) > limit:
        window = rest[:limit]
        # Prefer a paragraph break, then a line break, then a space, in the second half.
        cut = next(
            (
                found
                for separator in ("\n\n", "\n", " ")
                if (found := window.rfind(separator)) >= limit // 2
            ),
            limit,
        )
        cut = _safe_cut(window, cut)
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest.strip():
        parts.append(rest)
    return parts
