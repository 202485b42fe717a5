"""Profiles: the versioned profiling state plus indexed score columns for fast queries."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

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


def load_dialog(profile: Profile | None) -> dict[str, Any] | None:
    return None if profile is None else profile.dialog


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


async def existing_ids(session: AsyncSession, customer_ids: Sequence[int]) -> set[int]:
    """Which of these customers already have a profile row."""
    found = await session.execute(
        select(Profile.customer_id).where(col(Profile.customer_id).in_(list(customer_ids)))
    )
    return set(found.scalars().all())


async def insert_many(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    """New profile rows (`customer_id`, `state` and the `score_columns`), one statement."""
    if rows:
        await session.execute(insert(Profile), list(rows))


async def update_many(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    """Existing profile rows by primary key: one executemany UPDATE (ORM bulk update)."""
    if rows:
        await session.execute(update(Profile), list(rows))


def row(
    customer_id: int,
    state: ProfileState,
    columns: dict[str, Any],
    dialog: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A full profile row for `insert_many` / `update_many`."""
    return {"customer_id": customer_id, "state": state.to_dict(), "dialog": dialog, **columns}
