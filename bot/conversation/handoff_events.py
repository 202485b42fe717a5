"""The core's entrances for human handoff: an operator's message, a handoff nobody picked up,
and the steps `Conversation.on_message` takes when a customer is (or is to be) with a person.

A mixin of `Conversation` (`bot.conversation.core`): the same unit of work, the same turns,
the same delivery — kept apart only so each module holds one job.
"""

from __future__ import annotations

import logging
from datetime import datetime
from html import escape
from typing import TYPE_CHECKING

from bot.channels.sender import SendResult, SendStatus
from bot.clock import Clock, as_utc, later
from bot.conversation.contact import Contact, IncomingMessage
from bot.conversation.identify import customer_language
from bot.conversation.pipeline import Intake, MessagePipeline
from bot.conversation.turn import Turn
from bot.handoff.card import display_name
from bot.handoff.facts import who_of
from bot.handoff.service import HandoffDesk
from bot.handoff.values import HandoffRef, OperatorMessage, OperatorOutcome
from bot.texts.catalog import t
from profiling.types import Lang
from storage.models import Customer
from storage.models.handoff import OPEN_STATUSES

if TYPE_CHECKING:
    from bot.conversation.core import _Unit

log = logging.getLogger(__name__)


class HandoffEvents:
    handoff: HandoffDesk | None
    pipeline: MessagePipeline
    clock: Clock
    default_language: Lang

    async def on_operator_message(self, message: OperatorMessage) -> OperatorOutcome:
        """An operator wrote in the operator chat. About a handoff — a reply to its card or
        to a relayed message, or a message in the customer's forum topic — the text goes to
        the customer (the first operator to answer holds the dialog), or /done gives the
        dialog back to the bot; anything else is operators talking among themselves.
        Operators are never identified as customers: only the customer's turn is taken."""
        desk = self.handoff
        if desk is None:
            return OperatorOutcome.IGNORED
        async with self.session_factory() as session:
            found = await desk.find(session, message)
        if found is None:
            if message.done:
                await desk.answer(message, "handoff.note.done_where")
            return OperatorOutcome.IGNORED
        async with self._unit(Contact(found.channel, found.external_id), seen=False) as unit:
            # Read again under the customer's turn: the sweeper or another operator may have
            # ended it since.
            ref = await desk.current(unit.session, found.handoff.id)
            if (
                ref is None
                or ref.customer_id != unit.customer_id
                or ref.status not in OPEN_STATUSES
            ):
                outcome = OperatorOutcome.OVER
            elif message.done:
                return await self._give_back(unit, ref, message)
            elif message.text.strip():
                return await self._from_operator(unit, ref, message)
            else:
                outcome = OperatorOutcome.NO_TEXT
            await unit.session.rollback()
        key = "handoff.note.over" if outcome is OperatorOutcome.OVER else "handoff.note.no_text"
        await desk.answer(message, key)
        return outcome

    async def on_handoff_timeout(self, ref: HandoffRef) -> SendResult | None:
        """Nobody picked the handoff up in time (the sweeper claimed it, marked timed out):
        tell the customer honestly — the bot carries on — and note it under the card."""
        desk = self.handoff
        if desk is None:
            return None
        async with self.session_factory() as session:
            customer = await session.get(Customer, ref.customer_id)
            key = (customer.channel, customer.external_id) if customer is not None else None
        if key is None:  # erased meanwhile
            return None
        async with self._unit(Contact(*key), seen=False) as unit:
            now = self.clock()
            text = desk.nobody(await self._speaks(unit))
            await self._observe_out(unit, text, now)
            await unit.commit()
            desk.ended(unit.customer_id)
            result = await self._deliver(
                unit, text, now, features={"path": "handoff", "handoff": "timed_out"}
            )
        await desk.on_card(ref, "handoff.note.timeout", wait=desk.wait())
        return result

    async def _call_person(self, unit: _Unit, intake: Intake, *, missed: bool) -> HandoffRef | None:
        """Open a handoff in the unit's transaction when this message calls for a person."""
        desk = self.handoff
        assert desk is not None
        misses = intake.dialog.misses if intake.dialog is not None else 0
        now = self.clock()
        reason = await desk.reason_for(
            unit.session,
            unit.customer_id,
            intent=intake.signals.intent.intent,
            assessment=intake.assessment,
            misses=misses,
            missed=missed,
            now=now,
        )
        if reason is None:
            return None
        ref, created = await desk.start(
            unit.session, unit.customer, reason, intake.assessment, misses=misses, now=now
        )
        if not created:  # opened by someone else: this message is answered, the next relayed
            desk.opened(ref)
            return None
        return ref

    async def _hand_over(
        self,
        unit: _Unit,
        ref: HandoffRef,
        intake: Intake,
        lang: Lang,
        at: datetime,
        started: float,
    ) -> Turn:
        """The handoff is committed: post the card, then tell the customer a person is
        coming — or, when the operators could not be reached, that nobody can answer now."""
        desk = self.handoff
        assert desk is not None
        customer, pipeline = unit.customer, self.pipeline
        if lang not in (Lang.RU, Lang.EN):
            lang = customer_language(customer, self.default_language)
        try:
            # The card shows the bot's latest replies: those still queued are written first.
            await self.reply_log.flush()
            post = await desk.post_card(unit.session, ref, customer, intake.assessment)
            if post is not None:
                ref = await desk.record_card(unit.session, ref, post)
                text = desk.notice(lang)
            else:
                await desk.give_up(unit.session, ref, self.clock())
                text = desk.nobody(lang)
            await unit.commit()
            if post is not None:
                desk.opened(ref)
            else:
                desk.ended(unit.customer_id)
            reply_at = later(at, started)
            pipeline.observe_reply(customer, intake.state, text, reply_at)
            if intake.dialog is not None:
                intake.dialog.replied(text)
        finally:
            pipeline.save_profile(customer, intake.state, intake.assessment, at, intake.dialog)
        features = {"path": "handoff", "handoff": ref.reason if post else "unreachable"}
        delivery = await self._deliver(unit, text, reply_at, features=features)
        return Turn(True, intake.signals, intake.timing, intake.assessment, text, delivery)

    async def _to_operators(
        self, unit: _Unit, held: HandoffRef, incoming: IncomingMessage, intake: Intake
    ) -> Turn:
        """A person holds the dialog: the message is recorded and profiled as always, and
        goes to the operator chat instead of being answered."""
        desk = self.handoff
        assert desk is not None
        customer = unit.customer
        await unit.work.signal(customer, intake.assessment)
        await unit.commit()
        self.pipeline.save_profile(
            customer, intake.state, intake.assessment, as_utc(incoming.sent_at)
        )
        posted = await desk.relay(held, customer, incoming.text)
        if posted:  # an operator's reply to the relayed message finds the handoff
            await desk.record_posts(unit.session, held, posted)
            await unit.commit()
        return Turn(True, intake.signals, intake.timing, intake.assessment, None, None)

    async def _from_operator(
        self, unit: _Unit, ref: HandoffRef, message: OperatorMessage
    ) -> OperatorOutcome:
        desk = self.handoff
        assert desk is not None
        now = self.clock()
        await desk.take(unit.session, ref, message, now)
        text = escape(message.text, quote=False)
        await self._observe_out(unit, text, now)
        await unit.commit()
        features = {"path": "operator", "operator_id": message.operator_id, "handoff": ref.id}
        result = await self._deliver(unit, text, now, features=features)
        if result.sent:
            return OperatorOutcome.RELAYED
        if result.status is SendStatus.BLOCKED:
            await desk.answer(message, "handoff.note.blocked")
        else:
            error = result.error or result.status.value
            await desk.answer(message, "handoff.note.undelivered", error=error)
        return OperatorOutcome.UNDELIVERED

    async def _give_back(
        self, unit: _Unit, ref: HandoffRef, message: OperatorMessage
    ) -> OperatorOutcome:
        """/done: the handoff is closed, the customer told (and asked to rate the help, when
        an operator gave some), the operators told."""
        desk = self.handoff
        assert desk is not None
        now = self.clock()
        await desk.close(unit.session, ref, now)
        text = t("handoff.closed", await self._speaks(unit))
        await self._observe_out(unit, text, now)
        await unit.commit()
        desk.ended(unit.customer_id)
        await self._deliver(unit, text, now, features={"path": "handoff", "handoff": "closed"})
        try:  # the customer may rate the person's help (`bot.conversation.csat_events`)
            await self._ask_after_handback(unit, ref, now)
        except Exception:  # the dialog is given back either way; the operators are told
            log.exception("the survey after handoff %s failed", ref.id)
            await unit.session.rollback()
        await desk.answer(message, "handoff.note.closed", name=display_name(who_of(unit.customer)))
        return OperatorOutcome.CLOSED

    async def _speaks(self, unit: _Unit) -> Lang:
        """The language the customer writes in (their app's before they wrote anything)."""
        customer = unit.customer
        if not customer.profiling_opt_out:
            state = await unit.work.profile(customer)
            if state.messages_total and state.lang in (Lang.RU, Lang.EN):
                return state.lang
        return customer_language(customer, self.default_language)
