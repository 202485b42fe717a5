"""End to end: the real program talks to a Bot API server on 127.0.0.1 through aiogram's own
aiohttp session — in-process (`serve`) and as a subprocess (`barista run`, `barista shell`)."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import aiohttp
import pytest

from bot.app import build_application
from bot.runtime.runner import serve
from bot.settings import Settings, load_settings
from tests.factories import NO_LIMITS, free_port
from tests.fakes.telegram_server import FakeTelegramServer

REPO = Path(__file__).resolve().parents[2]


async def test_polling_answers_start_and_messages_then_stops(
    tg: FakeTelegramServer, settings: Settings
) -> None:
    app = build_application(settings, telegram_limits=NO_LIMITS)
    stop = asyncio.Event()
    task = asyncio.create_task(serve(app, stop))
    try:
        tg.push_message("/start c-spring_a-vk7", user_id=501, first_name="Вера")
        tg.push_message("Подскажите статус моего заказа", user_id=501, first_name="Вера")
        tg.push_message("/start %%broken%%", user_id=502, first_name="Max", language_code="en")
        tg.push_message(
            "hi, do you deliver to Berlin?", user_id=502, first_name="Max", language_code="en"
        )
        await tg.wait_for_call("sendMessage", count=4, timeout=15)
        assert "Вера" in tg.sent_messages(501)[0]["text"]
        assert "заказ" in tg.sent_messages(501)[1]["text"]
        assert "Hello, Max" in tg.sent_messages(502)[0]["text"]
        assert tg.calls_to("deleteWebhook"), "polling must clear a webhook first"
        # The customers' menu, in English (default) and Russian, with their data rights.
        menus = {
            call.params.get("language_code"): call.params for call in tg.calls_to("setMyCommands")
        }
        assert set(menus) == {None, "ru"}
        assert "/forget" not in str(menus["ru"]) and "forget" in str(menus["ru"]["commands"])
        async with aiohttp.ClientSession() as http:
            url = f"http://127.0.0.1:{settings.web_port}/healthz"
            async with http.get(url) as response:
                assert response.status == 200
                assert (await response.json())["database"] == "ok"
    finally:
        stop.set()
        await asyncio.wait_for(task, timeout=15)

    db = settings.database_url.split("///", 1)[1]
    with sqlite3.connect(db) as conn:
        campaign = conn.execute(
            "SELECT s.campaign, s.ad FROM customer c JOIN ad_source s ON s.id = c.first_source_id "
            "WHERE c.external_id = '501'"
        ).fetchone()
        organic = conn.execute(
            "SELECT first_source_id FROM customer WHERE external_id = '502'"
        ).fetchone()
        counts = conn.execute(
            "SELECT direction, count(*) FROM message GROUP BY direction"
        ).fetchall()
    assert campaign == ("spring", "vk7")
    assert organic == (None,)
    assert dict(counts) == {"in": 4, "out": 4}


async def test_webhook_mode_checks_the_secret(tg: FakeTelegramServer, sqlite_url: str) -> None:
    port = free_port()
    settings = load_settings(
        bot_token=tg.token,
        telegram_api_url=tg.base_url,
        database_url=sqlite_url,
        webhook_url="https://shop.example",
        webhook_secret="s3cret-token",
        web_port=port,
        _env_file=None,
    )
    app = build_application(settings, telegram_limits=NO_LIMITS)
    stop = asyncio.Event()
    task = asyncio.create_task(serve(app, stop))
    try:
        await tg.wait_for_call("setWebhook", timeout=10)
        params = tg.calls_to("setWebhook")[0].params
        assert params["url"] == "https://shop.example/telegram/webhook"
        assert params["secret_token"] == "s3cret-token"
        update = {
            "update_id": 77,
            "message": {
                "message_id": 1,
                "date": 1_770_000_000,
                "text": "Hello there",
                "chat": {"id": 601, "type": "private"},
                "from": {"id": 601, "is_bot": False, "first_name": "Eve", "language_code": "en"},
            },
        }
        url = f"http://127.0.0.1:{port}/telegram/webhook"
        async with aiohttp.ClientSession() as http:
            wrong = {"X-Telegram-Bot-Api-Secret-Token": "nope"}
            async with http.post(url, json=update, headers=wrong) as response:
                assert response.status == 401
            right = {"X-Telegram-Bot-Api-Secret-Token": "s3cret-token"}
            async with http.post(url, json=update, headers=right) as response:
                assert response.status == 200
        await tg.wait_for_call("sendMessage", count=2, timeout=10)
        # CONSENT_MODE=opt_in by default: the consent question, then the answer; once.
        consent, answer = tg.sent_messages(601)
        assert consent["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "consent:yes"
        assert answer["text"] == "Hi! How can I help?"
    finally:
        stop.set()
        await asyncio.wait_for(task, timeout=15)


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "DATABASE_"))}
    env.update(extra)
    return env


async def test_barista_run_subprocess_answers_and_stops_on_sigterm(
    tg: FakeTelegramServer, tmp_path: Path
) -> None:
    db = tmp_path / "run.db"
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        cwd=tmp_path,
        env=_env(
            BOT_TOKEN=tg.token,
            TELEGRAM_API_URL=tg.base_url,
            DATABASE_URL=f"sqlite+aiosqlite:///{db}",
            WEB_PORT=str(free_port()),
            PYTHONPATH=str(REPO),
        ),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        tg.push_message("/start c-autumn", user_id=701, first_name="Lena")
        tg.push_message("/start ###", user_id=702, first_name="Oleg")
        tg.push_message("Сколько стоит доставка?", user_id=701, first_name="Lena")
        # Greetings, each followed by the consent question (CONSENT_MODE=opt_in), and the
        # answer.
        await tg.wait_for_call("sendMessage", count=5, timeout=30)
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), timeout=30)
    assert process.returncode == 0, stderr.decode()
    assert b"Traceback" not in stderr
    assert b"stopped" in stderr
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM message").fetchone() == (8,)
        sources = conn.execute(
            "SELECT c.external_id, s.campaign FROM customer c "
            "LEFT JOIN ad_source s ON s.id = c.first_source_id ORDER BY c.external_id"
        ).fetchall()
    assert sources == [("701", "autumn"), ("702", None)]
    assert b"malformed deep-link payload" in stderr


def test_shell_answers_piped_conversation(tmp_path: Path) -> None:
    conversation = "/start c-summer_a-ig1\nПодскажите статус моего заказа\n/help\n"
    result = subprocess.run(
        [sys.executable, "-m", "bot", "shell", "--explain", "--name", "Анна"],
        input=conversation,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=_env(DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}/shell.db", PYTHONPATH=str(REPO)),
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    replies = [line for line in result.stdout.splitlines() if line.startswith("bot> ")]
    assert len(replies) == 4
    assert "Анна" in replies[0]
    # CONSENT_MODE=opt_in by default: the consent question, its buttons pressed by number.
    assert "согласия" in replies[1] and "[1] Согласен(на)" in result.stdout
    assert "заказ" in replies[2]
    assert "/help" in result.stdout.split(replies[3], 1)[1]  # the help's later lines
    assert "   | " in result.stdout  # --explain printed the profile


def test_missing_token_is_one_clear_line(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
        check=False,
        env=_env(PYTHONPATH=str(REPO)),
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "barista: BOT_TOKEN is not set: get one from @BotFather and put it in .env"
    ]


@pytest.mark.parametrize(
    ("name", "value", "setting"),
    [
        ("ADMIN_IDS", "12,abc", "ADMIN_IDS"),
        ("WEB_PORT", "eighty", "WEB_PORT"),
        ("TELEGRAM_API_URL", "localhost:8081", "TELEGRAM_API_URL"),
        ("DATABASE_URL", "garbage", "DATABASE_URL"),
        ("DATABASE_URL", "postgresql://postgres@127.0.0.1/x", "DATABASE_URL"),
        ("WEBHOOK_URL", "http://shop.example", "WEBHOOK_URL"),
        ("WEBHOOK_SECRET", "has spaces!", "WEBHOOK_SECRET"),
        ("BOT_TOKEN", "abc", "BOT_TOKEN"),
    ],
)
def test_malformed_setting_is_one_clear_line(
    tmp_path: Path, name: str, value: str, setting: str
) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
        check=False,
        env=_env(PYTHONPATH=str(REPO), **{"BOT_TOKEN": "1:x", name: value}),
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"barista: {setting} is invalid"), lines


async def test_webhook_deliveries_are_refused_while_stopping(app_for_web: object) -> None:
    from aiohttp.test_utils import TestClient, TestServer

    from bot.runtime.web import build_web_app, stop_accepting

    web_app = build_web_app(app_for_web, webhook_secret="s3cret")  # type: ignore[arg-type]
    async with TestClient(TestServer(web_app)) as client:
        health = await client.get("/healthz")
        assert health.status == 200
        stop_accepting(web_app)
        refused = await client.post(
            "/telegram/webhook",
            json={"update_id": 1},
            headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret"},
        )
        assert refused.status == 503  # Telegram keeps the update and retries later
        assert (await client.get("/healthz")).status == 200


@pytest.fixture
async def app_for_web(settings: Settings) -> object:
    application = build_application(settings, telegram_limits=NO_LIMITS)
    await application.start()
    yield application
    await application.close()
