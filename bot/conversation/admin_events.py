"""The core's entrances for an admin acting on a customer from their card: correcting a
segment label (feedback the profile takes as an override, and a row kept for evaluating the
segments), and handing the customer to an operator. A mixin of `Conversation`.

Both are units of work like any other: the customer's turn, one transaction, the commit, then
the network (the operators' card). `seen=False`: an admin looking is not the customer writing.
"""

from __future__ import annotations

import logging
from enum import StrEnum
from typing import TYPE_CHECKING

from bot.clock import Clock
from bot.conversation.contact import Contact
from bot.conversation.pipeline import MessagePipeline
from bot.conversation.reply_log import ReplyLog
from bot.handoff.service import HandoffDesk
from profiling.assess.segments import Segment
from storage.db import SessionFactory
from storage.models import Customer, SegmentFeedback
from storage.models.handoff import REASON_ADMIN

if TYPE_CHECKING:
    from bot.conversation.core import _Unit
    from bot.conversation.turns import CustomerTurns

log = logging.getLogger(__name__)


class _Erased(Exception):
    """The customer was erased after the admin's look-up: the unit is rolled back (and the
    directory forgets the row it would have re-created)."""


class Correction(StrEnum):
    RECORDED = "recorded"
    NO_PROFILE = "no_profile"  # no consent or an objection to profiling: nothing to correct
    GONE = "gone"  # erased meanwhile


class Handover(StrEnum):
    OPENED = "opened"
    ALREADY = "already"  # a person holds the dialog, or is awaited
    UNAVAILABLE = "unavailable"  # OPERATOR_CHAT_ID is not set
    UNREACHABLE = "unreachable"  # the card could not be posted
    GONE = "gone"


class AdminEvents:
    session_factory: SessionFactory
    pipeline: MessagePipeline
    handoff: HandoffDesk | None
    reply_log: ReplyLog
    turns: CustomerTurns
    clock: Clock

    async def _contact_of(self, customer_id: int) -> Contact | None:
        async with self.session_factory() as session:
            customer = await session.get(Customer, customer_id)
            return Contact(customer.channel, customer.external_id) if customer else None

    async def correct_segment(
        self, customer_id: int, segment: Segment, *, belongs: bool, admin_id: str
    ) -> Correction:
        """An admin says the customer is (`belongs`) or is not in `segment`: the profile is
        pinned near 1 or 0 for it (the pin yields to the customer's later messages), and the
        label is kept in `segment_feedback`."""
        contact = await self._contact_of(customer_id)
        if contact is None:
            return Correction.GONE
        try:
            return await self._correct(contact, segment, belongs=belongs, admin_id=admin_id)
        except _Erased:
            return Correction.GONE

    async def _correct(
        self, contact: Contact, segment: Segment, *, belongs: bool, admin_id: str
    ) -> Correction:
        async with self._unit(contact, seen=False) as unit:  # type: ignore[attr-defined]
            customer = unit.customer
            if unit.created:
                raise _Erased  # between the look-up and the turn: not brought back
            if not self.pipeline.profiling_allowed(customer):
                await unit.session.rollback()
                return Correction.NO_PROFILE
            now = self.clock()
            state = await unit.work.profile(customer)
            self.pipeline.engine.override(state, segment, 1.0 if belongs else 0.0, now.timestamp())
            unit.work.assessed(customer, self.pipeline.assess(customer, state, now))
            unit.session.add(
                SegmentFeedback(
                    customer_id=unit.customer_id,
                    segment=segment.value,
                    value=1.0 if belongs else 0.0,
                    by=admin_id,
                    at=now,
                )
            )
            await unit.commit()
            log.info(
                "admin %s corrected customer %d: %s=%s",
                admin_id,
                unit.customer_id,
                segment,
                belongs,
            )
        return Correction.RECORDED

    async def hand_to_operator(self, customer_id: int) -> Handover:
        """Open a handoff for the customer (reason "admin") and post its card to the
        operators. The customer is not told: the operator writes first."""
        desk = self.handoff
        if desk is None:
            return Handover.UNAVAILABLE
        contact = await self._contact_of(customer_id)
        if contact is None:
            return Handover.GONE
        try:
            async with self._unit(contact, seen=False) as unit:  # type: ignore[attr-defined]
                if unit.created:
                    raise _Erased  # between the look-up and the turn: not brought back
                return await self._open_admin_handoff(unit, desk)
        except _Erased:
            return Handover.GONE

    async def _open_admin_handoff(self, unit: _Unit, desk: HandoffDesk) -> Handover:
        customer, pipeline = unit.customer, self.pipeline
        now = self.clock()
        assessment = None
        if pipeline.profiling_allowed(customer):
            assessment = pipeline.assess(customer, await unit.work.profile(customer), now)
        ref, created = await desk.start(
            unit.session, customer, REASON_ADMIN, assessment, misses=0, now=now
        )
        if not created:
            await unit.session.rollback()
            return Handover.ALREADY
        await unit.commit()
        # The card shows the bot's latest replies: those still queued are written first.
        await self.reply_log.flush()
        post = await desk.post_card(unit.session, ref, customer, assessment)
        if post is None:
            await desk.give_up(unit.session, ref, self.clock())
            await unit.commit()
            desk.ended(unit.customer_id)
            return Handover.UNREACHABLE
        ref = await desk.record_card(unit.session, ref, post)
        await unit.commit()
        desk.opened(ref)
        return Handover.OPENED
