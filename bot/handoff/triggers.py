"""When the bot calls a person: pure rules over what the core already knows.

In this order, the first that holds wins: the customer asked for a person ("asked");
irritation at or above HANDOFF_IRRITATION ("irritation"); the third message in a row the bot
could not answer — two misses before this one, and this one missed too ("failed_twice"); lead
hotness at or above HANDOFF_HOTNESS ("hot_lead"). Never while a handoff is open. The holdout
group is handed over like everyone: a person is service, not adaptation.

The automatic triggers (all but "asked") stay quiet for a while after a handoff ended: an
irritated customer who was just told nobody is free must not be told "calling a colleague" on
the next message again. Asking explicitly always works.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from profiling.assess.segments import Segment
from profiling.engine import Assessment
from profiling.types import Intent
from storage.models.handoff import (
    REASON_ASKED,
    REASON_FAILED_TWICE,
    REASON_HOT_LEAD,
    REASON_IRRITATION,
)

# The bot's replies in a row that could not answer, before this message: with this one
# missed too, the question has failed twice after the first try.
MISSES_BEFORE = 2
AUTOMATIC = frozenset({REASON_IRRITATION, REASON_FAILED_TWICE, REASON_HOT_LEAD})
DEFAULT_COOLDOWN = timedelta(hours=2)


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Scores (0-100) at which the bot calls a person; 101 turns a trigger off."""

    irritation: int = 85
    hotness: int = 90
    cooldown: timedelta = DEFAULT_COOLDOWN  # automatic triggers' pause after a handoff ended

    def __post_init__(self) -> None:
        for name in ("irritation", "hotness"):
            if not 1 <= getattr(self, name) <= 101:
                raise ValueError(f"{name} threshold must be 1-101, got {getattr(self, name)}")


def irritation_of(assessment: Assessment | None) -> int:
    """The irritated segment's value on the 0-100 scale of the thresholds."""
    if assessment is None:
        return 0
    score = assessment.segments.get(Segment.IRRITATED)
    return 0 if score is None else round(score.value * 100)


def hotness_of(assessment: Assessment | None) -> int:
    return 0 if assessment is None else assessment.hotness.value


def decide(
    *,
    intent: Intent,
    assessment: Assessment | None,
    misses: int,
    missed: bool,
    thresholds: Thresholds,
    already_open: bool = False,
    last_ended_at: datetime | None = None,
    now: datetime | None = None,
) -> str | None:
    """The reason to call a person now, or None.

    `misses`: the bot's replies in a row that could not answer, before this message;
    `missed`: this message's reply could not answer either (False while not composed yet);
    `assessment`: None when the customer objected to profiling (then only asking and
    failing questions count); `last_ended_at`: when the customer's latest handoff ended.
    """
    if already_open:
        return None
    if intent is Intent.HUMAN_REQUEST:
        return REASON_ASKED
    if last_ended_at is not None and now is not None and now - last_ended_at < thresholds.cooldown:
        return None
    if irritation_of(assessment) >= thresholds.irritation:
        return REASON_IRRITATION
    if missed and misses >= MISSES_BEFORE:
        return REASON_FAILED_TWICE
    if assessment is not None and hotness_of(assessment) >= thresholds.hotness:
        return REASON_HOT_LEAD
    return None
