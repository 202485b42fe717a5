"""Profiles: the versioned profiling state plus indexed columns of the main scores."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel


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
    # The current dialog's state (what the bot asked, what it learned, what it said):
    # `bot.conversation.dialog.DialogState`, written with the profile; a new dialog starts
    # it afresh.
    dialog: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    updated_at: datetime
