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


@dataclass(frozen=True, slots=True)
class Markup:
    """Buttons under a message, in channel-neutral terms; each channel draws them its own
    way (Telegram: a reply keyboard). `share_phone` is the label of a button that sends the
    customer's own phone number; `remove` takes a keyboard shown earlier away."""

    share_phone: str | None = None
    remove: bool = False
    # Buttons under the message that send (label, data) back when pressed.
    buttons: tuple[tuple[str, str], ...] = ()

    @classmethod
    def ask_phone(cls, label: str) -> Markup:
        return cls(share_phone=label)

    @classmethod
    def remove_keyboard(cls) -> Markup:
        return cls(remove=True)

    @classmethod
    def choices(cls, *buttons: tuple[str, str]) -> Markup:
        return cls(buttons=tuple(buttons))


class Sender(Protocol):
    """One channel's outbound side."""

    channel: str

    async def send_text(
        self, address: str, text: str, *, markup: Markup | None = None
    ) -> SendResult:
        """Send `text` (HTML, escaped by the caller) to `address`, with `markup`'s buttons;
        never raises for the channel's refusals, only reports them."""
        ...

    async def show_typing(self, address: str) -> None:
        """Tell the customer a reply is being prepared (best effort, errors swallowed)."""
        ...

    async def send_proactive(
        self, address: str, text: str, *, markup: Markup | None = None
    ) -> SendResult:
        """Like `send_text`, for a message the bot starts (a check-in): its own budget, and
        customers' replies go first when the channel's budget is tight."""
        ...

    async def send_document(
        self, address: str, filename: str, data: bytes, *, caption: str | None = None
    ) -> SendResult:
        """Send a file named `filename` with an HTML `caption`; never raises for refusals."""
        ...


@dataclass(frozen=True, slots=True)
class Posted:
    """A message posted in a group chat of staff, and where it landed: the numbers of its
    parts in that chat, which replies to it carry (empty when it was not posted)."""

    result: SendResult
    message_ids: tuple[int, ...] = ()

    @property
    def sent(self) -> bool:
        return self.result.sent and bool(self.message_ids)


class StaffChat(Protocol):
    """The side of a channel that posts into a group where people work (the operator chat of
    human handoff): replies to a posted message, forum topics. `address` is the group, in
    the channel's terms; a topic is a number within it."""

    async def post(
        self,
        address: str,
        text: str,
        *,
        reply_to: int | None = None,
        thread_id: int | None = None,
    ) -> Posted:
        """Post `text` (HTML, escaped by the caller), as a reply to the message `reply_to`
        (posted anyway if that message is gone) and in the topic `thread_id`; never raises
        for the channel's refusals."""
        ...

    async def open_topic(self, address: str, title: str) -> int | None:
        """Create a topic named `title` in the group; its number, or None when the group
        has no topics or the bot may not create them."""
        ...
