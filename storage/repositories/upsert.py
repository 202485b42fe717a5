"""INSERT … ON CONFLICT DO NOTHING for SQLite and PostgreSQL.

Used where two writers may race on a unique key (a customer's first two updates, a message
Telegram delivers twice): the loser's insert is a no-op instead of an error, with no
savepoint (SQLite's driver would commit a savepoint's enclosing transaction on release).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession


async def insert_ignore(
    session: AsyncSession, table: Any, values: dict[str, Any], conflict: list[str]
) -> int | None:
    """Insert one row; return its `id`, or None when the unique key `conflict` existed."""
    bind = session.bind
    dialect = bind.dialect.name if bind is not None else "sqlite"
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(table)
        .values(**values)
        .on_conflict_do_nothing(index_elements=conflict)
        .returning(table.id)
    )
    result = await session.execute(statement)
    return result.scalar_one_or_none()
