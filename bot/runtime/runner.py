"""`barista run`: long polling by default, webhooks when WEBHOOK_URL is set.

Both modes stop gracefully on SIGINT/SIGTERM: stop taking updates, let in-flight updates
finish (bounded), then close the HTTP session and the database engine.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import signal
import sys
from contextlib import suppress

from aiohttp import web

from bot.app import Application
from bot.runtime.web import build_web_app, stop_accepting

log = logging.getLogger(__name__)

DRAIN_TIMEOUT_S = 15.0


def _install_stop_signals(stop: asyncio.Event) -> None:
    if sys.platform == "win32":  # asyncio has no signal handlers there; Ctrl-C still works
        return
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with suppress(RuntimeError):  # not the main thread (e.g. embedded in a test runner)
            loop.add_signal_handler(sig, stop.set)


async def _serve_http(
    app: Application, webhook_secret: str | None
) -> tuple[web.AppRunner, web.TCPSite]:
    runner = web.AppRunner(build_web_app(app, webhook_secret=webhook_secret), handle_signals=False)
    await runner.setup()
    site = web.TCPSite(runner, app.settings.web_host, app.settings.web_port)
    try:
        await site.start()
    except OSError:
        await runner.cleanup()
        raise
    log.info("HTTP server on %s:%s", app.settings.web_host, app.settings.web_port)
    return runner, site


async def run_polling(app: Application, stop: asyncio.Event) -> None:
    dispatcher, bot = app.dispatcher, app.bot
    # getUpdates is refused while a webhook is set (409 Conflict): remove it first.
    await bot.delete_webhook(drop_pending_updates=False)
    polling = asyncio.create_task(
        dispatcher.start_polling(
            bot,
            handle_signals=False,
            close_bot_session=False,
            allowed_updates=dispatcher.resolve_used_update_types(),
        )
    )
    stopper = asyncio.create_task(stop.wait())
    done, _ = await asyncio.wait({polling, stopper}, return_when=asyncio.FIRST_COMPLETED)
    if polling in done:
        stopper.cancel()
        await polling  # polling ended on its own: surface its error
        return
    log.info("stop requested: finishing polling")
    await dispatcher.stop_polling()
    await polling


async def run_webhook(app: Application, stop: asyncio.Event, secret: str) -> None:
    settings = app.settings
    url = f"{settings.webhook_url}{settings.webhook_path}"
    await app.bot.set_webhook(
        url,
        secret_token=secret,
        allowed_updates=app.dispatcher.resolve_used_update_types(),
        drop_pending_updates=False,
    )
    log.info("webhook set to %s", url)
    await stop.wait()
    log.info("stop requested")


async def serve(app: Application, stop: asyncio.Event | None = None) -> None:
    """Run until `stop` is set (or a signal arrives), then shut down cleanly: stop taking
    updates (polling stops, the HTTP site stops listening), let in-flight updates finish,
    write what is buffered, close the HTTP session and the database."""
    stop = stop or asyncio.Event()
    _install_stop_signals(stop)
    settings = app.settings
    secret: str | None = None
    if settings.webhook_url:
        given = settings.webhook_secret
        secret = given.get_secret_value() if given else secrets.token_urlsafe(32)
        if given is None:
            log.info("WEBHOOK_SECRET not set: using a random secret for this run")
    http: tuple[web.AppRunner, web.TCPSite] | None = None
    try:
        await app.start()
        http = await _serve_http(app, secret)
        if settings.webhook_url and secret is not None:
            await run_webhook(app, stop, secret)
        else:
            await run_polling(app, stop)
    finally:
        if http is not None:
            stop_accepting(http[0].app)  # webhook deliveries from now on get 503
            await http[1].stop()  # and no new connections
        drained = await app.in_flight.drain(DRAIN_TIMEOUT_S)
        if not drained:
            log.warning("stopped with %d updates still in flight", app.in_flight.active)
        if http is not None:
            await http[0].cleanup()
        await app.close()
        log.info("stopped")
