"""The composition root: the only place that builds and wires everything, and the only module
that imports `handlers`.

`build_application()` only constructs objects (no I/O), so the program, the console shell, the
tests and the benchmarks all get exactly the same dispatcher, core and services.
`start()` applies migrations; `close()` writes what is buffered and releases the HTTP session
and the database engine.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial

from aiogram import Bot, Dispatcher
from aiogram.client.session.base import BaseSession
from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.analytics.service import AnalyticsService
from bot.channels.telegram.factory import build_telegram_bot
from bot.channels.telegram.limits import TelegramLimits
from bot.channels.telegram.sender import TelegramSender
from bot.checkins.config import CheckinConfig
from bot.clock import Clock, system_clock
from bot.conversation.core import Conversation
from bot.conversation.identify import CustomerDirectory
from bot.conversation.pipeline import MessagePipeline
from bot.conversation.privacy_events import PrivacyPolicy
from bot.conversation.profile_cache import ProfileCache
from bot.conversation.reply_log import ReplyLog
from bot.csat.config import CsatConfig
from bot.handoff.service import HandoffDesk
from bot.handoff.sweeper import HandoffSweeper
from bot.handoff.triggers import Thresholds as HandoffThresholds
from bot.replies.base import Responder
from bot.replies.knowledge import Knowledge, KnowledgeError, load_knowledge
from bot.replies.llm.client import ChatClient
from bot.replies.llm.responder import LlmResponder
from bot.replies.rules.grounded import contacts_line
from bot.replies.rules.responder import RuleResponder
from bot.replies.understanding import order_formats
from bot.settings import Settings, SettingsError
from bot.shop.linking import ShopLinker
from bot.shop.service import ShopService
from bot.signals.dispatcher import OutboxDispatcher, dispatcher_from_settings
from bot.signals.watch import SignalWatch, Thresholds
from bot.status import StatusService
from bot.workflow import WorkflowData
from handlers.api.app import build_api
from handlers.telegram.middlewares.dedupe import DeduplicateUpdates
from handlers.telegram.middlewares.in_flight import InFlight
from handlers.telegram.routers import audience_routers
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
    conversation: Conversation
    sender: TelegramSender
    reply_log: ReplyLog
    profiles: ProfileCache
    customers: CustomerDirectory
    in_flight: InFlight
    clock: Clock
    shop: ShopService
    signals: SignalWatch | None
    # Builds the shop's HTTP API, mounted under /api/v1 by the runtime (503 without
    # SHOP_API_KEY); a factory, because aiohttp freezes a sub-application once it runs.
    shop_api: Callable[[], web.Application]
    # Delivers CRM webhooks from the outbox (None: CRM_WEBHOOK_URL unset; events wait).
    outbox: OutboxDispatcher | None
    # The OpenAI-compatible client (None: no LLM configured; the rules answer).
    llm: ChatClient | None = None
    # Times out handoffs nobody picked up (None: no OPERATOR_CHAT_ID); run by the runtime.
    handoffs: HandoffSweeper | None = None
    _closed: bool = field(default=False, repr=False)

    async def start(self) -> None:
        """Bring the database schema to the latest migration (idempotent)."""
        await migrate.upgrade(self.db_engine)

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self.handoffs is not None:
            await self.handoffs.stop()
        if self.outbox is not None:
            await self.outbox.stop()
        await self.reply_log.close()
        await self.profiles.close()
        if self.llm is not None:
            await self.llm.close()
        await self.bot.session.close()
        await self.db_engine.dispose()


def build_bot(
    settings: Settings,
    session: BaseSession | None = None,
    token: str | None = None,
    limits: TelegramLimits | None = None,
) -> Bot:
    return build_telegram_bot(
        token or settings.require_token(),
        api_url=settings.telegram_api_url,
        session=session,
        limits=limits,
    )


def _llm_client(settings: Settings) -> ChatClient | None:
    """The LLM client when one is configured (a base URL or a key), else None."""
    if not settings.openai_base_url and settings.openai_api_key is None:
        return None
    key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else None
    return ChatClient(
        base_url=settings.openai_base_url,
        api_key=key,
        model=settings.openai_model,
        timeout_s=settings.llm_timeout,
        max_concurrency=settings.llm_max_concurrency,
        max_tokens=settings.llm_max_tokens,
    )


def build_dispatcher(settings: Settings, in_flight: InFlight, services: WorkflowData) -> Dispatcher:
    """Audience-neutral plumbing on the root (counting, de-duplication); everything that is
    about customers sits on the customer router."""
    dispatcher = Dispatcher(in_flight=in_flight, **services)
    dispatcher.update.outer_middleware(in_flight)
    dispatcher.update.outer_middleware(DeduplicateUpdates())
    dispatcher.include_routers(*audience_routers(settings))
    return dispatcher


def build_application(
    settings: Settings,
    *,
    bot_session: BaseSession | None = None,
    token: str | None = None,
    clock: Clock = system_clock,
    telegram_limits: TelegramLimits | None = None,
    engine_config: EngineConfig | None = None,
) -> Application:
    """Wire the whole application. Pure construction: nothing connects until used."""
    bot = build_bot(settings, bot_session, token, telegram_limits)
    db_engine = create_engine(settings.database_url)
    session_factory = create_session_factory(db_engine)
    profile_engine = ProfileEngine(
        engine_config or EngineConfig(utc_offset_minutes=settings.timezone_offset_minutes)
    )
    sender = TelegramSender(bot, proactive_per_second=settings.checkin_rate_per_s)
    directory = CustomerDirectory(
        clock, settings.default_language, holdout_percent=settings.holdout_percent
    )
    reply_log = ReplyLog(session_factory)
    profile_cache = ProfileCache(session_factory)
    # Without a CRM to tell, no signal is kept: they would pile up undelivered.
    crm = bool(settings.crm_webhook_url)
    signals = SignalWatch(Thresholds.from_settings(settings)) if crm else None
    rules = RuleResponder(_knowledge(settings))
    llm = _llm_client(settings)
    responder: Responder = (
        LlmResponder(llm, rules, region=settings.phone_region) if llm is not None else rules
    )
    pipeline = MessagePipeline(
        engine=profile_engine,
        responder=responder,
        fallback_responder=rules,
        profiles=profile_cache,
        max_analysed_chars=settings.max_message_chars,
        order_formats=order_formats(settings.order_number_patterns),
        utc_offset_minutes=settings.timezone_offset_minutes,
        handoff=settings.operator_chat_id is not None,
        consent_mode=settings.consent_mode,
        consent_version=settings.consent_version,
        checkins=CheckinConfig.from_settings(settings) if settings.checkins_enabled else None,
    )
    conversation = Conversation(
        session_factory=session_factory,
        directory=directory,
        pipeline=pipeline,
        senders={sender.channel: sender},
        reply_log=reply_log,
        clock=clock,
        default_language=settings.default_language,
        watch=signals,
        linker=ShopLinker(session_factory, phone_region=settings.phone_region),
        handoff=_handoff_desk(settings, sender, rules.knowledge),
        privacy=_privacy(settings, rules.knowledge, crm=crm),
        knowledge=rules.knowledge,
        csat=CsatConfig.from_settings(settings),
    )
    shop = ShopService(
        conversation=conversation,
        session_factory=session_factory,
        bot_username=_username_of(bot, settings),
        clock=clock,
        phone_region=settings.phone_region,
    )
    outbox = dispatcher_from_settings(settings, session_factory, clock=clock)
    if outbox is not None and signals is not None:
        signals.notify = outbox.notify  # committed events go out at once
    api_key = settings.shop_api_key
    # Mounted even without a key: then every route answers 503 `api_disabled`, saying why.
    shop_api = partial(
        build_api,
        shop,
        api_key=api_key.get_secret_value() if api_key is not None else None,
        max_body_bytes=settings.api_max_body_bytes,
    )
    in_flight = InFlight()
    services = WorkflowData(
        settings=settings,
        conversation=conversation,
        telegram_sender=sender,
        status=StatusService(session_factory, clock),
        analytics=AnalyticsService(
            session_factory,
            clock,
            pipeline,
            utc_offset_minutes=settings.timezone_offset_minutes,
            holdout_percent=settings.holdout_percent,
            currency=rules.knowledge.shop.currency if rules.knowledge is not None else "RUB",
        ),
    )
    dispatcher = build_dispatcher(settings, in_flight, services)
    return Application(
        settings=settings,
        bot=bot,
        dispatcher=dispatcher,
        db_engine=db_engine,
        session_factory=session_factory,
        profile_engine=profile_engine,
        conversation=conversation,
        sender=sender,
        reply_log=reply_log,
        profiles=profile_cache,
        customers=directory,
        in_flight=in_flight,
        clock=clock,
        shop=shop,
        signals=signals,
        shop_api=shop_api,
        outbox=outbox,
        llm=llm,
        handoffs=_handoff_sweeper(conversation, session_factory, clock),
    )


def _knowledge(settings: Settings) -> Knowledge:
    """The shop's knowledge file, checked now: a mistake stops the program with one line
    naming the file and the field."""
    try:
        return load_knowledge(settings.shop_knowledge_file)
    except KnowledgeError as exc:
        raise SettingsError(f"SHOP_KNOWLEDGE_FILE is invalid: {exc}") from None


def _privacy(settings: Settings, knowledge: Knowledge | None, *, crm: bool) -> PrivacyPolicy:
    """What the privacy commands need: who answers requests (PRIVACY_CONTACT, else the
    shop's e-mail or phone), the erasure log's key (ERASURE_LOG_KEY, else one derived from
    the bot token, so it is stable and secret without one more setting)."""
    contacts = knowledge.contacts if knowledge is not None else None
    contact = settings.privacy_contact or (
        (contacts.email or contacts.phone) if contacts is not None else None
    )
    if settings.erasure_log_key is not None:
        key = settings.erasure_log_key.get_secret_value().encode()
    else:
        token = settings.bot_token.get_secret_value() if settings.bot_token else OFFLINE_TOKEN
        key = hashlib.sha256(b"barista-erasure-log:" + token.encode()).digest()
    shop = knowledge.shop.name.en if knowledge is not None else ""
    return PrivacyPolicy(
        settings=settings, contact=contact, erasure_key=key, crm=crm, shop_name=shop
    )


def _handoff_desk(
    settings: Settings, staff: TelegramSender, knowledge: Knowledge | None
) -> HandoffDesk | None:
    """Human handoff, when OPERATOR_CHAT_ID names the operators' chat (None: the bot
    answers alone, and a customer asking for a person gets the shop's contacts)."""
    if settings.operator_chat_id is None:
        return None
    return HandoffDesk(
        staff=staff,
        chat=str(settings.operator_chat_id),
        thresholds=HandoffThresholds(
            irritation=settings.handoff_irritation, hotness=settings.handoff_hotness
        ),
        timeout=timedelta(seconds=settings.handoff_timeout),
        operator_language=settings.default_language,
        topics=settings.operator_topics,
        utc_offset_minutes=settings.timezone_offset_minutes,
        crm=bool(settings.crm_webhook_url),
        contacts=partial(contacts_line, knowledge) if knowledge is not None else None,
    )


def _handoff_sweeper(
    conversation: Conversation, session_factory: SessionFactory, clock: Clock
) -> HandoffSweeper | None:
    desk = conversation.handoff
    if desk is None:
        return None
    return HandoffSweeper(session_factory, desk, conversation.on_handoff_timeout, clock=clock)


def _username_of(bot: Bot, settings: Settings) -> Callable[[], Awaitable[str]]:
    """The bot's @username for t.me links: BOT_USERNAME, else asked from Telegram once
    (aiogram keeps the answer of getMe)."""

    async def username() -> str:
        if settings.bot_username:
            return settings.bot_username
        me = await bot.me()
        if not me.username:
            raise RuntimeError("Telegram reports no username for this bot: set BOT_USERNAME")
        return me.username

    return username
