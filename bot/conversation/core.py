"""The conversation core: the one entrance for every event that concerns a customer.

Each public method is one kind of event (a message, a command, a /start, an imported history,
the shop's facts, an operator's message, a handoff nobody picked up; later a check-in, an
erasure). Every one of them:

1. takes the customer's turn (`CustomerTurns`: one event per customer at a time);
2. opens ONE transaction, identifies the customer by `(channel, external id)`, records the
   event and updates the profile, and commits — nothing else in the program commits work
   for a customer;
3. only then calls the network (the responder, the channel's `Sender`);
4. records the outcome (the reply log; a blocked chat in a second short transaction).

If anything fails before the commit, the transaction is rolled back, the in-memory customer
and profile are dropped (the database copy is the truth), and the text of a received message
is still stored with status `error`, so nothing a customer sent is lost; the error goes on to
the caller's error handler, which apologises.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Hashable, Mapping, Sequence
from contextlib import (
    AbstractAsyncContextManager,
    AsyncExitStack,
    asynccontextmanager,
    nullcontext,
    suppress,
)
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from bot.channels.sender import Markup, Sender, SendResult, SendStatus
from bot.clock import Clock, as_utc, later
from bot.conversation.admin_events import AdminEvents
from bot.conversation.checkin_events import CheckinEvents
from bot.conversation.contact import Contact, IncomingMessage
from bot.conversation.csat_events import CsatEvents
from bot.conversation.deeplinks import parse_payload
from bot.conversation.group_commit import GroupCommit
from bot.conversation.handoff_events import HandoffEvents
from bot.conversation.identify import CustomerDirectory, customer_language
from bot.conversation.linking import ChatLinker
from bot.conversation.onboarding import greet_and_attribute
from bot.conversation.pipeline import MessagePipeline
from bot.conversation.privacy_events import PrivacyEvents, PrivacyPolicy
from bot.conversation.reply_log import ReplyLog
from bot.conversation.turn import Turn
from bot.conversation.turns import CustomerTurns
from bot.conversation.work import SignalWatch, Work
from bot.csat.config import CsatConfig
from bot.handoff.service import HandoffDesk
from bot.handoff.values import HandoffRef
from bot.replies.base import Reply
from bot.replies.knowledge import Knowledge
from bot.texts.catalog import t
from profiling.engine import Assessment
from profiling.types import Lang
from storage.db import SessionFactory
from storage.models import Customer
from storage.repositories import messages
from storage.repositories.messages import Outgoing

log = logging.getLogger(__name__)

T = TypeVar("T")
# The data of the "More" button under a short answer.
MORE = "more"
# Telegram shows "typing…" for about five seconds; it is renewed this often.
TYPING_EVERY_S = 4.0
# Callback data of an option button: the prefix, the option's key (`OPTIONS`), the language.
OPTION = "opt:"


def _reply_markup(reply: Reply, lang: str) -> Markup | None:
    """The buttons under a reply: "More details" for a short answer with more to say, the
    options when the bot could not tell what the customer wants."""
    buttons: list[tuple[str, str]] = []
    if reply.more:
        buttons.append((t("button.more", lang), MORE))
    # The language goes with the press, so the question asked is the label the customer saw.
    buttons.extend((t(f"option.{key}", lang), f"{OPTION}{key}:{lang}") for key in reply.options)
    return Markup.choices(*buttons) if buttons else None


@dataclass(frozen=True, slots=True)
class PastMessage:
    """One message of a conversation held before the bot (an export), oldest first."""

    text: str
    at: datetime
    incoming: bool  # written by the customer; otherwise the shop's reply
    external_id: str


@dataclass(frozen=True, slots=True)
class ImportedHistory:
    created: bool
    imported: int
    duplicates: int


@dataclass(frozen=True, slots=True)
class CustomerProfile:
    """A read-only look at a customer's profile (the shell's `--explain`, admin tools)."""

    customer_id: int
    lang: Lang
    assessment: Assessment


@dataclass(slots=True)
class _Unit:
    session: AsyncSession
    customer: Customer
    customer_id: int  # read once: after a rollback the row object is expired
    created: bool
    pipeline: MessagePipeline
    work: Work

    async def commit(self) -> None:
        await self.work.commit()


class Conversation(HandoffEvents, PrivacyEvents, CheckinEvents, CsatEvents, AdminEvents):
    def __init__(
        self,
        *,
        session_factory: SessionFactory,
        directory: CustomerDirectory,
        pipeline: MessagePipeline,
        senders: Mapping[str, Sender],
        reply_log: ReplyLog,
        clock: Clock,
        default_language: Lang,
        watch: SignalWatch | None = None,
        linker: ChatLinker | None = None,
        handoff: HandoffDesk | None = None,
        privacy: PrivacyPolicy | None = None,
        knowledge: Knowledge | None = None,
        csat: CsatConfig | None = None,
    ) -> None:
        """`handoff`: human handoff (None: OPERATOR_CHAT_ID unset, the bot answers alone);
        `privacy`: what /privacy, /mydata and /forget need (None: a bare notice); `csat`:
        the satisfaction survey (None: never asked)."""
        self.session_factory = session_factory
        self.handoff = handoff
        self.privacy = privacy
        self.knowledge = knowledge  # the shop's file, for check-ins' wording
        self.consent_asked: dict[int, datetime] = {}
        self.watch = watch
        self.linker = linker
        self.directory = directory
        self.pipeline = pipeline
        self.senders = dict(senders)
        self.reply_log = reply_log
        self.clock = clock
        self.default_language = default_language
        self.turns = CustomerTurns()
        self.shop_units = GroupCommit(session_factory, self._work)
        self._csat_setup(csat)

    # -- the unit of work ----------------------------------------------------------------

    @asynccontextmanager
    async def _unit(
        self,
        contact: Contact,
        received: IncomingMessage | None = None,
        *,
        seen: bool = True,
        also: Sequence[Hashable] = (),
    ) -> AsyncIterator[_Unit]:
        """`also`: more turns this unit needs (a shop customer being linked), taken after
        the customer's own and before the transaction begins."""
        async with self.turns.take(contact.key), self._holding(also):
            try:
                async with self.session_factory() as session:
                    try:
                        customer, created = await self.directory.identify(
                            session, contact, seen=seen
                        )
                        assert customer.id is not None  # flushed by identify
                        work = self._work(session)
                        yield _Unit(session, customer, customer.id, created, self.pipeline, work)
                    except BaseException:
                        # The cached customer may hold changes the database never got. (The
                        # profile needs nothing: the unit changed its own copy, which the
                        # cache only takes after a commit.)
                        self.directory.forget(contact.key)
                        await session.rollback()
                        raise
            except BaseException as exc:
                if received is not None and isinstance(exc, Exception | asyncio.CancelledError):
                    # Shielded: a stop that cancels the update must not lose its text.
                    await asyncio.shield(self._salvage(contact, received))
                raise

    def _holding(self, keys: Sequence[Hashable]) -> AbstractAsyncContextManager[object]:
        """Hold the turns of `keys`, in the order given (nothing to hold: no cost)."""
        if not keys:
            return nullcontext()
        stack = AsyncExitStack()

        @asynccontextmanager
        async def held() -> AsyncIterator[None]:
            async with stack:
                for key in keys:
                    await stack.enter_async_context(self.turns.take(key))
                yield

        return held()

    def _work(self, session: AsyncSession) -> Work:
        return Work(session, pipeline=self.pipeline, now=self.clock(), watch=self.watch)

    async def _salvage(self, contact: Contact, received: IncomingMessage) -> bool:
        """Keep the text of a message whose handling failed (unless it is stored already),
        in a fresh session after the failed one was rolled back."""
        try:
            async with self.session_factory() as session:
                customer, _ = await self.directory.identify(session, contact)
                await self.pipeline.record_failed(session, customer, received)
                await session.commit()
        except Exception:
            log.exception("could not salvage message %s", received.external_id)
            self.directory.forget(contact.key)
            return False
        return True

    # -- events --------------------------------------------------------------------------

    async def on_message(self, contact: Contact, incoming: IncomingMessage) -> Turn:
        """A conversational message: recorded, profiled, answered (unless flooding) — or,
        while a person holds the dialog, relayed to them instead; or, when the bot should
        call a person (`bot.handoff.triggers`), answered with that."""
        started = time.monotonic()
        async with self._unit(contact, incoming) as unit:
            customer = unit.customer
            pipeline = self.pipeline
            desk = self.handoff
            intake = await pipeline.take_in(
                unit.session, customer, incoming, language_hint=contact.language
            )
            if intake is None:
                await unit.session.rollback()
                return Turn(False, None, None, None, None, None)
            held = await desk.held(unit.session, unit.customer_id) if desk is not None else None
            if held is not None:
                return await self._to_operators(unit, held, incoming, intake)
            if (comment := await self._csat_comment(unit, incoming, intake, started)) is not None:
                return comment  # the answer to "what went wrong?" after a low rating
            context = (
                await pipeline.reply_context(unit.session, customer, incoming, intake)
                if incoming.answer
                else None
            )
            handoff: HandoffRef | None = None
            if desk is not None and context is not None:
                handoff = await self._call_person(unit, intake, missed=False)
            prompt = (
                await self._consent_prompt(unit, new_dialog=intake.timing.new_dialog)
                if context is not None and handoff is None
                else None
            )
            if context is not None and handoff is None:
                await self._checkins_on_message(unit, intake, context, as_utc(incoming.sent_at))
            await unit.work.signal(customer, intake.assessment)
            await unit.commit()
            at = as_utc(incoming.sent_at)
            if handoff is not None and context is not None:
                return await self._hand_over(unit, handoff, intake, context.lang, at, started)
            if context is None or not pipeline.responder.local:
                # Committed: the cache takes the new state now (a remote responder may take
                # seconds; a local one answers at once, and the state is put once, below).
                pipeline.save_profile(customer, intake.state, intake.assessment, at)
            if context is None:
                return Turn(True, intake.signals, intake.timing, intake.assessment, None, None)
            # After the commit: a remote responder never holds a transaction open.
            dialog = intake.dialog
            try:
                if pipeline.responder.local:
                    reply = await pipeline.compose(context)
                else:
                    # A remote responder may take seconds: "typing…" shows the customer that
                    # an answer is coming.
                    async with self._typing(customer):
                        reply = await pipeline.compose(context)
                if desk is not None and reply.missed:
                    # Unanswerable once more: maybe the question has failed twice now. (Its
                    # handoff is opened in a second short transaction: only the reply knows.)
                    handoff = await self._call_person(unit, intake, missed=True)
                    if handoff is not None:
                        await unit.commit()
                if handoff is None:
                    reply_text = reply.text
                    reply_at = later(at, started)
                    pipeline.observe_reply(customer, intake.state, reply_text, reply_at)
                    if dialog is not None:
                        dialog.replied(
                            reply_text, asks=reply.asks, topic=reply.topic, missed=reply.missed
                        )
                        if reply.products:
                            dialog.learn("product", list(reply.products))
            finally:  # committed work reaches the cache even if composing failed
                if handoff is None:
                    pipeline.save_profile(customer, intake.state, intake.assessment, at, dialog)
            if handoff is not None:
                return await self._hand_over(unit, handoff, intake, context.lang, at, started)
            # Buttons speak the reply's language (the one the customer writes in), which may
            # differ from their app's.
            shown = context.lang if context.lang in (Lang.RU, Lang.EN) else None
            markup = _reply_markup(
                reply, shown or customer_language(customer, self.default_language)
            )
            if prompt is not None and prompt.markup is not None:
                # Opt-in: the consent question is its own message, before the answer.
                await self._deliver(
                    unit, prompt.text, reply_at, prompt.markup, features={"path": "consent"}
                )
            elif prompt is not None:
                reply_text = f"{reply_text}\n\n{prompt.text}"
            delivery = await self._deliver(
                unit, reply_text, reply_at, markup, features={"path": reply.path}
            )
            return Turn(
                True, intake.signals, intake.timing, intake.assessment, reply_text, delivery
            )

    async def on_command(
        self,
        contact: Contact,
        incoming: IncomingMessage,
        reply: Callable[[Lang], str],
        *,
        markup: Callable[[Lang], Markup] | None = None,
    ) -> SendResult | None:
        """A command or a non-text message: logged, answered with `reply(language)` (and
        the buttons of `markup(language)`); it does not feed the behavioural profile (typing
        "/help" says nothing about how one writes)."""
        started = time.monotonic()
        async with self._unit(contact, incoming) as unit:
            lang = customer_language(unit.customer, self.default_language)
            buttons = markup(lang) if markup is not None else None
            return await self._command(unit, incoming, reply(lang), started, buttons)

    async def on_start(
        self, contact: Contact, incoming: IncomingMessage, payload: str | None
    ) -> SendResult | None:
        """/start, with or without a deep-link payload: attribute to the ad, join the chat
        to the shop's customer or website visitor the payload names, then greet."""
        started = time.monotonic()
        parsed = parse_payload(payload)
        if parsed.link_token:
            # The token opens someone's orders: the message log keeps "/start l-*".
            incoming = replace(incoming, text=incoming.text.replace(parsed.link_token, "*"))
        linking = self.linker is not None and bool(parsed.link_token or parsed.visitor_id)
        also = await self.linker.start_turns(parsed) if self.linker and linking else ()
        async with self._unit(contact, incoming, also=also) as unit:
            note: str | None = None
            if self.linker is not None and linking:
                note = await self.linker.on_start(unit.work, unit.customer, parsed)
            greeting = await greet_and_attribute(
                unit.session,
                unit.customer,
                parsed=parsed,
                is_new=unit.created,
                default_language=self.default_language,
                now=self.clock(),
            )
            if note is not None:
                lang = customer_language(unit.customer, self.default_language)
                greeting = f"{greeting}\n\n{t(note, lang)}"
            prompt = await self._consent_prompt(unit, new_dialog=True)
            if prompt is not None and prompt.markup is None:
                greeting = f"{greeting}\n\n{prompt.text}"
            sent = await self._command(unit, incoming, greeting, started)
            if sent is not None and prompt is not None and prompt.markup is not None:
                # Opt-in: the consent question follows the greeting, as its own message.
                at = later(as_utc(incoming.sent_at), started)
                await self._deliver(
                    unit, prompt.text, at, prompt.markup, features={"path": "consent"}
                )
            return sent

    async def on_phone_shared(
        self, contact: Contact, incoming: IncomingMessage, phone: str
    ) -> SendResult | None:
        """The customer shared their own phone number (the channel checked it is theirs):
        find their orders in the shop by it."""
        started = time.monotonic()
        also = await self.linker.phone_turns(phone) if self.linker is not None else ()
        async with self._unit(contact, incoming, also=also) as unit:
            key = "phone.unavailable"
            if self.linker is not None:
                key = await self.linker.on_phone(unit.work, unit.customer, phone, held=also)
            lang = customer_language(unit.customer, self.default_language)
            return await self._command(
                unit, incoming, t(key, lang), started, Markup.remove_keyboard()
            )

    async def on_shop(self, keys: Sequence[Hashable], work: Callable[[Work], Awaitable[T]]) -> T:
        """A unit of work that comes from the shop (an order, site events, a customer's
        details). `keys` are the turns to hold, taken in the order given: the linked chat
        customers' `(channel, external id)` first, then the keys of shop customers and
        visitors without a chat (`bot.shop.keys.ordered`). `work` records its rows in the
        unit's session and feeds the profiles it concerns; the core commits, and only then
        do the changed profiles and signals become visible. All of it is stored, or none.
        Units that arrive together share a transaction (`GroupCommit`)."""
        async with self._holding(keys):
            return await self.shop_units.run(work)

    async def _command(
        self,
        unit: _Unit,
        incoming: IncomingMessage,
        reply_text: str,
        started: float,
        markup: Markup | None = None,
    ) -> SendResult | None:
        customer, pipeline = unit.customer, self.pipeline
        if not await pipeline.record_command(unit.session, customer, incoming):
            await unit.session.rollback()  # delivered twice: answered the first time
            return None
        if not incoming.answer:
            await unit.commit()
            return None
        at = as_utc(incoming.sent_at)
        reply_at = later(at, started)
        await self._observe_out(unit, reply_text, reply_at)
        await unit.commit()
        return await self._deliver(unit, reply_text, reply_at, markup)

    async def _observe_out(self, unit: _Unit, text: str, at: datetime) -> None:
        """The bot's (or an operator's) message counts in the profile: the next reply
        latency is measured from it. (The unit's own copy of the state: a link made in this
        unit may have fed it.)"""
        customer = unit.customer
        if customer.profiling_opt_out:
            return
        state = await unit.work.profile(customer)
        self.pipeline.observe_reply(customer, state, text, at)
        unit.work.assessed(customer, self.pipeline.assess(customer, state, at))

    @asynccontextmanager
    async def _typing(self, customer: Customer) -> AsyncIterator[None]:
        """Keep "typing…" on in the customer's chat while the block runs (Telegram shows it
        for about five seconds; it is repeated every four)."""
        sender = self.senders.get(customer.channel)
        address = customer.address
        if sender is None or address is None:
            yield
            return

        async def keep() -> None:
            while True:
                await sender.show_typing(address)
                await asyncio.sleep(TYPING_EVERY_S)

        task = asyncio.create_task(keep())
        try:
            yield
        finally:
            task.cancel()
            with suppress(asyncio.CancelledError):
                await task

    async def _deliver(
        self,
        unit: _Unit,
        text: str,
        at: datetime,
        markup: Markup | None = None,
        *,
        features: dict[str, Any] | None = None,
        proactive: bool = False,
    ) -> SendResult:
        """Send a reply (`proactive`: a message the bot starts, through the channel's
        proactive budget), then record what happened (after the network call).

        A block marks the customer at once, in its own short transaction: it changes how
        they are treated (no check-ins to a blocked chat). The reply line itself goes to the
        batched reply log.
        """
        customer = unit.customer
        sender = self.senders.get(customer.channel)
        if customer.address is None or sender is None:
            problem = "no address" if sender else f"no sender for channel {customer.channel!r}"
            result = SendResult(SendStatus.REJECTED, error=problem)
        else:
            send = sender.send_proactive if proactive else sender.send_text
            result = await send(customer.address, text, markup=markup)
        if result.status is SendStatus.BLOCKED and not customer.blocked:
            customer.blocked = True
            await unit.commit()
        self.reply_log.record(
            Outgoing(
                customer_id=customer.id,  # type: ignore[arg-type]
                text=text,
                created_at=at,
                status=result.status.value,
                external_id=result.external_id,
                features=features,
            )
        )
        return result

    # -- history and reading -------------------------------------------------------------

    async def import_history(
        self, contact: Contact, history: Sequence[PastMessage], *, id_prefix: str
    ) -> ImportedHistory:
        """Store a conversation held before the bot and replay it through the profile, in
        order, exactly as live messages would have been (a customer who objected to
        profiling gets the messages stored and no analysis). Messages whose external id is
        stored already are skipped, so importing twice adds nothing."""
        pipeline = self.pipeline
        now = as_utc(self.clock())
        async with self._unit(contact, seen=False) as unit:
            session, customer = unit.session, unit.customer
            previous_seen = None if unit.created else customer.last_seen_at
            known = await messages.external_ids(session, customer.id, id_prefix)  # type: ignore[arg-type]
            fresh = [m for m in history if m.external_id not in known]
            start = as_utc(fresh[0].at).timestamp() if fresh else now.timestamp()
            state, source = await pipeline.load_profile(session, customer, start)
            hint = contact.language
            for past in fresh:
                at = as_utc(past.at)
                if past.incoming:
                    received = IncomingMessage(past.text, at, past.external_id, answer=False)
                    await pipeline.record(session, customer, received, state, source, hint)
                    continue
                pipeline.observe_reply(customer, state, past.text, at)
                # Delivered long ago by a person, not queued by the bot.
                await messages.insert_outgoing(
                    session,
                    [Outgoing(customer.id, past.text, at, "sent", past.external_id)],  # type: ignore[arg-type]
                )
            # The import knows when the customer really wrote: keep the later of that and
            # what the live bot had recorded.
            last_in = max((as_utc(m.at) for m in fresh if m.incoming), default=None)
            moments = [as_utc(d) for d in (previous_seen, last_in) if d is not None]
            customer.last_seen_at = max(moments) if moments else None
            assessment = pipeline.assess(customer, state, now) if fresh else None
            await unit.commit()
            pipeline.save_profile(customer, state, assessment, now)
            return ImportedHistory(unit.created, len(fresh), len(history) - len(fresh))

    async def profile(self, channel: str, external_id: str) -> CustomerProfile | None:
        """The customer's current assessment, or None for an unknown customer or one
        without a profile. Creates nothing."""
        async with self.turns.take((channel, external_id)), self.session_factory() as session:
            customer = await self.directory.find(session, channel, external_id)
            if customer is None or customer.id is None:
                return None
            state = await self.pipeline.profiles.load(session, customer.id)
        if state is None:
            return None
        assessment = self.pipeline.engine.assess(state, self.clock().timestamp())
        lang = customer_language(customer, assessment.lang)
        return CustomerProfile(customer.id, lang, assessment)
