"""The steps of one customer event, channel-neutral, inside the core's unit of work.

record the message → update the profile (profiling/, pure) → prepare the reply context; then,
after the core commits: compose the reply (rules or LLM) → count it in the profile. The
pipeline never commits and never sends: the core (`bot.conversation.core`) owns the
transaction, the per-customer order and the network calls.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.checkins.config import CheckinConfig
from bot.clock import as_utc
from bot.conversation.contact import IncomingMessage
from bot.conversation.dialog import DialogState
from bot.conversation.profile_cache import ProfileCache
from bot.privacy.consent import Mode as ConsentMode
from bot.privacy.consent import keeps_history, may_profile
from bot.replies.base import (
    HistoryItem,
    OrderView,
    Place,
    Reply,
    ReplyContext,
    Responder,
    When,
)
from bot.replies.understanding import (
    OrderNumberFormats,
    Understood,
    follow_up_place,
    understand,
)
from bot.texts.catalog import supported_language
from profiling.assess.segments import Segment
from profiling.engine import Assessment, ProfileEngine
from profiling.profile.state import ProfileState
from profiling.profile.timing import TimingSignals
from profiling.text.summary import signal_summary
from profiling.types import Intent, Lang, MessageSignals, SourceContext
from storage.models import AdSource, Customer
from storage.repositories import dialogs, messages, privacy, shop, sources

log = logging.getLogger(__name__)

LINK_MEMORY = 20_000
SITE_EVENTS_IN_PROMPT = 8


@dataclass(slots=True)
class Intake:
    """A recorded incoming message and what it did to the profile (not committed yet)."""

    signals: MessageSignals
    timing: TimingSignals
    state: ProfileState
    assessment: Assessment | None  # None when the customer objected to profiling
    source: SourceContext | None
    previous_intent: Intent | None
    dialog: DialogState | None = None  # set by `reply_context`
    # Without a profile (no consent, or an objection): this message's assessment alone, for
    # the reply to adapt to it — never stored, never signalled.
    momentary: Assessment | None = None


# Product questions read the orders too: suggestions fit what the customer usually buys.
PRODUCT_INTENTS = frozenset({Intent.PRODUCT_QUESTION, Intent.PRICE, Intent.COMPARISON})
# Intents whose answer may need the customer's orders.
ORDER_INTENTS = frozenset(
    {Intent.ORDER_STATUS, Intent.RETURN_REFUND, Intent.WARRANTY, Intent.COMPLAINT}
)


def signal_features(signals: MessageSignals, timing: TimingSignals | None) -> dict[str, Any]:
    """The per-message analysis kept next to the text, for stats and re-training checks: the
    same fields `barista analyze` writes, plus the message's place in the conversation."""
    features = signal_summary(signals)
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


