"""What analytics needs beyond the event log: the in-chat satisfaction survey (CSAT), the
daily counts of customers per segment and score band (so /segments can say how they moved),
and the segment labels admins corrected (feedback for the profile, kept for evaluation)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index, Text
from sqlmodel import Field, SQLModel

# Why a survey was asked.
SURVEY_INACTIVITY = "inactivity"  # the dialog ended: the customer fell silent
SURVEY_HANDBACK = "handback"  # an operator handed the dialog back to the bot
SURVEY_TRIGGERS = (SURVEY_INACTIVITY, SURVEY_HANDBACK)

# Ratings at or below this open the follow-up question and the `customer.unhappy` signal.
LOW_RATING = 2
MAX_COMMENT_CHARS = 2000


class Survey(SQLModel, table=True):
    """One CSAT question: asked at most once per dialog (the unique dialog id), answered with
    a 1–5 rating, and for a low rating perhaps a comment in words."""

    __tablename__ = "survey"
    __table_args__ = (Index("ix_survey_customer_asked", "customer_id", "asked_at"),)

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", ondelete="CASCADE")
    dialog_id: int = Field(foreign_key="dialog.id", unique=True, ondelete="CASCADE")
    trigger: str = Field(max_length=16)  # SURVEY_TRIGGERS
    asked_at: datetime
    message_id: str | None = Field(default=None, max_length=64)  # the channel's message id
    rating: int | None = None  # 1..5
    rated_at: datetime | None = None
    # After a low rating the bot asks what went wrong; the next message is the comment.
    follow_up_until: datetime | None = None
    comment: str | None = Field(default=None, sa_type=Text)
    commented_at: datetime | None = None


class SegmentSnapshot(SQLModel, table=True):
    """How many customers sat in a segment or a score band at the end of a day (UTC)."""

    __tablename__ = "segment_snapshot"

    day: date = Field(primary_key=True)
    kind: str = Field(max_length=16, primary_key=True)  # "segment", "hotness", "churn"
    key: str = Field(max_length=32, primary_key=True)  # the segment or the band
    customers: int
    taken_at: datetime


class SegmentFeedback(SQLModel, table=True):
    """An admin's correction of a customer's segment label: `value` 1.0 says "is", 0.0 says
    "is not". The profile takes it as an override; this row keeps it for evaluation."""

    __tablename__ = "segment_feedback"

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True, ondelete="CASCADE")
    segment: str = Field(max_length=32)
    value: float
    by: str = Field(max_length=64)  # the admin's user id
    at: datetime
