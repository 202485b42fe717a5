"""`barista shell`: chat with the real dispatcher and pipeline in a terminal, no token needed.

Lines typed (or piped) become Telegram updates fed to the production dispatcher; the bot's
Bot API calls are answered in-process by `ConsoleSession`, which prints the replies and their
buttons as numbered choices. The database is the same one `barista run` uses, so what you see
here is what customers get. It is also a test bench: `/wait 31m` moves the clock (a new
dialog), typing a button's number presses it, and a piped conversation prints as a transcript.
The in-shell commands are listed in `shell_help.IN_SHELL_HELP`.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from typing import TextIO

from aiogram.types import CallbackQuery, Chat, Contact, Message, Update, User

from bot.app import OFFLINE_TOKEN, Application, build_application
from bot.channels.telegram.limits import TelegramLimits
from bot.clock import Clock, system_clock
from bot.settings import Settings
from bot.tools.shell_clock import ShellClock, format_duration, parse_duration
from bot.tools.shell_console import Choice, ChoiceKind, ConsoleSession
from bot.tools.shell_help import (
    DEFAULT_NAME,
    DEFAULT_PHONE,
    DEFAULT_USER_ID,
    IN_SHELL_HELP,
    SHELL_HELP_COMMAND,
    WAIT_USAGE,
)
from bot.tools.shell_input import ConsoleInput
from profiling.assess.explain import render_assessment

_NUMBER = re.compile(r"\d{1,6}")
_QUIT = frozenset({"/quit", "/exit"})
# Marks what the shell itself says, so a transcript never mixes it up with the bot.
_NOTE = "shell> "


@dataclass(frozen=True)
class ShellCustomer:
    """The simulated customer: who writes, and the phone number their contact carries."""

    user_id: int = DEFAULT_USER_ID
    first_name: str = DEFAULT_NAME
    language_code: str = "ru"
    phone: str = DEFAULT_PHONE


class ConsoleChat:
    """Turns console input into updates from one simulated customer."""

    def __init__(self, app: Application, customer: ShellCustomer, clock: Clock) -> None:
        self.app = app
        self.customer = customer
        self.user = User(
            id=customer.user_id,
            is_bot=False,
            first_name=customer.first_name,
            language_code=customer.language_code,
        )
        self.clock = clock
        # Message ids must not repeat across shell sessions on the same database (a repeated
        # id is treated as Telegram delivering the same message twice): start from the clock.
        self._update_id = int(clock().timestamp() * 1000) % 1_000_000_000
        self._message_id = int(clock().timestamp() * 1000) % 2_000_000_000

    async def say(self, text: str) -> None:
        await self._message(text=text)

    async def share_contact(self) -> None:
        """What a `request_contact` button sends: the customer's own card, `user_id` filled
        in by Telegram (the bot accepts only a contact that is the sender's own)."""
        card = Contact(
            phone_number=self.customer.phone,
            first_name=self.customer.first_name,
            user_id=self.customer.user_id,
        )
        await self._message(contact=card)

    async def press(self, data: str, message: Message | None) -> None:
        """An inline button with `callback_data` under the bot's `message`."""
        self._update_id += 1
        query = CallbackQuery(
            id=str(self._update_id),
            from_user=self.user,
            chat_instance=str(self.user.id),
            message=message,
            data=data,
        )
        update = Update(update_id=self._update_id, callback_query=query)
        await self.app.dispatcher.feed_update(self.app.bot, update)

    async def explain(self) -> str:
        profile = await self.app.conversation.profile("telegram", str(self.user.id))
        if profile is None:
            return "(no profile yet)"
        return render_assessment(profile.assessment, profile.lang)

    async def _message(self, *, text: str | None = None, contact: Contact | None = None) -> None:
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
                contact=contact,
            ),
        )
        await self.app.dispatcher.feed_update(self.app.bot, update)


