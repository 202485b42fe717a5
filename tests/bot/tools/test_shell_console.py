"""The shell's Bot API side: messages, buttons as numbered choices, edits and callback
notices; and an inline keyboard pressed by number through the real dispatcher."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from aiogram import Bot, F
from aiogram.types import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)

from bot.app import OFFLINE_TOKEN
from bot.settings import Settings, load_settings
from bot.tools.shell import Shell, ShellCustomer
from bot.tools.shell_console import ChoiceKind, ConsoleSession
from bot.tools.shell_input import ConsoleInput
from tests.factories import ManualClock

CHAT = 42
RATING = InlineKeyboardMarkup(
    inline_keyboard=[
        [InlineKeyboardButton(text=f"{n} ⭐", callback_data=f"csat:{n}") for n in range(1, 4)],
        [InlineKeyboardButton(text="Our site", url="https://example.com/")],
    ]
)


Console = tuple[ConsoleSession, io.StringIO, Bot]


@pytest.fixture
async def console() -> Console:
    out = io.StringIO()
    session = ConsoleSession(out, ManualClock())
    return session, out, Bot(OFFLINE_TOKEN, session=session)


async def test_a_reply_keyboard_is_printed_as_numbered_choices(console: Console) -> None:
    session, out, bot = console
    keyboard = ReplyKeyboardMarkup(
        keyboard=[
            [KeyboardButton(text="📱 Share my phone number", request_contact=True)],
            [KeyboardButton(text="Yes"), KeyboardButton(text="Where am I?", request_location=True)],
        ]
    )
    await bot.send_message(CHAT, "<b>Press</b> a button &amp; see", reply_markup=keyboard)
    assert out.getvalue().splitlines() == [
        "bot> Press a button & see",
        "  [1] 📱 Share my phone number",
        "  [2] Yes  [3] Where am I? (request_location, not in the shell)",
    ]
    kinds = [choice.kind for choice in session.choices]
    assert kinds == [ChoiceKind.CONTACT, ChoiceKind.TEXT, ChoiceKind.UNSUPPORTED]
    # A message without buttons leaves the keyboard where it is, as Telegram does…
    await bot.send_message(CHAT, "meanwhile")
    assert len(session.choices) == 3
    # …and ReplyKeyboardRemove takes it away.
    await bot.send_message(CHAT, "done", reply_markup=ReplyKeyboardRemove())
    assert session.choices == []


async def test_an_inline_keyboard_belongs_to_its_message(console: Console) -> None:
    session, out, bot = console
    sent = await bot.send_message(CHAT, "How did we do?", reply_markup=RATING)
    assert out.getvalue().splitlines()[1:] == [
        "  [1] 1 ⭐  [2] 2 ⭐  [3] 3 ⭐",
        "  [4] Our site (https://example.com/)",
    ]
    assert [c.value for c in session.choices] == [
        "csat:1",
        "csat:2",
        "csat:3",
        "https://example.com/",
    ]
    assert {c.message_id for c in session.choices} == {sent.message_id}
    stored = session.message(sent.message_id)
    assert stored is not None and stored.reply_markup == RATING  # a callback carries it
    # A reply keyboard's removal does not touch inline buttons.
    await bot.send_message(CHAT, "ok", reply_markup=ReplyKeyboardRemove())
    assert len(session.choices) == 4


async def test_edits_and_callback_answers_are_printed(console: Console) -> None:
    session, out, bot = console
    sent = await bot.send_message(CHAT, "How did we do?", reply_markup=RATING)
    out.truncate(0)
    out.seek(0)
    await bot.answer_callback_query("1", text="Thanks!")
    await bot.answer_callback_query("2")  # no text: nothing to show
    await bot.answer_callback_query("3", text="Only once", show_alert=True)
    edited = await bot.edit_message_reply_markup(
        chat_id=CHAT,
        message_id=sent.message_id,
        reply_markup=InlineKeyboardMarkup(
            inline_keyboard=[[InlineKeyboardButton(text="Undo", callback_data="csat:undo")]]
        ),
    )
    assert isinstance(edited, Message) and edited.text == "How did we do?"
    assert [c.value for c in session.choices] == ["csat:undo"]
    # Telegram drops the inline keyboard of a message edited without one.
    edited = await bot.edit_message_text(
        "Thank you!\nSee you", chat_id=CHAT, message_id=sent.message_id
    )
    assert isinstance(edited, Message) and edited.reply_markup is None
    assert session.choices == []
    assert out.getvalue().splitlines() == [
        "bot (notice)> Thanks!",
        "bot (alert)> Only once",
        "bot (edited)> How did we do?",
        "  [1] Undo",
        "bot (edited)> Thank you!",
        "              See you",
    ]


async def test_an_edit_of_another_message_keeps_the_choices(console: Console) -> None:
    session, out, bot = console
    first = await bot.send_message(CHAT, "first")
    await bot.send_message(CHAT, "rate", reply_markup=RATING)
    await bot.edit_message_text("first, edited", chat_id=CHAT, message_id=first.message_id)
    assert len(session.choices) == 4
    assert "bot (edited)> first, edited" in out.getvalue().splitlines()
    # A message the session never saw (from an earlier run) is still shown.
    assert await bot.edit_message_text("old", chat_id=CHAT, message_id=1) is True
    assert out.getvalue().splitlines()[-1] == "bot (edited)> old"


@pytest.fixture
def shell_settings(tmp_path: Path) -> Settings:
    return load_settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path}/shell.db",
        default_language="en",
        timezone_offset_minutes=0,
        _env_file=None,
    )


async def test_an_inline_button_is_pressed_by_number_as_a_callback_query(
    shell_settings: Settings,
) -> None:
    """No bot feature sends inline buttons yet: a handler on the root router (tried before
    the audience routers) stands in for the CSAT survey."""
    out = io.StringIO()
    shell = Shell.create(shell_settings, ShellCustomer(user_id=CHAT), out=out, clock=ManualClock())
    pressed: list[CallbackQuery] = []

    async def survey(message: Message) -> None:
        await message.answer("How did we do?", reply_markup=RATING)

    async def rated(query: CallbackQuery) -> None:
        pressed.append(query)
        await query.answer("Thanks!")
        assert isinstance(query.message, Message)
        await query.message.edit_text(f"You rated us {query.data}")

    shell.app.dispatcher.message.register(survey, F.text == "survey please")
    shell.app.dispatcher.callback_query.register(rated, F.data.startswith("csat:"))
    await shell.app.start()
    try:
        async with ConsoleInput(io.StringIO("survey please\n2\n2\n4\n")) as lines:
            await shell.run(lines)
    finally:
        await shell.app.close()
    (query,) = pressed
    assert query.from_user.id == CHAT and query.data == "csat:2"
    assert isinstance(query.message, Message) and query.message.text == "How did we do?"
    lines = out.getvalue().splitlines()
    at = lines.index("you> 2")
    assert lines[at + 1 : at + 4] == [
        "shell> pressed [2] 2 ⭐ (callback data 'csat:2')",
        "bot (notice)> Thanks!",
        "bot (edited)> You rated us csat:2",
    ]
    # The edit took the buttons away: the second "2" is a message to the bot, and a URL
    # button would only have been described (there is none left to press).
    assert lines[at + 4] == "you> 2"
    assert lines[at + 5].startswith("bot> ")
    assert "you> 4" in lines and not any("opens" in line for line in lines)


async def test_a_url_button_is_described_not_sent(shell_settings: Settings) -> None:
    out = io.StringIO()
    shell = Shell.create(shell_settings, ShellCustomer(user_id=CHAT), out=out, clock=ManualClock())

    async def survey(message: Message) -> None:
        await message.answer("How did we do?", reply_markup=RATING)

    shell.app.dispatcher.message.register(survey, F.text == "survey please")
    await shell.app.start()
    try:
        async with ConsoleInput(io.StringIO("survey please\n4\n")) as lines:
            await shell.run(lines)
    finally:
        await shell.app.close()
    assert out.getvalue().splitlines()[-1] == (
        "shell> [4] Our site opens https://example.com/; the bot is not told"
    )
