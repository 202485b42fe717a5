"""`barista shell`: chat with the real dispatcher and pipeline in a terminal, no token needed.

Lines typed (or piped) become Telegram updates fed to the production dispatcher; the bot's
Bot API calls are answered in-process by `ConsoleSession`, which prints the replies. The
database is the same one `barista run` uses, so what you see here is what customers get.
"""

from __future__ import annotations

import asyncio
import html
import re
import sys
from collections.abc import AsyncIterator, Callable
from datetime import datetime
from typing import Any, TextIO, cast

from aiogram import Bot
from aiogram.client.session.base import BaseSession
from aiogram.methods import GetMe, SendMessage, TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import Chat, Message, Update, User

from bot.app import OFFLINE_TOKEN, Application, build_application
from bot.channels.telegram.limits import TelegramLimits
from bot.clock import Clock, system_clock
from bot.settings import Settings
from profiling.assess.explain import render_assessment

_TAG_RE = re.compile(r"<[^>]+>")


class ConsoleSession(BaseSession):
    """A Bot API "server" inside the process: prints what the bot sends."""

    def __init__(self, out: TextIO, clock: Clock) -> None:
        super().__init__()
        self.out = out
        self.clock = clock
        # The bot's message ids, like the customer's, must not repeat across shell sessions
        # on the same database.
        self._message_id = int(clock().timestamp() * 1000) % 2_000_000_000

    async def close(self) -> None:
        return None

    async def make_request(
        self, bot: Bot, method: TelegramMethod[TelegramType], timeout: int | None = None
    ) -> TelegramType:
        if isinstance(method, SendMessage):
            text = html.unescape(_TAG_RE.sub("", method.text))
            first, *rest = text.splitlines() or [""]
            self.out.write("".join([f"bot> {first}\n", *(f"     {line}\n" for line in rest)]))
            self.out.flush()
            self._message_id += 1
            chat_id = int(method.chat_id)
            message = Message(
                message_id=self._message_id,
                date=self.clock(),
                chat=Chat(id=chat_id, type="private"),
                from_user=User(id=bot.id, is_bot=True, first_name="Barista"),
                text=method.text,
            )
            return cast(TelegramType, message)
        if isinstance(method, GetMe):
            return cast(
                TelegramType,
                User(id=bot.id, is_bot=True, first_name="Barista", username="barista_shell_bot"),
            )
        # Everything else (chat actions, commands menu) has nothing to show in a terminal.
        return cast(TelegramType, True)

    async def stream_content(
        self,
        url: str,
        headers: dict[str, Any] | None = None,
        timeout: int = 30,
        chunk_size: int = 65536,
        raise_for_status: bool = True,
    ) -> AsyncIterator[bytes]:
        yield b""


class ConsoleChat:
    """Turns console lines into updates from one simulated customer."""

    def __init__(
        self,
        app: Application,
        *,
        user_id: int,
        first_name: str,
        language_code: str,
        clock: Callable[[], datetime],
    ) -> None:
        self.app = app
        self.user = User(
            id=user_id, is_bot=False, first_name=first_name, language_code=language_code
        )
        self.clock = clock
        # Message ids must not repeat across shell sessions on the same database (a repeated
        # id is treated as Telegram delivering the same message twice): start from the clock.
        self._update_id = int(clock().timestamp() * 1000) % 1_000_000_000
        self._message_id = int(clock().timestamp() * 1000) % 2_000_000_000

    async def say(self, text: str) -> None:
        self._update_id += 1
        self._message_id += 1
        update = Update(
            update_id=self._update_id,
            message=Message(
                message_id=self._message_id,
                date=self.clock(),
                chat=Chat(id=self.user.id, type="private"),
                from_user=self.user,
                text=text,
            ),
        )
        await self.app.dispatcher.feed_update(self.app.bot, update)

    async def explain(self) -> str:
        profile = await self.app.conversation.profile("telegram", str(self.user.id))
        if profile is None:
            return "(no profile yet)"
        return render_assessment(profile.assessment, profile.lang)


async def run_shell(
    settings: Settings,
    *,
    user_id: int,
    first_name: str,
    language_code: str,
    explain: bool,
    stdin: TextIO = sys.stdin,
    stdout: TextIO = sys.stdout,
    clock: Clock = system_clock,
) -> int:
    session = ConsoleSession(stdout, clock)
    # The console is not Telegram: no rate limits to respect.
    app = build_application(
        settings,
        bot_session=session,
        token=OFFLINE_TOKEN,
        clock=clock,
        telegram_limits=TelegramLimits.unlimited(),
    )
    await app.start()
    chat = ConsoleChat(
        app, user_id=user_id, first_name=first_name, language_code=language_code, clock=clock
    )
    interactive = stdin.isatty()
    if interactive:
        stdout.write("Barista shell: type as a customer; /start <payload> works; Ctrl-D to quit.\n")
    try:
        while True:
            if interactive:
                stdout.write("you> ")
                stdout.flush()
            # In a thread: waiting for the keyboard must not stop the event loop (background
            # writers of replies and profiles keep running meanwhile).
            line = await asyncio.to_thread(stdin.readline)
            if not line:
                break
            text = line.rstrip("\r\n")
            if not text.strip():
                continue
            await chat.say(text)
            if explain:
                stdout.write(_indent(await chat.explain()) + "\n")
            stdout.flush()
    finally:
        await app.close()
    return 0


def _indent(text: str) -> str:
    return "\n".join(f"   | {line}" for line in text.splitlines())
