"""A small Telegram Bot API server on 127.0.0.1 for end-to-end tests.

aiogram's real ``AiohttpSession`` talks to it over HTTP exactly as it talks to
api.telegram.org, so tests exercise the real request encoding, response decoding and
exception mapping instead of a mock. The server keeps just enough state (an update queue
with offset confirmation, per-chat message ids, stored messages and files, commands,
webhook settings) to answer the way Telegram does, including its error descriptions.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import json
import logging
import mimetypes
import re
import struct
import time
import zlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web

logger = logging.getLogger(__name__)

MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_UPLOAD_BYTES = 50 * 1024 * 1024  # Telegram's limit for bot uploads (documents)

# Params that are plain strings in the Bot API even when they look like JSON ("true", "42").
_STRING_PARAMS = frozenset(
    {
        "text",
        "caption",
        "parse_mode",
        "callback_query_id",
        "inline_message_id",
        "url",
        "secret_token",
        "action",
        "language_code",
        "ip_address",
        "file_id",
        "photo",
        "document",
        "business_connection_id",
        "message_effect_id",
        "description",
        "short_description",
        "name",
    }
)
_CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
# Update types Telegram sends only when allowed_updates names them explicitly.
_OPT_IN_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
_COMMAND_RE = re.compile(r"[a-z0-9_]{1,32}")
_BOT_COMMAND_RE = re.compile(r"(?<!\S)/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?")
_SECRET_RE = re.compile(r"[A-Za-z0-9_-]{1,256}")


@dataclass
class UploadedFile:
    """A file sent in a multipart request (the bytes are kept so tests can inspect them)."""

    field_name: str
    filename: str
    content_type: str
    data: bytes

    @property
    def size(self) -> int:
        return len(self.data)


@dataclass
class ApiCall:
    """One HTTP request to the Bot API: params decoded to Python values, files resolved."""

    method: str
    params: dict[str, Any]
    status: int = 0  # HTTP status of the answer; 0 while the request is still in flight
    response: dict[str, Any] | None = None

    @property
    def ok(self) -> bool:
        return self.status == 200


class ApiError(Exception):
    """An error answer, shaped like Telegram's ``{"ok": false, ...}`` body."""

    def __init__(self, code: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.retry_after = retry_after

    def payload(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.code,
            "description": self.description,
        }
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def _bad(description: str) -> ApiError:
    return ApiError(400, f"Bad Request: {description}")


def _unparsable(description: str) -> ApiError:
    return _bad(f"can't parse entities: {description}")


def utf16_len(text: str) -> int:
    """Entity offsets and lengths are counted in UTF-16 code units, as Telegram does."""
    return len(text.encode("utf-16-le")) // 2


# ---------------------------------------------------------------- HTML parse mode
_HTML_ENTITY_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_TAG_NAME_RE = re.compile(r"[^\s>]*")
_ATTR_RE = re.compile(r"""\s*([A-Za-z-]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+))?""")
_CHAR_REF_RE = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|lt|gt|amp|quot);")
_PLAIN_RUN_RE = re.compile(r"[^<&]+")


