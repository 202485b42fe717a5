"""The shell's Bot API "server": answers the bot's calls in-process and prints what a customer
would see — messages, their buttons as numbered choices, edits and callback notices.

The buttons printed last are the ones a number presses (`ConsoleSession.choices`), the way a
customer's thumb only reaches the keyboard on screen and the buttons under the messages.
"""

from __future__ import annotations

import html
import re
from collections import OrderedDict
from collections.abc import AsyncIterator
from dataclasses import dataclass
from enum import Enum
from typing import Any, TextIO, cast

from aiogram import Bot
from aiogram.client.session.base import BaseSession
from aiogram.methods import (
    AnswerCallbackQuery,
    EditMessageReplyMarkup,
    EditMessageText,
    GetMe,
    SendMessage,
    TelegramMethod,
)
from aiogram.methods.base import TelegramType
from aiogram.types import (
    Chat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    User,
)

from bot.clock import Clock

_TAG_RE = re.compile(r"<[^>]+>")
# Edits and callbacks name a message the bot sent earlier; a shell session never needs more
# than its recent ones, and the memory stays bounded however long the session runs.
_REMEMBERED_MESSAGES = 1_000


class ChoiceKind(Enum):
    TEXT = "text"  # a reply-keyboard button: sends its label as a message
    CONTACT = "contact"  # request_contact: shares the customer's own phone number
    CALLBACK = "callback"  # an inline button with callback_data: a callback query
    URL = "url"  # an inline link: Telegram opens it in a browser, the bot hears nothing
    UNSUPPORTED = "unsupported"  # location, poll, web app, payments…: not simulated


@dataclass(frozen=True)
class Choice:
    """One button on screen. `value` is what pressing it carries: the text, the
    callback data, the URL, or (unsupported) the kind of button it is."""

    label: str
    kind: ChoiceKind
    value: str
    message_id: int  # the bot's message the buttons belong to (a callback names it)


