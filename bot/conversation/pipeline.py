"""The conversation pipeline, channel-neutral.

record the message → update the profile (profiling/, pure) → decide → respond (rules or LLM)
→ persist the reply → send through the channel's delivery → record the outcome.

Transactions stay short: everything before the send is one transaction, the delivery outcome
is a second one, and a remote responder (an LLM) is called only after the first commit.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from bot.channels.telegram.delivery import DeliveryResult, DeliveryStatus
from bot.clock import as_utc
from bot.conversation.profile_cache import ProfileStore
from bot.conversation.reply_log import LoggedReply, ReplyLog
from bot.replies.base import HistoryItem, ReplyContext, Responder
from bot.texts.catalog import supported_language
from profiling.engine import Assessment, ProfileEngine
from profiling.profile.state import ProfileState
from profiling.profile.timing import TimingSignals
from profiling.types import Intent, Lang, MessageSignals, SourceContext
from storage.models import AdSource, Customer
from storage.repositories import customers, messages, sources

log = logging.getLogger(__name__)


class Sender(Protocol):
    async def send_text(self, chat_id: int, text: str) -> DeliveryResult: ...


@dataclass(frozen=True, slots=True)
class IncomingMessage:
    text: str
    sent_at: datetime
    external_id: str | None = None
    language_hint: Lang | None = None


@dataclass(frozen=True, slots=True)
class Turn:
    """What one incoming message led to."""

    stored: bool  # False: Telegram delivered this message before, and it was skipped
    signals: MessageSignals
    timing: TimingSignals | None
    assessment: Assessment | None
    reply_text: str | None
    delivery: DeliveryResult | None


def signal_features(signals: MessageSignals, timing: TimingSignals | None) -> dict[str, Any]:
    """The per-message analysis kept next to the text, for stats and re-training checks."""
    features: dict[str, Any] = {
        "lang": signals.lang.value,
        "sentiment": signals.sentiment.label.value,
        "polarity": round(signals.sentiment.polarity, 3),
        "irritation": round(signals.sentiment.irritation, 3),
        "intent": signals.intent.intent.value,
        "questions": signals.questions,
        "formality": round(signals.formality, 3),
    }
    if timing is not None:
        features["new_dialog"] = timing.new_dialog
        features["burst"] = timing.burst
    return features


def source_context(campaign_source: AdSource | None) -> SourceContext | None:
    if campaign_source is None:
        return None
    return SourceContext(
        campaign=campaign_source.campaign, ad=campaign_source.ad, creative=campaign_source.creative
    )


_SOURCES_TO_CACHE = "barista.sources_to_cache"


class ConversationService:
    def __init__(
        self,
        *,
        engine: ProfileEngine,
        responder: Responder,
        fallback_responder: Responder,
        sender: Sender,
        reply_log: ReplyLog,
        profiles: ProfileStore,
        max_analysed_chars: int = 4096,
        history_size: int = 12,
    ) -> None:
        self.engine = engine
        self.responder = responder
        self.fallback = fallback_responder
        self.sender = sender
        self.reply_log = reply_log
        self.profiles = profiles
        self._sources: dict[int, SourceContext] = {}
        self.max_analysed_chars = max_analysed_chars
        self.history_size = history_size

    # -- profile -------------------------------------------------------------------------

    async def _load_profile(
        self, session: AsyncSession, customer: Customer, now: float
    ) -> tuple[ProfileState, SourceContext | None]:
        state = await self.profiles.load(session, customer.id)  # type: ignore[arg-type]
        source = await self._source(session, customer)
        if state is None:
            state = self.engine.new_state(
                now=now, source=source, lang=supported_language(customer.language)
            )
        elif source is not None and state.source != source:
            # The customer wrote before their first ad-sourced /start: give the profile its
            # source now (the first touch never changes afterwards).
            state.set_source(source)
        return state, source

    async def _source(self, session: AsyncSession, customer: Customer) -> SourceContext | None:
        if customer.first_source_id is None:
            return None
        cached = self._sources.get(customer.first_source_id)
        if cached is None:
            cached = source_context(await sources.get(session, customer.first_source_id))
            if cached is not None:
                # Sources never change once committed, but this one may have been created in
                # the current transaction: it is cached only after the commit succeeds.
                session.info.setdefault(_SOURCES_TO_CACHE, {})[customer.first_source_id] = cached
        return cached

    async def _commit(self, session: AsyncSession) -> None:
        await session.commit()
        self._sources.update(session.info.pop(_SOURCES_TO_CACHE, {}))

    # -- the pipeline --------------------------------------------------------------------

    async def handle(
        self,
        session: AsyncSession,
        customer: Customer,
        incoming: IncomingMessage,
        *,
        answer: bool = True,
    ) -> Turn:
        started = time.monotonic()
        at = as_utc(incoming.sent_at)
        ts = at.timestamp()
        state, source = await self._load_profile(session, customer, ts)
        # A message that does not show its language ("ok", "👍", a model number) is taken to
        # be in the language this customer has been writing in, then their Telegram's.
        hint = (
            (state.lang if state.messages_total else None)
            or incoming.language_hint
            or supported_language(customer.language)
        )
        signals = self.engine.analyze(incoming.text[: self.max_analysed_chars], language_hint=hint)
        profiling = not customer.profiling_opt_out
        timing = self.engine.timing_of(state, ts)
        stored = await messages.insert_incoming_once(
            session,
            customer_id=customer.id,  # type: ignore[arg-type]
            text=incoming.text,
            at=at,
            gap_s=timing.gap_s,
            latency_s=timing.latency_s,
            external_id=incoming.external_id,
            # Opting out of profiling means no analysis is kept, only the message itself.
            features=signal_features(signals, timing) if profiling else None,
        )
        if not stored:
            log.info(
                "message %s of customer %s seen before: skipped", incoming.external_id, customer.id
            )
            await session.rollback()
            return Turn(False, signals, None, None, None, None)

        try:
            return await self._answer(
                session, customer, incoming, signals, timing, state, source, answer, started
            )
        except BaseException:
            # The cached state was changed in place for a transaction that did not commit
            # (or whose reply failed): drop it, the database copy is the truth.
            await self.profiles.forget(customer.id)  # type: ignore[arg-type]
            raise

    async def _answer(
        self,
        session: AsyncSession,
        customer: Customer,
        incoming: IncomingMessage,
        signals: MessageSignals,
        timing: TimingSignals,
        state: ProfileState,
        source: SourceContext | None,
        answer: bool,
        started: float,
    ) -> Turn:
        at = as_utc(incoming.sent_at)
        ts = at.timestamp()
        previous_intent = _intent_or_none(state.last_intent)
        assessment: Assessment | None = None
        if not customer.profiling_opt_out:
            self.engine.observe_incoming(state, signals, ts)
            assessment = self.engine.assess(state, ts)
        if customer.blocked:  # a message from them means they unblocked the bot
            customer.blocked = False
        if not answer:
            await self._commit(session)
            self._save_profile(customer, state, assessment, at)
            return Turn(True, signals, timing, assessment, None, None)

        context = ReplyContext(
            lang=signals.lang,
            text=incoming.text,
            signals=signals,
            assessment=assessment,
            first_name=customer.first_name,
            source=source,
            history=await self._history(session, customer),
            adaptive=not customer.holdout,
            new_dialog=timing.new_dialog,
            previous_intent=previous_intent,
        )
        if not self.responder.local:
            # Never hold a write transaction across a network call: commit, call, write.
            await self._commit(session)
            self._save_profile(customer, state, assessment, at)
        reply_text = await self._reply(context)
        reply_at = _later(at, started)
        self._observe_reply(customer, state, reply_text, reply_at)
        await self._commit(session)
        self._save_profile(customer, state, assessment, at)
        delivery = await self.deliver(session, customer, reply_text, reply_at)
        return Turn(True, signals, timing, assessment, reply_text, delivery)

    async def _reply(self, context: ReplyContext) -> str:
        try:
            return await self.responder.reply(context)
        except Exception:
            # A dead LLM must not leave the customer without an answer.
            log.exception("responder failed; answering with the rule-based responder")
            return await self.fallback.reply(context)

    async def _history(self, session: AsyncSession, customer: Customer) -> list[HistoryItem]:
        if self.responder.local or self.history_size <= 0:
            # The rule responder reads only the current message; skip the query for it.
            return []
        rows = await messages.recent(session, customer.id, self.history_size)  # type: ignore[arg-type]
        return [HistoryItem(r.direction, r.text) for r in rows]

    def _observe_reply(
        self, customer: Customer, state: ProfileState, text: str, at: datetime
    ) -> None:
        if not customer.profiling_opt_out:
            self.engine.observe_outgoing(state, at.timestamp(), len(text))

    def _save_profile(
        self,
        customer: Customer,
        state: ProfileState,
        assessment: Assessment | None,
        at: datetime,
    ) -> None:
        if assessment is None:  # profiling opted out: keep nothing new
            return
        self.profiles.put(customer.id, state, assessment, at)  # type: ignore[arg-type]

    async def deliver(
        self, session: AsyncSession, customer: Customer, text: str, at: datetime
    ) -> DeliveryResult:
        """Send a reply, then log what happened (after the network call).

        A 403 also marks the customer blocked at once: it changes how they are treated (no
        check-ins to a blocked chat). The reply line itself goes to the batched reply log.
        """
        if customer.chat_id is None:
            result = DeliveryResult(DeliveryStatus.REJECTED, error="customer has no chat")
        else:
            result = await self.sender.send_text(customer.chat_id, text)
        if result.status is DeliveryStatus.BLOCKED:
            await customers.mark_blocked(session, customer.id)  # type: ignore[arg-type]
            await self._commit(session)
        self.reply_log.record(
            LoggedReply(
                customer_id=customer.id,  # type: ignore[arg-type]
                text=text,
                created_at=at,
                status=result.status.value,
                external_id=result.external_id,
            )
        )
        return result

    # -- commands --------------------------------------------------------------------------

    async def record_command(
        self,
        session: AsyncSession,
        customer: Customer,
        incoming: IncomingMessage,
        reply_text: str,
        *,
        answer: bool = True,
    ) -> DeliveryResult | None:
        """A command (/start, /help) or a non-text message is logged but does not feed the
        behavioural profile: typing "/start" says nothing about how a person writes. The
        bot's answer does count, so the next message's reply latency is measured from it."""
        started = time.monotonic()
        at = as_utc(incoming.sent_at)
        stored = await messages.insert_incoming_once(
            session,
            customer_id=customer.id,  # type: ignore[arg-type]
            text=incoming.text,
            at=at,
            gap_s=None,
            latency_s=None,
            external_id=incoming.external_id,
            features={"command": incoming.text.split()[0][:32] if incoming.text else ""},
        )
        if not stored:
            await session.rollback()
            return None
        if not answer:
            await self._commit(session)
            return None
        reply_at = _later(at, started)
        if customer.profiling_opt_out:
            await self._commit(session)
            return await self.deliver(session, customer, reply_text, reply_at)
        state, _source = await self._load_profile(session, customer, at.timestamp())
        try:
            self._observe_reply(customer, state, reply_text, reply_at)
            assessment = self.engine.assess(state, reply_at.timestamp())
            await self._commit(session)
        except BaseException:
            await self.profiles.forget(customer.id)  # type: ignore[arg-type]
            raise
        self._save_profile(customer, state, assessment, at)
        return await self.deliver(session, customer, reply_text, reply_at)


def _intent_or_none(value: str | None) -> Intent | None:
    try:
        return Intent(value) if value else None
    except ValueError:  # a profile written by a version with other intents
        return None


def _later(at: datetime, started: float) -> datetime:
    """`at` plus the time spent since `started`: when the reply really left, on the same
    time line as the customer's message (Telegram dates have one-second resolution)."""
    return at + timedelta(seconds=time.monotonic() - started)
