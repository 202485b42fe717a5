"""The aiohttp application: Telegram webhooks (when configured) and `GET /healthz`.

Later features (the shop API) mount their routes here too, so there is one HTTP server.
"""

from __future__ import annotations

import logging

from aiogram.webhook.aiohttp_server import SimpleRequestHandler
from aiohttp import web
from aiohttp.typedefs import Handler
from sqlalchemy import text

from bot.app import Application

log = logging.getLogger(__name__)

APP_KEY: web.AppKey[Application] = web.AppKey("barista", Application)
# Set when the program is stopping: new webhook deliveries are refused with 503 so Telegram
# keeps them and delivers them again after the restart (duplicates are stored once).
STOPPING: web.AppKey[list[bool]] = web.AppKey("stopping", list)


def stop_accepting(web_app: web.Application) -> None:
    web_app[STOPPING][0] = True


@web.middleware
async def refuse_when_stopping(request: web.Request, handler: Handler) -> web.StreamResponse:
    if request.app[STOPPING][0] and request.method == "POST":
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


def build_web_app(app: Application, *, webhook_secret: str | None) -> web.Application:
    web_app = web.Application(client_max_size=1024 * 1024, middlewares=[refuse_when_stopping])
    web_app[APP_KEY] = app
    web_app[STOPPING] = [False]
    web_app.router.add_get("/healthz", healthz)
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
