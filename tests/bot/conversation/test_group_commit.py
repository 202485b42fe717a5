"""Group commit: units waiting together share one transaction; a failing unit reaches only its
own caller, and nothing of it is stored."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import select

from bot.conversation.group_commit import GroupCommit
from bot.conversation.work import Work
from storage.db import SessionFactory
from storage.models import AdSource
from storage.repositories import sources
from tests.factories import ManualClock


class Boom(Exception):
    pass


def runner(session_factory: SessionFactory, clock: ManualClock) -> tuple[GroupCommit, list[int]]:
    """A group commit whose units only write rows (no profiles): it counts the commits."""
    commits: list[int] = []

    class RowsOnly(Work):
        def committed(self) -> None:
            commits.append(1)

    def new_work(session: AsyncSession) -> Work:
        return RowsOnly(session, pipeline=None, now=clock())  # type: ignore[arg-type]

    return GroupCommit(session_factory, new_work), commits


def add_source(name: str, *, fail: bool = False):  # type: ignore[no-untyped-def]
    async def work(unit: Work) -> str:
        await sources.get_or_create(
            unit.session, payload=name, campaign=name, ad=None, creative=None, now=unit.now
        )
        await unit.session.flush()
        if fail:
            raise Boom(name)
        return name

    return work


async def stored(session_factory: SessionFactory) -> set[str]:
    async with session_factory() as session:
        return set((await session.execute(select(AdSource.payload))).scalars())


async def test_units_waiting_together_commit_once(
    sqlite_session_factory: SessionFactory, clock: ManualClock
) -> None:
    group, commits = runner(sqlite_session_factory, clock)
    names = [f"s{i}" for i in range(10)]
    results = await asyncio.gather(*(group.run(add_source(n)) for n in names))
    assert results == names
    assert await stored(sqlite_session_factory) == set(names)
    assert group.batches >= 1 and len(commits) < len(names)


async def test_a_failing_unit_fails_alone_and_stores_nothing(
    session_factory: SessionFactory, clock: ManualClock
) -> None:
    group, _ = runner(session_factory, clock)
    works = [add_source("a"), add_source("bad", fail=True), add_source("c")]
    results = await asyncio.gather(*(group.run(w) for w in works), return_exceptions=True)
    assert results[0] == "a" and results[2] == "c"
    assert isinstance(results[1], Boom)
    assert await stored(session_factory) == {"a", "c"}


async def test_a_cancelled_caller_waits_for_its_unit(
    sqlite_session_factory: SessionFactory, clock: ManualClock
) -> None:
    group, _ = runner(sqlite_session_factory, clock)
    started = asyncio.Event()

    async def slow(unit: Work) -> str:
        started.set()
        await asyncio.sleep(0.05)
        return await add_source("slow")(unit)

    task = asyncio.create_task(group.run(slow))
    await started.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    # The caller returned only after its unit finished: the row is there.
    assert await stored(sqlite_session_factory) == {"slow"}
