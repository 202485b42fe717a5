"""Stairway test: every Alembic revision upgrades, downgrades one step and upgrades again, on
SQLite and on the machine's PostgreSQL, and its downgrade restores the schema it started from.

Revisions are read from `storage/migrations/versions` through Alembic's ScriptDirectory, so a
new migration is covered without touching this file."""

from __future__ import annotations

from typing import Any

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect
from sqlalchemy.ext.asyncio import AsyncEngine

from storage import migrate
from storage.db import create_engine


def _revisions() -> list[tuple[str, str]]:
    """(revision, the revision it revises or "base"), oldest first, on the single branch."""
    script = ScriptDirectory.from_config(migrate.alembic_config())
    assert len(script.get_heads()) == 1, f"migrations branch: heads {script.get_heads()}"
    ordered = list(reversed(list(script.walk_revisions("base", "heads"))))
    return [(rev.revision, rev.down_revision or "base") for rev in ordered]  # type: ignore[misc]


REVISIONS = _revisions()


def _schema(conn: Connection) -> dict[str, Any]:
    """Tables with their columns, indexes, unique constraints and foreign keys."""
    inspector = inspect(conn)
    schema: dict[str, Any] = {}
    for table in sorted(inspector.get_table_names()):
        if table == "alembic_version":
            continue
        schema[table] = {
            "columns": sorted(
                (c["name"], str(c["type"]), c["nullable"]) for c in inspector.get_columns(table)
            ),
            "indexes": sorted(
                (i["name"], tuple(i["column_names"]), bool(i["unique"]))
                for i in inspector.get_indexes(table)
            ),
            "unique": sorted(
                tuple(u["column_names"]) for u in inspector.get_unique_constraints(table)
            ),
            "foreign_keys": sorted(
                (tuple(f["constrained_columns"]), f["referred_table"], tuple(f["referred_columns"]))
                for f in inspector.get_foreign_keys(table)
            ),
        }
    return schema


async def _snapshot(engine: AsyncEngine) -> dict[str, Any]:
    async with engine.connect() as conn:
        return await conn.run_sync(_schema)


def test_revisions_are_discovered() -> None:
    ids = [revision for revision, _ in REVISIONS]
    assert ids[:2] == ["0001", "0002"]
    assert REVISIONS[0][1] == "base"
    assert all(down == ids[i] for i, (_, down) in enumerate(REVISIONS[1:])), "one linear chain"


@pytest.mark.parametrize(("revision", "down_revision"), REVISIONS, ids=[r for r, _ in REVISIONS])
async def test_stairway_upgrade_downgrade_upgrade(
    database_url: str, revision: str, down_revision: str
) -> None:
    engine = create_engine(database_url)
    expected_before = None if down_revision == "base" else down_revision
    try:
        if expected_before is not None:
            await migrate.upgrade(engine, down_revision)
        before = await _snapshot(engine)

        await migrate.upgrade(engine, revision)
        assert await migrate.current_revision(engine) == revision
        after = await _snapshot(engine)

        await migrate.downgrade(engine, "-1")
        assert await migrate.current_revision(engine) == expected_before
        assert await _snapshot(engine) == before, f"downgrade of {revision} left changes behind"

        await migrate.upgrade(engine, revision)
        assert await migrate.current_revision(engine) == revision
        assert await _snapshot(engine) == after, f"{revision} upgraded twice differs"
    finally:
        await engine.dispose()
