"""INSERT … ON CONFLICT DO NOTHING for SQLite and PostgreSQL.

Used where two writers may race on a unique key (a customer's first two updates, a message
Telegram delivers twice): the loser's insert is a no-op instead of an error, with no
savepoint (SQLite's driver would commit a savepoint's enclosing transaction on release).
Statements are built once per table, dialect and column set, and executed with bound values:
on the per-message path, building and cache-keying a fresh statement costs more than SQLite
takes to run it.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import bindparam
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.dml import Insert


@cache
def _statement(
    table: Any, dialect: str, columns: tuple[str, ...], conflict: tuple[str, ...]
) -> Insert:
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return (
        insert(table)
        .values({name: bindparam(name) for name in columns})
        .on_conflict_do_nothing(index_elements=list(conflict))
    )


async def insert_ignore(
    session: AsyncSession, table: Any, values: dict[str, Any], conflict: list[str]
) -> bool:
    """Insert one row; False when a row with the same unique key `conflict` existed.

    Callers need to know whether the row is new, not its id: the answer is the rowcount,
    and no row is fetched back (a fetch costs one more round trip through aiosqlite).
    """
    bind = session.bind
    if bind is None:
        raise RuntimeError("insert_ignore needs a session bound to an engine")
    dialect = bind.dialect.name
    statement = _statement(table, dialect, tuple(values), tuple(conflict))
    # On the session's connection (same transaction): a Core result carries the rowcount.
    connection = await session.connection()
    result = await connection.execute(statement, values)
    return result.rowcount == 1
