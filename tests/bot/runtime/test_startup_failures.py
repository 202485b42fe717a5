"""Start-up failures as a new user meets them: a database that can't be opened, a Telegram that
can't be reached, a rejected token, a busy port. Each is one clear line, or (for Telegram being
unreachable) a retry with backoff that a stop signal still interrupts at once."""

from __future__ import annotations

import asyncio
import logging
import os
import re
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import Any

import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.session.base import BaseSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import TelegramBadRequest, TelegramNetworkError
from aiogram.methods import GetMe, TelegramMethod
from aiogram.methods.base import TelegramType

from bot.app import Application, build_application
from bot.runtime.runner import (
    StartupBackoff,
    StartupError,
    StopRequested,
    call_telegram,
    serve,
)
from bot.settings import Settings, load_settings
from storage.db import DatabaseUnavailable, safe_url, unavailable
from tests.factories import free_port
from tests.fakes.telegram_server import FakeTelegramServer

REPO = Path(__file__).resolve().parents[3]
TOKEN = "123456:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
FAST = StartupBackoff(first_delay_s=0.01, max_delay_s=0.04)
RUNNER_LOG = "bot.runtime.runner"


# ---------------------------------------------------------------- helpers


def _env(**extra: str) -> dict[str, str]:
    """The test's environment without any of the program's settings, plus `extra`."""
    prefixes = ("BOT_", "DATABASE_", "TELEGRAM_", "WEBHOOK_", "WEB_", "LOG_LEVEL", "ADMIN_")
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith(prefixes)}
    env.update(PYTHONPATH=str(REPO), **extra)
    return env


def _barista(cwd: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=_env(**env),
        stdin=subprocess.DEVNULL,
        timeout=60,
        check=False,
    )


def _settings(tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "bot_token": TOKEN,
        "telegram_api_url": f"http://127.0.0.1:{free_port()}",  # nothing listens there
        "database_url": f"sqlite+aiosqlite:///{tmp_path}/barista.db",
        "web_port": free_port(),
        "_env_file": None,
    }
    values.update(overrides)
    return load_settings(**values)


class _Warnings(logging.Handler):
    """Collects the runner's WARNING lines; sets `stop` once `stop_after` have been seen."""

    def __init__(self, stop: asyncio.Event | None = None, stop_after: int = 0) -> None:
        super().__init__(logging.WARNING)
        self.lines: list[str] = []
        self.stop, self.stop_after = stop, stop_after

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())
        if self.stop is not None and len(self.lines) >= self.stop_after:
            self.stop.set()


@pytest.fixture
def warnings() -> Iterator[_Warnings]:
    handler = _Warnings()
    logger = logging.getLogger(RUNNER_LOG)
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)


class _FlakySession(AiohttpSession):
    """A real session to the fake Bot API whose first `failures` requests fail as if the
    network were down."""

    def __init__(self, base_url: str, failures: int) -> None:
        super().__init__(api=TelegramAPIServer.from_base(base_url))
        self.failures = failures

    async def make_request(
        self, bot: Bot, method: TelegramMethod[TelegramType], timeout: int | None = None
    ) -> TelegramType:
        if self.failures > 0:
            self.failures -= 1
            raise TelegramNetworkError(method=method, message="ClientConnectorError: no route")
        return await super().make_request(bot, method, timeout)


class _HangingSession(BaseSession):
    """A Bot API that accepts the request and never answers."""

    def __init__(self) -> None:
        super().__init__()
        self.requests = 0

    async def close(self) -> None:
        return None

    async def make_request(
        self, bot: Bot, method: TelegramMethod[TelegramType], timeout: int | None = None
    ) -> TelegramType:
        self.requests += 1
        await asyncio.Event().wait()
        raise AssertionError("unreachable")

    async def stream_content(self, *args: Any, **kwargs: Any) -> Any:  # pragma: no cover
        raise NotImplementedError


async def _serve(app: Application, stop: asyncio.Event, timeout: float = 10) -> None:
    await asyncio.wait_for(serve(app, stop, backoff=FAST), timeout)


# ---------------------------------------------------------------- the backoff itself


def test_backoff_doubles_from_one_second_and_caps_at_a_minute() -> None:
    assert list(islice(StartupBackoff().delays(), 9)) == [1, 2, 4, 8, 16, 32, 60, 60, 60]


