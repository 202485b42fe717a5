"""`build_api`: the shop API as an aiohttp sub-application, to be mounted under /api/v1.

Routes are registered from the operation table that generates the OpenAPI document, so the
served routes and the document cannot differ. Middlewares, outermost first: errors as JSON,
then the API key.
"""

from __future__ import annotations

import json

from aiohttp import web

from bot.shop.api import ShopApi
from bot.shop.openapi import OPERATIONS, openapi_document
from handlers.api.auth import bearer_auth
from handlers.api.body import MAX_BODY_BYTES
from handlers.api.errors import render_errors
from handlers.api.routes import HANDLERS, OPENAPI_JSON, SHOP


def build_api(shop: ShopApi, *, api_key: str | None, max_body_bytes: int) -> web.Application:
    """`api_key` None turns the API off (every route answers 503 `api_disabled`).
    `max_body_bytes` bounds every request body (413 beyond)."""
    if max_body_bytes < 1:
        raise ValueError("max_body_bytes must be positive")
    missing = {op.operation_id for op in OPERATIONS} - HANDLERS.keys()
    if missing:
        raise LookupError(f"operations without a handler: {sorted(missing)}")
    api = web.Application(middlewares=[render_errors, bearer_auth(api_key)])
    api[SHOP] = shop
    api[MAX_BODY_BYTES] = max_body_bytes
    document = openapi_document(max_body_bytes=max_body_bytes)
    api[OPENAPI_JSON] = json.dumps(document, ensure_ascii=False).encode()
    for op in OPERATIONS:
        api.router.add_route(op.method, op.path, HANDLERS[op.operation_id], name=op.operation_id)
    return api
