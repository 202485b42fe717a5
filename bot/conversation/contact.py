"""Who is writing and what arrived, as any channel reports it: the core's inbound value types.

A customer is `(channel, external id)`; `address` is where replies go, in the channel's own
terms. Nothing here is Telegram-specific: the Telegram edge builds these from its updates, a
WhatsApp webhook or the shop API would build them from theirs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from profiling.types import Lang


@dataclass(frozen=True, slots=True)
class Contact:
    channel: str
    external_id: str
    address: str | None = None
    username: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    # The language the channel reports for the person (Telegram's app language), if supported.
    language: Lang | None = None

    @property
    def key(self) -> tuple[str, str]:
        return (self.channel, self.external_id)


@dataclass(frozen=True, slots=True)
class IncomingMessage:
    text: str
    sent_at: datetime
    external_id: str | None = None  # the channel's message id: a redelivery is stored once
    # False when the customer floods: the message is recorded and profiled, not answered.
    answer: bool = True
