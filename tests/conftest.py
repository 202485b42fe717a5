"""Shared fixtures: the fake Bot API (in-process for handler-level tests, over HTTP for
end-to-end and channel tests), a manual clock, the production application, and the real
PostgreSQL of the machine (skipped where absent, unless REQUIRE_SERVICES=1)."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest

from bot.app import Application
from bot.settings import Settings, load_settings
from storage import migrate
from storage.db import SessionFactory, create_engine, create_session_factory
from tests.factories import ManualClock, free_port, running_app
from tests.fakes.bot_api import FakeBotApi
from tests.fakes.telegram_server import FakeTelegramServer

POSTGRES_ADMIN_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
)


def services_required() -> bool:
    return os.environ.get("REQUIRE_SERVICES", "").strip() not in ("", "0", "false", "no")


def skip_or_fail(reason: str) -> None:
    """A missing service skips on a laptop and fails in CI (REQUIRE_SERVICES=1)."""
    if services_required():
        pytest.fail(f"REQUIRE_SERVICES is set but {reason}")
    pytest.skip(reason)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def bot_api() -> Iterator[FakeBotApi]:
    """The test's fake Bot API: its state, its methods and what the bot called. Handler-level
    tests reach it in-process (see `app`); `tg` serves the same fake over HTTP."""
    api = FakeBotApi()
    yield api
    api.close()  # wakes a long poll still parked on it


@pytest.fixture
async def tg(bot_api: FakeBotApi) -> AsyncIterator[FakeTelegramServer]:
    """`bot_api` over real HTTP on 127.0.0.1, for tests of aiogram's HTTP session, polling,
    webhooks and the running program (end-to-end and channel tests)."""
    async with FakeTelegramServer(api=bot_api) as server:
        yield server


@pytest.fixture
def sqlite_url(tmp_path: Any) -> str:
    return f"sqlite+aiosqlite:///{tmp_path}/barista.db"


def _settings(bot_token: str, telegram_api_url: str, database_url: str) -> Settings:
    return load_settings(
        bot_token=bot_token,
        telegram_api_url=telegram_api_url,
        database_url=database_url,
        web_port=free_port(),
        default_language="ru",
        timezone_offset_minutes=0,
        # The suite's customers are served under a notice (one line under the first reply);
        # the opt-in consent question is tested where it is the subject (tests/.../privacy).
        consent_mode="notice",
        # Adaptation is what most tests check; the holdout group is tested where it is the
        # subject (tests/bot/conversation/test_holdout.py).
        holdout_percent=0,
        _env_file=None,
    )


@pytest.fixture
def settings(tg: FakeTelegramServer, sqlite_url: str) -> Settings:
    """Settings of a program that talks to the fake Bot API over HTTP (`tg`)."""
    return _settings(tg.token, tg.base_url, sqlite_url)


@pytest.fixture
def in_process_settings(bot_api: FakeBotApi, sqlite_url: str) -> Settings:
    """Settings of an application built with `bot_session=InProcessBotApi(bot_api)`. Their
    Bot API URL is a port where nothing listens: an HTTP session built from them by mistake
    fails at once instead of reaching api.telegram.org."""
    return _settings(bot_api.token, f"http://127.0.0.1:{free_port()}", sqlite_url)


@pytest.fixture
async def app(
    in_process_settings: Settings, bot_api: FakeBotApi, clock: ManualClock
) -> AsyncIterator[Application]:
    """The production application, its Bot API calls answered in-process by `bot_api`."""
    async with running_app(in_process_settings, bot_api, clock) as application:
        yield application


@pytest.fixture
async def cleaning_app(
    in_process_settings: Settings, bot_api: FakeBotApi, clock: ManualClock
) -> AsyncIterator[Application]:
    """The production application with the bundled cleaning-service knowledge file (the
    default `app` has the electronics shop's)."""
    from bot.replies.knowledge import EXAMPLES_DIR

    cleaning = str(EXAMPLES_DIR / "cleaning.yaml")
    async with running_app(
        in_process_settings, bot_api, clock, shop_knowledge_file=cleaning
    ) as application:
        yield application


async def _postgres_reachable() -> str | None:
    try:
        import asyncpg
    except ImportError:
        return "asyncpg is not installed (pip install -e '.[postgres]')"
    dsn = POSTGRES_ADMIN_URL.replace("postgresql+asyncpg", "postgresql")
    try:
        conn = await asyncio.wait_for(asyncpg.connect(dsn), timeout=3)
    except Exception as exc:
        return f"PostgreSQL is not reachable at {dsn}: {exc!r}"
    await conn.close()
    return None


@pytest.fixture
async def postgres_url() -> AsyncIterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    problem = await _postgres_reachable()
    if problem:
        skip_or_fail(problem)
    import asyncpg

    name = f"barista_test_{uuid.uuid4().hex[:12]}"
    dsn = POSTGRES_ADMIN_URL.replace("postgresql+asyncpg", "postgresql")
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    base = POSTGRES_ADMIN_URL.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        conn = await asyncpg.connect(dsn)
        try:
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await conn.close()


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, sqlite_url: str) -> str:
    """Each storage test runs on the embedded SQLite and on the machine's PostgreSQL."""
    if request.param == "sqlite":
        return sqlite_url
    return str(request.getfixturevalue("postgres_url"))


async def _migrated(url: str) -> AsyncIterator[SessionFactory]:
    engine = create_engine(url)
    try:
        await migrate.upgrade(engine)
        yield create_session_factory(engine)
    finally:
        await engine.dispose()


@pytest.fixture
async def session_factory(database_url: str) -> AsyncIterator[SessionFactory]:
    """Sessions on a migrated database, SQLite and PostgreSQL in turn."""
    async for factory in _migrated(database_url):
        yield factory


@pytest.fixture
async def postgres_factory(postgres_url: str) -> AsyncIterator[SessionFactory]:
    """Sessions on a migrated PostgreSQL database only (multi-instance tests: skipped where
    there is none, unless REQUIRE_SERVICES=1)."""
    async for factory in _migrated(postgres_url):
        yield factory


@pytest.fixture
async def sqlite_session_factory(sqlite_url: str) -> AsyncIterator[SessionFactory]:
    async for factory in _migrated(sqlite_url):
        yield factory


@pytest.fixture
def no_env_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> Iterator[None]:
    """Run from an empty directory so a developer's .env can't leak into a test."""
    monkeypatch.chdir(tmp_path)
    yield
