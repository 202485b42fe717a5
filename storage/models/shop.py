"""What the shop tells the bot: its customers, their orders (with every status change) and what
they do on the website."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, Numeric, Text
from sqlmodel import Field, SQLModel

# Money as a fixed-point column read back as float: exact in the database, plain numbers in
# JSON, and no Decimal warnings from SQLite's driver.
_MONEY = Numeric(14, 2, asdecimal=False)


class ShopCustomer(SQLModel, table=True):
    """A customer as the shop knows them, and the chat they are linked to (if any)."""

    __tablename__ = "shop_customer"

    id: int | None = Field(default=None, primary_key=True)
    shop_id: str = Field(max_length=64, unique=True, index=True)
    name: str | None = Field(default=None, max_length=256)
    phone: str | None = Field(default=None, max_length=32, index=True)  # E.164
    email: str | None = Field(default=None, max_length=320)
    # The unguessable part of the personal deep link (`/start l-<token>`).
    link_token: str = Field(max_length=32, unique=True, index=True)
    customer_id: int | None = Field(
        default=None, foreign_key="customer.id", index=True, ondelete="SET NULL"
    )
    linked_at: datetime | None = None
    linked_by: str | None = Field(default=None, max_length=16)  # "deep_link" or "phone"
    created_at: datetime
    updated_at: datetime


class ShopOrder(SQLModel, table=True):
    __tablename__ = "shop_order"

    id: int | None = Field(default=None, primary_key=True)
    shop_id: str = Field(max_length=64, unique=True, index=True)
    shop_customer_id: int = Field(foreign_key="shop_customer.id", index=True, ondelete="CASCADE")
    status: str = Field(max_length=16)
    total: float = Field(sa_type=_MONEY)
    currency: str = Field(max_length=3)
    items: list[dict[str, Any]] = Field(sa_column=Column(JSON, nullable=False))
    # Every status the shop reported, oldest first: [{"status": "paid", "at": ISO 8601}].
    # Kept on the row, so a PUT reads and writes one row.
    history: list[dict[str, str]] = Field(sa_column=Column(JSON, nullable=False))
    statuses: int = 1  # len(history), for the query below
    # How many of them reached the linked chat customer's profile: the rest (an order of a
    # customer without a chat yet) are fed when the link is made.
    applied: int = 0
    ordered_at: datetime  # the shop's created_at, or when the bot first heard of it
    created_at: datetime
    updated_at: datetime


class SiteVisitor(SQLModel, table=True):
    """An anonymous website visitor who opened the chat: their events belong to the chat."""

    __tablename__ = "site_visitor"

    visitor_id: str = Field(max_length=48, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True, ondelete="CASCADE")
    linked_at: datetime


class SiteEvent(SQLModel, table=True):
    __tablename__ = "site_event"
    __table_args__ = (
        Index("ix_site_event_customer_at", "customer_id", "at"),
        Index("ix_site_event_visitor_at", "visitor_id", "at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    # The shop's own id of the event, when it sends one: a repeated delivery is stored once.
    event_key: str | None = Field(default=None, max_length=64, unique=True)
    type: str = Field(max_length=32)
    at: datetime
    shop_customer_id: int | None = Field(
        default=None, foreign_key="shop_customer.id", index=True, ondelete="CASCADE"
    )
    visitor_id: str | None = Field(default=None, max_length=48)
    # The chat customer the event belongs to, once known (linked shop customer or visitor).
    customer_id: int | None = Field(default=None, foreign_key="customer.id", ondelete="CASCADE")
    url: str | None = Field(default=None, sa_type=Text)
    page: str | None = Field(default=None, max_length=64)
    product: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    device: str | None = Field(default=None, max_length=16)
    source: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    applied: bool = False  # fed into the chat customer's profile
    received_at: datetime
