"""The async engine and session factory, SQLite-tuned and PostgreSQL-ready."""

from __future__ import annotations

import asyncio
import errno
import os
import socket
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

SessionFactory = async_sessionmaker[AsyncSession]

CONNECT_TIMEOUT_S = 30.0


class DatabaseUnavailable(Exception):
    """The database can't be reached or opened; the message says which and why, in one line
    and without the URL's password."""


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers work while one writer commits; busy_timeout makes a second writer wait
    # instead of failing at once; foreign keys are off by default in SQLite.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def safe_url(url: str | URL) -> str:
    """The URL as it may be printed: the password masked."""
    return make_url(url).render_as_string(hide_password=True)


def _reason(exc: BaseException) -> str:
    """The one line that says why a connection failed, from the driver's own error."""
    if isinstance(exc, DBAPIError) and exc.orig is not None:
        exc = exc.orig
    if isinstance(exc, TimeoutError):
        return "timed out"
    if isinstance(exc, socket.gaierror):
        return f"unknown host ({exc.strerror or exc})"
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    if isinstance(exc, ConnectionRefusedError) or (
        isinstance(exc, OSError) and exc.errno == errno.ECONNREFUSED
    ):
        return "connection refused"
    if isinstance(exc, OSError) and message.startswith("Multiple exceptions"):
        # Every address of the host was tried (IPv6 and IPv4 localhost, say).
        return "connection refused" if "[Errno 111]" in message else message
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror[0].lower() + exc.strerror[1:]
    return message or type(exc).__name__


def _sqlite_file(url: URL) -> str | None:
    """The file of a SQLite URL that names a plain file (not memory, not a URI)."""
    database = url.database or ""
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return None if url.query.get("uri") else database


def unavailable(url: str | URL, exc: BaseException) -> DatabaseUnavailable:
    """Turn a failure to connect into one line naming the database and the reason."""
    parsed = make_url(url)
    reason = _reason(exc)
    if parsed.get_backend_name() == "sqlite":
        if database := _sqlite_file(parsed):
            parent = os.path.dirname(database) or "."
            if not Path(parent).exists():
                reason += f" (the directory {parent} does not exist)"
            elif not Path(parent).is_dir():
                reason += f" ({parent} is not a directory)"
        return DatabaseUnavailable(f"cannot open the database {safe_url(parsed)}: {reason}")
    where = f"{parsed.host or 'localhost'}:{parsed.port or 5432}"
    return DatabaseUnavailable(f"cannot connect to PostgreSQL at {where}: {reason}")


def _open_sqlite(path: str) -> None:
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA schema_version")  # reads the header: "not a database"
    finally:
        connection.close()


async def check_database(engine: AsyncEngine, timeout: float = CONNECT_TIMEOUT_S) -> None:
    """Open one connection and run `SELECT 1`; raise `DatabaseUnavailable` if that fails."""
    if engine.dialect.name == "sqlite" and (path := _sqlite_file(engine.url)):
        # Opened once with the plain driver first: when aiosqlite fails to open a file, its
        # worker thread outlives the failure and may touch the event loop after it closed.
        try:
            await asyncio.to_thread(_open_sqlite, path)
        except sqlite3.Error as exc:
            raise unavailable(engine.url, exc) from exc
    try:
        async with asyncio.timeout(timeout), engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
    except (DBAPIError, OSError, TimeoutError) as exc:
        raise unavailable(engine.url, exc) from exc
    except Exception as exc:
        # asyncpg raises its own errors (bad password, missing database) before SQLAlchemy
        # wraps them when they come from connecting.
        if type(exc).__module__.startswith("asyncpg"):
            raise unavailable(engine.url, exc) from exc
        raise


def create_engine(url: str, *, echo: bool = False) -> AsyncEngine:
    if is_sqlite(url):
        # Every session and connection block here ends its own transaction (commit, or the
        # rollback that closing a session does), so the pool's extra ROLLBACK on check-in
        # would only add a round trip through aiosqlite's thread to every message.
        engine = create_async_engine(url, echo=echo, pool_reset_on_return=None)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    try:
        return create_async_engine(
            url, echo=echo, pool_pre_ping=True, pool_size=10, max_overflow=10
        )
    except ModuleNotFoundError as exc:  # the driver is an optional extra
        raise DatabaseUnavailable(
            f"cannot use {safe_url(url)}: the {exc.name} driver is not installed "
            "(pip install 'barista[postgres]')"
        ) from exc


def create_session_factory(engine: AsyncEngine) -> SessionFactory:
    # expire_on_commit=False: objects stay readable after commit, since handlers keep using the
    # customer after the pipeline's short transaction ends.
    return async_sessionmaker(engine, expire_on_commit=False)
