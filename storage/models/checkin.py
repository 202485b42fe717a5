"""Proactive check-ins: the plan of messages the bot sends a customer at their own active
hours, and what became of each one (issue #11).

A check-in is planned (one per customer and trigger at a time), then claimed by a sweeper
under a lease while it is being sent, and ends sent, failed, skipped, cancelled or lost. A
check-in whose sweeper died while holding it ends "lost" and is never sent again: a missed
check-in is better than a repeated one.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, text
from sqlmodel import Field, SQLModel

# Statuses. Waiting: planned. In flight: claimed (a sweeper holds it under a lease). Ended:
# sent; failed (the channel refused it or delivery failed after retries); skipped (policy or
# stale at send time, with `skip_reason`); cancelled (opt-out, block, consent withdrawn,
# superseded); lost (was claimed when its process died, never resent).
PLANNED = "planned"
CLAIMED = "claimed"
SENT = "sent"
FAILED = "failed"
SKIPPED = "skipped"
CANCELLED = "cancelled"
LOST = "lost"
ENDED_STATUSES = (SENT, FAILED, SKIPPED, CANCELLED, LOST)
# What a sweeper that holds a claim may end it as.
FINISH_STATUSES = (SENT, FAILED, SKIPPED, CANCELLED)

# Triggers.
TRIGGER_DELIVERED = "delivered"
TRIGGER_DOUBTING = "doubting"
TRIGGER_PROBLEM = "problem"
TRIGGER_CART = "cart"
TRIGGER_QUIET = "quiet"
TRIGGERS = (TRIGGER_DELIVERED, TRIGGER_DOUBTING, TRIGGER_PROBLEM, TRIGGER_CART, TRIGGER_QUIET)

# Skip reasons the storage itself writes (callers add their own: "cap", "opted_out"…).
SKIP_STALE = "stale"  # due too long ago when a sweeper got to it (the bot was down)
SKIP_COALESCED = "coalesced"  # another check-in of the customer was sent in its place

# Outcomes of one send attempt (the Sender's channel-neutral results).
ATTEMPT_OUTCOMES = ("sent", "blocked", "rejected", "failed", "retry_after")

# What the customer did after a sent check-in (for analytics).
OUTCOME_REPLIED = "replied"
OUTCOME_CONVERTED = "converted"
OUTCOME_OPTED_OUT = "opted_out"
OUTCOMES = (OUTCOME_REPLIED, OUTCOME_CONVERTED, OUTCOME_OPTED_OUT)

MAX_SLOT_REASON_CHARS = 300
MAX_ERROR_CHARS = 500

# The rows the "one planned check-in per customer and trigger" index covers. The same SQL in
# the partial index's WHERE on both databases and in the conflict target of `plan`'s upsert.
PLANNED_WHERE = text("status = 'planned'")


class Checkin(SQLModel, table=True):
    __tablename__ = "checkin"
    __table_args__ = (
        # The sweeper: planned check-ins that are due, oldest first.
        Index("ix_checkin_status_due", "status", "due_at"),
        # At most one planned check-in per customer and trigger; a new plan moves it.
        Index(
            "uq_checkin_customer_trigger_planned",
            "customer_id",
            "trigger",
            unique=True,
            sqlite_where=PLANNED_WHERE,
            postgresql_where=PLANNED_WHERE,
        ),
        # Frequency caps and outcomes: a customer's sent check-ins by time.
        Index("ix_checkin_customer_sent", "customer_id", "sent_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True, ondelete="CASCADE")
    trigger: str = Field(max_length=32)  # "delivered", "doubting", "problem", "cart", "quiet"
    status: str = Field(default=PLANNED, max_length=16)
    due_at: datetime
    slot_reason: str = Field(max_length=MAX_SLOT_REASON_CHARS)  # why this slot, in words
    # The trigger's facts (order id, product sku…), for the message and for analytics.
    detail: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    planned_at: datetime  # when the plan was made (or last moved)
    # The claim: which sweeper holds it, since when, and until when its lease runs.
    claimed_at: datetime | None = None
    claimed_by: str | None = Field(default=None, max_length=64)
    lease_until: datetime | None = None
    # Every send attempt: {"at": iso, "outcome": "sent|blocked|…", "error": str | None}.
    attempts: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    sent_at: datetime | None = None
    message_id: str | None = Field(default=None, max_length=64)  # the channel's message id
    skip_reason: str | None = Field(default=None, max_length=64)  # skipped/cancelled: why
    ended_at: datetime | None = None  # when it reached one of ENDED_STATUSES
    outcome: str | None = Field(default=None, max_length=16)  # replied/converted/opted_out
    outcome_at: datetime | None = None
