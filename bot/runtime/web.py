"""The aiohttp application: Telegram webhooks (when configured), the shop's API under
`/api/v1` (when SHOP_API_KEY is set) and `GET /healthz` — one HTTP server in polling and in
webhook mode.
"""

from __future__ import annotations

import logging

from aiogram.webhook.aiohttp_server import SimpleRequestHandler
from aiohttp import web
from aiohttp.typedefs import Handler
from sqlalchemy import text

from bot.app import Application
from bot.shop.openapi import API_PREFIX

log = logging.getLogger(__name__)

APP_KEY: web.AppKey[Application] = web.AppKey("barista", Application)
# Set when the program is stopping: new webhook deliveries are refused with 503 so Telegram
# keeps them and delivers them again after the restart (duplicates are stored once).
STOPPING: web.AppKey[list[bool]] = web.AppKey("stopping", list)


def stop_accepting(web_app: web.Application) -> None:
    web_app[STOPPING][0] = True


@web.middleware
async def refuse_when_stopping(request: web.Request, handler: Handler) -> web.StreamResponse:
    # Only Telegram's deliveries: the shop API answers in its own error shape until the
    # server closes.
    webhook_path = request.app[APP_KEY].settings.webhook_path
    if request.app[STOPPING][0] and request.method == "POST" and request.path == webhook_path:
        return web.json_response({"ok": False, "description": "restarting"}, status=503)
    return await handler(request)


async def healthz(request: web.Request) -> web.Response:
    app = request.app[APP_KEY]
    try:
        async with app.session_factory() as session:
            await session.execute(text("SELECT 1"))
        database = "ok"
    except Exception as exc:  # report, don't crash: a health check must always answer
        log.warning("health check: database unavailable: %s", exc)
        database = "unavailable"
    status = 200 if database == "ok" else 503
    return web.json_response(
        {"status": "ok" if status == 200 else "degraded", "database": database}, status=status
    )


@web.middleware
async def json_not_found(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Unknown routes outside the API answer in JSON too: clients of this server are
    programs (Telegram, the shop), not browsers."""
    try:
        return await handler(request)
    except web.HTTPNotFound:
        return web.json_response(
            {"error": "not_found", "message": f"no route {request.path}"}, status=404
        )
    except web.HTTPMethodNotAllowed as exc:
        return web.json_response(
            {"error": "method_not_allowed", "message": f"{request.method} is not allowed here"},
            status=405,
            headers={"Allow": ", ".join(sorted(exc.allowed_methods))},
        )


def build_web_app(app: Application, *, webhook_secret: str | None) -> web.Application:
    web_app = web.Application(
        client_max_size=1024 * 1024, middlewares=[json_not_found, refuse_when_stopping]
    )
    web_app[APP_KEY] = app
    web_app[STOPPING] = [False]
    web_app.router.add_get("/healthz", healthz)
    web_app.add_subapp(API_PREFIX, app.shop_api())
    if app.settings.shop_api_key is None:
        log.info("shop API off: SHOP_API_KEY is not set (%s/* answers 503)", API_PREFIX)
    if webhook_secret is not None:
        SimpleRequestHandler(
            dispatcher=app.dispatcher,
            bot=app.bot,
            secret_token=webhook_secret,
            # Answer Telegram only once the update is handled and committed: a 200 then
            # means "stored", and a crash before it makes Telegram deliver it again.
            handle_in_background=False,
        ).register(web_app, path=app.settings.webhook_path)
    return web_app
