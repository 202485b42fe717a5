"""Pure Bot API formatting helpers and value types used by the fake Bot API.

Nothing here does I/O: HTML parse mode into text plus UTF-16 entities, bot_command entities,
image sizes, param value decoding, and the small records the fake keeps about each call.
Kept apart from the fake so the formatting rules can be read and tested on their own.
"""

from __future__ import annotations

import html
import json
import re
import struct
import zlib
from dataclasses import dataclass
from typing import Any

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
_BOT_COMMAND_RE = re.compile(r"(?<!\S)/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?")


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
    """One request to the Bot API (over HTTP or in-process): params decoded to Python values,
    files resolved."""

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


def bad_request(description: str) -> ApiError:
    """The 400 answer Telegram gives for an invalid request, with its "Bad Request: " prefix."""
    return ApiError(400, f"Bad Request: {description}")


def _unparsable(description: str) -> ApiError:
    return bad_request(f"can't parse entities: {description}")


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
def decode_value(key: str, value: str) -> Any:
    # aiogram JSON-encodes every non-string param (ints, bools, keyboards, lists).
    if key in _STRING_PARAMS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def decode_form(fields: dict[str, str], uploads: dict[str, UploadedFile]) -> dict[str, Any]:
    """A form's params as Telegram reads them: values decoded, ``attach://name`` replaced by
    the file uploaded under that name, a file sent under the param's own name kept as it is.

    Shared by both transports of the fake, so a param arrives the same over HTTP and in-process.
    """
    params: dict[str, Any] = {key: decode_value(key, value) for key, value in fields.items()}
    uploads = dict(uploads)
    for key, value in list(params.items()):
        if isinstance(value, str) and value.startswith("attach://"):
            attached = uploads.pop(value.removeprefix("attach://"), None)
            if attached is not None:
                params[key] = attached
    params.update(uploads)
    return params
