"""The message log, both directions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, Text
from sqlmodel import Field, SQLModel


class Message(SQLModel, table=True):
    __tablename__ = "message"
    __table_args__ = (
        Index("ix_message_customer_created", "customer_id", "created_at"),
        # Retention deletes by age across all customers.
        Index("ix_message_created", "created_at"),
        # A message Telegram delivers twice (a webhook retry, a restart before the offset
        # was confirmed) is stored once; rows without an external id never collide.
        Index(
            "uq_message_customer_direction_ext",
            "customer_id",
            "direction",
            "external_id",
            unique=True,
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", ondelete="CASCADE")
    direction: str = Field(max_length=3)  # "in" or "out"
    text: str = Field(sa_type=Text)
    chars: int
    created_at: datetime
    # Incoming: seconds since the customer's previous message / since the bot's last reply.
    gap_s: float | None = None
    latency_s: float | None = None
    external_id: str | None = Field(default=None, max_length=64)
    # in: "received" (conversation), "command" (a command, a sticker, a shared contact: not
    # part of the conversation), "error" (handling failed); out: "pending", "sent", "failed"
    status: str = Field(default="received", max_length=16)
    features: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
