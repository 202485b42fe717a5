"""Dialogs (a customer's run of messages with gaps under 30 minutes) and the target actions
(conversions) attributed to them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel


class Dialog(SQLModel, table=True):
    __tablename__ = "dialog"
    __table_args__ = (
        Index("ix_dialog_customer_started", "customer_id", "started_at"),
        Index("ix_dialog_started", "started_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", ondelete="CASCADE")
    started_at: datetime
    # The customer's latest ad touch when the dialog began: the link it counts for.
    source_id: int | None = Field(default=None, foreign_key="ad_source.id", index=True)


class Conversion(SQLModel, table=True):
    """A target action — an order, a lead, a booking — and what it is attributed to."""

    __tablename__ = "conversion"
    __table_args__ = (
        UniqueConstraint("customer_id", "kind", "ref", name="uq_conversion_customer_kind_ref"),
    )

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True, ondelete="CASCADE")
    kind: str = Field(max_length=16)  # "order", "lead", "booking"
    ref: str = Field(max_length=64)  # the shop's order id or the event's id
    at: datetime
    # The dialog it followed (within 7 days of its last message), if any.
    dialog_id: int | None = Field(default=None, foreign_key="dialog.id", index=True)
    seconds_from_dialog_start: float | None = None
    first_source_id: int | None = Field(default=None, foreign_key="ad_source.id", index=True)
    last_source_id: int | None = Field(default=None, foreign_key="ad_source.id", index=True)
    revenue: float | None = None
