"""The state of one dialog: what the bot asked, what it learned, what it already said.

Kept with the profile (`profile.dialog`, through the write-behind cache), so it survives a
restart; a new dialog (30 minutes of silence, as the profile counts them) starts it afresh.
Plain data, JSON-ready, with no I/O: the pipeline loads it, the responder reads it and says
what it asked, the pipeline writes it back with the profile.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# The slots a dialog can fill; the bot asks for at most one at a time.
SLOTS = ("order_number", "product", "city", "when", "quantity", "contact")
# How many of the bot's last replies are remembered (so none is repeated word for word).
SAID_MEMORY = 6
VERSION = 1


@dataclass(slots=True)
class DialogState:
    awaiting: str | None = None  # the slot the bot's last reply asked for
    slots: dict[str, Any] = field(default_factory=dict)  # what the customer told us
    said: list[str] = field(default_factory=list)  # the bot's last replies, newest last
    asked: dict[str, int] = field(default_factory=dict)  # slot → times asked this dialog
    last_topic: str | None = None  # what the last real answer was about (for «короче»)
    turns: int = 0  # customer messages in this dialog
    misses: int = 0  # the bot's replies in a row that could not answer

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> DialogState:
        """Tolerant: a missing or damaged state is an empty one (it is conversation
        context, not a record anyone relies on)."""
        if not isinstance(data, dict) or data.get("v") != VERSION:
            return cls()
        awaiting = data.get("awaiting")
        slots = data.get("slots")
        said = data.get("said")
        asked = data.get("asked")
        topic = data.get("topic")
        turns = data.get("turns")
        misses = data.get("misses")
        return cls(
            awaiting=awaiting if awaiting in SLOTS else None,
            slots=dict(slots) if isinstance(slots, dict) else {},
            said=[s for s in said if isinstance(s, str)][-SAID_MEMORY:]
            if isinstance(said, list)
            else [],
            asked={k: int(v) for k, v in asked.items() if k in SLOTS and isinstance(v, int)}
            if isinstance(asked, dict)
            else {},
            last_topic=topic if isinstance(topic, str) else None,
            turns=turns if isinstance(turns, int) and turns >= 0 else 0,
            misses=misses if isinstance(misses, int) and misses >= 0 else 0,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "v": VERSION,
            "awaiting": self.awaiting,
            "slots": dict(self.slots),
            "said": list(self.said[-SAID_MEMORY:]),
            "asked": dict(self.asked),
            "topic": self.last_topic,
            "turns": self.turns,
            "misses": self.misses,
        }

    def learn(self, slot: str, value: Any) -> None:
        """The customer told us `slot`; a question about it is answered."""
        if slot not in SLOTS:
            raise ValueError(f"unknown slot {slot!r}")
        self.slots[slot] = value
        if self.awaiting == slot:
            self.awaiting = None

    def knows(self, slot: str) -> bool:
        return self.slots.get(slot) not in (None, "", [], ())

    def replied(
        self,
        text: str,
        *,
        asks: str | None = None,
        topic: str | None = None,
        missed: bool = False,
    ) -> None:
        """The bot said `text`; `asks` is the slot it asked for (None: it asked nothing);
        `missed`: the reply could not answer (counted until one does)."""
        self.said = [*self.said, text][-SAID_MEMORY:]
        self.misses = self.misses + 1 if missed else 0
        self.awaiting = asks
        if asks is not None:
            self.asked[asks] = self.asked.get(asks, 0) + 1
        if topic is not None:
            self.last_topic = topic

    def said_before(self, text: str) -> bool:
        """`text` was the bot's last reply (a repeat the customer would notice)."""
        return bool(self.said) and self.said[-1] == text