async def test_call_telegram_retries_network_errors_then_returns(warnings: _Warnings) -> None:
    attempts = 0

    async def get_me() -> str:
        nonlocal attempts
        attempts += 1
        if attempts <= 3:
            raise TelegramNetworkError(method=GetMe(), message="ClientConnectorError: down")
        return "me"

    assert await call_telegram(get_me, asyncio.Event(), FAST) == "me"
    assert attempts == 4
    assert warnings.lines == [
        f"Telegram unreachable (TelegramNetworkError: ClientConnectorError: down): "
        f"retrying in {delay} s"
        for delay in ("0.01", "0.02", "0.04")
    ]


async def test_call_telegram_does_not_retry_other_api_errors() -> None:
    attempts = 0

    async def bad() -> None:
        nonlocal attempts
        attempts += 1
        raise TelegramBadRequest(method=GetMe(), message="Bad Request: nope")

    with pytest.raises(TelegramBadRequest):
        await call_telegram(bad, asyncio.Event(), FAST)
    assert attempts == 1


async def test_call_telegram_gives_up_at_once_when_already_stopped() -> None:
    stop = asyncio.Event()
    stop.set()

    async def never() -> None:  # pragma: no cover - must not be awaited
        raise AssertionError

    with pytest.raises(StopRequested):
        await call_telegram(never, stop, FAST)


# ---------------------------------------------------------------- Telegram unreachable at start


async def test_unreachable_telegram_is_retried_until_stop(
    tmp_path: Path, warnings: _Warnings
) -> None:
    app = build_application(_settings(tmp_path))
    stop = asyncio.Event()
    warnings.stop, warnings.stop_after = stop, 4
    await _serve(app, stop)
    assert len(warnings.lines) >= 4
    assert all(
        re.fullmatch(r"Telegram unreachable \(TelegramNetworkError: .+\): retrying in [\d.]+ s", w)
        for w in warnings.lines
    ), warnings.lines
    delays = [w.rsplit(" in ", 1)[1] for w in warnings.lines[:4]]
    assert delays == ["0.01 s", "0.02 s", "0.04 s", "0.04 s"]  # doubling, then capped
    assert app._closed, "the session and the database are closed after a stop"


async def test_stop_interrupts_the_wait_between_attempts(
    tmp_path: Path, warnings: _Warnings
) -> None:
    app = build_application(_settings(tmp_path))
    stop = asyncio.Event()
    warnings.stop, warnings.stop_after = stop, 1
    loop = asyncio.get_running_loop()
    started = loop.time()
    slow = StartupBackoff(first_delay_s=60)
    await asyncio.wait_for(serve(app, stop, backoff=slow), 10)
    assert loop.time() - started < 5, "stopping must not wait out the 60 s backoff"
    assert warnings.lines[0].endswith("retrying in 60 s")


async def test_stop_interrupts_a_call_that_never_answers(tmp_path: Path) -> None:
    session = _HangingSession()
    app = build_application(_settings(tmp_path), bot_session=session)
    stop = asyncio.Event()
    task = asyncio.create_task(serve(app, stop, backoff=FAST))
    while session.requests == 0:
        await asyncio.sleep(0.01)
        assert not task.done()
    stop.set()
    await asyncio.wait_for(task, 5)
    assert app._closed


async def test_polling_proceeds_once_telegram_answers(
    tg: FakeTelegramServer, settings: Settings, warnings: _Warnings
) -> None:
    # Two requests lost on the network, then a 502 from Telegram, then all is well.
    app = build_application(settings, bot_session=_FlakySession(tg.base_url, failures=2))
    tg.fail_next("deleteWebhook", error_code=502, description="Bad Gateway")
    stop = asyncio.Event()
    task = asyncio.create_task(serve(app, stop, backoff=FAST))
    try:
        tg.push_message("/start", user_id=801, first_name="Ira")
        await tg.wait_for_call("sendMessage", timeout=15)
        assert "Ira" in tg.sent_messages(801)[0]["text"]
    finally:
        stop.set()
        await asyncio.wait_for(task, 15)
    assert [call.status for call in tg.calls_to("deleteWebhook")] == [502, 200]
    assert len(warnings.lines) == 3
    assert warnings.lines[0].startswith("Telegram unreachable (TelegramNetworkError: ")
    assert warnings.lines[2].startswith("Telegram unreachable (TelegramServerError: ")