class MessagePipeline:
    def __init__(
        self,
        *,
        engine: ProfileEngine,
        responder: Responder,
        fallback_responder: Responder,
        profiles: ProfileCache,
        max_analysed_chars: int = 4096,
        history_size: int = 12,
        order_formats: OrderNumberFormats | None = None,
        utc_offset_minutes: int = 0,
        consent_mode: ConsentMode = "notice",
        consent_version: str = "1",
        handoff: bool = False,
        checkins: CheckinConfig | None = None,
    ) -> None:
        self.handoff = handoff
        # Proactive check-ins (None: off): what planning needs.
        self.checkins = checkins
        self.order_formats = order_formats
        self.utc_offset_minutes = utc_offset_minutes
        self.consent_mode: ConsentMode = consent_mode
        self.consent_version = consent_version
        # Customers without a stored profile: their timing and dialog state, in memory only
        # (a restart forgets them, which is the point).
        self._ephemeral: OrderedDict[int, tuple[ProfileState, dict[str, Any] | None]] = (
            OrderedDict()
        )
        # chat customer → the shop customer it is linked to (None: not linked), as last read;
        # one process serves a bot, and linking happens in it (`link_changed`).
        self._links: OrderedDict[int, int | None] = OrderedDict()
        self.engine = engine
        self.responder = responder
        self.fallback = fallback_responder
        self.profiles = profiles
        self._sources: dict[int, SourceContext] = {}
        self.max_analysed_chars = max_analysed_chars
        self.history_size = history_size

    # -- profile -------------------------------------------------------------------------

    def profiling_allowed(self, customer: Customer) -> bool:
        """A behavioural profile may be kept: consent given (or notice mode) and no objection."""
        return may_profile(customer, self.consent_mode, self.consent_version)

    def keeps_history(self, customer: Customer) -> bool:
        return keeps_history(customer, self.consent_mode, self.consent_version)

    def forget(self, customer_id: int) -> None:
        """Drop what this process holds about a customer (erasure, objection)."""
        self._ephemeral.pop(customer_id, None)
        self._links.pop(customer_id, None)

    async def load_profile(
        self, session: AsyncSession, customer: Customer, now: float
    ) -> tuple[ProfileState, SourceContext | None]:
        if not self.profiling_allowed(customer):
            return self._ephemeral_state(customer, now), await self._source(session, customer)
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

    def _remember_link(self, customer_id: int, shop_customer_id: int | None) -> None:
        links = self._links
        links[customer_id] = shop_customer_id
        links.move_to_end(customer_id)
        if len(links) > LINK_MEMORY:
            links.popitem(last=False)

    def link_changed(self, customer_id: int) -> None:
        """The chat was linked to the shop (or unlinked): read it again next time."""
        self._links.pop(customer_id, None)

    def _ephemeral_state(self, customer: Customer, now: float) -> ProfileState:
        kept = self._ephemeral.get(customer.id)  # type: ignore[arg-type]
        if kept is not None:
            return kept[0].copy()
        return self.engine.new_state(
            now=now, source=None, lang=supported_language(customer.language)
        )

    def committed(self, session: AsyncSession) -> None:
        """Called by the core after each successful commit."""
        self._sources.update(session.info.pop(_SOURCES_TO_CACHE, {}))

    def save_profile(
        self,
        customer: Customer,
        state: ProfileState,
        assessment: Assessment | None,
        at: datetime,
        dialog: DialogState | None = None,
    ) -> None:
        """Hand the new state (and the dialog's) to the write-behind cache (after the
        commit); without a profile allowed, to memory only."""
        if not self.profiling_allowed(customer) or assessment is None:
            key: int = customer.id  # type: ignore[assignment]
            self._ephemeral[key] = (state, dialog.to_dict() if dialog is not None else None)
            self._ephemeral.move_to_end(key)
            if len(self._ephemeral) > LINK_MEMORY:
                self._ephemeral.popitem(last=False)
            return
        self.profiles.put(
            customer.id,  # type: ignore[arg-type]
            state,
            assessment,
            at,
            dialog.to_dict() if dialog is not None else None,
        )

    # -- messages ------------------------------------------------------------------------

    def analyze(self, text: str, hint: Lang | None) -> MessageSignals:
        return self.engine.analyze(text[: self.max_analysed_chars], language_hint=hint)

    async def take_in(
        self,
        session: AsyncSession,
        customer: Customer,
        incoming: IncomingMessage,
        *,
        language_hint: Lang | None = None,
    ) -> Intake | None:
        """Store a live message once and update the profile; None when it was stored before
        (a channel's redelivery), so the caller skips it instead of answering twice."""
        state, source = await self.load_profile(
            session, customer, as_utc(incoming.sent_at).timestamp()
        )
        intake = await self.record(session, customer, incoming, state, source, language_hint)
        if intake is not None and customer.blocked:
            customer.blocked = False  # a message from them means they unblocked the bot
        return intake

    async def record(
        self,
        session: AsyncSession,
        customer: Customer,
        incoming: IncomingMessage,
        state: ProfileState,
        source: SourceContext | None,
        language_hint: Lang | None = None,
    ) -> Intake | None:
        """Analyse, store once, and observe one incoming message on `state` (live or
        imported); None when this message is stored already."""
        at = as_utc(incoming.sent_at)
        ts = at.timestamp()
        # A message that does not show its language ("ok", "👍", a model number) is taken to
        # be in the language this customer has been writing in, then their app's.
        hint = (
            (state.lang if state.messages_total else None)
            or language_hint
            or supported_language(customer.language)
        )
        signals = self.analyze(incoming.text, hint)
        profiling = self.profiling_allowed(customer)
        timing = self.engine.timing_of(state, ts)
        stored = await messages.insert_incoming_once(
            session,
            customer_id=customer.id,  # type: ignore[arg-type]
            text=incoming.text,
            at=at,
            gap_s=timing.gap_s if profiling else None,
            latency_s=timing.latency_s if profiling else None,
            external_id=incoming.external_id,
            # Objecting to profiling means no analysis is kept, only the message itself.
            features=signal_features(signals, timing) if profiling else None,
        )
        if not stored:
            log.info(
                "message %s of customer %s seen before: skipped", incoming.external_id, customer.id
            )
            return None
        if timing.new_dialog:
            # Dialogs count for the link the customer came through last (conversions, /stats).
            dialogs.start(session, customer.id, at, customer.last_source_id)  # type: ignore[arg-type]
            if not self.keeps_history(customer):
                # Without consent nothing is kept beyond the current dialog.
                await privacy.delete_messages_outside_dialog(session, customer.id, at)  # type: ignore[arg-type]
        previous_intent = _intent_or_none(state.last_intent)
        assessment: Assessment | None = None
        momentary: Assessment | None = None
        self.engine.observe_incoming(state, signals, ts)
        if profiling:
            assessment = self.engine.assess(state, ts)
        else:
            # Adapt to this message alone: a profile of one message, dropped after the reply.
            single = self.engine.new_state(now=ts, source=source, lang=signals.lang)
            self.engine.observe_incoming(single, signals, ts)
            momentary = self.engine.assess(single, ts)
        return Intake(
            signals, timing, state, assessment, source, previous_intent, momentary=momentary
        )

    async def record_command(
        self, session: AsyncSession, customer: Customer, incoming: IncomingMessage
    ) -> bool:
        """A command (/start, /help) or a non-text message is logged but does not feed the
        behavioural profile: typing "/start" says nothing about how a person writes."""
        command = incoming.text.split()[0][:32] if incoming.text else ""
        return await self._record_unanalysed(
            session, customer, incoming, features={"command": command}, status="command"
        )

    async def record_failed(
        self, session: AsyncSession, customer: Customer, incoming: IncomingMessage
    ) -> bool:
        """The text of a message whose handling failed, kept with status `error`."""
        return await self._record_unanalysed(
            session, customer, incoming, features=None, status="error"
        )

    @staticmethod
    async def _record_unanalysed(
        session: AsyncSession,
        customer: Customer,
        incoming: IncomingMessage,
        *,
        features: dict[str, Any] | None,
        status: str,
    ) -> bool:
        return await messages.insert_incoming_once(
            session,
            customer_id=customer.id,  # type: ignore[arg-type]
            text=incoming.text,
            at=as_utc(incoming.sent_at),
            gap_s=None,
            latency_s=None,
            external_id=incoming.external_id,
            features=features,
            status=status,
        )

    # -- replies -------------------------------------------------------------------------

    async def reply_context(
        self, session: AsyncSession, customer: Customer, incoming: IncomingMessage, intake: Intake
    ) -> ReplyContext:
        """Everything the responder may use, read inside the transaction."""
        dialog = (
            DialogState()
            if intake.timing.new_dialog
            else DialogState.from_dict(self._stored_dialog(customer))
        )
        dialog.turns += 1
        found = understand(
            incoming.text,
            expecting=dialog.awaiting,
            formats=self.order_formats,
            now=as_utc(incoming.sent_at).timestamp(),
            utc_offset_minutes=self.utc_offset_minutes,
            lang=intake.signals.lang,
        )
        place = follow_up_place(incoming.text) if dialog.last_topic == "delivery" else None
        if found.city is None and place is not None:
            # «а в Химки?» right after a delivery answer: the place is the question.
            found = replace(found, city=place)
        numbers = found.order_numbers
        answering = _answered(dialog.awaiting, found)
        if numbers:
            dialog.learn("order_number", numbers[0])
        if found.city is not None:
            dialog.learn("city", _as_slot(found.city))
        if found.when is not None:
            dialog.learn("when", _as_slot(found.when))
        if found.quantity is not None:
            dialog.learn("quantity", found.quantity)
        intake.dialog = dialog
        intent = intake.signals.intent.intent
        linked, orders = False, ()
        # A customer back with a problem hears of their order first: a new dialog of such a
        # customer reads the orders too (two small queries, only then).
        if (
            intent in ORDER_INTENTS
            or dialog.awaiting == "order_number"
            or dialog.last_topic == "order"  # «подробнее» about an order answer
            or intent in PRODUCT_INTENTS  # suggestions that fit what they bought
            or numbers
            or (
                intake.timing.new_dialog
                and _back_with_a_problem(intake.assessment or intake.momentary)
            )
        ):
            linked, orders = await self._orders(session, customer)
        if not numbers and dialog.knows("order_number") and intent in ORDER_INTENTS:
            # Said earlier in this dialog — reused only if it is one of their orders (a wrong
            # number must not stick for the rest of the dialog).
            said = str(dialog.slots["order_number"])
            if any(order.shop_order_id.upper() == said.upper() for order in orders):
                numbers = (said,)
        return ReplyContext(
            lang=intake.signals.lang,
            text=incoming.text,
            signals=intake.signals,
            assessment=intake.assessment or intake.momentary,
            first_name=customer.first_name,
            source=intake.source,
            history=await self._history(session, customer),
            adaptive=not customer.holdout,
            new_dialog=intake.timing.new_dialog,
            previous_intent=intake.previous_intent,
            dialog=dialog,
            orders=orders,
            linked=linked,
            order_numbers=numbers,
            answering=answering,
            today=as_utc(incoming.sent_at).date(),
            city=found.city or _place_slot(dialog.slots.get("city")),
            when=found.when or _when_slot(dialog.slots.get("when")),
            quantity=found.quantity,
            handoff=self.handoff,
            site=await self._site(session, customer),
        )

    async def _site(self, session: AsyncSession, customer: Customer) -> tuple[str, ...]:
        """The customer's latest site events as lines, for a remote responder's prompt."""
        if self.responder.local:
            return ()
        events = await shop.recent_events(session, customer.id, SITE_EVENTS_IN_PROMPT)  # type: ignore[arg-type]
        lines = []
        for event in events:
            product = event.product or {}
            what = product.get("name") or product.get("sku") or event.page or ""
            lines.append(f"{as_utc(event.at):%d.%m %H:%M} {event.type} {what}".strip())
        return tuple(lines)

    def _stored_dialog(self, customer: Customer) -> dict[str, Any] | None:
        if self.profiling_allowed(customer):
            return self.profiles.dialog(customer.id)  # type: ignore[arg-type]
        kept = self._ephemeral.get(customer.id)  # type: ignore[arg-type]
        return kept[1] if kept is not None else None

    async def _orders(
        self, session: AsyncSession, customer: Customer
    ) -> tuple[bool, tuple[OrderView, ...]]:
        """Whether the chat is linked to the shop, and its orders, newest first."""
        customer_id: int = customer.id  # type: ignore[assignment]
        if customer_id in self._links and self._links[customer_id] is None:
            return False, ()  # known not to be linked: no query on every order question
        linked = await shop.linked_to(session, customer_id)
        self._remember_link(customer_id, linked.id if linked is not None else None)
        if linked is None:
            return False, ()
        rows = await shop.orders_of(session, linked.id)  # type: ignore[arg-type]
        views = [
            OrderView(
                shop_order_id=row.shop_id,
                status=row.status,
                total=float(row.total),
                currency=row.currency,
                items=tuple(str(item.get("name", "")) for item in row.items if item.get("name")),
                ordered_at=as_utc(row.ordered_at),
                updated_at=as_utc(row.updated_at),
            )
            for row in rows
        ]
        views.sort(key=lambda v: v.ordered_at, reverse=True)
        return True, tuple(views)

    async def compose(self, context: ReplyContext) -> Reply:
        """The reply; called after the commit (an LLM is a network call)."""
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

    def observe_reply(
        self, customer: Customer, state: ProfileState, text: str, at: datetime
    ) -> None:
        """Count the bot's reply in the profile (the next reply latency is measured from it);
        a customer without a profile has it counted in memory only (`save_profile`)."""
        self.engine.observe_outgoing(state, at.timestamp(), len(text))

    def assess(self, customer: Customer, state: ProfileState, at: datetime) -> Assessment | None:
        if not self.profiling_allowed(customer):
            return None
        return self.engine.assess(state, at.timestamp())


