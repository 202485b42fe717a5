"""The customer: who they are on which channel, where replies go, their choices."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel


class Customer(SQLModel, table=True):
    __tablename__ = "customer"
    __table_args__ = (
        UniqueConstraint("channel", "external_id", name="uq_customer_channel_ext"),
        # The CSAT sweep: customers who fell silent a while ago.
        Index("ix_customer_last_seen", "last_seen_at"),
    )

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
    # The latest consent decision's text version, time and mode ("opt_in" or "notice"); the
    # whole history is in the `consent` table. A newer text version asks again.
    consent_version: str | None = Field(default=None, max_length=32)
    consent_at: datetime | None = None
    consent_mode: str | None = Field(default=None, max_length=16)
    profiling_opt_out: bool = False
    checkins_opt_out: bool = False
    blocked: bool = False  # the customer blocked the bot (Telegram answered 403)
    holdout: bool = False  # gets the "blind" bot, for measuring the adaptive bot's lift

    created_at: datetime
    last_seen_at: datetime | None = None
