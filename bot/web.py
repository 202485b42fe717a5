"""The aiohttp application: Telegram webhooks (when configured) and `GET /healthz`.

Later features (the shop API) mount their routes here too, so there is one HTTP server.
"""

from __future__ import annotations

import logging

from aiogram.webhook.aiohttp_server import SimpleRequestHandler
from aiohttp import web
from sqlalchemy import text

from bot.app import Application

log = logging.getLogger(__name__)

APP_KEY: web.AppKey[Application] = web.AppKey("barista", Application)


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
    web_app = web.Application(client_max_size=1024 * 1024)
    web_app[APP_KEY] = app
    web_app.router.add_get("/healthz", healthz)
    if webhook_secret is not None:
        SimpleRequestHandler(
            dispatcher=app.dispatcher,
            bot=app.bot,
            secret_token=webhook_secret,
            handle_in_background=True,
        ).register(web_app, path=app.settings.webhook_path)
    return web_app