async def test_webhook_mode_retries_set_webhook(
    tg: FakeTelegramServer, tmp_path: Path, warnings: _Warnings
) -> None:
    settings = _settings(
        tmp_path,
        bot_token=tg.token,
        telegram_api_url=tg.base_url,
        webhook_url="https://shop.example",
        webhook_secret="s3cret",
    )
    tg.fail_next("setWebhook", error_code=500, description="Internal Server Error", times=2)
    app = build_application(settings)
    stop = asyncio.Event()
    task = asyncio.create_task(serve(app, stop, backoff=FAST))
    try:
        await tg.wait_until(lambda: any(c.status == 200 for c in tg.calls_to("setWebhook")), 10)
    finally:
        stop.set()
        await asyncio.wait_for(task, 15)
    assert [call.status for call in tg.calls_to("setWebhook")] == [500, 500, 200]
    assert len(warnings.lines) == 2


async def test_flood_control_at_start_waits_as_told(
    tg: FakeTelegramServer, settings: Settings, warnings: _Warnings
) -> None:
    tg.fail_next(
        "getMe", error_code=429, description="Too Many Requests: retry after 1", retry_after=1
    )
    app = build_application(settings)
    stop = asyncio.Event()
    task = asyncio.create_task(serve(app, stop, backoff=FAST))
    try:
        await tg.wait_for_call("deleteWebhook", timeout=10)
    finally:
        stop.set()
        await asyncio.wait_for(task, 15)
    assert warnings.lines == ["Telegram flood control: retrying in 1 s"]


# ---------------------------------------------------------------- failures that are not retried


async def test_rejected_token_is_not_retried(tg: FakeTelegramServer, tmp_path: Path) -> None:
    settings = _settings(tmp_path, telegram_api_url=tg.base_url)  # TOKEN is not tg.token
    app = build_application(settings)
    with pytest.raises(StartupError) as raised:
        await _serve(app, asyncio.Event())
    assert str(raised.value) == "Telegram rejected BOT_TOKEN (401 Unauthorized)"
    assert len(tg.calls_to("getMe")) == 1
    assert app._closed


