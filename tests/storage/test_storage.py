"""Storage on SQLite and on the machine's real PostgreSQL: migrations, repositories, races."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlmodel import SQLModel

from profiling.engine import ProfileEngine
from profiling.types import SourceContext
from storage import migrate
from storage.db import SessionFactory, create_engine
from storage.repositories import customers, messages, profiles, sources
from storage.repositories.customers import CustomerIdentity

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
# The latest revision, read from the migrations folder; the stairway test walks every one.
HEAD = ScriptDirectory.from_config(migrate.alembic_config()).get_current_head()
TABLES = {"ad_source", "customer", "message", "profile", "source_touch", "alembic_version"}


async def test_migrations_up_down_and_match_the_models(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        await migrate.upgrade(engine)
        assert await migrate.current_revision(engine) == HEAD

        def check(conn: object) -> tuple[set[str], list[object]]:
            names = set(inspect(conn).get_table_names())  # type: ignore[arg-type]
            context = MigrationContext.configure(conn, opts={"compare_type": True})  # type: ignore[arg-type]
            return names, compare_metadata(context, SQLModel.metadata)

        async with engine.connect() as conn:
            names, diff = await conn.run_sync(check)
        assert names >= TABLES
        assert diff == [], f"models and migrations disagree: {diff}"

        await migrate.upgrade(engine)  # idempotent
        await migrate.downgrade(engine, "base")
        async with engine.connect() as conn:
            left = await conn.run_sync(lambda c: set(inspect(c).get_table_names()))
        assert left <= {"alembic_version"}
        await migrate.upgrade(engine)
        assert await migrate.current_revision(engine) == HEAD
    finally:
        await engine.dispose()


async def test_repositories_round_trip(session_factory: SessionFactory) -> None:
    factory = session_factory
    who = CustomerIdentity("telegram", "42", address="42", first_name="Анна", language="ru")
    profile_engine = ProfileEngine()
    async with factory() as session:
        customer, created = await customers.load_or_create(
            session, who, now=NOW, default_language="ru"
        )
        assert created
        source = await sources.get_or_create(
            session, payload="c-x_a-y", campaign="x", ad="y", creative=None, now=NOW
        )
        await sources.record_touch(
            session, customer, source, raw_payload="c-x_a-y", valid=True, now=NOW
        )
        await session.flush()
        state = profile_engine.new_state(now=NOW.timestamp(), source=SourceContext("x"))
        signals = profile_engine.analyze("Здравствуйте! Сколько стоит доставка в Казань?")
        profile_engine.observe_incoming(state, signals, NOW.timestamp())
        await messages.insert_incoming_once(
            session,
            customer_id=customer.id,
            text="Здравствуйте!",
            at=NOW,
            gap_s=None,
            latency_s=None,
            external_id="1",
            features={"lang": "ru"},
        )
        assessment = profile_engine.assess(state, NOW.timestamp())
        await profiles.insert_many(
            session,
            [profiles.row(customer.id, state, profiles.score_columns(state, assessment, NOW))],
        )
        await session.commit()

    async with factory() as session:
        again, created = await customers.load_or_create(
            session, who, now=NOW, default_language="ru"
        )
        assert not created and again.id == customer.id
        assert again.first_source_id == source.id
        assert again.created_at == NOW  # aware UTC survives the round trip
        row = await profiles.load(session, again.id)
        restored = profiles.load_state(row)
        assert restored is not None and restored.to_dict() == state.to_dict()
        recent = await messages.recent(session, again.id)
        assert [m.features for m in recent] == [{"lang": "ru"}]


async def test_concurrent_first_contact_creates_one_customer(
    session_factory: SessionFactory,
) -> None:
    """Two updates from a brand-new customer race on the unique key; one row survives."""
    factory = session_factory
    who = CustomerIdentity("telegram", "77", address="77")

    async def contact() -> int:
        async with factory() as session:
            customer, _ = await customers.load_or_create(
                session, who, now=NOW, default_language="en"
            )
            await session.commit()
            return int(customer.id)  # type: ignore[arg-type]

    ids = await asyncio.gather(*(contact() for _ in range(8)), return_exceptions=True)
    failures = [i for i in ids if isinstance(i, BaseException)]
    # SQLite serialises writers (busy_timeout); PostgreSQL resolves it by the savepoint.
    assert not failures, failures
    assert len(set(ids)) == 1
    async with factory() as session:
        count = (await session.execute(text("SELECT count(*) FROM customer"))).scalar_one()
    assert count == 1


async def test_sqlite_pragmas_are_applied(sqlite_url: str) -> None:
    engine = create_engine(sqlite_url)
    try:
        async with engine.connect() as conn:
            mode = (await conn.execute(text("PRAGMA journal_mode"))).scalar_one()
            fk = (await conn.execute(text("PRAGMA foreign_keys"))).scalar_one()
            busy = (await conn.execute(text("PRAGMA busy_timeout"))).scalar_one()
        assert (mode, fk, busy) == ("wal", 1, 5000)
    finally:
        await engine.dispose()


def test_alembic_with_only_a_url_uses_its_own_async_engine(tmp_path: object) -> None:
    import sqlite3

    from alembic import command

    from storage.migrate import alembic_config

    path = f"{tmp_path}/alembic.db"
    command.upgrade(alembic_config(f"sqlite+aiosqlite:///{path}"), "head")
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (HEAD,)


async def test_migration_0002_upgrades_a_database_with_duplicate_messages(
    database_url: str,
) -> None:
    """Databases written before 0002 may hold a message twice (webhook retries): the upgrade
    keeps every row and leaves one carrying the external id."""
    engine = create_engine(database_url)
    try:
        await migrate.upgrade(engine, "0001")
        async with engine.begin() as conn:
            await conn.execute(
                text(
                    "INSERT INTO customer (id, channel, external_id, language, profiling_opt_out,"
                    " checkins_opt_out, blocked, holdout, created_at) VALUES (1, 'telegram', '1',"
                    " 'ru', false, false, false, false, '2026-01-01 00:00:00')"
                )
            )
            for _ in range(3):
                await conn.execute(
                    text(
                        "INSERT INTO message (customer_id, direction, text, chars, created_at,"
                        " external_id, status) VALUES (1, 'in', 'привет', 6,"
                        " '2026-01-01 00:00:00', '77', 'received')"
                    )
                )
        await migrate.upgrade(engine)
        async with engine.connect() as conn:
            total, keyed = (
                await conn.execute(text("SELECT count(*), count(external_id) FROM message"))
            ).one()
        assert (total, keyed) == (3, 1)
        assert await migrate.current_revision(engine) == HEAD
    finally:
        await engine.dispose()


async def test_migration_0003_turns_chat_ids_into_addresses_and_keeps_messages(
    database_url: str,
) -> None:
    """The Telegram chat id becomes the customer's address; dropping the old column must not
    rebuild the table (with foreign keys on, that would cascade into every message)."""
    engine = create_engine(database_url)
    try:
        await migrate.upgrade(engine, "0002")
        async with engine.begin() as conn:
            await conn.execute(
                text(
                    "INSERT INTO customer (id, channel, external_id, chat_id, language,"
                    " profiling_opt_out, checkins_opt_out, blocked, holdout, created_at) VALUES"
                    " (1, 'telegram', '5005', 5005, 'ru', false, false, false, false,"
                    " '2026-01-01 00:00:00')"
                )
            )
            await conn.execute(
                text(
                    "INSERT INTO message (customer_id, direction, text, chars, created_at,"
                    " status) VALUES (1, 'in', 'привет', 6, '2026-01-01 00:00:00', 'received')"
                )
            )
        await migrate.upgrade(engine)
        async with engine.connect() as conn:
            address = (await conn.execute(text("SELECT address FROM customer"))).scalar_one()
            kept = (await conn.execute(text("SELECT count(*) FROM message"))).scalar_one()
        assert (address, kept) == ("5005", 1)
        await migrate.downgrade(engine, "0002")
        async with engine.connect() as conn:
            chat_id = (await conn.execute(text("SELECT chat_id FROM customer"))).scalar_one()
            kept = (await conn.execute(text("SELECT count(*) FROM message"))).scalar_one()
        assert (chat_id, kept) == (5005, 1)
    finally:
        await engine.dispose()
