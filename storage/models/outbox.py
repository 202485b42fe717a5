"""The webhook outbox (signals to the shop's CRM, written in the transaction that caused them)
and the per-customer state that keeps a signal from firing on every message."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, Text
from sqlmodel import Field, SQLModel

# Outbox statuses: waiting (or being delivered under a lease), done, given up.
PENDING = "pending"
DELIVERED = "delivered"
DEAD = "dead"


class OutboxEvent(SQLModel, table=True):
    __tablename__ = "outbox_event"
    __table_args__ = (
        # The dispatcher's claim: pending rows that are due, oldest first.
        Index("ix_outbox_event_status_due", "status", "next_attempt_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    # The Standard Webhooks `webhook-id`: "msg_" + a time-sortable unique id. Every repeat of
    # a delivery carries the same one, so a receiver de-duplicates on it.
    webhook_id: str = Field(max_length=40, unique=True)
    event_type: str = Field(max_length=64)
    # No foreign key on purpose: a `customer.erased` event must outlive the customer's row.
    customer_id: int | None = Field(default=None, index=True)
    # The exact body to send: {"type", "timestamp", "data"}.
    payload: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    status: str = Field(default=PENDING, max_length=16)
    attempts: int = 0  # deliveries started (a claim counts one)
    # When a pending event may be claimed next. A claim moves it to the end of the lease, so
    # an instance that dies holding it loses it once the lease runs out.
    next_attempt_at: datetime
    claimed_by: str | None = Field(default=None, max_length=128)
    claimed_until: datetime | None = None
    last_error: str | None = Field(default=None, sa_type=Text)
    last_status_code: int | None = None
    created_at: datetime
    delivered_at: datetime | None = None


class SignalState(SQLModel, table=True):
    """Whether a customer's signal (e.g. "lead.hot",
    "customer.need_detected:price_sensitive") has fired and not been re-armed yet."""

    __tablename__ = "signal_state"

    customer_id: int = Field(foreign_key="customer.id", primary_key=True, ondelete="CASCADE")
    key: str = Field(max_length=64, primary_key=True)
    active: bool  # fired; re-armed (False) once the score fell far enough below the threshold
    value: float  # the score (0-100) at the change
    changed_at: datetime
