"""/segments' queries (`storage.queries.segments`) on SQLite and on the machine's real
PostgreSQL: the counts per segment and band worked out by hand, the daily snapshot (one per
UTC day, a second run overwriting the first), the snapshot of a past day, and the strongest
examples of a segment."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import func, select, update

from storage.db import SessionFactory
from storage.models import Customer, Profile, SegmentSnapshot
from storage.queries import segments
from storage.queries.segments import BANDS, Distribution, Example

NOW = datetime(2026, 5, 1, 10, 0, tzinfo=UTC)

# (id, first name, username, opted out of profiling, profile values, hotness, churn);
# c5 has no profile.
PEOPLE: list[tuple[int, str | None, str | None, bool, dict[str, float] | None, int, int]] = [
    (1, "Ann", "ann", True, {"urgent": 0.8}, 80, 10),
    (2, "Bob", None, False, {"researcher": 0.7, "doubting_buyer": 0.7}, 40, 50),
    (3, "Cat", None, False, {"doubting_buyer": 0.5, "price_sensitive": 0.49}, 39, 90),
    (4, None, "dan", False, {"urgent": 0.3, "irritated": 0.3}, 0, 30),
    (5, "Eve", None, False, None, 0, 0),
    (6, None, "sixth", False, {"price_sensitive": 0.6, "irritated": 0.55}, 70, 20),
    (7, "Gleb", None, False, {"irritated": 0.95}, 69, 45),
    (9, None, None, False, {"researcher": 0.6}, 50, 60),
]

EXPECTED = Distribution(
    segments={
        "urgent": 1,  # c1
        "researcher": 2,  # c2 (0.7), c9 (0.6)
        "doubting_buyer": 2,  # c2 (0.7), c3 (exactly 0.5)
        "returning_with_problem": 0,
        "irritated": 2,  # c6 (0.55), c7 (0.95)
        "price_sensitive": 1,  # c6 (c3's 0.49 is below the line)
        "none": 1,  # c4; c5 has no profile and is not counted at all
    },
    # cold 0–39: c3 (39), c4 (0); warm 40–69: c2 (40), c7 (69), c9 (50); hot: c1, c6 (70)
    hotness={"cold": 2, "warm": 3, "hot": 2},
    # cold: c1 (10), c4 (30), c6 (20); warm: c2 (50), c7 (45), c9 (60); hot: c3 (90)
    churn={"cold": 3, "warm": 3, "hot": 1},
)


@pytest.fixture
async def people(session_factory: SessionFactory) -> AsyncIterator[SessionFactory]:
    async with session_factory() as session:
        for customer_id, first_name, username, opted_out, *_ in PEOPLE:
            session.add(
                Customer(
                    id=customer_id,
                    external_id=str(customer_id),
                    first_name=first_name,
                    username=username,
                    profiling_opt_out=opted_out,
                    created_at=NOW - timedelta(days=30),
                )
            )
        await session.flush()
        for customer_id, *_, values, hotness, churn in PEOPLE:
            if values is not None:
                session.add(
                    Profile(
                        customer_id=customer_id,
                        version=1,
                        state={},
                        hotness=hotness,
                        churn=churn,
                        updated_at=NOW,
                        **values,
                    )
                )
        await session.commit()
    yield session_factory


def test_bands_cover_the_scores() -> None:
    assert [name for name, _low, _high in BANDS] == ["cold", "warm", "hot"]
    assert BANDS[0][1] == 0 and BANDS[-1][2] == 100
    assert all(BANDS[i][2] + 1 == BANDS[i + 1][1] for i in range(len(BANDS) - 1))


async def test_distribution(people: SessionFactory) -> None:
    async with people() as session:
        assert await segments.distribution(session) == EXPECTED


async def test_distribution_of_nobody(session_factory: SessionFactory) -> None:
    async with session_factory() as session:
        found = await segments.distribution(session)
        assert await segments.snapshot_at(session, NOW.date()) is None
    assert found.segments == dict.fromkeys(EXPECTED.segments, 0)
    assert found.hotness == found.churn == {"cold": 0, "warm": 0, "hot": 0}


async def _stored(factory: SessionFactory) -> list[tuple[Any, ...]]:
    async with factory() as session:
        rows = await session.execute(
            select(
                SegmentSnapshot.day,
                SegmentSnapshot.kind,
                SegmentSnapshot.key,
                SegmentSnapshot.customers,
                SegmentSnapshot.taken_at,
            ).order_by(SegmentSnapshot.day, SegmentSnapshot.kind, SegmentSnapshot.key)
        )
        return [tuple(row) for row in rows.all()]


async def test_snapshot_is_one_per_utc_day(people: SessionFactory) -> None:
    async with people() as session:
        written = await segments.take_snapshot(session, now=NOW)
        await session.commit()
    assert written == 7 + 3 + 3  # six segments and "none", three bands of two scores
    first = await _stored(people)
    assert len(first) == 13 and {row[0] for row in first} == {date(2026, 5, 1)}
    assert {(kind, key): n for _day, kind, key, n, _at in first} == {
        **{("segment", key): n for key, n in EXPECTED.segments.items()},
        **{("hotness", key): n for key, n in EXPECTED.hotness.items()},
        **{("churn", key): n for key, n in EXPECTED.churn.items()},
    }

    # Later the same UTC day (02:00 at UTC+3 is still 1 May in UTC), after c4 turned urgent:
    # the day's rows are overwritten, not added to.
    later = datetime(2026, 5, 2, 2, 0, tzinfo=timezone(timedelta(hours=3)))
    async with people() as session:
        await session.execute(update(Profile).where(Profile.customer_id == 4).values(urgent=0.9))
        assert await segments.take_snapshot(session, now=later) == 13
        await session.commit()
    second = await _stored(people)
    assert len(second) == 13
    counts = {(kind, key): n for _day, kind, key, n, _at in second}
    assert counts[("segment", "urgent")] == 2 and counts[("segment", "none")] == 0
    assert {taken for *_rest, taken in second} == {later}

    # The next UTC day gets rows of its own.
    async with people() as session:
        await segments.take_snapshot(session, now=NOW + timedelta(days=1))
        await session.commit()
        days = await session.execute(
            select(SegmentSnapshot.day, func.count()).group_by(SegmentSnapshot.day)
        )
        assert dict(days.all()) == {date(2026, 5, 1): 13, date(2026, 5, 2): 13}


async def test_snapshot_at(people: SessionFactory) -> None:
    async with people() as session:
        # An older snapshot with only some keys (a band it did not know reads as 0).
        for kind, key, n in [("segment", "urgent", 5), ("segment", "none", 7), ("churn", "hot", 4)]:
            session.add(
                SegmentSnapshot(
                    day=date(2026, 4, 20), kind=kind, key=key, customers=n, taken_at=NOW
                )
            )
        await segments.take_snapshot(session, now=NOW)
        await session.commit()
        assert await segments.snapshot_at(session, date(2026, 4, 19)) is None
        older = await segments.snapshot_at(session, date(2026, 4, 30))
        today = await segments.snapshot_at(session, date(2026, 5, 1))
        later = await segments.snapshot_at(session, date(2026, 6, 1))
    assert older == Distribution(
        segments={**dict.fromkeys(EXPECTED.segments, 0), "urgent": 5, "none": 7},
        hotness={"cold": 0, "warm": 0, "hot": 0},
        churn={"cold": 0, "warm": 0, "hot": 4},
    )
    assert today == later == EXPECTED


async def test_examples(people: SessionFactory) -> None:
    async with people() as session:
        irritated = await segments.examples(session, "irritated")
        researcher = await segments.examples(session, "researcher")
        doubting = await segments.examples(session, "doubting_buyer", limit=1)
        urgent = await segments.examples(session, "urgent")
        returning = await segments.examples(session, "returning_with_problem")
        none = await segments.examples(session, "none")
        with pytest.raises(ValueError, match="segment"):
            await segments.examples(session, "bogus")
    # Strongest first; the name is the first name, else @username, else None.
    assert irritated == [Example(7, "Gleb", 0.95), Example(6, "@sixth", 0.55)]
    assert researcher == [Example(2, "Bob", 0.7), Example(9, None, 0.6)]
    assert doubting == [Example(2, "Bob", 0.7)]  # c3's 0.5 is cut by the limit
    assert urgent == []  # c1 opted out of profiling: never shown
    assert returning == none == []
