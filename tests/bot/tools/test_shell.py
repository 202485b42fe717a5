"""`barista shell` as a test bench, driven like a pipe: lines in, a transcript out, the real
dispatcher and pipeline on a temporary SQLite database."""

from __future__ import annotations

import io
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bot.settings import Settings, load_settings
from bot.shop.schemas import CustomerIn
from bot.texts.catalog import t
from bot.tools.shell import Shell, ShellCustomer, run_shell
from bot.tools.shell_help import DEFAULT_PHONE, IN_SHELL_HELP, WAIT_USAGE
from bot.tools.shell_input import ConsoleInput
from profiling.types import Lang
from tests.factories import ManualClock


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "shell.db"


@pytest.fixture
def shell_settings(db_path: Path) -> Settings:
    return load_settings(
        database_url=f"sqlite+aiosqlite:///{db_path}",
        default_language="ru",
        timezone_offset_minutes=0,
        # The shell's mechanics, under a notice; the opt-in question has its own test below.
        consent_mode="notice",
        _env_file=None,
    )


async def converse(
    settings: Settings, *lines: str, explain: bool = False, phone: str = DEFAULT_PHONE
) -> tuple[int, list[str]]:
    """Pipe `lines` into the shell (a StringIO is not a terminal: piped mode)."""
    stdin = io.StringIO("".join(f"{line}\n" for line in lines))
    stdout = io.StringIO()
    code = await run_shell(
        settings,
        user_id=42,
        first_name="Анна",
        language_code="ru",
        phone=phone,
        explain=explain,
        stdin=stdin,
        stdout=stdout,
        clock=ManualClock(),
    )
    return code, stdout.getvalue().splitlines()


def dialog_starts(db_path: Path) -> list[datetime]:
    with sqlite3.connect(db_path) as db:
        rows = db.execute("SELECT started_at FROM dialog ORDER BY started_at").fetchall()
    return [datetime.fromisoformat(started) for (started,) in rows]


def incoming_texts(db_path: Path) -> list[str]:
    with sqlite3.connect(db_path) as db:
        rows = db.execute("SELECT text FROM message WHERE direction = 'in' ORDER BY id").fetchall()
    return [text for (text,) in rows]


async def test_piped_lines_are_echoed_before_the_answers(shell_settings: Settings) -> None:
    code, out = await converse(shell_settings, "/start", "", "/help")
    assert code == 0
    # A blank line is neither echoed nor sent.
    prefixes = [line.split(">", 1)[0] for line in out if line.startswith(("you>", "bot>"))]
    assert prefixes == ["you", "bot", "you", "bot"]
    assert out[0] == "you> /start"
    assert "Анна" in out[1]
    assert "you> /help" in out
    assert "Barista shell" not in "\n".join(out)  # the banner is for terminals


async def test_wait_moves_the_clock_and_the_next_message_opens_a_new_dialog(
    shell_settings: Settings, db_path: Path
) -> None:
    code, out = await converse(
        shell_settings, "Здравствуйте", "Ещё вопрос", "/wait 31m", "Я вернулся", "/wait 10m", "Ок"
    )
    assert code == 0
    assert "shell> waited 31m: it is now 2026-03-02 09:31 UTC" in out
    assert "you> /wait 31m" in out
    first, second = dialog_starts(db_path)  # 10 minutes is not long enough for a third
    assert second - first == timedelta(minutes=31)
    # Shell commands never reach the bot.
    assert incoming_texts(db_path) == ["Здравствуйте", "Ещё вопрос", "Я вернулся", "Ок"]


@pytest.mark.parametrize("argument", ["", "soon", "5", "-3m", "0s", "3650d1s", "1m2h", "9" * 30])
async def test_bad_wait_prints_the_usage_and_keeps_the_time(
    shell_settings: Settings, db_path: Path, argument: str
) -> None:
    _, out = await converse(shell_settings, f"/wait {argument}".strip(), "Привет")
    assert out[1] == f"shell> {WAIT_USAGE}"
    assert not any("waited" in line for line in out)
    assert incoming_texts(db_path) == ["Привет"]


@pytest.mark.parametrize("command", ["/quit", "/exit"])
async def test_quit_stops_and_later_lines_are_not_processed(
    shell_settings: Settings, db_path: Path, command: str
) -> None:
    code, out = await converse(shell_settings, "/start", command, "никто не прочтёт", "/help")
    assert code == 0
    assert out[-1] == f"you> {command}"
    assert [line for line in out if line.startswith("bot>")][1:] == []
    assert incoming_texts(db_path) == ["/start"]


