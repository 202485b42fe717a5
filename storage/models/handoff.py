"""Human handoff: an operator takes over a customer's dialog in the operator chat, and every
message the bot posted there for it (so an operator's reply to any of them finds the handoff)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

# Handoff statuses. Open: the card is posted and nobody answered yet (waiting), or an
# operator answered and holds the dialog (active). Ended: an operator sent /done (closed), or
# nobody answered before the deadline and the bot carried on (timed_out).
WAITING = "waiting"
ACTIVE = "active"
CLOSED = "closed"
TIMED_OUT = "timed_out"
OPEN_STATUSES = (WAITING, ACTIVE)
ENDED_STATUSES = (CLOSED, TIMED_OUT)

# Why the bot asked for a human.
REASON_ASKED = "asked"
REASON_IRRITATION = "irritation"
REASON_FAILED_TWICE = "failed_twice"
REASON_HOT_LEAD = "hot_lead"
REASON_ADMIN = "admin"  # an admin handed the customer over from their card

# Who ended it.
BY_OPERATOR = "operator"
BY_TIMEOUT = "timeout"
BY_CUSTOMER = "customer"
BY_ERASURE = "erasure"

MAX_DETAIL_CHARS = 500

# The rows the "one open handoff per customer" index covers. The same SQL in the partial
# index's WHERE on both databases, and in the conflict target of `start`'s insert.
OPEN_WHERE = text("status IN ('waiting', 'active')")


class Handoff(SQLModel, table=True):
    __tablename__ = "handoff"
    __table_args__ = (
        # A customer has at most one open handoff; ended ones do not count.
        Index(
            "uq_handoff_customer_open",
            "customer_id",
            unique=True,
            sqlite_where=OPEN_WHERE,
            postgresql_where=OPEN_WHERE,
        ),
        # The sweeper: waiting handoffs past their deadline.
        Index("ix_handoff_status_deadline", "status", "deadline_at"),
        # An operator writing in a forum topic without replying to a post.
        Index("ix_handoff_chat_thread", "chat_id", "thread_id"),
        # The escalation figures: handoffs by when they were asked for.
        Index("ix_handoff_requested", "requested_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True, ondelete="CASCADE")
    status: str = Field(default=WAITING, max_length=16)
    reason: str = Field(max_length=32)  # "asked", "irritation", "failed_twice", "hot_lead"
    detail: str | None = Field(default=None, max_length=MAX_DETAIL_CHARS)  # for the operator
    requested_at: datetime
    deadline_at: datetime  # when a still-waiting handoff times out
    taken_at: datetime | None = None
    closed_at: datetime | None = None
    # The operator who answered first: their Telegram user id as a string, and their name.
    operator_id: str | None = Field(default=None, max_length=64)
    operator_name: str | None = Field(default=None, max_length=128)
    # Where the card went: the operator chat, its forum topic (when the group uses topics)
    # and the card's message id.
    chat_id: str | None = Field(default=None, max_length=64)
    thread_id: int | None = None
    card_message_id: int | None = None
    closed_by: str | None = Field(default=None, max_length=16)  # operator/timeout/customer/erasure


class HandoffPost(SQLModel, table=True):
    """A message the bot posted in the operator chat for a handoff: the card, or a customer's
    message relayed there."""

    __tablename__ = "handoff_post"
    __table_args__ = (
        UniqueConstraint("chat_id", "message_id", name="uq_handoff_post_chat_message"),
    )

    id: int | None = Field(default=None, primary_key=True)
    handoff_id: int = Field(foreign_key="handoff.id", index=True, ondelete="CASCADE")
    chat_id: str = Field(max_length=64)
    message_id: int
