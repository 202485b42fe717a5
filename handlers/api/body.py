"""Request bodies: JSON only, read with a hard size limit, validated with the shop's models.

aiohttp's `client_max_size` guards only `request.read()`/`json()` (and only the root app's
value counts for a sub-app), so the body is read from the stream here: a declared
Content-Length over the limit is refused before reading (aiohttp's parser then delivers
exactly that many bytes), a chunked body is counted as it arrives and refused as soon as it
passes the limit. Validation is strict JSON-mode pydantic: what the OpenAPI document says is
exactly what is accepted (`"2"` is not a number).
"""

from __future__ import annotations

import asyncio
from typing import TypeVar

from aiohttp import web
from pydantic import BaseModel, TypeAdapter, ValidationError

from bot.shop.openapi import EventBatch
from bot.shop.schemas import SiteEventIn
from handlers.api.errors import ApiError

MAX_BODY_BYTES: web.AppKey[int] = web.AppKey("max_body_bytes", int)
Model = TypeVar("Model", bound=BaseModel)

_CHUNK = 64 * 1024
_EVENT_BATCH: TypeAdapter[list[SiteEventIn]] = TypeAdapter(EventBatch)


def _too_large(limit: int) -> ApiError:
    return ApiError(413, "payload_too_large", f"the body is over the limit of {limit} bytes")


async def read_body(request: web.Request) -> bytes:
    if request.content_type != "application/json":
        raise ApiError(
            415, "unsupported_media_type", "send the body as Content-Type: application/json"
        )
    if (request.charset or "utf-8").lower() not in ("utf-8", "utf8"):
        raise ApiError(415, "unsupported_media_type", "JSON bodies must be UTF-8")
    limit = request.app[MAX_BODY_BYTES]
    declared = request.content_length
    if declared is not None:
        if declared > limit:
            raise _too_large(limit)
        if declared == 0:  # the stream is already at its end: nothing to wait for
            return b""
        # aiohttp's parser frames the body by Content-Length: exactly this much will come.
        try:
            return await request.content.readexactly(declared)
        except asyncio.IncompleteReadError:
            raise ApiError(400, "bad_request", "the body ended before Content-Length") from None
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.content.iter_chunked(_CHUNK):  # chunked: count as it comes
        size += len(chunk)
        if size > limit:
            raise _too_large(limit)
        chunks.append(chunk)
    return b"".join(chunks)


def dotted(location: tuple[int | str, ...]) -> str | None:
    return ".".join(str(part) for part in location) or None


def invalid(exc: ValidationError) -> ApiError:
    """The first error, with its field in dotted form (`items.0.qty`); the offending value is
    not echoed (it may be personal data)."""
    first = exc.errors(include_url=False, include_input=False)[0]
    if first["type"] == "json_invalid":
        detail = str(first["msg"]).removeprefix("Invalid JSON: ")
        return ApiError(400, "bad_request", f"malformed JSON: {detail}")
    field = dotted(tuple(first["loc"]))
    message = str(first["msg"]).removeprefix("Value error, ")
    return ApiError(400, "bad_request", f"{field}: {message}" if field else message, field=field)


async def read_model(request: web.Request, model: type[Model]) -> Model:
    raw = await read_body(request)
    try:
        return model.model_validate_json(raw, strict=True)
    except ValidationError as exc:
        raise invalid(exc) from None


async def read_events(request: web.Request) -> list[SiteEventIn]:
    """One event object or an array of them (validated whole: one bad event refuses all)."""
    raw = await read_body(request)
    try:
        if raw.lstrip()[:1] == b"[":
            return _EVENT_BATCH.validate_json(raw, strict=True)
        return [SiteEventIn.model_validate_json(raw, strict=True)]
    except ValidationError as exc:
        raise invalid(exc) from None