async def test_shellhelp_is_the_shells_and_help_is_the_bots(
    shell_settings: Settings, db_path: Path
) -> None:
    _, out = await converse(shell_settings, "/shellhelp", "/help")
    text = "\n".join(out)
    assert IN_SHELL_HELP in text
    assert incoming_texts(db_path) == ["/help"]  # only the bot's /help reached the bot
    assert any(line.startswith("bot> ") for line in out)


async def test_link_shows_the_phone_button_and_its_number_shares_the_contact(
    shell_settings: Settings, db_path: Path
) -> None:
    _, out = await converse(shell_settings, "/link", "1")
    button = t("phone.button", Lang.RU)
    assert out[1] == f"bot> {t('phone.ask', Lang.RU)}"
    assert out[2] == f"  [1] {button}"
    assert out[3] == "you> 1"
    assert out[4] == f"shell> pressed [1] {button}: sharing your contact {DEFAULT_PHONE}"
    assert out[5] == f"bot> {t('phone.not_found', Lang.RU).splitlines()[0]}"
    # The bot took the card as the sender's own (a foreign one gets "phone.not_own"), and
    # the phone number itself is not kept in the message log.
    assert incoming_texts(db_path) == ["/link", "[contact]"]


async def test_a_shared_phone_links_the_shop_customer(
    shell_settings: Settings, db_path: Path
) -> None:
    stdin = io.StringIO("/link\n1\n")
    stdout = io.StringIO()
    customer = ShellCustomer(user_id=7, first_name="Вера", phone="8 (999) 123-45-67")
    shell = Shell.create(shell_settings, customer, out=stdout, clock=ManualClock())
    await shell.app.start()
    try:
        await shell.app.shop.put_customer("shop-7", CustomerIn(name="Вера", phone="+79991234567"))
        async with ConsoleInput(stdin) as lines:
            await shell.run(lines)
    finally:
        await shell.app.close()
    assert f"bot> {t('phone.linked', Lang.RU)}" in stdout.getvalue().splitlines()
    with sqlite3.connect(db_path) as db:
        (linked,) = db.execute("SELECT customer_id FROM shop_customer").fetchone()
    assert linked is not None


async def test_the_keyboard_goes_once_the_bot_removes_it(
    shell_settings: Settings, db_path: Path
) -> None:
    # After the contact the bot sends ReplyKeyboardRemove: "1" is then a plain message.
    _, out = await converse(shell_settings, "/link", "1", "1")
    assert sum(line.startswith("shell> pressed") for line in out) == 1
    assert incoming_texts(db_path) == ["/link", "[contact]", "1"]


async def test_numbers_without_a_button_and_escaped_lines_reach_the_bot(
    shell_settings: Settings, db_path: Path
) -> None:
    # "2" with one button showing and "12345" (an order number) are messages; "\1" and
    # "\/wait 5m" are sent as typed, without the backslash.
    _, out = await converse(shell_settings, "3", "/link", "2", "12345", "\\1", "\\/wait 5m")
    assert not any(line.startswith("shell> ") for line in out)
    assert incoming_texts(db_path) == ["3", "/link", "2", "12345", "1", "/wait 5m"]


async def test_explain_prints_the_profile_after_each_message(shell_settings: Settings) -> None:
    _, out = await converse(
        shell_settings, "/start", "/wait 1h", "Сколько стоит доставка?", explain=True
    )
    start = out.index("you> Сколько стоит доставка?")
    assert any(line.startswith("   | ") for line in out[start:])
    wait = out.index("you> /wait 1h")
    assert not any(line.startswith("   | ") for line in out[wait : wait + 2])


async def test_the_consent_buttons_are_pressed_by_number(shell_settings: Settings) -> None:
    """CONSENT_MODE=opt_in (the default): the question comes with numbered buttons, and
    typing the number presses one."""
    settings = shell_settings.model_copy(update={"consent_mode": "opt_in"})
    code, out = await converse(settings, "Здравствуйте", "1")
    assert code == 0
    text = "\n".join(out)
    assert "[1] Согласен(на)" in text and "[2] Не согласен(на)" in text
    assert "Согласие сохранено" in text
