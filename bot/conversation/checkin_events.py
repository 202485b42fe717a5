"""The core's entrances for proactive check-ins: planning from a customer's message, sending
a due check-in (called by the sweeper with a check-in it claimed), and recording outcomes.
A mixin of `Conversation` (`bot.conversation.core`).

Sending is one unit in the customer's turn: the policy is checked again with fresh facts
(consent, opt-out, block, a person holding the dialog, the cap, quiet hours — a delayed sweep
must not wake anyone), the text is composed for this customer, then it goes out through the
channel's proactive path (its own budget; customers' replies first) and every attempt's
outcome is recorded on the check-in. A 403 marks the customer blocked and cancels the rest.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from html import escape
from typing import TYPE_CHECKING

from bot.channels.sender import Markup, Sender, SendResult, SendStatus
from bot.checkins.config import LEASE_S, OUTCOME_WINDOW_S
from bot.checkins.content import compose_checkin
from bot.checkins.planner import plan_triggers, triggers_for
from bot.checkins.policy import LATER, Verdict, decide
from bot.checkins.slots import next_slot
from bot.checkins.triggers import Facts
from bot.clock import Clock, as_utc
from bot.conversation.identify import customer_language
from bot.conversation.pipeline import Intake, MessagePipeline
from bot.conversation.reply_log import ReplyLog
from bot.handoff.service import HandoffDesk
from bot.replies.base import ReplyContext
from bot.replies.knowledge import Knowledge
from profiling.assess.segments import Segment
from profiling.profile.active_hours import good_week_slots
from profiling.types import Intent, Lang
from storage.db import SessionFactory
from storage.models import Customer
from storage.models.checkin import Checkin
from storage.repositories import checkins
from storage.repositories.messages import Outgoing

if TYPE_CHECKING:
    from bot.conversation.core import _Unit
    from bot.conversation.turns import CustomerTurns

log = logging.getLogger(__name__)

# The data of the "don't message me first" button under a check-in.
STOP_CHECKINS = "checkins:stop"
# Check-ins sent at once by one sweep (the channel's proactive budget paces them anyway).
SEND_CONCURRENCY = 8
# Conversation triggers are re-planned from each message (the customer's last word).
_CONVERSATION_KINDS = frozenset({"doubting", "quiet", "problem"})


@dataclass(frozen=True, slots=True)
class Sweep:
    claimed: int
    lost: int
    outcomes: dict[str, int]


class CheckinEvents:
    pipeline: MessagePipeline
    senders: dict[str, Sender]
    reply_log: ReplyLog
    session_factory: SessionFactory
    turns: CustomerTurns
    clock: Clock
    default_language: Lang
    handoff: HandoffDesk | None
    knowledge: Knowledge | None

    # -- planning and outcomes, inside a message's unit ------------------------------------

    async def _checkins_on_message(
        self, unit: _Unit, intake: Intake, context: ReplyContext | None, at: datetime
    ) -> None:
        """A reply after a check-in is its outcome; what the customer says now may call for
        a check-in later (a doubt left open, a problem, interest gone quiet)."""
        config = self.pipeline.checkins
        customer = unit.customer
        if config is None or not config.enabled:
            return
        if intake.timing.new_dialog:
            # A check-in is answered by a new dialog (it came after a silence).
            await checkins.record_outcome(
                unit.session, unit.customer_id, outcome="replied", at=at, within_s=OUTCOME_WINDOW_S
            )
        if customer.checkins_opt_out or intake.assessment is None:
            return
        assessment = intake.assessment
        intent = intake.signals.intent.intent
        problem = assessment.segments.get(Segment.RETURNING_WITH_PROBLEM)
        facts = Facts(
            now=at,
            orders=tuple(context.orders) if context is not None else (),
            last_customer_message_at=at,
            assessment=assessment,
            open_problem=intent is Intent.COMPLAINT
            or (problem is not None and problem.value >= 0.5 and intent is Intent.OTHER),
        )
        triggers = [t for t in triggers_for(facts, config) if t.kind in _CONVERSATION_KINDS]
        await plan_triggers(
            unit.session,
            customer_id=unit.customer_id,
            state=intake.state,
            triggers=triggers,
            config=config,
            now=at,
        )

    async def sweep_checkins(
        self,
        *,
        now: datetime,
        instance: str,
        batch: int,
        stale_after_s: float,
        lease_s: float = LEASE_S,
    ) -> Sweep:
        """One sweep: check-ins a dead process held are recorded lost (never resent), due ones
        are claimed atomically (one per customer; stale ones skipped), then sent through the
        core, a few at a time (the channel paces them)."""
        async with self.session_factory() as session:
            lost = await checkins.mark_lost(session, now)
            claimed = await checkins.claim_due(
                session,
                now,
                instance=instance,
                lease_s=lease_s,
                limit=batch,
                stale_after_s=stale_after_s,
            )
            await session.commit()
        outcomes: dict[str, int] = {}
        slots = asyncio.Semaphore(SEND_CONCURRENCY)

        async def send(row: Checkin) -> None:
            async with slots:
                try:
                    status = await self.on_checkin_due(row, instance=instance)
                except Exception:  # one check-in's failure must not stop the others
                    log.exception("check-in %s failed", row.id)
                    status = "error"
            outcomes[status] = outcomes.get(status, 0) + 1

        await asyncio.gather(*(send(row) for row in claimed))
        if claimed or lost:
            log.info("check-ins: %d claimed, %d lost, outcomes %s", len(claimed), lost, outcomes)
        return Sweep(len(claimed), lost, outcomes)

    # -- sending a due check-in ---------------------------------------------------------------

    async def on_checkin_due(self, row: Checkin, *, instance: str) -> str:
        """Send (or skip) a check-in this process claimed; returns how it ended."""
        async with self.session_factory() as session:
            customer = await session.get(Customer, row.customer_id)
            key = (customer.channel, customer.external_id) if customer is not None else None
        if key is None:
            return "cancelled"  # erased meanwhile: the row went with the customer
        async with self.turns.take(key):
            return await self._send_checkin(row, instance=instance)

    async def _send_checkin(self, row: Checkin, *, instance: str) -> str:
        config = self.pipeline.checkins
        now = as_utc(self.clock())
        checkin_id: int = row.id  # type: ignore[assignment]
        async with self.session_factory() as session:
            customer = await session.get(Customer, row.customer_id)
            if customer is None or config is None:
                return "cancelled"
            pipeline = self.pipeline
            held = (
                await self.handoff.held(session, row.customer_id)
                if self.handoff is not None
                else None
            )
            verdict = decide(
                customer,
                now=now,
                handoff_open=held is not None,
                sent_recently=await checkins.sent_since(
                    session, row.customer_id, now - timedelta(days=7)
                ),
                last_sent_at=await checkins.last_sent(session, row.customer_id),
                max_per_week=config.max_per_week,
                min_gap_hours=config.min_gap_hours,
                holdout_gets_checkins=config.holdout_gets_checkins,
                consent_mode=config.consent_mode,
                consent_version=config.consent_version,
                due_at=as_utc(row.due_at),
                stale_after_s=config.stale_after_s,
                utc_offset_minutes=config.utc_offset_minutes,
                quiet_start=config.quiet_start,
                quiet_end=config.quiet_end,
            )
            returned = (
                customer.last_seen_at is not None
                and row.trigger in _CONVERSATION_KINDS
                and as_utc(customer.last_seen_at) > as_utc(row.planned_at) + timedelta(minutes=1)
            )
            if returned:
                # They wrote after it was planned and that message called for nothing.
                verdict = Verdict(send=False, reason="customer_returned")
            if not verdict.send:
                await checkins.finish(
                    session,
                    checkin_id,
                    status="skipped",
                    at=now,
                    skip_reason=verdict.reason,
                    instance=instance,
                )
                if verdict.reason in LATER:
                    await self._plan_again(session, row, customer, now)
                await session.commit()
                return f"skipped:{verdict.reason}"
            state = await pipeline.profiles.load(session, row.customer_id)
            assessment = (
                pipeline.engine.assess(state, now.timestamp()) if state is not None else None
            )
            lang = customer_language(customer, self.default_language)
            if state is not None and state.messages_total and state.lang in (Lang.RU, Lang.EN):
                lang = state.lang
            advice = assessment.advice if assessment is not None and not customer.holdout else None
            message = compose_checkin(
                row.trigger,
                row.detail or {},
                lang=lang,
                length=advice.length if advice is not None else "medium",
                formal=advice.formal if advice is not None else True,
                knowledge=self.knowledge,
                first_name=customer.first_name,
            )
            address, channel = customer.address, customer.channel
            await session.commit()
        sender = self.senders.get(channel)
        text = escape(message.text, quote=False)
        if sender is None or address is None:
            result = SendResult(SendStatus.REJECTED, error="no address")
        else:
            result = await sender.send_proactive(
                address, text, markup=Markup.choices((message.stop_label, STOP_CHECKINS))
            )
        return await self._record_delivery(row, result, text, instance=instance)

    async def _plan_again(
        self, session: object, row: Checkin, customer: Customer, now: datetime
    ) -> None:
        """A check-in that may go later (quiet hours, a person holding the dialog, the cap):
        planned again at the customer's next good hour, a day on at the latest."""
        config = self.pipeline.checkins
        assert config is not None
        state = await self.pipeline.profiles.load(session, row.customer_id)  # type: ignore[arg-type]
        week = sorted(good_week_slots(state.week_hours)) if state is not None else []
        slot = next_slot(
            now=now,
            active_hours_of_week=week,
            utc_offset_minutes=config.utc_offset_minutes,
            quiet_start=config.quiet_start,
            quiet_end=config.quiet_end,
            earliest=now + timedelta(hours=1),
        )
        await checkins.plan(
            session,  # type: ignore[arg-type]
            customer_id=row.customer_id,
            trigger=row.trigger,
            due_at=slot.at,
            slot_reason=f"postponed: {slot.reason}",
            detail=row.detail,
            now=now,
        )

    async def _record_delivery(
        self, row: Checkin, result: SendResult, text: str, *, instance: str
    ) -> str:
        """Every attempt's outcome on the check-in; a block marks the customer and cancels
        their other check-ins (a message from them unblocks)."""
        now = as_utc(self.clock())
        checkin_id: int = row.id  # type: ignore[assignment]
        outcome = {
            SendStatus.SENT: "sent",
            SendStatus.BLOCKED: "blocked",
            SendStatus.REJECTED: "rejected",
        }.get(result.status, "retry_after" if result.retry_after_s else "failed")
        async with self.session_factory() as session:
            await checkins.record_attempt(
                session, checkin_id, at=now, outcome=outcome, error=result.error
            )
            status = "sent" if result.sent else "failed"
            await checkins.finish(
                session,
                checkin_id,
                status=status,
                at=now,
                message_id=result.external_id,
                instance=instance,
            )
            if result.status is SendStatus.BLOCKED:
                customer = await session.get(Customer, row.customer_id)
                if customer is not None:
                    customer.blocked = True
                await checkins.cancel_for(session, row.customer_id, reason="blocked", now=now)
            await session.commit()
        if result.sent:
            self.reply_log.record(
                Outgoing(
                    customer_id=row.customer_id,
                    text=text,
                    created_at=now,
                    status=result.status.value,
                    external_id=result.external_id,
                    features={"path": "checkin", "trigger": row.trigger, "checkin": checkin_id},
                )
            )
        return status