async def test_unopenable_database_stops_start_up(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/missing/barista.db"
    app = build_application(_settings(tmp_path, database_url=url))
    with pytest.raises(DatabaseUnavailable) as raised:
        await _serve(app, asyncio.Event())
    assert str(raised.value) == (
        f"cannot open the database {url}: unable to open database file "
        f"(the directory {tmp_path}/missing does not exist)"
    )
    assert app._closed


async def test_busy_port_is_one_line(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        app = build_application(_settings(tmp_path, web_port=port))
        with pytest.raises(StartupError) as raised:
            await _serve(app, asyncio.Event())
    assert str(raised.value) == (
        f"cannot listen on 127.0.0.1:{port} (WEB_HOST/WEB_PORT): address already in use"
    )


def test_database_messages_never_show_the_password() -> None:
    url = "postgresql+asyncpg://shop:hunter2@db.example:6543/barista"
    assert safe_url(url) == "postgresql+asyncpg://shop:***@db.example:6543/barista"
    refused = unavailable(url, ConnectionRefusedError(111, "Connect call failed"))
    assert str(refused) == "cannot connect to PostgreSQL at db.example:6543: connection refused"
    unknown = unavailable(url, socket.gaierror(-2, "Name or service not known"))
    assert str(unknown) == (
        "cannot connect to PostgreSQL at db.example:6543: unknown host (Name or service not known)"
    )
    both = unavailable(
        "postgresql+asyncpg://shop:hunter2@localhost/barista",
        OSError(
            "Multiple exceptions: [Errno 111] Connect call failed ('::1', 5432, 0, 0), "
            "[Errno 111] Connect call failed ('127.0.0.1', 5432)"
        ),
    )
    assert str(both) == "cannot connect to PostgreSQL at localhost:5432: connection refused"
    timed_out = unavailable(url, TimeoutError())
    assert str(timed_out).endswith(": timed out")
    assert all("hunter2" not in str(e) for e in (refused, unknown, both, timed_out))


# ---------------------------------------------------------------- the real CLI, as a user runs it


@pytest.mark.parametrize(
    "args",
    [["run"], ["db", "upgrade"], ["shell"], ["import-telegram-export", "x"]],
    ids=["run", "db-upgrade", "shell", "import"],
)
def test_cli_unopenable_sqlite_is_one_line(tmp_path: Path, args: list[str]) -> None:
    (tmp_path / "x").write_text('{"chats": {"list": []}}', encoding="utf-8")
    url = f"sqlite+aiosqlite:///{tmp_path}/missing/barista.db"
    result = _barista(tmp_path, *args, BOT_TOKEN=TOKEN, DATABASE_URL=url)
    assert result.returncode == 1, result.stderr
    assert result.stderr.splitlines() == [
        f"barista: cannot open the database {url}: unable to open database file "
        f"(the directory {tmp_path}/missing does not exist)"
    ]


@pytest.mark.parametrize("args", [["run"], ["db", "current"]], ids=["run", "db-current"])
def test_cli_unreachable_postgres_is_one_line(tmp_path: Path, args: list[str]) -> None:
    port = free_port()  # nothing listens there
    url = f"postgresql+asyncpg://postgres:hunter2@127.0.0.1:{port}/barista"
    result = _barista(tmp_path, *args, BOT_TOKEN=TOKEN, DATABASE_URL=url)
    assert result.returncode == 1, result.stderr
    assert result.stderr.splitlines() == [
        f"barista: cannot connect to PostgreSQL at 127.0.0.1:{port}: connection refused"
    ]
    assert "hunter2" not in result.stderr + result.stdout


def test_cli_unreachable_database_shows_the_traceback_with_debug(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/missing/barista.db"
    result = _barista(tmp_path, "db", "upgrade", DATABASE_URL=url, LOG_LEVEL="DEBUG")
    assert result.returncode == 1
    assert "Traceback" in result.stderr
    assert result.stderr.splitlines()[-1].startswith("barista: cannot open the database")


async def _barista_async(
    cwd: Path, *args: str, **env: str
) -> asyncio.subprocess.Process:  # the fake Bot API must keep answering meanwhile
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        cwd=cwd,
        env=_env(**env),
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def test_cli_rejected_token_is_one_line(tg: FakeTelegramServer, tmp_path: Path) -> None:
    process = await _barista_async(
        tmp_path,
        "run",
        BOT_TOKEN=TOKEN,  # not the one the fake Bot API accepts
        TELEGRAM_API_URL=tg.base_url,
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}/barista.db",
        WEB_PORT=str(free_port()),
        LOG_LEVEL="WARNING",
    )
    _, stderr = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 1, stderr.decode()
    assert stderr.decode().splitlines() == [
        "barista: Telegram rejected BOT_TOKEN (401 Unauthorized)"
    ]


async def test_cli_unreachable_telegram_retries_and_stops_on_sigterm(tmp_path: Path) -> None:
    process = await _barista_async(
        tmp_path,
        "run",
        BOT_TOKEN=TOKEN,
        TELEGRAM_API_URL=f"http://127.0.0.1:{free_port()}",
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}/barista.db",
        WEB_PORT=str(free_port()),
    )
    assert process.stderr is not None
    lines: list[str] = []
    try:
        while not any("Telegram unreachable" in line for line in lines):
            line = await asyncio.wait_for(process.stderr.readline(), 30)
            assert line, "barista exited: " + "".join(lines)
            lines.append(line.decode())
    finally:
        process.send_signal(signal.SIGTERM)
    loop = asyncio.get_running_loop()
    signalled = loop.time()
    rest = await asyncio.wait_for(process.stderr.read(), 10)
    await asyncio.wait_for(process.wait(), 10)
    assert loop.time() - signalled < 5, "SIGTERM must interrupt the backoff wait"
    output = "".join(lines) + rest.decode()
    assert process.returncode == 0, output
    assert "Traceback" not in output
    assert re.search(
        r"WARNING bot\.runtime\.runner: Telegram unreachable \(TelegramNetworkError: "
        r".*Cannot connect to host 127\.0\.0\.1:\d+.*\): retrying in 1 s",
        output,
    ), output
    assert output.rstrip().endswith("stopped")
