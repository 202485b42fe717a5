"""The `barista` command line: link building and migrations (in-process, via main())."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from bot.conversation.deeplinks import parse_payload


@pytest.fixture(autouse=True)
def isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("BOT_TOKEN", "DATABASE_URL", "TELEGRAM_API_URL", "WEBHOOK_URL"):
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
    assert main(["db", "upgrade"]) == 0
    assert "revision 0003" in capsys.readouterr().out
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