class ConsoleSession(BaseSession):
    """A Bot API "server" inside the process: prints what the bot sends."""

    def __init__(self, out: TextIO, clock: Clock) -> None:
        super().__init__()
        self.out = out
        self.clock = clock
        # The bot's message ids, like the customer's, must not repeat across shell sessions
        # on the same database.
        self._message_id = int(clock().timestamp() * 1000) % 2_000_000_000
        self._messages: OrderedDict[int, Message] = OrderedDict()
        self.choices: list[Choice] = []
        # Whether `choices` came from a reply keyboard: only those go with ReplyKeyboardRemove
        # (inline buttons stay under their message, as in Telegram).
        self._choices_from_keyboard = False

    def message(self, message_id: int) -> Message | None:
        """A message the bot sent in this session, as it reads now (after edits)."""
        return self._messages.get(message_id)

    async def close(self) -> None:
        return None

    async def make_request(
        self, bot: Bot, method: TelegramMethod[TelegramType], timeout: int | None = None
    ) -> TelegramType:
        if isinstance(method, SendMessage):
            return cast(TelegramType, self._send(bot, method))
        if isinstance(method, EditMessageText | EditMessageReplyMarkup):
            return cast(TelegramType, self._edit(bot, method))
        if isinstance(method, AnswerCallbackQuery):
            # Telegram shows the answer as a toast (or an alert box); most answers are empty
            # and only stop the button's spinner, which a terminal doesn't have.
            if method.text:
                self._print("bot (alert)> " if method.show_alert else "bot (notice)> ", method.text)
            return cast(TelegramType, True)
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

    def _send(self, bot: Bot, method: SendMessage) -> Message:
        self._message_id += 1
        markup = method.reply_markup
        message = Message(
            message_id=self._message_id,
            date=self.clock(),
            chat=Chat(id=int(method.chat_id), type="private"),
            from_user=User(id=bot.id, is_bot=True, first_name="Barista"),
            text=method.text,
            # Only inline keyboards belong to the message; a reply keyboard belongs to the chat.
            reply_markup=markup if isinstance(markup, InlineKeyboardMarkup) else None,
        )
        self._remember(message)
        self._print("bot> ", method.text)
        if isinstance(markup, ReplyKeyboardMarkup | InlineKeyboardMarkup):
            self._show_choices(message.message_id, markup)
        elif isinstance(markup, ReplyKeyboardRemove) and self._choices_from_keyboard:
            self.choices = []
        self.out.flush()
        return message

    def _edit(self, bot: Bot, method: EditMessageText | EditMessageReplyMarkup) -> Message | bool:
        known = self._messages.get(method.message_id) if method.message_id is not None else None
        if known is None:
            # A message from before this session (or an inline-mode one): show what changed.
            text = method.text if isinstance(method, EditMessageText) else None
            self._print("bot (edited)> ", text or f"(message {method.message_id})")
            self.out.flush()
            return True
        # Telegram drops the inline keyboard of a message whose text is edited without one.
        text = method.text if isinstance(method, EditMessageText) and method.text else known.text
        edited = known.model_copy(update={"text": text, "reply_markup": method.reply_markup})
        self._remember(edited)
        self._print("bot (edited)> ", text or "")
        if method.reply_markup is not None:
            self._show_choices(edited.message_id, method.reply_markup)
        elif self._showing_inline_of(edited.message_id):
            self.choices = []  # those buttons are gone from the screen
        self.out.flush()
        return edited.as_(bot)

    def _showing_inline_of(self, message_id: int) -> bool:
        return (
            bool(self.choices)
            and not self._choices_from_keyboard
            and self.choices[0].message_id == message_id
        )

    def _remember(self, message: Message) -> None:
        self._messages[message.message_id] = message
        self._messages.move_to_end(message.message_id)
        while len(self._messages) > _REMEMBERED_MESSAGES:
            self._messages.popitem(last=False)

    def _show_choices(
        self, message_id: int, markup: ReplyKeyboardMarkup | InlineKeyboardMarkup
    ) -> None:
        rows: list[list[Choice]] = []
        if isinstance(markup, ReplyKeyboardMarkup):
            rows = [[_reply_choice(b, message_id) for b in row] for row in markup.keyboard]
        else:
            rows = [[_inline_choice(b, message_id) for b in row] for row in markup.inline_keyboard]
        self.choices = [choice for row in rows for choice in row]
        self._choices_from_keyboard = isinstance(markup, ReplyKeyboardMarkup)
        number = 0
        for row in rows:
            cells = []
            for choice in row:
                number += 1
                cells.append(f"[{number}] {choice.label}{_hint(choice)}")
            if cells:
                self.out.write("  " + "  ".join(cells) + "\n")

    def _print(self, prefix: str, text: str) -> None:
        """The customer sees text, not HTML: tags dropped, entities decoded; later lines are
        indented under the first so a long answer still reads as one message."""
        plain = html.unescape(_TAG_RE.sub("", text))
        first, *rest = plain.splitlines() or [""]
        pad = " " * len(prefix)
        self.out.write("".join([f"{prefix}{first}\n", *(f"{pad}{line}\n" for line in rest)]))


def _reply_choice(button: KeyboardButton, message_id: int) -> Choice:
    if button.request_contact:
        return Choice(button.text, ChoiceKind.CONTACT, button.text, message_id)
    special = next(
        (
            name
            for name in ("request_location", "request_poll", "request_users", "request_chat")
            if getattr(button, name, None)
        ),
        "web_app" if button.web_app else None,
    )
    if special is not None:
        return Choice(button.text, ChoiceKind.UNSUPPORTED, special, message_id)
    return Choice(button.text, ChoiceKind.TEXT, button.text, message_id)


# Fields of a button that change how it looks, not what it does.
_LOOKS = frozenset({"text", "style", "icon_custom_emoji_id"})


def _inline_choice(button: InlineKeyboardButton, message_id: int) -> Choice:
    if button.callback_data is not None:
        return Choice(button.text, ChoiceKind.CALLBACK, button.callback_data, message_id)
    if button.url is not None:
        return Choice(button.text, ChoiceKind.URL, button.url, message_id)
    kind = next(
        (name for name, value in button if name not in _LOOKS and value is not None),
        "button",
    )
    return Choice(button.text, ChoiceKind.UNSUPPORTED, kind, message_id)


def _hint(choice: Choice) -> str:
    """Buttons that do not act like sending text say what they are."""
    if choice.kind is ChoiceKind.URL:
        return f" ({choice.value})"
    if choice.kind is ChoiceKind.UNSUPPORTED:
        return f" ({choice.value}, not in the shell)"
    return ""
