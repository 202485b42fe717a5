"""The values human handoff passes across its edges: what an operator wrote (built by the
channel's edge), what came of it, and a handoff as the core and the sweeper hold it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from storage.models import Handoff


@dataclass(frozen=True, slots=True)
class OperatorMessage:
    """A message written in the operator chat, in channel-neutral terms."""

    chat: str  # the operator chat, in the channel's terms (a Telegram chat id)
    message_id: int
    text: str  # plain text, not escaped
    sent_at: datetime
    operator_id: str
    operator_name: str | None = None
    reply_to: int | None = None  # the message it replies to, if any
    thread_id: int | None = None  # the forum topic it was written in, if any
    done: bool = False  # the operator's /done: give the dialog back to the bot


class OperatorOutcome(StrEnum):
    IGNORED = "ignored"  # not about a handoff: operators talking among themselves
    RELAYED = "relayed"  # the text reached the customer
    UNDELIVERED = "undelivered"  # the customer could not be reached (the operator is told)
    NO_TEXT = "no_text"  # a photo or a sticker: only text is relayed (the operator is told)
    CLOSED = "closed"  # /done: the dialog is the bot's again
    OVER = "over"  # the handoff had ended already: nothing relayed (the operator is told)


@dataclass(frozen=True, slots=True)
class HandoffRef:
    """A handoff as the core carries it between its transactions (never a live row)."""

    id: int
    customer_id: int
    reason: str
    status: str
    detail: str | None = None  # why, in words (the card's "why")
    chat_id: str | None = None
    thread_id: int | None = None
    card_message_id: int | None = None

    @classmethod
    def of(cls, handoff: Handoff) -> HandoffRef:
        assert handoff.id is not None
        return cls(
            id=handoff.id,
            customer_id=handoff.customer_id,
            reason=handoff.reason,
            status=handoff.status,
            detail=handoff.detail,
            chat_id=handoff.chat_id,
            thread_id=handoff.thread_id,
            card_message_id=handoff.card_message_id,
        )
