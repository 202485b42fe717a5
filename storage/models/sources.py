"""Ad sources (tracked deep-link payloads) and the log of every touch."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Text
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


class SourceTouch(SQLModel, table=True):
    """Every `/start`, valid or not: the attribution log behind first and latest touch."""

    __tablename__ = "source_touch"

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True, ondelete="CASCADE")
    source_id: int | None = Field(default=None, foreign_key="ad_source.id")
    raw_payload: str | None = Field(default=None, sa_type=Text)
    valid: bool = True
    created_at: datetime