class Shell:
    """The loop: read a line, run a shell command or send it to the bot, print the answer."""

    def __init__(
        self,
        app: Application,
        console: ConsoleSession,
        clock: ShellClock,
        customer: ShellCustomer,
        *,
        out: TextIO,
        explain: bool = False,
    ) -> None:
        self.app = app
        self.console = console
        self.clock = clock
        self.chat = ConsoleChat(app, customer, clock)
        self.out = out
        self.explain = explain
        self.interactive = False

    @classmethod
    def create(
        cls,
        settings: Settings,
        customer: ShellCustomer,
        *,
        out: TextIO,
        clock: Clock = system_clock,
        explain: bool = False,
    ) -> Shell:
        """The production application, its Bot API answered by the console and its time
        kept by a clock that `/wait` can move. Nothing connects until `app.start()`."""
        shell_clock = ShellClock(clock)
        console = ConsoleSession(out, shell_clock)
        # The console is not Telegram: no rate limits to respect.
        app = build_application(
            settings,
            bot_session=console,
            token=OFFLINE_TOKEN,
            clock=shell_clock,
            telegram_limits=TelegramLimits.unlimited(),
        )
        return cls(app, console, shell_clock, customer, out=out, explain=explain)

    async def run(self, lines: ConsoleInput) -> None:
        """Until /quit, /exit, the end of input or Ctrl-C."""
        self.interactive = lines.stream.isatty()
        if self.interactive:
            self.out.write(
                "Barista shell: type as a customer; /start <payload> works; "
                f"{SHELL_HELP_COMMAND} lists the shell's commands; /quit or Ctrl-D leaves.\n"
            )
        while True:
            if self.interactive:
                self.out.write("you> ")
                self.out.flush()
            line = await lines.next_line()
            if line is None:
                if self.interactive:
                    self.out.write("\n")  # Ctrl-D, Ctrl-C: the cursor still sits after "you> "
                break
            if not await self.handle(line):
                break
            self.out.flush()
        self.out.flush()

    async def handle(self, line: str) -> bool:
        """One line of input; False when it asks to leave."""
        if not line.strip():
            return True
        if not self.interactive:
            # Piped: echo the customer's side, so the output reads as a dialogue.
            self.out.write(f"you> {line}\n")
        if line.startswith("\\"):
            # The escape: sent as typed, even if it looks like a shell command or a number.
            if line[1:].strip():
                await self._send(line[1:])
            return True
        word, _, rest = line.strip().partition(" ")
        if word in _QUIT:
            return False
        if word == "/wait":
            self._wait(rest)
        elif word == SHELL_HELP_COMMAND:
            self.out.write(IN_SHELL_HELP + "\n")
        elif (choice := self._choice(line)) is not None:
            await self._press(choice)
        else:
            await self._send(line)
        return True

    def _choice(self, line: str) -> tuple[int, Choice] | None:
        """The button a number presses. A number with no such button on screen is just a
        message: an order number typed while the phone button shows must reach the bot."""
        text = line.strip()
        if not _NUMBER.fullmatch(text):
            return None
        number = int(text)
        if not 1 <= number <= len(self.console.choices):
            return None
        return number, self.console.choices[number - 1]

    async def _press(self, numbered: tuple[int, Choice]) -> None:
        number, choice = numbered
        pressed = f"pressed [{number}] {choice.label}"
        if choice.kind is ChoiceKind.TEXT:
            self._note(pressed)
            await self._send(choice.value)
        elif choice.kind is ChoiceKind.CONTACT:
            self._note(f"{pressed}: sharing your contact {self.chat.customer.phone}")
            await self.chat.share_contact()
            await self._explain()
        elif choice.kind is ChoiceKind.CALLBACK:
            self._note(f"{pressed} (callback data {choice.value!r})")
            await self.chat.press(choice.value, self.console.message(choice.message_id))
            await self._explain()
        elif choice.kind is ChoiceKind.URL:
            self._note(f"[{number}] {choice.label} opens {choice.value}; the bot is not told")
        else:
            self._note(f"[{number}] {choice.label} ({choice.value}) can't be pressed in the shell")

    async def _send(self, text: str) -> None:
        await self.chat.say(text)
        await self._explain()

    async def _explain(self) -> None:
        if self.explain:
            self.out.write(_indent(await self.chat.explain()) + "\n")

    def _wait(self, argument: str) -> None:
        delta = parse_duration(argument)
        if delta is None:
            self._note(WAIT_USAGE)
            return
        now = self.clock.advance(delta)
        self._note(f"waited {format_duration(delta)}: it is now {now:%Y-%m-%d %H:%M} UTC")

    def _note(self, text: str) -> None:
        self.out.write(f"{_NOTE}{text}\n")


async def run_shell(
    settings: Settings,
    *,
    user_id: int = DEFAULT_USER_ID,
    first_name: str = DEFAULT_NAME,
    language_code: str = "ru",
    phone: str = DEFAULT_PHONE,
    explain: bool = False,
    stdin: TextIO = sys.stdin,
    stdout: TextIO = sys.stdout,
    clock: Clock = system_clock,
) -> int:
    """Exit code 0 however the session ends (/quit, /exit, end of input, Ctrl-C); what the
    bot buffered (replies, profiles) is written before it returns."""
    customer = ShellCustomer(user_id, first_name, language_code, phone)
    shell = Shell.create(settings, customer, out=stdout, clock=clock, explain=explain)
    # Ctrl-C is caught from the start to the last write: one pressed while the database is
    # migrated or the buffers are written still ends the session cleanly.
    async with ConsoleInput(stdin) as lines:
        await shell.app.start()
        try:
            await shell.run(lines)
        finally:
            await shell.app.close()
            stdout.flush()
    return 0


def _indent(text: str) -> str:
    return "\n".join(f"   | {line}" for line in text.splitlines())
