"""What every responder receives and must return, whatever produces the words."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from profiling.assess.advice import ReplyAdvice
from profiling.engine import Assessment
from profiling.types import Intent, Lang, MessageSignals, SourceContext


@dataclass(frozen=True, slots=True)
class HistoryItem:
    direction: str  # "in" or "out"
    text: str


@dataclass(frozen=True, slots=True)
class ReplyContext:
    """Everything a responder may use: the message, the profile's advice, the context.

    `adaptive` is False for the holdout group, which gets the "blind" bot (same content,
    default style) so the lift of adaptation can be measured.
    """

    lang: Lang
    text: str
    signals: MessageSignals
    assessment: Assessment | None
    first_name: str | None
    source: SourceContext | None
    history: Sequence[HistoryItem]
    adaptive: bool = True
    new_dialog: bool = False
    # What the customer asked about in their previous message: "more details" / "shorter"
    # refer to it.
    previous_intent: Intent | None = None

    @property
    def advice(self) -> ReplyAdvice | None:
        return self.assessment.advice if (self.adaptive and self.assessment) else None


class Responder(Protocol):
    # True when `reply` does no network I/O, so the pipeline may call it inside its short
    # transaction; an LLM responder is remote and the pipeline commits before calling it.
    local: bool

    async def reply(self, ctx: ReplyContext) -> str: ...
