"""Profiles: the versioned profiling state plus indexed score columns for fast queries."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from profiling.assess.segments import Segment
from profiling.engine import Assessment
from profiling.profile.state import ProfileState
from storage.models import Profile

# Which indexed column mirrors which segment score.
_SEGMENT_COLUMNS: dict[Segment, str] = {
    Segment.URGENT: "urgent",
    Segment.RESEARCHER: "researcher",
    Segment.DOUBTING_BUYER: "doubting_buyer",
    Segment.RETURNING_WITH_PROBLEM: "returning_with_problem",
    Segment.IRRITATED: "irritated",
    Segment.PRICE_SENSITIVE: "price_sensitive",
}


async def load(session: AsyncSession, customer_id: int) -> Profile | None:
    return await session.get(Profile, customer_id)


def load_state(profile: Profile | None) -> ProfileState | None:
    return None if profile is None else ProfileState.from_dict(profile.state)


def score_columns(state: ProfileState, assessment: Assessment, now: datetime) -> dict[str, Any]:
    """The indexed columns that mirror a state and its assessment (everything but `state`)."""
    columns: dict[str, Any] = {
        "version": state.VERSION,
        "messages_total": state.messages_total,
        "hotness": assessment.hotness.value,
        "churn": assessment.churn.value,
        "updated_at": now,
    }
    for segment, column in _SEGMENT_COLUMNS.items():
        score = assessment.segments.get(segment)
        columns[column] = round(score.value, 4) if score else 0.0
    return columns


def save(
    session: AsyncSession,
    profile: Profile | None,
    *,
    customer_id: int,
    state: ProfileState,
    assessment: Assessment,
    now: datetime,
    next_checkin_at: datetime | None = None,
) -> Profile:
    """Write the state and mirror the main scores into indexed columns."""
    data: dict[str, Any] = state.to_dict()
    if profile is None:
        profile = Profile(
            customer_id=customer_id, version=state.VERSION, state=data, updated_at=now
        )
        session.add(profile)
    else:
        profile.state = data  # a new dict object, so SQLAlchemy sees the JSON change
    for column, value in score_columns(state, assessment, now).items():
        setattr(profile, column, value)
    if next_checkin_at is not None:
        profile.next_checkin_at = next_checkin_at
    return profile
