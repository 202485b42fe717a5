"""The `barista` command line: link building, migrations and one-line failures (in-process,
via main())."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from bot.conversation.deeplinks import parse_payload


@pytest.fixture(autouse=True)
def isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("BOT_TOKEN", "DATABASE_URL", "TELEGRAM_API_URL", "WEBHOOK_URL", "LOG_LEVEL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path}/cli.db")


def test_link_builds_a_parsable_deep_link(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["link", "--campaign", "summer", "--ad", "ig1", "--bot-username", "shop_bot"])
    out = capsys.readouterr().out.strip()
    assert code == 0
    assert out == "https://t.me/shop_bot?start=c-summer_a-ig1"
    parsed = parse_payload(out.rsplit("=", 1)[1])
    assert (parsed.campaign, parsed.ad) == ("summer", "ig1")


def test_link_without_fields_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["link", "--bot-username", "shop_bot"]) == 2
    assert "at least" in capsys.readouterr().err


def test_db_upgrade_downgrade_current(capsys: pytest.CaptureFixture[str]) -> None:
    from alembic.script import ScriptDirectory

    from storage.migrate import alembic_config

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert main(["db", "upgrade"]) == 0
    assert f"revision {head}" in capsys.readouterr().out
    assert main(["db", "downgrade", "base"]) == 0
    assert "revision none" in capsys.readouterr().out
    assert main(["db", "current"]) == 0
    assert "revision none" in capsys.readouterr().out


def test_env_example_is_a_valid_configuration() -> None:
    """Copying .env.example to .env must give a working configuration (empty = default)."""
    from bot.settings import Settings, load_settings

    example = Path(__file__).resolve().parents[2] / ".env.example"
    settings = load_settings(_env_file=str(example))
    documented = {
        line.split("=", 1)[0].strip().lower()
        for line in example.read_text(encoding="utf-8").splitlines()
        if "=" in line and not line.lstrip().startswith("#")
    }
    assert documented == set(Settings.model_fields), "every setting documented, nothing extra"
    assert settings.bot_token is None and settings.webhook_url is None
    assert settings.database_url.startswith("sqlite+aiosqlite")


def test_unopenable_database_is_one_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/missing/cli.db"
    monkeypatch.setenv("DATABASE_URL", url)
    assert main(["db", "current"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"barista: cannot open the database {url}: unable to open database file "
        f"(the directory {tmp_path}/missing does not exist)"
    ]


def test_unexpected_error_is_one_line_naming_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    async def broken(*_: object) -> int:
        raise RuntimeError("disk on fire\nsecond line")

    monkeypatch.setattr("bot.cli._db", broken)
    assert main(["db", "current"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "barista db: RuntimeError: disk on fire (LOG_LEVEL=DEBUG shows the traceback)"
    ]


def test_unexpected_error_keeps_the_traceback_with_debug(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    async def broken(*_: object) -> int:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("bot.cli._db", broken)
    monkeypatch.setenv("LOG_LEVEL", "DEBUG")
    assert main(["db", "current"]) == 1
    err = capsys.readouterr().err
    assert "Traceback (most recent call last)" in err
    assert err.splitlines()[-1] == "barista db: RuntimeError: disk on fire"


def test_link_without_telegram_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.factories import free_port

    monkeypatch.setenv("BOT_TOKEN", "123456:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
    monkeypatch.setenv("TELEGRAM_API_URL", f"http://127.0.0.1:{free_port()}")
    assert main(["link", "--campaign", "summer"]) == 1
    # Above it, at most the session's own retry warnings (log lines), never a traceback.
    err = capsys.readouterr().err
    assert "Traceback" not in err
    last = err.splitlines()[-1]
    assert last.startswith("barista: cannot reach Telegram (ClientConnectorError: ")
    assert last.endswith("pass --bot-username to build the link offline")


def test_analyze_imports_neither_the_database_nor_telegram(tmp_path: Path) -> None:
    """`barista analyze` starts fast: no SQLAlchemy, aiogram, pydantic-settings or asyncio."""
    import subprocess
    import sys

    source = tmp_path / "in.jsonl"
    source.write_text('{"text": "Hello, where is my order?"}\n', encoding="utf-8")
    code = (
        "import sys; from bot.cli import main; code = main(['analyze', sys.argv[1], '-o', "
        "sys.argv[2]]); heavy = sorted({m.split('.')[0] for m in sys.modules} & "
        "{'sqlalchemy', 'aiogram', 'pydantic', 'pydantic_settings', 'asyncio', 'storage'}); "
        "print(code, heavy)"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, str(source), str(tmp_path / "out.jsonl")],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PATH": "", "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
        check=False,
        timeout=60,
    )
    assert proc.stdout.strip() == "0 []", proc.stderr
    assert '"intent"' in (tmp_path / "out.jsonl").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "value"), [("TIMEZONE_OFFSET_MINUTES", "900"), ("LOG_LEVEL", "chatty")]
)
def test_analyze_rejects_a_bad_setting_it_reads_in_one_line(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    value: str,
) -> None:
    from bot.settings import SettingsError, load_settings

    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as expected:
        load_settings()
    source = tmp_path / "in.jsonl"
    source.write_text('{"text": "hi"}\n', encoding="utf-8")
    assert main(["analyze", str(source), "-o", str(tmp_path / "out.jsonl")]) == 2
    assert capsys.readouterr().err.strip() == f"barista: {expected.value}"


@pytest.mark.parametrize(
    ("env", "dotenv", "expected"),
    [
        ({}, None, ("INFO", 180)),
        ({"log_level": "debug", "TIMEZONE_OFFSET_MINUTES": "-120"}, None, ("DEBUG", -120)),
        (
            {"TIMEZONE_OFFSET_MINUTES": ""},
            "TIMEZONE_OFFSET_MINUTES=60\nlog_level=warning\n",
            ("WARNING", 60),
        ),
        ({"TIMEZONE_OFFSET_MINUTES": "30"}, "TIMEZONE_OFFSET_MINUTES=60\n", ("INFO", 30)),
        ({"TIMEZONE_OFFSET_MINUTES": " 0090"}, None, ("INFO", 90)),  # pydantic's reading
    ],
)
def test_analyze_settings_match_load_settings(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    env: dict[str, str],
    dotenv: str | None,
    expected: tuple[str, int],
) -> None:
    from bot.settings import load_settings
    from bot.tools.analyze import analyze_settings

    for key, value in env.items():
        monkeypatch.setenv(key, value)
    if dotenv is not None:
        (tmp_path / ".env").write_text(dotenv, encoding="utf-8")
    settings = load_settings()
    assert analyze_settings() == expected
    assert expected == (settings.log_level, settings.timezone_offset_minutes)


def test_link_accepts_the_bot_name_with_an_at_sign(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["link", "--campaign", "summer", "--bot-username", "@MyShopBot"]) == 0
    assert capsys.readouterr().out.strip() == "https://t.me/MyShopBot?start=c-summer"


def test_link_takes_bot_username_from_the_settings(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BOT_USERNAME", "@MyShopBot")
    assert main(["link", "--ad", "ig1"]) == 0
    assert capsys.readouterr().out.strip() == "https://t.me/MyShopBot?start=a-ig1"


def test_outbox_list_and_retry_dead_events(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    import asyncio
    from datetime import UTC, datetime

    from bot.signals.outbox import enqueue
    from storage import migrate
    from storage.db import create_engine, create_session_factory
    from storage.models.outbox import OutboxEvent

    async def one_dead_event() -> str:
        engine = create_engine(f"sqlite+aiosqlite:///{tmp_path}/cli.db")
        try:
            await migrate.upgrade(engine)
            async with create_session_factory(engine)() as session:
                now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
                webhook_id = await enqueue(
                    session, event_type="lead.hot", customer_id=7, data={"x": 1}, now=now
                )
                await session.commit()
                row = await session.execute(
                    OutboxEvent.__table__.update()  # type: ignore[attr-defined]
                    .where(OutboxEvent.__table__.c.webhook_id == webhook_id)  # type: ignore[attr-defined]
                    .values(status="dead", attempts=10, last_error="HTTP 500")
                )
                assert row.rowcount == 1
                await session.commit()
                return webhook_id
        finally:
            await engine.dispose()

    webhook_id = asyncio.run(one_dead_event())
    assert main(["outbox", "list"]) == 0
    listed = capsys.readouterr().out
    assert webhook_id in listed and "lead.hot" in listed
    assert main(["outbox", "retry"]) == 2  # neither ids nor --all
    capsys.readouterr()
    assert main(["outbox", "retry", webhook_id]) == 0
    assert "re-queued 1 dead event" in capsys.readouterr().out
    assert main(["outbox", "list"]) == 0
    assert webhook_id not in capsys.readouterr().out
    assert main(["outbox", "list", "--status", "pending"]) == 0
    assert webhook_id in capsys.readouterr().out
