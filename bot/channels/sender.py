"""The `Sender` protocol: how the conversation core talks to any channel, and what it hears back.

The core knows a customer as `(channel, external id)` and writes to their `address`, an opaque
channel-specific string (a Telegram chat id, a WhatsApp phone number). Results are channel
neutral: the core decides what a blocked chat or a refusal means, the channel only reports it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol


class SendStatus(StrEnum):
    SENT = "sent"
    BLOCKED = "blocked"  # the customer blocked the bot or deleted the account (Telegram: 403)
    REJECTED = "rejected"  # our request is wrong or refused (Telegram: 400); retrying can't help
    FAILED = "failed"  # retries exhausted: rate limits, network, server errors


@dataclass(frozen=True, slots=True)
class SendResult:
    status: SendStatus
    external_id: str | None = None  # the channel's id of the (last part of the) sent message
    error: str | None = None
    # Set when the channel asked us to wait (Telegram's 429 retry_after) and we gave up.
    retry_after_s: float | None = None

    @property
    def sent(self) -> bool:
        return self.status is SendStatus.SENT


class Sender(Protocol):
    """One channel's outbound side."""

    channel: str

    async def send_text(self, address: str, text: str) -> SendResult:
        """Send `text` (HTML, escaped by the caller) to `address`; never raises for the
        channel's refusals, only reports them."""
        ...

    async def show_typing(self, address: str) -> None:
        """Tell the customer a reply is being prepared (best effort, errors swallowed)."""
        ...
