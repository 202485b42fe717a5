"""Who may call the shop API: the holder of SHOP_API_KEY, as `Authorization: Bearer <key>`.

Without a key configured the API is off: every route, the document included, answers 503
`api_disabled`, so a shop that forgot the setting hears why instead of a bare 404.
"""

from __future__ import annotations

import hashlib
import hmac

from aiohttp import hdrs, web
from aiohttp.typedefs import Handler, Middleware

from handlers.api.errors import ApiError

# Route names served without the key (the OpenAPI document).
PUBLIC_ROUTES = frozenset({"getOpenApi"})
CHALLENGE = {hdrs.WWW_AUTHENTICATE: 'Bearer realm="barista"'}


def _digest(value: bytes) -> bytes:
    # Compare digests, not the raw values: equal lengths, so not even the key's length leaks.
    return hashlib.sha256(value).digest()


def bearer_auth(api_key: str | None) -> Middleware:
    if api_key is None:

        @web.middleware
        async def api_disabled(request: web.Request, handler: Handler) -> web.StreamResponse:
            raise ApiError(
                503,
                "api_disabled",
                "the shop API is off: SHOP_API_KEY is not set on the bot",
            )

        return api_disabled

    expected = _digest(api_key.encode())

    @web.middleware
    async def require_key(request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.match_info.route.name in PUBLIC_ROUTES:
            return await handler(request)
        header = request.headers.get(hdrs.AUTHORIZATION)
        if header is None:
            raise ApiError(
                401,
                "unauthorized",
                "send the API key as Authorization: Bearer <SHOP_API_KEY>",
                headers=CHALLENGE,
            )
        scheme, _, token = header.strip().partition(" ")
        # aiohttp decodes header bytes as UTF-8 with surrogateescape: this gives back the
        # bytes as sent, whatever they are.
        presented = token.strip().encode("utf-8", "surrogateescape")
        if scheme.lower() != "bearer" or not hmac.compare_digest(_digest(presented), expected):
            raise ApiError(401, "unauthorized", "the API key is wrong", headers=CHALLENGE)
        return await handler(request)

    return require_key