def parse_html(source: str) -> tuple[str, list[dict[str, Any]]]:
    """Telegram's HTML parse mode: plain text plus entities, or ApiError like Telegram's.

    Strict on purpose: an unescaped ``<`` in a customer's name must fail here exactly as it
    fails in production, so escaping bugs show up in tests.
    """
    parts: list[str] = []
    position = 0  # UTF-16 offset in the output text
    stack: list[tuple[str, int, dict[str, str]]] = []
    entities: list[dict[str, Any]] = []
    i = 0
    while i < len(source):
        if source[i] != "<":
            match = _CHAR_REF_RE.match(source, i) if source[i] == "&" else None
            if match is not None:
                piece, i = html.unescape(match.group()), match.end()
            elif source[i] == "&":  # Telegram keeps a lone ampersand as it is
                piece, i = "&", i + 1
            else:
                run = _PLAIN_RUN_RE.match(source, i)
                assert run is not None  # source[i] is neither "<" nor "&"
                piece, i = run.group(), run.end()
            parts.append(piece)
            position += utf16_len(piece)
            continue
        byte_offset = len(source[:i].encode())
        closing = source.startswith("</", i)
        name_match = _TAG_NAME_RE.match(source, i + (2 if closing else 1))
        assert name_match is not None  # the pattern accepts an empty match
        name = name_match.group().lower()
        # Checks run in the order Telegram runs them, so the first error reported matches.
        if closing and not stack:
            raise _unparsable(f"Unexpected end tag at byte offset {byte_offset}")
        if not closing and name_match.end() == len(source):
            raise _unparsable(f"Unclosed start tag at byte offset {byte_offset}")
        if not closing and name not in _HTML_ENTITY_TYPES:
            raise _unparsable(f'Unsupported start tag "{name}" at byte offset {byte_offset}')
        tag_end = source.find(">", name_match.end())
        if tag_end == -1:
            kind = "end" if closing else "start"
            raise _unparsable(f"Unclosed {kind} tag at byte offset {byte_offset}")
        if closing:
            open_name, start, attrs = stack.pop()
            if name and name != open_name:
                raise _unparsable(
                    f"Unmatched end tag at byte offset {byte_offset}, "
                    f'expected "</{open_name}>", found "</{name}>"'
                )
            _close_entity(open_name, start, position, attrs, stack, entities)
        else:
            attrs = {
                key.lower(): html.unescape(value.strip("\"'"))
                for key, value in _ATTR_RE.findall(source[name_match.end() : tag_end])
            }
            if name == "span" and attrs.get("class") != "tg-spoiler":
                raise _unparsable(
                    f'Tag "span" must have class "tg-spoiler" at byte offset {byte_offset}'
                )
            stack.append((name, position, attrs))
        i = tag_end + 1
    if stack:
        raise _unparsable(f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"')
    entities.sort(key=lambda entity: (entity["offset"], -entity["length"]))
    return "".join(parts), entities


def _close_entity(
    name: str,
    start: int,
    end: int,
    attrs: dict[str, str],
    stack: list[tuple[str, int, dict[str, str]]],
    entities: list[dict[str, Any]],
) -> None:
    css_class = attrs.get("class", "")
    language = css_class.removeprefix("language-") if css_class.startswith("language-") else ""
    if name == "code" and stack and stack[-1][0] == "pre" and language:
        # <pre><code class="language-x"> is one pre entity with a language, not two.
        stack[-1][2]["language"] = language
        return
    if end == start or (name == "a" and not attrs.get("href")):
        return  # Telegram drops empty entities and links without a target
    entity: dict[str, Any] = {
        "type": _HTML_ENTITY_TYPES[name],
        "offset": start,
        "length": end - start,
    }
    if name == "a":
        entity["url"] = attrs["href"]
    elif name == "pre" and attrs.get("language"):
        entity["language"] = attrs["language"]
    elif name == "blockquote" and "expandable" in attrs:
        entity["type"] = "expandable_blockquote"
    elif name == "tg-emoji":
        entity["custom_emoji_id"] = attrs.get("emoji-id", "")
    entities.append(entity)


def bot_command_entities(text: str) -> list[dict[str, Any]]:
    """The bot_command entities Telegram attaches to an incoming message such as "/start x"."""
    return [
        {
            "type": "bot_command",
            "offset": utf16_len(text[: m.start()]),
            "length": utf16_len(m.group()),
        }
        for m in _BOT_COMMAND_RE.finditer(text)
    ]


# ---------------------------------------------------------------- images
def tiny_png(width: int = 1, height: int = 1) -> bytes:
    """A valid grey PNG of the given size, for sendPhoto tests (Telegram rejects non-images)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body))
            + kind
            + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        )

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def image_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) of a PNG, GIF or JPEG, or None when the bytes are not such an image."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return int(width), int(height)
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        width, height = struct.unpack("<HH", data[6:10])
        return int(width), int(height)
    if data.startswith(b"\xff\xd8"):
        i = 2
        while i + 9 <= len(data) and data[i] == 0xFF:
            marker, length = data[i + 1], struct.unpack(">H", data[i + 2 : i + 4])[0]
            if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):  # start of frame
                height, width = struct.unpack(">HH", data[i + 5 : i + 9])
                return int(width), int(height)
            i += 2 + length
    return None


# ---------------------------------------------------------------- request decoding
def _decode_value(key: str, value: str) -> Any:
    # aiogram JSON-encodes every non-string param (ints, bools, keyboards, lists).
    if key in _STRING_PARAMS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


async def read_params(request: web.Request) -> dict[str, Any]:
    """Query string plus body (JSON, urlencoded or multipart), as Telegram accepts all three."""
    params: dict[str, Any] = {k: _decode_value(k, v) for k, v in request.query.items()}
    if request.content_type == "application/json":
        try:
            body = await request.json()
        except ValueError as error:
            raise _bad("can't parse JSON object") from error
        if isinstance(body, dict):
            params.update(body)
        return params
    if request.method != "POST":
        return params
    uploads: dict[str, UploadedFile] = {}
    for key, value in (await request.post()).items():
        if isinstance(value, web.FileField):
            uploads[key] = UploadedFile(key, value.filename, value.content_type, value.file.read())
        else:
            params[key] = _decode_value(key, str(value))
    for key, value in list(params.items()):
        if isinstance(value, str) and value.startswith("attach://"):
            attached = uploads.pop(value.removeprefix("attach://"), None)
            if attached is not None:
                params[key] = attached
    params.update(uploads)  # a file sent directly under the param's own name
    return params


Handler = Callable[[dict[str, Any]], Awaitable[Any]]


class FakeTelegramServer:
    """An async context manager running a Bot API server on 127.0.0.1:<free port>."""

    def __init__(
        self,
        token: str = "123456:TEST-TOKEN",
        bot_username: str = "barista_test_bot",
        bot_id: int | None = None,
        *,
        bot_first_name: str = "Barista",
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.token = token
        # Telegram's bot id is the number before the colon; aiogram derives bot.id that way.
        self.bot_id = bot_id if bot_id is not None else int(token.split(":", 1)[0])
        self.bot_username = bot_username
        self.bot_first_name = bot_first_name
        self.base_url = ""
        self.calls: list[ApiCall] = []
        self.blocked_chats: set[int] = set()
        self.webhook: dict[str, Any] | None = None
        self._clock = clock
        self._runner: web.AppRunner | None = None
        self._wakeup = asyncio.Event()
        self._closing = False
        self._pending: list[dict[str, Any]] = []
        self._next_update_id = 1
        self._allowed_updates: list[str] = []
        self._poll_generation = 0
        self._last_message_id: dict[int, int] = {}
        self._messages: dict[tuple[int, int], dict[str, Any]] = {}
        self._users: dict[int, dict[str, Any]] = {}
        self._open_queries: set[str] = set()
        self._query_count = 0
        self._files: dict[str, tuple[dict[str, Any], UploadedFile]] = {}
        self._commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self._failures: dict[str, list[ApiError]] = {}
        handlers: dict[str, Handler] = {
            "getMe": self._get_me,
            "getUpdates": self._get_updates,
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "sendMessage": self._send_message,
            "sendChatAction": self._send_chat_action,
            "editMessageText": self._edit_text,
            "editMessageReplyMarkup": self._edit_markup,
            "deleteMessage": self._delete_message,
            "answerCallbackQuery": self._answer_callback_query,
            "setMyCommands": self._set_my_commands,
            "getMyCommands": self._get_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "sendPhoto": self._send_photo,
            "sendDocument": self._send_document,
            "close": self._true,
            "logOut": self._true,
        }
        # Bot API method names are case-insensitive; calls are recorded under the canonical one.
        self._handlers = {name.lower(): (name, handler) for name, handler in handlers.items()}

    # ------------------------------------------------------------ lifecycle
    async def __aenter__(self) -> FakeTelegramServer:
        app = web.Application(client_max_size=MAX_UPLOAD_BYTES + 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        host, port = self._runner.addresses[0][:2]
        self.base_url = f"http://{host}:{port}"
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        # Wake parked long polls first so shutdown does not wait out their timeouts.
        self._closing = True
        self._pulse()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    # ------------------------------------------------------------ inspection
    def calls_to(self, method: str) -> list[ApiCall]:
        return [call for call in self.calls if call.method.lower() == method.lower()]

    def sent_messages(self, chat_id: int | None = None) -> list[dict[str, Any]]:
        """Params of every sendMessage that Telegram accepted, oldest first."""
        return [
            call.params
            for call in self.calls_to("sendMessage")
            if call.ok and (chat_id is None or call.params.get("chat_id") == chat_id)
        ]

    @property
    def pending_updates(self) -> list[dict[str, Any]]:
        """Updates pushed but not yet confirmed by a getUpdates offset."""
        return list(self._pending)

    async def wait_for_call(
        self, method: str, count: int = 1, timeout: float = 5.0
    ) -> list[ApiCall]:
        """Wait until at least `count` calls of `method` have been answered; return them."""

        def answered() -> list[ApiCall]:
            return [call for call in self.calls_to(method) if call.status]

        if not await self._wait_until(lambda: len(answered()) >= count, timeout):
            seen = [call.method for call in self.calls]
            raise TimeoutError(f"{count} x {method} not seen within {timeout}s; calls: {seen}")
        return answered()

    async def wait_until(self, predicate: Callable[[], bool], timeout: float = 5.0) -> None:
        """Wait until `predicate()` holds; it is re-checked whenever a request arrives or ends."""
        if not await self._wait_until(predicate, timeout):
            raise TimeoutError(f"condition not met within {timeout}s")

    # ------------------------------------------------------------ fault injection
    def fail_next(
        self,
        method: str,
        *,
        error_code: int,
        description: str,
        retry_after: int | None = None,
        times: int = 1,
    ) -> None:
        """Answer the next `times` calls of `method` with this error instead of handling them."""
        queue = self._failures.setdefault(method.lower(), [])
        queue.extend(ApiError(error_code, description, retry_after) for _ in range(times))

    def block_chat(self, chat_id: int) -> None:
        """From now on sending to this chat fails with 403, as when a user blocks the bot."""
        self.blocked_chats.add(chat_id)

    # ------------------------------------------------------------ incoming updates
    def push_update(self, update: dict[str, Any]) -> int:
        """Queue a raw Update for getUpdates; assigns update_id if missing and returns it."""
        update = dict(update)
        update_id = int(update.setdefault("update_id", self._next_update_id))
        self._next_update_id = max(self._next_update_id, update_id + 1)
        kind = next((key for key in update if key != "update_id"), "")
        for key in ("message", "edited_message"):
            message = update.get(key)
            if isinstance(message, dict) and "message_id" in message and "chat" in message:
                self._remember_message(message)
        if isinstance(query := update.get("callback_query"), dict):
            self._open_queries.add(str(query.get("id")))
        if self._accepts(kind):
            self._pending.append(update)
            self._pulse()
        else:  # Telegram never queues update types the bot did not ask for
            logger.info("update %s of type %r dropped by allowed_updates", update_id, kind)
        return update_id

    def push_message(
        self,
        text: str,
        *,
        user_id: int = 1001,
        first_name: str = "Anna",
        username: str | None = None,
        language_code: str | None = "ru",
        chat_id: int | None = None,
        date: int | None = None,
    ) -> int:
        """Queue a customer's text message (a private chat unless chat_id says otherwise)."""
        user = self._user(user_id, first_name, username, language_code)
        chat_id = user_id if chat_id is None else chat_id
        message: dict[str, Any] = {
            "message_id": self._next_message_id(chat_id),
            "from": user,
            "chat": self._chat(chat_id),
            "date": int(self._clock()) if date is None else date,
            "text": text,
        }
        if entities := bot_command_entities(text):
            message["entities"] = entities
        return self.push_update({"message": message})

    def push_callback_query(
        self,
        data: str,
        *,
        message_id: int,
        user_id: int = 1001,
        first_name: str = "Anna",
        username: str | None = None,
        language_code: str | None = "ru",
        chat_id: int | None = None,
    ) -> int:
        """Queue a press on an inline button of the bot's message `message_id`."""
        user = self._user(user_id, first_name, username, language_code)
        chat_id = user_id if chat_id is None else chat_id
        message = dict(
            self._messages.get((chat_id, message_id))
            or {
                "message_id": message_id,
                "chat": self._chat(chat_id),
                "date": int(self._clock()),
            }
        )
        self._query_count += 1
        return self.push_update(
            {
                "callback_query": {
                    "id": f"{self.bot_id}{self._query_count:06d}",
                    "from": user,
                    "message": message,
                    "chat_instance": str(chat_id),
                    "data": data,
                }
            }
        )

    # ------------------------------------------------------------ HTTP plumbing
    async def _handle(self, request: web.Request) -> web.Response:
        name, handler = self._handlers.get(
            request.match_info["method"].lower(), (request.match_info["method"], None)
        )
        call = ApiCall(method=name, params={})
        self.calls.append(call)
        try:
            call.params = await read_params(request)
            self._pulse()  # lets wait_until see requests that are still in flight (long polls)
            if request.match_info["token"] != self.token:
                raise ApiError(401, "Unauthorized")
            if handler is None:
                raise ApiError(404, "Not Found: method not found")
            if injected := self._failures.get(name.lower()):
                raise injected.pop(0)
            body: dict[str, Any] = {"ok": True, "result": await handler(call.params)}
            call.status = 200
        except web.HTTPRequestEntityTooLarge:
            body, call.status = (
                {"ok": False, "error_code": 413, "description": "Request Entity Too Large"},
                413,
            )
        except ApiError as error:
            body, call.status = error.payload(), error.code
        except Exception as error:
            # A bug in the fake must surface as a readable error in the test, not a hang.
            logger.exception("fake Bot API failed on %s", name)
            body, call.status = (
                {
                    "ok": False,
                    "error_code": 500,
                    "description": f"Internal Server Error: {error!r}",
                },
                500,
            )
        call.response = body
        self._pulse()
        return web.json_response(body, status=call.status)

    def _pulse(self) -> None:
        # Wake everyone waiting for a state change, then arm a fresh event for the next one.
        self._wakeup.set()
        self._wakeup = asyncio.Event()

    async def _wait_until(self, predicate: Callable[[], bool], timeout: float) -> bool:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not predicate():
            remaining = deadline - loop.time()
            if remaining <= 0:
                return False
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wakeup.wait(), remaining)
        return True

    # ------------------------------------------------------------ state helpers
    def _accepts(self, kind: str) -> bool:
        if self._allowed_updates:
            return kind in self._allowed_updates
        return kind not in _OPT_IN_UPDATES

    def _next_message_id(self, chat_id: int) -> int:
        # Both sides of a private chat share one message id sequence, as in Telegram.
        self._last_message_id[chat_id] = self._last_message_id.get(chat_id, 0) + 1
        return self._last_message_id[chat_id]

    def _remember_message(self, message: dict[str, Any]) -> None:
        chat_id, message_id = message["chat"]["id"], message["message_id"]
        self._messages[(chat_id, message_id)] = message
        self._last_message_id[chat_id] = max(self._last_message_id.get(chat_id, 0), message_id)

    def _user(
        self, user_id: int, first_name: str, username: str | None, language_code: str | None
    ) -> dict[str, Any]:
        user = {
            "id": user_id,
            "is_bot": False,
            "first_name": first_name,
            "username": username,
            "language_code": language_code,
        }
        self._users[user_id] = {k: v for k, v in user.items() if v is not None}
        return self._users[user_id]

    def _chat(self, chat_id: int) -> dict[str, Any]:
        if chat_id > 0:
            user = self._users.get(chat_id, {})
            names = {k: user[k] for k in ("first_name", "username") if k in user}
            return {"id": chat_id, "type": "private", **names}
        kind = "supergroup" if chat_id < -1_000_000_000_000 else "group"
        return {"id": chat_id, "type": kind, "title": f"Chat {chat_id}"}

    def _me(self) -> dict[str, Any]:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": self.bot_first_name,
            "username": self.bot_username,
        }

    def _target_chat(self, params: dict[str, Any]) -> int:
        chat_id = params.get("chat_id")
        if chat_id is None or chat_id == "":
            raise _bad("chat_id is empty")
        if isinstance(chat_id, str) and chat_id.removeprefix("-").isdigit():
            chat_id = params["chat_id"] = int(chat_id)  # a JSON body may quote the id
        if not isinstance(chat_id, int) or isinstance(chat_id, bool):
            raise _bad("chat not found")  # @usernames of users or unknown channels
        if chat_id in self.blocked_chats:
            if chat_id > 0:
                raise ApiError(403, "Forbidden: bot was blocked by the user")
            raise ApiError(403, "Forbidden: bot was kicked from the group chat")
        return chat_id

    def _formatted(
        self, params: dict[str, Any], key: str, entities_key: str, limit: int
    ) -> tuple[str, list[dict[str, Any]]]:
        raw = str(params.get(key) or "")
        mode = str(params.get("parse_mode") or "").lower()
        if mode == "html":
            text, entities = parse_html(raw)
        elif mode == "":
            text, entities = raw, list(params.get(entities_key) or [])
        elif mode in ("markdown", "markdownv2"):  # echoed as it is: the project writes HTML
            text, entities = raw, []
        else:
            raise _bad("unsupported parse_mode")
        if len(text) > limit:
            raise _bad("message is too long" if key == "text" else "message caption is too long")
        return text, entities

    def _new_message(self, chat_id: int, params: dict[str, Any]) -> dict[str, Any]:
        """A message from the bot; reply target and inline keyboard handled as Telegram does."""
        message: dict[str, Any] = {
            "message_id": 0,
            "from": self._me(),
            "chat": self._chat(chat_id),
            "date": int(self._clock()),
        }
        reply = params.get("reply_parameters") or {}
        reply_to = reply.get("message_id") or params.get("reply_to_message_id")
        if reply_to:
            target = self._messages.get((chat_id, reply_to))
            if target is not None:
                message["reply_to_message"] = {
                    k: v for k, v in target.items() if k != "reply_to_message"
                }
            elif not (
                reply.get("allow_sending_without_reply")
                or params.get("allow_sending_without_reply")
            ):
                raise _bad("message to be replied not found")
        markup = params.get("reply_markup")
        if isinstance(markup, dict) and "inline_keyboard" in markup:
            message["reply_markup"] = markup
        message["message_id"] = self._next_message_id(chat_id)
        self._remember_message(message)
        return message

    def _stored_bot_message(self, params: dict[str, Any], missing: str) -> dict[str, Any]:
        chat_id = self._target_chat(params)
        if not params.get("message_id"):
            raise _bad("message identifier is not specified")
        message = self._messages.get((chat_id, params["message_id"]))
        if message is None:
            raise _bad(missing)
        if message.get("from", {}).get("id") != self.bot_id:
            raise _bad("message can't be edited")
        return message

    def _input_file(self, params: dict[str, Any], key: str) -> tuple[UploadedFile, str | None]:
        """The uploaded file, or a stored one named by file_id (then its id is returned too)."""
        value = params.get(key)
        if isinstance(value, UploadedFile):
            if not value.data:
                raise _bad("file must be non-empty")
            return value, None
        if not value:
            raise _bad(f"there is no {key} in the request")
        if str(value).startswith(("http://", "https://")):
            raise _bad("failed to get HTTP URL content")  # the fake never leaves 127.0.0.1
        if str(value) not in self._files:
            raise _bad("wrong file identifier/HTTP URL specified")
        return self._files[str(value)][1], str(value)

    def _store_file(self, upload: UploadedFile, folder: str, file_id: str | None) -> dict[str, Any]:
        if file_id is not None:
            return dict(self._files[file_id][0])
        number = len(self._files) + 1
        info = {
            "file_id": f"{folder}-{self.bot_id}-{number:06d}",
            "file_unique_id": f"u{number:06d}",
            "file_size": upload.size,
        }
        self._files[info["file_id"]] = (info, upload)
        return dict(info)

    def _media_message(self, chat_id: int, params: dict[str, Any]) -> dict[str, Any]:
        # The caption is checked before the message exists, so a rejected one uses no id.
        caption, entities = self._formatted(
            params, "caption", "caption_entities", MAX_CAPTION_LENGTH
        )
        message = self._new_message(chat_id, params)
        if caption:
            message["caption"] = caption
        if entities:
            message["caption_entities"] = entities
        return message

    # ------------------------------------------------------------ Bot API methods
    async def _true(self, params: dict[str, Any]) -> bool:
        return True

    async def _get_me(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            **self._me(),
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        if self.webhook is not None:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        # A newer getUpdates terminates an older one still waiting, as on Telegram.
        self._poll_generation += 1
        generation = self._poll_generation
        self._pulse()
        offset = int(params.get("offset") or 0)
        if offset > 0:
            self._pending = [u for u in self._pending if u["update_id"] >= offset]
        elif offset < 0:
            self._pending = self._pending[offset:]
        if isinstance(params.get("allowed_updates"), list):
            self._allowed_updates = [str(kind) for kind in params["allowed_updates"]]
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        timeout = max(float(params.get("timeout") or 0), 0.0)
        await self._wait_until(
            lambda: bool(self._pending) or self._closing or self._poll_generation != generation,
            timeout,
        )
        if self._poll_generation != generation and self.webhook is not None:
            raise ApiError(409, "Conflict: terminated by setWebhook request")
        if self._poll_generation != generation:
            raise ApiError(
                409,
                "Conflict: terminated by other getUpdates request; "
                "make sure that only one bot instance is running",
            )
        return self._pending[:limit]

    async def _set_webhook(self, params: dict[str, Any]) -> bool:
        url = str(params.get("url") or "")
        if not url:
            return await self._delete_webhook(params)
        if not url.startswith("https://"):
            raise _bad("bad webhook: An HTTPS URL must be provided for webhook")
        secret = params.get("secret_token")
        if secret is not None and not _SECRET_RE.fullmatch(str(secret)):
            raise _bad("secret token contains unallowed characters")
        if params.get("drop_pending_updates"):
            self._pending.clear()
        if isinstance(params.get("allowed_updates"), list):
            self._allowed_updates = [str(kind) for kind in params["allowed_updates"]]
        self.webhook = {
            "url": url,
            "secret_token": secret,
            "max_connections": int(params.get("max_connections") or 40),
        }
        # Like Telegram, setting a webhook ends a long poll that is still waiting.
        self._poll_generation += 1
        self._pulse()
        return True

    async def _delete_webhook(self, params: dict[str, Any]) -> bool:
        self.webhook = None
        if params.get("drop_pending_updates"):
            self._pending.clear()
        return True

    async def _get_webhook_info(self, params: dict[str, Any]) -> dict[str, Any]:
        info: dict[str, Any] = {
            "url": "",
            "has_custom_certificate": False,
            "pending_update_count": len(self._pending),
        }
        if self.webhook is not None:
            info.update(
                url=self.webhook["url"],
                max_connections=self.webhook["max_connections"],
                ip_address="127.0.0.1",
            )
            if self._allowed_updates:
                info["allowed_updates"] = list(self._allowed_updates)
        return info

    async def _send_message(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = self._target_chat(params)
        text, entities = self._formatted(params, "text", "entities", MAX_TEXT_LENGTH)
        if not text.strip():
            raise _bad("message text is empty")
        message = self._new_message(chat_id, params)
        message["text"] = text
        if entities:
            message["entities"] = entities
        return message

    async def _send_chat_action(self, params: dict[str, Any]) -> bool:
        self._target_chat(params)
        if params.get("action") not in _CHAT_ACTIONS:
            raise _bad("wrong parameter action in request")
        return True

    async def _edit_text(self, params: dict[str, Any]) -> dict[str, Any] | bool:
        text, entities = self._formatted(params, "text", "entities", MAX_TEXT_LENGTH)
        if not text.strip():
            raise _bad("message text is empty")
        if params.get("inline_message_id"):
            return True  # inline messages are not stored; Telegram answers True for them too
        message = self._stored_bot_message(params, "message to edit not found")
        markup = params.get("reply_markup")
        if (text, entities, markup) == (
            message.get("text"),
            message.get("entities", []),
            message.get("reply_markup"),
        ):
            raise _bad(
                "message is not modified: specified new message content and reply "
                "markup are exactly the same as a current content and reply markup "
                "of the message"
            )
        message.update(text=text, entities=entities, edit_date=int(self._clock()))
        # Editing the text without reply_markup removes the inline keyboard on Telegram.
        message.pop("reply_markup", None)
        if isinstance(markup, dict) and "inline_keyboard" in markup:
            message["reply_markup"] = markup
        if not entities:
            message.pop("entities")
        return message

    async def _edit_markup(self, params: dict[str, Any]) -> dict[str, Any] | bool:
        if params.get("inline_message_id"):
            return True
        message = self._stored_bot_message(params, "message to edit not found")
        markup = params.get("reply_markup")
        if markup == message.get("reply_markup"):
            raise _bad(
                "message is not modified: specified new message content and reply "
                "markup are exactly the same as a current content and reply markup "
                "of the message"
            )
        message.pop("reply_markup", None)
        if isinstance(markup, dict) and markup.get("inline_keyboard"):
            message["reply_markup"] = markup
        message["edit_date"] = int(self._clock())
        return message

    async def _delete_message(self, params: dict[str, Any]) -> bool:
        chat_id = self._target_chat(params)
        if self._messages.pop((chat_id, params.get("message_id")), None) is None:
            raise _bad("message to delete not found")
        return True

    async def _answer_callback_query(self, params: dict[str, Any]) -> bool:
        query_id = str(params.get("callback_query_id") or "")
        if query_id not in self._open_queries:
            raise _bad("query is too old and response timeout expired or query ID is invalid")
        if len(str(params.get("text") or "")) > 200:
            raise _bad("MESSAGE_TOO_LONG")
        self._open_queries.discard(query_id)  # a query can be answered once
        return True

    @staticmethod
    def _commands_key(params: dict[str, Any]) -> tuple[str, str]:
        scope = params.get("scope") or {"type": "default"}
        return json.dumps(scope, sort_keys=True), str(params.get("language_code") or "")

    async def _set_my_commands(self, params: dict[str, Any]) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list):
            raise _bad('parameter "commands" is required')
        if len(commands) > 100:
            raise _bad("BOT_COMMANDS_TOO_MUCH")
        for command in commands:
            if not isinstance(command, dict) or not _COMMAND_RE.fullmatch(
                str(command.get("command", ""))
            ):
                raise _bad("BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", "")).strip()) <= 256:
                raise _bad("BOT_COMMAND_DESCRIPTION_INVALID")
        key = self._commands_key(params)
        self._commands[key] = [
            {"command": c["command"], "description": c["description"]} for c in commands
        ]
        return True

    async def _get_my_commands(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        return list(self._commands.get(self._commands_key(params), []))

    async def _delete_my_commands(self, params: dict[str, Any]) -> bool:
        self._commands.pop(self._commands_key(params), None)
        return True

    async def _send_photo(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = self._target_chat(params)
        upload, file_id = self._input_file(params, "photo")
        size = image_size(upload.data)
        if size is None:
            raise _bad("IMAGE_PROCESS_FAILED")
        message = self._media_message(chat_id, params)
        info = self._store_file(upload, "photos", file_id)
        message["photo"] = [{**info, "width": size[0], "height": size[1]}]
        return message

    async def _send_document(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = self._target_chat(params)
        upload, file_id = self._input_file(params, "document")
        message = self._media_message(chat_id, params)
        info = self._store_file(upload, "documents", file_id)
        mime = mimetypes.guess_type(upload.filename)[0] or upload.content_type
        message["document"] = {
            **info,
            "file_name": upload.filename.rsplit("/", 1)[-1],
            "mime_type": mime or "application/octet-stream",
        }
        return message
