"""The composition root: the only place that builds and wires everything.

`build_application()` only constructs objects (no I/O), so the program, the console shell, the
tests and the benchmarks all get exactly the same dispatcher, middlewares and services.
`start()` applies migrations; `close()` releases the HTTP session and the database engine.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.session.base import BaseSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.channels.telegram.delivery import DeliveryLimits, TelegramDelivery
from bot.clock import Clock, system_clock
from bot.conversation.identify import CustomerDirectory
from bot.conversation.pipeline import ConversationService
from bot.conversation.profile_cache import ProfileStore
from bot.conversation.reply_log import ReplyLog
from bot.replies.rules.responder import RuleResponder
from bot.settings import Settings
from handlers.telegram.middlewares import (
    CustomerSession,
    DeduplicateUpdates,
    FloodControl,
    InFlight,
    SerializePerUser,
)
from handlers.telegram.routers import feature_routers
from profiling.engine import EngineConfig, ProfileEngine
from storage import migrate
from storage.db import SessionFactory, create_engine, create_session_factory

log = logging.getLogger(__name__)

# A syntactically valid token for modes that never reach Telegram (the console shell).
OFFLINE_TOKEN = "1:offline-console"


@dataclass
class Application:
    settings: Settings
    bot: Bot
    dispatcher: Dispatcher
    db_engine: AsyncEngine
    session_factory: SessionFactory
    profile_engine: ProfileEngine
    conversation: ConversationService
    delivery: TelegramDelivery
    reply_log: ReplyLog
    profiles: ProfileStore
    customers: CustomerDirectory
    clock: Clock
    _closed: bool = field(default=False, repr=False)

    @property
    def in_flight(self) -> InFlight:
        return self.dispatcher["in_flight"]  # type: ignore[no-any-return]

    async def start(self) -> None:
        """Bring the database schema to the latest migration (idempotent)."""
        await migrate.upgrade(self.db_engine)

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        await self.reply_log.close()
        await self.profiles.close()
        await self.bot.session.close()
        await self.db_engine.dispose()


def build_bot(
    settings: Settings, session: BaseSession | None = None, token: str | None = None
) -> Bot:
    if session is None:
        session = (
            AiohttpSession(api=TelegramAPIServer.from_base(settings.telegram_api_url))
            if settings.telegram_api_url
            else AiohttpSession()
        )
    return Bot(
        token=token or settings.require_token(),
        session=session,
        default=DefaultBotProperties(parse_mode=ParseMode.HTML),
    )


def build_dispatcher(
    settings: Settings,
    session_factory: SessionFactory,
    clock: Clock,
    customers: CustomerDirectory,
    **services: object,
) -> Dispatcher:
    in_flight = InFlight()
    dispatcher = Dispatcher(
        settings=settings,
        session_factory=session_factory,
        clock=clock,
        in_flight=in_flight,
        customers=customers,
        **services,
    )
    dispatcher.update.outer_middleware(in_flight)
    dispatcher.update.outer_middleware(DeduplicateUpdates())
    dispatcher.update.outer_middleware(FloodControl(settings.throttle_per_minute))
    dispatcher.update.outer_middleware(SerializePerUser())
    customer_session = CustomerSession(session_factory, customers)
    dispatcher.message.middleware(customer_session)
    dispatcher.callback_query.middleware(customer_session)
    dispatcher.include_routers(*feature_routers())
    return dispatcher


def build_application(
    settings: Settings,
    *,
    bot_session: BaseSession | None = None,
    token: str | None = None,
    clock: Clock = system_clock,
    delivery_limits: DeliveryLimits | None = None,
    engine_config: EngineConfig | None = None,
) -> Application:
    """Wire the whole application. Pure construction: nothing connects until used."""
    bot = build_bot(settings, bot_session, token)
    db_engine = create_engine(settings.database_url)
    session_factory = create_session_factory(db_engine)
    profile_engine = ProfileEngine(
        engine_config or EngineConfig(utc_offset_minutes=settings.timezone_offset_minutes)
    )
    delivery = TelegramDelivery(bot, delivery_limits)
    directory = CustomerDirectory(clock, settings.default_language)
    reply_log = ReplyLog(session_factory)
    profile_store = ProfileStore(session_factory)
    rules = RuleResponder()
    conversation = ConversationService(
        engine=profile_engine,
        responder=rules,
        fallback_responder=rules,
        sender=delivery,
        reply_log=reply_log,
        profiles=profile_store,
        max_analysed_chars=settings.max_message_chars,
    )
    dispatcher = build_dispatcher(
        settings,
        session_factory,
        clock,
        conversation=conversation,
        customers=directory,
        profile_engine=profile_engine,
        delivery=delivery,
    )
    return Application(
        settings=settings,
        bot=bot,
        dispatcher=dispatcher,
        db_engine=db_engine,
        session_factory=session_factory,
        profile_engine=profile_engine,
        conversation=conversation,
        delivery=delivery,
        reply_log=reply_log,
        profiles=profile_store,
        customers=directory,
        clock=clock,
    )
