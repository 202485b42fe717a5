"""One message's analysis as plain values, defined once: what is stored next to a message
and what `barista analyze` writes per line use the same names, order and rounding."""

from __future__ import annotations

from typing import Any

from profiling.types import MessageSignals

SUMMARY_FIELDS: tuple[str, ...] = (
    "lang",
    "sentiment",
    "polarity",
    "irritation",
    "waiting_complaint",
    "intent",
    "intent_confidence",
    "questions",
    "formality",
    "polite",
    "urgent",
    "chars",
    "asks_clarification",
)


def summary_values(signals: MessageSignals) -> tuple[Any, ...]:
    """The values of `SUMMARY_FIELDS`, in that order (str, float rounded to 3, int, bool)."""
    sentiment = signals.sentiment
    intent = signals.intent
    return (
        signals.lang.value,
        sentiment.label.value,
        round(sentiment.polarity, 3),
        round(sentiment.irritation, 3),
        sentiment.waiting_complaint,
        intent.intent.value,
        round(intent.confidence, 3),
        signals.questions,
        round(signals.formality, 3),
        signals.polite,
        signals.urgent,
        signals.chars,
        signals.asks_clarification,
    )


def signal_summary(signals: MessageSignals) -> dict[str, Any]:
    return dict(zip(SUMMARY_FIELDS, summary_values(signals), strict=True))
