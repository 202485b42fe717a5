"""What one incoming message led to: the value every message entrance of the core returns."""

from __future__ import annotations

from dataclasses import dataclass

from bot.channels.sender import SendResult
from profiling.engine import Assessment
from profiling.profile.timing import TimingSignals
from profiling.types import MessageSignals


@dataclass(frozen=True, slots=True)
class Turn:
    """What one incoming message led to."""

    stored: bool  # False: the channel delivered this message before, and it was skipped
    signals: MessageSignals | None
    timing: TimingSignals | None
    assessment: Assessment | None
    reply_text: str | None
    delivery: SendResult | None
