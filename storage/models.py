"""SQLModel tables. Timestamps are timezone-aware UTC datetimes (SQLModel enforces it).

Only the columns that queries filter or sort on are real columns; the rest of a profile lives
in the versioned JSON state that `profiling.profile.state.ProfileState` serialises.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


class AdSource(SQLModel, table=True):
    """A tracked deep-link payload: `t.me/<bot>?start=<payload>`."""

    __tablename__ = "ad_source"

    id: int | None = Field(default=None, primary_key=True)
    payload: str = Field(max_length=64, unique=True, index=True)
    campaign: str | None = Field(default=None, max_length=64, index=True)
    ad: str | None = Field(default=None, max_length=64)
    creative: str | None = Field(default=None, max_length=64)
    # "auto" when first seen in a /start, "api" when the shop created the link.
    origin: str = Field(default="auto", max_length=16)
    created_at: datetime


class Customer(SQLModel, table=True):
    __tablename__ = "customer"
    __table_args__ = (UniqueConstraint("channel", "external_id", name="uq_customer_channel_ext"),)

    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(default="telegram", max_length=16)
    external_id: str = Field(max_length=64)
    # Where to write to, in the channel's own terms (a Telegram chat id as a decimal string,
    # later a WhatsApp phone number); only the channel's sender interprets it.
    address: str | None = Field(default=None, max_length=128)
    username: str | None = Field(default=None, max_length=64)
    first_name: str | None = Field(default=None, max_length=128)
    last_name: str | None = Field(default=None, max_length=128)
    language: str = Field(default="ru", max_length=8)

    first_source_id: int | None = Field(default=None, foreign_key="ad_source.id")
    first_touch_at: datetime | None = None
    last_source_id: int | None = Field(default=None, foreign_key="ad_source.id")
    last_touch_at: datetime | None = None

    consent: bool | None = None  # None: not asked yet
    profiling_opt_out: bool = False
    checkins_opt_out: bool = False
    blocked: bool = False  # the customer blocked the bot (Telegram answered 403)
    holdout: bool = False  # gets the "blind" bot, for measuring the adaptive bot's lift

    created_at: datetime
    last_seen_at: datetime | None = None


class SourceTouch(SQLModel, table=True):
    """Every `/start`, valid or not: the attribution log behind first and latest touch."""

    __tablename__ = "source_touch"

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True, ondelete="CASCADE")
    source_id: int | None = Field(default=None, foreign_key="ad_source.id")
    raw_payload: str | None = Field(default=None, sa_type=Text)
    valid: bool = True
    created_at: datetime


class Message(SQLModel, table=True):
    __tablename__ = "message"
    __table_args__ = (
        Index("ix_message_customer_created", "customer_id", "created_at"),
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
    # "received", "pending", "sent", "failed"
    status: str = Field(default="received", max_length=16)
    features: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))


class Profile(SQLModel, table=True):
    __tablename__ = "profile"

    customer_id: int = Field(foreign_key="customer.id", primary_key=True, ondelete="CASCADE")
    version: int
    state: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    messages_total: int = 0
    hotness: int = Field(default=0, index=True)
    churn: int = Field(default=0, index=True)
    urgent: float = 0.0
    researcher: float = 0.0
    doubting_buyer: float = 0.0
    returning_with_problem: float = 0.0
    irritated: float = Field(default=0.0, index=True)
    price_sensitive: float = 0.0
    next_checkin_at: datetime | None = Field(default=None, index=True)
    updated_at: datetime