def _answered(awaiting: str | None, found: Understood) -> str | None:
    """The slot the bot asked for, when this message gives it."""
    given = {
        "order_number": bool(found.order_numbers),
        "city": found.city is not None,
        "when": found.when is not None,
        "quantity": found.quantity is not None,
    }
    return awaiting if awaiting is not None and given.get(awaiting) else None


def _as_slot(value: Place | When) -> dict[str, Any]:
    """A place or a time as JSON-ready dialog data (the dialog is stored with the profile)."""
    data = {name: getattr(value, name) for name in value.__slots__}  # type: ignore[union-attr]
    if isinstance(data.get("day"), date):
        data["day"] = data["day"].isoformat()
    return data


def _place_slot(data: object) -> Place | None:
    if not isinstance(data, dict) or not isinstance(data.get("name"), str):
        return None
    return Place(name=data["name"], canonical=data.get("canonical"), country=data.get("country"))


def _when_slot(data: object) -> When | None:
    if not isinstance(data, dict) or not isinstance(data.get("text"), str):
        return None
    try:
        day = date.fromisoformat(data["day"]) if data.get("day") else None
    except (TypeError, ValueError):
        day = None
    return When(
        text=data["text"],
        day=day,
        clock=data.get("clock"),
        part=data.get("part"),
        by=bool(data.get("by")),
    )


def _back_with_a_problem(assessment: Assessment | None) -> bool:
    if assessment is None:
        return False
    top = assessment.top_segments(1, min_value=0.4)
    return bool(top) and top[0][0] is Segment.RETURNING_WITH_PROBLEM


def _intent_or_none(value: str | None) -> Intent | None:
    try:
        return Intent(value) if value else None
    except ValueError:  # a profile written by a version with other intents
        return None
