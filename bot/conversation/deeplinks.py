"""Deep-link payloads of `t.me/<bot>?start=<payload>`: parse them and build them.

Three formats are accepted (Telegram allows at most 64 characters of `[A-Za-z0-9_-]`):

1. key-value: `c-<campaign>_a-<ad>_cr-<creative>`; parts in any order, each optional but at
   least one, keys `c` (campaign), `a` (ad), `cr` (creative); values are `[A-Za-z0-9-]+`.
   Two more keys join a chat to what the shop knows: `l-<token>` (a shop customer's personal
   link) and `v-<visitor id>` (the website's "chat with us" button); either may be combined
   with the campaign keys.
2. base64url (aiogram's `create_start_link(..., encode=True)`) of a query string
   `c=<campaign>&a=<ad>&cr=<creative>` (long names `campaign`, `ad`, `creative` work too),
   for values that need characters the plain format can't carry.
3. a plain slug `[A-Za-z0-9-]+` such as `instagram`: the campaign name alone.

Anything else — wrong characters, too long, unknown or repeated keys, base64 that decodes to
garbage — is an organic start with a warning; the customer is greeted normally either way.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import parse_qsl

MAX_PAYLOAD = 64
_ALLOWED = re.compile(r"^[A-Za-z0-9_-]+$")
_SLUG = re.compile(r"^[A-Za-z0-9-]+$")
_VALUE = re.compile(r"^[A-Za-z0-9-]{1,64}$")
_SHORT_KEYS = {"c": "campaign", "a": "ad", "cr": "creative", "l": "link_token", "v": "visitor_id"}
_CAMPAIGN_KEYS = {"c": "campaign", "a": "ad", "cr": "creative"}
# A shop customer's link token: 24 lower-case hex characters (96 random bits).
LINK_TOKEN = re.compile(r"^[0-9a-f]{24}$")
VISITOR_ID = re.compile(r"^[A-Za-z0-9-]{1,48}$")
_LONG_KEYS = {"campaign": "campaign", "ad": "ad", "creative": "creative"}
_MAX_VALUE = 64


class PayloadKind(StrEnum):
    ORGANIC = "organic"  # no payload at all
    KEY_VALUE = "key_value"
    ENCODED = "encoded"
    SLUG = "slug"
    INVALID = "invalid"  # recorded as organic, with `problem` saying why


@dataclass(frozen=True, slots=True)
class ParsedPayload:
    kind: PayloadKind
    raw: str | None
    campaign: str | None = None
    ad: str | None = None
    creative: str | None = None
    problem: str | None = None
    link_token: str | None = None  # a shop customer's personal link
    visitor_id: str | None = None  # the website visitor who opened the chat

    @property
    def is_sourced(self) -> bool:
        """It names an ad (campaign, ad or creative), not only a link or a visitor."""
        return self.kind in (
            PayloadKind.KEY_VALUE,
            PayloadKind.ENCODED,
            PayloadKind.SLUG,
        ) and bool(self.campaign or self.ad or self.creative)

    @property
    def campaign_payload(self) -> str | None:
        """The part of the payload that names the ad: what the ad source is stored under
        (a personal link token must never become a shared "source")."""
        if not self.is_sourced:
            return None
        if self.kind is not PayloadKind.KEY_VALUE or (not self.link_token and not self.visitor_id):
            return self.raw
        return build_payload(self.campaign, self.ad, self.creative)


def _invalid(raw: str, problem: str) -> ParsedPayload:
    return ParsedPayload(PayloadKind.INVALID, raw, problem=problem)


def _parse_key_value(payload: str) -> dict[str, str] | None:
    fields: dict[str, str] = {}
    for part in payload.split("_"):
        key, sep, value = part.partition("-")
        name = _SHORT_KEYS.get(key)
        if not sep or name is None or not value or name in fields:
            return None
        fields[name] = value
    return fields


def _decode_base64(payload: str) -> dict[str, str] | None:
    try:
        padded = payload + "=" * (-len(payload) % 4)
        text = base64.urlsafe_b64decode(padded.encode("ascii")).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    if "=" not in text or not text.isprintable():
        return None
    fields: dict[str, str] = {}
    try:
        pairs = parse_qsl(text, keep_blank_values=False, strict_parsing=True)
    except ValueError:
        return None
    for key, value in pairs:
        name = _CAMPAIGN_KEYS.get(key) or _LONG_KEYS.get(key)
        if name is None or name in fields or not value.strip() or len(value) > _MAX_VALUE:
            return None
        fields[name] = value.strip()
    return fields or None


def parse_payload(payload: str | None) -> ParsedPayload:
    if payload is None or not payload.strip():
        return ParsedPayload(PayloadKind.ORGANIC, None)
    raw = payload.strip()
    if len(raw) > MAX_PAYLOAD:
        return _invalid(raw[:200], f"longer than {MAX_PAYLOAD} characters ({len(raw)})")
    if not _ALLOWED.match(raw):
        return _invalid(raw, "characters outside [A-Za-z0-9_-]")
    if "-" in raw and (fields := _parse_key_value(raw)) is not None:
        token = fields.get("link_token")
        if token is not None and not LINK_TOKEN.match(token):
            return _invalid(raw, "l-<token> is not a personal link token")
        visitor = fields.get("visitor_id")
        if visitor is not None and not VISITOR_ID.match(visitor):
            return _invalid(raw, "v-<visitor id> is longer than 48 characters")
        return ParsedPayload(PayloadKind.KEY_VALUE, raw, **fields)
    if (fields := _decode_base64(raw)) is not None:
        return ParsedPayload(PayloadKind.ENCODED, raw, **fields)
    if _SLUG.match(raw):
        return ParsedPayload(PayloadKind.SLUG, raw, campaign=raw)
    return _invalid(raw, "neither c-<campaign>_a-<ad>_cr-<creative>, base64url nor a plain name")


def build_payload(
    campaign: str | None = None, ad: str | None = None, creative: str | None = None
) -> str:
    """The shortest payload that round-trips through `parse_payload`.

    Plain values use the readable key-value form; anything else is base64url-encoded.
    Raises ValueError when nothing is given or the result would exceed 64 characters.
    """
    fields = {k: v for k, v in (("c", campaign), ("a", ad), ("cr", creative)) if v}
    if not fields:
        raise ValueError("a deep link needs at least a campaign, an ad or a creative")
    if all(_VALUE.match(v) for v in fields.values()):
        payload = "_".join(f"{k}-{v}" for k, v in fields.items())
    else:
        query = "&".join(f"{k}={_escape_query_value(v)}" for k, v in fields.items())
        encoded = base64.urlsafe_b64encode(query.encode("utf-8"))
        payload = encoded.decode("ascii").rstrip("=")
    if len(payload) > MAX_PAYLOAD:
        raise ValueError(f"the payload would be {len(payload)} characters; Telegram allows 64")
    return payload


def _escape_query_value(value: str) -> str:
    # Only what parse_qsl would misread; raw UTF-8 keeps Cyrillic names short (a
    # percent-encoded Cyrillic letter costs 6 bytes instead of 2, and the limit is 64).
    for char, code in (("%", "%25"), ("&", "%26"), ("=", "%3D"), ("+", "%2B")):
        value = value.replace(char, code)
    return value


def personal_payload(link_token: str) -> str:
    """The payload of a shop customer's personal link."""
    if not LINK_TOKEN.match(link_token):
        raise ValueError("not a link token")
    return f"l-{link_token}"


def start_link(bot_username: str, payload: str) -> str:
    """`https://t.me/<bot>?start=<payload>`; the name may be given with or without `@`."""
    name = bot_username.strip().removeprefix("@")
    return f"https://t.me/{name}?start={payload}"
