"""Alembic environment: runs on the connection handed over by `storage.migrate`, or on its own
engine from `sqlalchemy.url` when alembic is called directly."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine, pool
from sqlmodel import SQLModel

import storage.models  # noqa: F401  (registers the tables on SQLModel.metadata)

config = context.config
target_metadata = SQLModel.metadata


def _configure_and_run(connection: object) -> None:
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # type: ignore[attr-defined]
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure_and_run(connection)
        return
    url = config.get_main_option("sqlalchemy.url")
    if context.is_offline_mode():
        context.configure(url=url, target_metadata=target_metadata, literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    # Plain `alembic` CLI use: a synchronous driver for the same database.
    sync_url = (url or "").replace("+aiosqlite", "").replace("+asyncpg", "+psycopg")
    engine = create_engine(sync_url, poolclass=pool.NullPool)
    with engine.connect() as conn:
        _configure_and_run(conn)


run()
