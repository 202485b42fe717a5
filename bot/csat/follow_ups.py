"""Which customers this process is waiting on for an answer to "what went wrong?".

Every customer message goes past this check, so it must cost no database query: the open
follow-ups (a few at a time: one per low rating, for CSAT_FOLLOW_UP_MINUTES) are kept in
memory — loaded once, on first use, then kept up to date by this process, which is the one
that receives the customer's presses and messages (like `bot.signals.watch`). A customer
without an open follow-up costs one dictionary lookup.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class FollowUp:
    survey_id: int
    until: datetime


class FollowUps:
    def __init__(self) -> None:
        self._open: dict[int, FollowUp] = {}
        self.loaded = False

    def load(self, rows: Iterable[tuple[int, int, datetime]]) -> None:
        """(customer id, survey id, open until) of the follow-ups the database has open."""
        for customer_id, survey_id, until in rows:
            self._open.setdefault(customer_id, FollowUp(survey_id, until))
        self.loaded = True

    def opened(self, customer_id: int, survey_id: int, until: datetime) -> None:
        """Committed: the customer's next message answers this survey's question."""
        self._open[customer_id] = FollowUp(survey_id, until)

    def waiting(self, customer_id: int, now: datetime) -> FollowUp | None:
        """The customer's open follow-up, or None (an expired one is dropped)."""
        follow_up = self._open.get(customer_id)
        if follow_up is None:
            return None
        if now > follow_up.until:
            del self._open[customer_id]
            return None
        return follow_up

    def closed(self, customer_id: int) -> None:
        self._open.pop(customer_id, None)

    def __len__(self) -> int:
        return len(self._open)
