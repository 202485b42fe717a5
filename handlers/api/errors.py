"""Every failure of the shop API as one JSON shape (`ErrorOut`), mapped in one middleware.

Domain errors (`NotFound`, `InvalidField`) and the edge's own `ApiError` become 4xx answers;
aiohttp's unknown route / wrong method become JSON 404 / 405; anything else is a 500 logged
once with its traceback and an incident id that the answer repeats. The request's headers
(the API key) are never logged or echoed.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Mapping

from aiohttp import hdrs, web
from aiohttp.typedefs import Handler

from bot.shop.errors import InvalidField, NotFound, ShopError
from bot.shop.schemas import ErrorOut

log = logging.getLogger(__name__)

# aiohttp's own HTTP errors (routing, protocol) by status; anything else is "http_<status>".
_CODES = {
    400: "bad_request",
    401: "unauthorized",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    415: "unsupported_media_type",
}


class ApiError(Exception):
    """A refusal decided by the edge itself (auth, body, path), rendered as `ErrorOut`."""

    def __init__(
        self,
        status: int,
        error: str,
        message: str,
        *,
        field: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.error = error
        self.message = message
        self.field = field
        self.headers = dict(headers or {})


def error_response(
    status: int,
    error: str,
    message: str,
    *,
    field: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> web.Response:
    body = ErrorOut(error=error, message=message, field=field).model_dump_json()
    return web.Response(text=body, status=status, content_type="application/json", headers=headers)


@web.middleware
async def render_errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except ApiError as exc:
        return error_response(
            exc.status, exc.error, exc.message, field=exc.field, headers=exc.headers
        )
    except NotFound as exc:
        return error_response(404, "not_found", str(exc))
    except InvalidField as exc:
        return error_response(400, "bad_request", str(exc), field=exc.field)
    except ShopError as exc:  # a refusal the service explains in a sentence for the caller
        return error_response(400, "bad_request", str(exc))
    except web.HTTPException as exc:
        if exc.status < 400:  # a redirect raised by aiohttp is not an error
            raise
        allowed = exc.headers.get(hdrs.ALLOW)
        allow = {hdrs.ALLOW: allowed} if allowed else None
        message = exc.reason
        if exc.status == 404:
            message = f"no such route: {request.path} (the routes are in openapi.json)"
        elif exc.status == 405:
            message = f"{request.method} is not allowed here; allowed: {allowed or 'none'}"
        return error_response(
            exc.status, _CODES.get(exc.status, f"http_{exc.status}"), message, headers=allow
        )
    except Exception:
        # The path names the resource; the headers (with the API key) and the body stay out.
        incident = secrets.token_hex(4)
        log.exception("shop API %s %s failed (incident %s)", request.method, request.path, incident)
        return error_response(
            500, "internal", f"internal error, incident {incident} is in the bot's log"
        )
