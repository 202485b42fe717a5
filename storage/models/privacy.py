"""Privacy (152-FZ, GDPR): the history of a customer's consent decisions, and the log of
erasures — which keeps no personal data, only an opaque hash to recognise a repeated request."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, SQLModel

# How consent was asked: explicitly, before anything is stored beyond the current dialog
# (opt_in), or by a notice the customer may object to (notice).
MODE_OPT_IN = "opt_in"
MODE_NOTICE = "notice"

# Why data was erased.
REASON_CUSTOMER_REQUEST = "customer_request"
REASON_SHOP_REQUEST = "shop_request"
REASON_RETENTION = "retention"

# Who asked for it.
BY_CUSTOMER = "customer"
BY_SHOP_API = "shop_api"
BY_ADMIN = "admin"


class Consent(SQLModel, table=True):
    """One consent decision: accepted, declined, or withdrawn (accepted=False after an
    acceptance), for one version of the consent text. The customer row holds the latest."""

    __tablename__ = "consent"
    __table_args__ = (Index("ix_consent_customer_at", "customer_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", ondelete="CASCADE")
    version: str = Field(max_length=32)  # the version of the consent text shown
    accepted: bool
    mode: str = Field(max_length=16)  # "opt_in" or "notice"
    at: datetime


class ErasureLog(SQLModel, table=True):
    """An erasure that happened: when, why, on whose request and how many rows went.

    No reference to the customer (their row is gone) and no personal data: `subject_hash` is
    an HMAC-SHA256 (hex) of "channel:external_id" under a secret key the application holds,
    so a repeated request can be recognised, but the entry does not lead back to the person
    without that key. A retention run may be logged here too (reason "retention", no
    subject), with the rows it deleted.
    """

    __tablename__ = "erasure_log"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(index=True)
    channel: str = Field(max_length=16)
    reason: str = Field(max_length=32)  # "customer_request", "shop_request", "retention"
    rows_deleted: dict[str, int] = Field(sa_column=Column(JSON, nullable=False))  # table → rows
    requested_by: str = Field(max_length=16)  # "customer", "shop_api", "admin"
    # None for an entry about no one in particular (a retention run).
    subject_hash: str | None = Field(default=None, max_length=64, index=True)
