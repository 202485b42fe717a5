"""`barista import-telegram-export`: bootstrap customer profiles from a Telegram Desktop export.

A shop that already talked to its customers from a personal account can export those chats
(Telegram Desktop → Settings → Advanced → Export Telegram data, format JSON) and start the bot
with profiles that already know each customer. Two shapes are accepted:

* a single-chat export: `{"name", "type": "personal_chat", "id", "messages": [...]}`;
* a full account export: `{"chats": {"list": [chat, ...]}, "personal_information": ...}`.
  The exporting account is the shop.

Only `personal_chat` chats are customers; groups, channels, bots and saved messages are
skipped. In a personal chat, a message whose `from_id` is `user<chat id>` was written by the
customer; every other message is the shop's reply.

Time: `date_unixtime` (UTC) is used when present. Older exports only have `date`, a naive
local time of the exporting computer whose offset is unknown, so it is taken as UTC.

The file is read with `json.load`: exports of a shop's chats are megabytes, not gigabytes,
and a streaming parser would need a dependency the project does not have.

Re-importing is safe: every imported message is stored with external id `export:<id>`, and
messages whose external id is already stored for that customer are skipped (and are not fed
to the profile again). Each chat is one short transaction.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from bot.app import Application
from bot.clock import as_utc
from bot.conversation.contact import Contact
from bot.conversation.core import ImportedHistory, PastMessage
from profiling.text.prepare import detect_language
from profiling.types import Lang

CHANNEL = "telegram"
EXTERNAL_ID_PREFIX = "export:"
CUSTOMER_CHAT_TYPE = "personal_chat"
# `customer.first_name` is a VARCHAR(128); PostgreSQL would reject a longer chat name.
MAX_NAME_CHARS = 128
# Enough of a customer's text to tell Russian from English without joining a whole history.
LANGUAGE_SAMPLE_MESSAGES = 50


class TelegramExportError(ValueError):
    """The file is not a readable Telegram Desktop JSON export; the message is one line."""


@dataclass(frozen=True)
class ImportReport:
    chats: int  # customer (personal) chats processed
    customers_created: int
    messages_imported: int
    messages_skipped: int  # service messages, empty texts, messages imported before
    errors: list[str] = field(default_factory=list)  # malformed messages or chats, one line each


@dataclass(frozen=True, slots=True)
class ExportMessage:
    """One text message of a customer chat, validated."""

    message_id: int | str
    ts: float
    incoming: bool
    text: str

    @property
    def external_id(self) -> str:
        return f"{EXTERNAL_ID_PREFIX}{self.message_id}"

    @property
    def at(self) -> datetime:
        return datetime.fromtimestamp(self.ts, UTC)


@dataclass(frozen=True, slots=True)
class ExportChat:
    chat_id: int
    name: str | None
    messages: tuple[ExportMessage, ...]  # oldest first
    skipped: int
    errors: tuple[str, ...]


class _BadMessage(Exception):
    """One message of the export cannot be read; it is reported and skipped."""


# -- reading the file --------------------------------------------------------------------


def load_export(path: str) -> list[Any]:
    """The list of raw chats in the file (both export shapes), or `TelegramExportError`."""
    try:
        with Path(path).open("rb") as fh:
            data = json.loads(fh.read().decode("utf-8-sig"))
    except OSError as exc:
        raise TelegramExportError(f"cannot read {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise TelegramExportError(f"{path} is not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise TelegramExportError(
            f"{path} is not JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    return chats_of(data)


def chats_of(data: Any) -> list[Any]:
    if isinstance(data, dict):
        chats = data.get("chats")
        if isinstance(chats, dict) and isinstance(chats.get("list"), list):
            return list(chats["list"])
        if isinstance(data.get("messages"), list) and "type" in data:
            return [data]
    raise TelegramExportError(
        'not a Telegram Desktop JSON export: expected a chat with "messages" '
        'or an account export with "chats": {"list": [...]}'
    )


def message_text(raw: Mapping[str, Any]) -> str:
    """Plain text of a message: `text` is a string or a list of strings and entities."""
    text = raw.get("text")
    if text is None:
        text = raw.get("text_entities", "")
    if isinstance(text, str):
        return text
    if isinstance(text, list):
        return "".join(_entity_text(part) for part in text)
    raise _BadMessage("text is neither a string nor a list")


def _entity_text(part: Any) -> str:
    if isinstance(part, str):
        return part
    if isinstance(part, dict) and isinstance(part.get("text", ""), str):
        return str(part.get("text", ""))
    raise _BadMessage("text entity without a string text")


def message_ts(raw: Mapping[str, Any]) -> float:
    """Unix seconds from `date_unixtime`, else from the naive `date` read as UTC."""
    unix = raw.get("date_unixtime")
    if unix is not None and not isinstance(unix, bool):
        try:
            ts = float(unix)
        except (TypeError, ValueError):
            raise _BadMessage(f"bad date_unixtime {unix!r}") from None
        if math.isfinite(ts) and ts >= 0:
            return ts
        raise _BadMessage(f"bad date_unixtime {unix!r}")
    date = raw.get("date")
    if not isinstance(date, str):
        raise _BadMessage("no date")
    try:
        moment = datetime.fromisoformat(date)
    except ValueError:
        raise _BadMessage(f"bad date {date!r}") from None
    return as_utc(moment).timestamp()


def parse_chat(raw: Mapping[str, Any]) -> ExportChat:
    """Validate a personal chat; malformed messages become errors, not exceptions."""
    chat_id = raw.get("id")
    if isinstance(chat_id, bool) or not isinstance(chat_id, int):
        raise _BadMessage(f"chat {raw.get('name')!r} has no numeric id")
    name = raw.get("name")
    customer_from_id = f"user{chat_id}"
    parsed: list[ExportMessage] = []
    skipped = 0
    errors: list[str] = []
    for position, item in enumerate(raw.get("messages") or ()):
        try:
            message = _parse_message(item, customer_from_id)
        except _BadMessage as exc:
            label = item.get("id") if isinstance(item, dict) else f"#{position}"
            errors.append(f"chat {chat_id}, message {label}: {exc}")
            continue
        if message is None:
            skipped += 1
        else:
            parsed.append(message)
    # Exports are chronological already; sorting keeps the profile right if one is not.
    parsed.sort(key=lambda m: m.ts)
    return ExportChat(
        chat_id=chat_id,
        name=name[:MAX_NAME_CHARS] if isinstance(name, str) and name.strip() else None,
        messages=tuple(parsed),
        skipped=skipped,
        errors=tuple(errors),
    )


def _parse_message(item: Any, customer_from_id: str) -> ExportMessage | None:
    """The message, None for one that is skipped by design (service, no text)."""
    if not isinstance(item, dict):
        raise _BadMessage("not an object")
    if item.get("type", "message") != "message":
        return None  # service messages: joined, pinned, calls, ...
    message_id = item.get("id")
    if isinstance(message_id, bool) or not isinstance(message_id, int | str) or message_id == "":
        raise _BadMessage("no id")
    text = message_text(item)
    if not text.strip():
        return None  # a sticker, a photo without a caption, a voice message
    ts = message_ts(item)
    from_id = item.get("from_id")
    if not isinstance(from_id, str):
        raise _BadMessage("no from_id")
    return ExportMessage(
        message_id=message_id, ts=ts, incoming=from_id == customer_from_id, text=text
    )


def customer_chats(raw_chats: Iterable[Any]) -> Iterator[tuple[Any, str | None]]:
    """Each personal chat with None, or a malformed chat with its error line."""
    for position, chat in enumerate(raw_chats):
        if not isinstance(chat, dict):
            yield chat, f"chat #{position}: not an object"
        elif chat.get("type") == CUSTOMER_CHAT_TYPE:
            yield chat, None


# -- writing to the database -------------------------------------------------------------


def _language(chat: ExportChat, default: Lang) -> Lang:
    sample = [m.text for m in chat.messages if m.incoming][:LANGUAGE_SAMPLE_MESSAGES]
    return detect_language(" ".join(sample).lower(), default=default)


async def _import_chat(app: Application, chat: ExportChat) -> ImportedHistory:
    """One chat through the conversation core: the same recording and profiling as live
    messages, in one unit of work under the customer's turn."""
    contact = Contact(
        channel=CHANNEL,
        external_id=str(chat.chat_id),
        address=str(chat.chat_id),
        first_name=chat.name,
        language=_language(chat, app.settings.default_language),
    )
    history = [
        PastMessage(text=m.text, at=m.at, incoming=m.incoming, external_id=m.external_id)
        for m in chat.messages
    ]
    return await app.conversation.import_history(contact, history, id_prefix=EXTERNAL_ID_PREFIX)


async def import_telegram_export(app: Application, path: str) -> ImportReport:
    """Import every personal chat of the export at `path` into `app`'s database.

    `app.start()` must have been called (the schema exists). Raises `TelegramExportError`
    for a file that is not an export; anything wrong inside one chat or message is reported
    in `ImportReport.errors` and the rest is imported.
    """
    raw_chats = load_export(path)
    chats = created = imported = skipped = 0
    errors: list[str] = []
    for raw, problem in customer_chats(raw_chats):
        if problem is not None:
            errors.append(problem)
            continue
        try:
            chat = parse_chat(raw)
        except _BadMessage as exc:
            errors.append(str(exc))
            continue
        errors.extend(chat.errors)
        try:
            result = await _import_chat(app, chat)
        except SQLAlchemyError as exc:
            errors.append(f"chat {chat.chat_id}: database error: {type(exc).__name__}")
            continue
        chats += 1
        created += int(result.created)
        imported += result.imported
        skipped += chat.skipped + result.duplicates
    # Profiles are written behind; an import is done when they are in the database.
    await app.profiles.flush()
    return ImportReport(
        chats=chats,
        customers_created=created,
        messages_imported=imported,
        messages_skipped=skipped,
        errors=errors,
    )
