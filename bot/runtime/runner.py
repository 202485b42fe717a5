"""`barista run`: long polling by default, webhooks when WEBHOOK_URL is set.

Both modes stop gracefully on SIGINT/SIGTERM: stop taking updates, let in-flight updates
finish (bounded), stop the background tasks (the outbox dispatcher, the handoff sweeper),
then close the HTTP session and the database engine.

The Bot API calls made at start (getMe, deleteWebhook, setWebhook) are retried with
exponential backoff while Telegram can't be reached, one WARNING line per attempt, and a stop
signal interrupts both the call and the wait. They go straight to the bot's session, below its
request middlewares, so the per-request retries there don't multiply these. A rejected token
is not retried: it raises `StartupError`, whose one-line message the CLI prints.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import signal
import sys
from collections.abc import Awaitable, Callable, Iterator
from contextlib import suppress
from dataclasses import dataclass
from typing import TypeVar

from aiogram import Bot
from aiogram.exceptions import (
    ClientDecodeError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram.methods import DeleteWebhook, GetMe, SetWebhook, TelegramMethod
from aiogram.methods.base import TelegramType
from aiohttp import web
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.app import Application, build_bot
from bot.channels.telegram.menu import set_admin_menu, set_customer_menu
from bot.runtime.scheduler import build_scheduler
from bot.runtime.web import build_web_app, stop_accepting
from bot.settings import Settings

log = logging.getLogger(__name__)

DRAIN_TIMEOUT_S = 15.0

T = TypeVar("T")


class StartupError(Exception):
    """Start-up failed for a reason the operator must fix; the message is one line."""


class StopRequested(Exception):
    """The stop event was set while a start-up call to Telegram was pending or waiting."""


@dataclass(frozen=True)
class StartupBackoff:
    """Delays between attempts to reach Telegram at start: 1 s, 2 s, 4 s … capped at 60 s."""

    first_delay_s: float = 1.0
    max_delay_s: float = 60.0
    factor: float = 2.0

    def delays(self) -> Iterator[float]:
        delay = self.first_delay_s
        while True:
            yield min(delay, self.max_delay_s)
            delay = min(delay * self.factor, self.max_delay_s)


DEFAULT_BACKOFF = StartupBackoff()

# Failures that go away by themselves: no network, a timeout, Telegram's 5xx, a proxy's page.
_TRANSIENT = (TelegramNetworkError, TelegramServerError, ClientDecodeError)


def _seconds(delay: float) -> str:
    return f"{delay:.3g} s"


async def _until_stopped(awaitable: Awaitable[T], stop: asyncio.Event) -> T:
    """Await `awaitable`, but give up (cancelling it) as soon as `stop` is set."""
    if stop.is_set():
        if asyncio.iscoroutine(awaitable):
            awaitable.close()
        raise StopRequested
    task = asyncio.ensure_future(awaitable)
    stopper = asyncio.create_task(stop.wait())
    try:
        await asyncio.wait({task, stopper}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        stopper.cancel()
        if not task.done():
            task.cancel()
            with suppress(asyncio.CancelledError):
                await task
    if task.cancelled():
        raise StopRequested
    return task.result()


async def _sleep_or_stop(stop: asyncio.Event, delay: float) -> None:
    with suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), delay)
    if stop.is_set():
        raise StopRequested


async def call_telegram(
    call: Callable[[], Awaitable[T]],
    stop: asyncio.Event,
    backoff: StartupBackoff = DEFAULT_BACKOFF,
) -> T:
    """Make one start-up Bot API call, retrying while Telegram is unreachable.

    Raises `StopRequested` when `stop` is set meanwhile, `StartupError` on a rejected token;
    any other Bot API error (a bad request) propagates unchanged.
    """
    delays = backoff.delays()
    failed = False
    while True:
        try:
            result = await _until_stopped(call(), stop)
        except TelegramUnauthorizedError as exc:
            raise StartupError("Telegram rejected BOT_TOKEN (401 Unauthorized)") from exc
        except TelegramRetryAfter as exc:
            delay = float(exc.retry_after)
            log.warning("Telegram flood control: retrying in %s", _seconds(delay))
        except _TRANSIENT as exc:
            delay = next(delays)
            reason = getattr(exc, "message", None) or str(exc)
            log.warning(
                "Telegram unreachable (%s: %s): retrying in %s",
                type(exc).__name__,
                reason,
                _seconds(delay),
            )
        else:
            if failed:
                log.info("Telegram reachable again")
            return result
        failed = True
        await _sleep_or_stop(stop, delay)


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
    except OSError as exc:
        await runner.cleanup()
        where = f"{app.settings.web_host}:{app.settings.web_port}"
        reason = str(exc.strerror or exc).rsplit(": ", 1)[-1]
        raise StartupError(f"cannot listen on {where} (WEB_HOST/WEB_PORT): {reason}") from exc
    log.info("HTTP server on %s:%s", app.settings.web_host, app.settings.web_port)
    return runner, site


def _direct(
    bot: Bot, method: TelegramMethod[TelegramType]
) -> Callable[[], Awaitable[TelegramType]]:
    """The call straight to the session, under its request middlewares: their own retries
    and pacing would stack on the start-up backoff and log every failure a second time."""
    return lambda: bot.session.make_request(bot, method)


async def _introduce(app: Application, stop: asyncio.Event, backoff: StartupBackoff) -> None:
    # getMe checks the token before anything else; `bot.me()` then caches the bot, as
    # aiogram's polling asks for it first thing.
    await call_telegram(_direct(app.bot, GetMe()), stop, backoff)
    me = await call_telegram(app.bot.me, stop, backoff)
    log.info("bot @%s (id %s)", me.username, me.id)
    # Telegram answers now: the customers' menu (their rights among the commands), best
    # effort — a refused menu is logged, never a reason not to serve.
    await set_customer_menu(app.bot)
    if app.settings.admin_ids:
        await set_admin_menu(app.bot, app.settings.admin_ids)


async def run_polling(
    app: Application, stop: asyncio.Event, backoff: StartupBackoff = DEFAULT_BACKOFF
) -> None:
    dispatcher, bot = app.dispatcher, app.bot
    await _introduce(app, stop, backoff)
    # getUpdates is refused while a webhook is set (409 Conflict): remove it first.
    await call_telegram(_direct(bot, DeleteWebhook(drop_pending_updates=False)), stop, backoff)
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


async def run_webhook(
    app: Application,
    stop: asyncio.Event,
    secret: str,
    backoff: StartupBackoff = DEFAULT_BACKOFF,
) -> None:
    settings = app.settings
    url = f"{settings.webhook_url}{settings.webhook_path}"
    await _introduce(app, stop, backoff)
    set_webhook = SetWebhook(
        url=url,
        secret_token=secret,
        allowed_updates=app.dispatcher.resolve_used_update_types(),
        drop_pending_updates=False,
    )
    await call_telegram(_direct(app.bot, set_webhook), stop, backoff)
    log.info("webhook set to %s", url)
    await stop.wait()
    log.info("stop requested")


async def serve(
    app: Application,
    stop: asyncio.Event | None = None,
    *,
    backoff: StartupBackoff = DEFAULT_BACKOFF,
) -> None:
    """Run until `stop` is set (or a signal arrives), then shut down cleanly: stop taking
    updates (polling stops, the HTTP site stops listening), let in-flight updates finish,
    write what is buffered, close the HTTP session and the database.

    Raises `DatabaseUnavailable` (storage.db) or `StartupError` when start-up can't succeed
    without the operator's help; both carry a one-line message."""
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
    scheduler: AsyncIOScheduler | None = None
    clean = False
    try:
        await app.start()
        http = await _serve_http(app, secret)
        if app.outbox is not None:
            app.outbox.start()
            log.info("CRM webhooks on: delivering the outbox to %s", app.settings.crm_webhook_url)
        else:
            log.info("CRM webhooks off: CRM_WEBHOOK_URL is not set (signals wait in the outbox)")
        if app.handoffs is not None:
            # Stopped by `app.close()` below, before the session and the database close.
            app.handoffs.start()
            log.info(
                "human handoff on: operator chat %s, timeout %.0f s",
                settings.operator_chat_id,
                settings.handoff_timeout,
            )
        scheduler = build_scheduler(settings, app.session_factory, app.clock, app.conversation)
        scheduler.start()
        log.info(
            "scheduler on: retention daily at %02d:00 (texts %d days, site events %d days)",
            settings.retention_hour,
            settings.message_retention_days,
            settings.event_retention_days,
        )
        if settings.webhook_url and secret is not None:
            await run_webhook(app, stop, secret, backoff)
        else:
            await run_polling(app, stop, backoff)
        clean = True
    except StopRequested:
        log.info("stop requested before Telegram answered")
        clean = True
    finally:
        if scheduler is not None and scheduler.running:
            scheduler.shutdown(wait=False)
        if http is not None:
            stop_accepting(http[0].app)  # webhook deliveries from now on get 503
            await http[1].stop()  # and no new connections
        drained = await app.in_flight.drain(DRAIN_TIMEOUT_S)
        if not drained:
            log.warning("stopped with %d updates still in flight", app.in_flight.active)
        if http is not None:
            await http[0].cleanup()
        await app.close()
        # After a failed start the caller reports the error; "stopped" would only add noise.
        log.log(logging.INFO if clean else logging.DEBUG, "stopped")


async def bot_username(settings: Settings) -> str | None:
    """The bot's @username, asked from Telegram once (for `barista link`).

    Raises `StartupError` with one line when the token is rejected or Telegram can't be
    reached, so the CLI needs no Telegram library of its own.
    """

    bot = build_bot(settings)
    try:
        return (await bot.get_me()).username
    except TelegramUnauthorizedError as exc:
        raise StartupError("Telegram rejected BOT_TOKEN (401 Unauthorized)") from exc
    except TelegramNetworkError as exc:
        raise StartupError(
            f"cannot reach Telegram ({exc.message}); pass --bot-username to build the link offline"
        ) from exc
    finally:
        await bot.session.close()
