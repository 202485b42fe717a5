"""The core's entrances for CSAT in the chat: the sweep that asks customers whose dialog ended
(`sweep_surveys`), the question after an operator's /done (`_ask_after_handback`), a press on a
rating button (`on_csat_rating`), and the answer to "what went wrong?" after a low rating
(`_csat_comment`, a step of `on_message`). A mixin of `Conversation`
(`bot.conversation.core`): the same unit of work, the same turns, the same delivery.

Asking is one unit in the customer's turn: the facts are read again (the dialog is still their
latest and really ended; `bot.csat.policy` with the customer as this process knows them), the
survey row is created — INSERT … ON CONFLICT DO NOTHING on the unique dialog id, so of two
processes only one asks — and committed; then the question goes out through the channel's
proactive path (its own budget, customers' replies first) with the buttons 1 … 5, and the
message id is stored. A 403 marks the customer blocked.

A rating is recorded once (the first press wins, `storage.repositories.surveys`). A low one
(≤ LOW_RATING) asks what went wrong and, when a CRM listens, enqueues `customer.unhappy` in the
same transaction; the customer's next message within CSAT_FOLLOW_UP_MINUTES is their comment:
stored on the survey, still recorded and profiled as their message (it is their words), thanked
for instead of answered, and sent to the CRM in a second `customer.unhappy`. Which customers
have such a question open is kept in memory (`bot.csat.follow_ups`), so the other messages
pay a dictionary lookup for it and no query.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.channels.sender import Sender
from bot.checkins.slots import local_hour_quiet
from bot.clock import Clock, as_utc, later
from bot.conversation.contact import Contact, IncomingMessage
from bot.conversation.identify import CustomerDirectory
from bot.conversation.pipeline import Intake, MessagePipeline
from bot.conversation.turn import Turn
from bot.csat.config import ANSWER_WITHIN, SEND_CONCURRENCY, CsatConfig
from bot.csat.follow_ups import FollowUps
from bot.csat.keyboard import rating_markup
from bot.csat.policy import may_ask
from bot.handoff.service import HandoffDesk
from bot.handoff.values import HandoffRef
from bot.signals.events import SignalType
from bot.signals.outbox import enqueue, iso_timestamp
from bot.signals.payloads import customer_block
from bot.texts.catalog import t
from profiling.types import Lang
from storage.db import SessionFactory
from storage.models import Customer, Survey
from storage.models.analytics import (
    LOW_RATING,
    MAX_COMMENT_CHARS,
    SURVEY_HANDBACK,
    SURVEY_INACTIVITY,
)
from storage.models.handoff import ACTIVE
from storage.repositories import dialogs, surveys
from storage.repositories.outbox import linked_shop_id
from storage.repositories.surveys import Candidate

if TYPE_CHECKING:
    from bot.conversation.core import _Unit

log = logging.getLogger(__name__)

UNHAPPY_REASON = "low_csat"


class CsatEvents:
    csat: CsatConfig | None
    follow_ups: FollowUps
    pipeline: MessagePipeline
    directory: CustomerDirectory
    senders: dict[str, Sender]
    session_factory: SessionFactory
    clock: Clock
    default_language: Lang
    handoff: HandoffDesk | None

    def _csat_setup(self, config: CsatConfig | None) -> None:
        """Called once by `Conversation.__init__`. None: no survey is ever asked (ratings
        on buttons sent before are still taken)."""
        self.csat = config
        self.follow_ups = FollowUps()
        self._follow_ups_loading = asyncio.Lock()

    def _csat_config(self) -> CsatConfig:
        return self.csat if self.csat is not None else CsatConfig.default()

    # -- asking ---------------------------------------------------------------------------

    async def sweep_surveys(self, now: datetime) -> int:
        """One sweep (the scheduler's `csat` job): ask every customer whose latest dialog
        ended at least CSAT_AFTER_MINUTES ago (and not longer than CSAT_MAX_AGE_HOURS ago),
        a few at a time; returns how many were asked. Nothing in the quiet hours: those
        dialogs are asked about in the morning."""
        config = self.csat
        now = as_utc(now)
        if config is None or not config.enabled or self._quiet(config, now):
            return 0
        async with self.session_factory() as session:
            found = await surveys.candidates(
                session,
                now=now,
                after=config.after,
                max_age=config.max_age,
                min_messages=config.min_messages,
                min_gap=config.min_gap,
                limit=config.batch,
            )
        outcomes: dict[str, int] = {}
        slots = asyncio.Semaphore(SEND_CONCURRENCY)

        async def ask(candidate: Candidate) -> None:
            async with slots:
                try:
                    outcome = await self._ask_after_silence(candidate, now)
                except Exception:  # one customer's failure must not stop the others
                    log.exception("survey for dialog %s failed", candidate.dialog_id)
                    outcome = "error"
            outcomes[outcome] = outcomes.get(outcome, 0) + 1

        await asyncio.gather(*(ask(candidate) for candidate in found))
        if found:
            log.info("csat: %d candidates, outcomes %s", len(found), outcomes)
        return outcomes.get("sent", 0)

    async def _ask_after_silence(self, candidate: Candidate, now: datetime) -> str:
        """Ask one candidate of the sweep, in their turn, with the facts read again."""
        config = self._csat_config()
        contact = Contact(candidate.channel, candidate.external_id)
        async with self._unit(contact, seen=False) as unit:  # type: ignore[attr-defined]
            session, customer_id = unit.session, unit.customer_id
            if unit.created:  # erased since the candidates were read: nobody to ask
                await session.rollback()
                self.directory.forget(contact.key)
                return "gone"
            dialog = await dialogs.latest_before(session, customer_id, now)
            last = await dialogs.last_incoming_before(session, customer_id, now)
            if dialog is None or dialog.id != candidate.dialog_id:
                await session.rollback()
                return "moved_on"  # they started another dialog meanwhile
            if last is None or not config.after <= now - as_utc(last) <= config.max_age:
                await session.rollback()
                return "not_ended"
            said = await surveys.dialog_messages(session, customer_id, dialog)
            return await self._ask(
                unit, candidate.dialog_id, SURVEY_INACTIVITY, now, said=said, proactive=True
            )

    async def _ask_after_handback(self, unit: _Unit, ref: HandoffRef, now: datetime) -> str:
        """An operator's /done, right after the closing message: ask about the dialog the
        person took part in — when a person did take part (an operator answered)."""
        config = self.csat
        if config is None or not config.enabled:
            return "off"
        if ref.status != ACTIVE:
            return "skipped:no_operator"  # nobody answered: there is no one's help to rate
        dialog = await dialogs.latest_before(unit.session, unit.customer_id, now)
        if dialog is None or dialog.id is None:
            await unit.session.rollback()
            return "skipped:no_dialog"
        return await self._ask(unit, dialog.id, SURVEY_HANDBACK, now, said=0, proactive=False)

    async def _ask(
        self,
        unit: _Unit,
        dialog_id: int,
        trigger: str,
        now: datetime,
        *,
        said: int,
        proactive: bool,
    ) -> str:
        """The policy, the survey row (committed), then the question with its buttons."""
        config = self._csat_config()
        session, customer = unit.session, unit.customer
        desk = self.handoff
        held = await desk.held(session, unit.customer_id) if desk is not None else None
        asked = trigger == SURVEY_HANDBACK and await surveys.for_dialog(session, dialog_id)
        verdict = may_ask(
            customer,
            trigger=trigger,
            handoff_open=held is not None,
            asked=bool(asked),
            customer_messages=said,
            min_messages=config.min_messages,
            quiet_hours=self._quiet(config, now),
            asked_recently=await surveys.asked_since(
                session, unit.customer_id, as_utc(now) - config.min_gap
            ),
        )
        if not verdict.ask:
            await session.rollback()
            return f"skipped:{verdict.reason}"
        if customer.address is None or self.senders.get(customer.channel) is None:
            await session.rollback()
            return "skipped:unreachable"
        survey_id = await surveys.create(
            session,
            customer_id=unit.customer_id,
            dialog_id=dialog_id,
            trigger=trigger,
            asked_at=now,
        )
        if survey_id is None:  # another process asked a moment ago
            await session.rollback()
            return "skipped:asked"
        lang = await self._speaks(unit)  # type: ignore[attr-defined]
        key = "csat.question.handback" if trigger == SURVEY_HANDBACK else "csat.question"
        text = t(key, lang)
        await unit.commit()
        result = await self._deliver(  # type: ignore[attr-defined]
            unit,
            text,
            now,
            rating_markup(survey_id),
            features={"path": "csat", "survey": survey_id, "trigger": trigger},
            proactive=proactive,
        )
        if result.sent:
            await surveys.set_message(session, survey_id, result.external_id)
            await unit.commit()
            return "sent"
        return str(result.status.value)

    @staticmethod
    def _quiet(config: CsatConfig, now: datetime) -> bool:
        return local_hour_quiet(
            now, config.utc_offset_minutes, config.quiet_start, config.quiet_end
        )

    # -- the answers ----------------------------------------------------------------------

    async def on_csat_rating(
        self, contact: Contact, pressed: IncomingMessage, survey_id: int, rating: int
    ) -> str | None:
        """A press on a rating button of survey `survey_id`: recorded if it is this
        customer's survey and its first rating, then thanked for in the chat (a low rating
        asks what went wrong). Returns a short note for the press itself when the press
        does not count (rated already, not theirs, too old), else None."""
        config = self._csat_config()
        if not 1 <= rating <= 5:
            raise ValueError(f"a rating is 1-5, got {rating}")
        async with self._unit(contact, pressed) as unit:  # type: ignore[attr-defined]
            session, customer_id = unit.session, unit.customer_id
            if not await self.pipeline.record_command(session, unit.customer, pressed):
                await session.rollback()  # the same press delivered twice: handled once
                return None
            now = as_utc(self.clock())
            lang = await self._speaks(unit)  # type: ignore[attr-defined]
            survey = await surveys.get(session, survey_id)
            note: str | None = None
            if survey is None or survey.customer_id != customer_id:
                note = "csat.not_yours"
            elif survey.rating is not None:
                note = "csat.already"
            elif now - as_utc(survey.asked_at) > ANSWER_WITHIN:
                note = "csat.expired"
            low = rating <= LOW_RATING
            until = now + config.follow_up if low else None
            if note is None and not await surveys.record_rating(
                session,
                survey_id,
                customer_id=customer_id,
                rating=rating,
                at=now,
                follow_up_until=until,
            ):
                note = "csat.already"  # another process took a press a moment ago
            if note is not None:
                await unit.commit()  # the press stays in the log
                return t(note, lang)
            assert survey is not None
            if low and config.crm:
                await self._unhappy(session, unit.customer, survey, rating=rating, now=now)
            text = t("csat.thanks_low" if low else "csat.thanks", lang)
            await self._observe_out(unit, text, now)  # type: ignore[attr-defined]
            await unit.commit()
            if until is not None:
                self.follow_ups.opened(customer_id, survey_id, until)
            await self._deliver(  # type: ignore[attr-defined]
                unit, text, now, features={"path": "csat", "survey": survey_id, "rating": rating}
            )
            return None

    async def _csat_comment(
        self, unit: _Unit, incoming: IncomingMessage, intake: Intake, started: float
    ) -> Turn | None:
        """A step of `on_message`, after the message is recorded and profiled: if this
        customer's "what went wrong?" is open, the message is its answer — kept on the
        survey, sent to the CRM, thanked for — and the Turn is returned; else None (the
        common case: one dictionary lookup, no query)."""
        follow_ups = self.follow_ups
        if not follow_ups.loaded:
            await self._load_follow_ups(unit.session)
        now = as_utc(self.clock())
        waiting = follow_ups.waiting(unit.customer_id, now)
        if waiting is None:
            return None
        session, customer = unit.session, unit.customer
        if not await surveys.record_comment(session, waiting.survey_id, incoming.text, now):
            follow_ups.closed(unit.customer_id)  # answered or closed elsewhere: a message
            return None
        survey = await surveys.get(session, waiting.survey_id)
        if survey is not None and survey.rating is not None and self._csat_config().crm:
            await self._unhappy(
                session, customer, survey, rating=survey.rating, now=now, comment=incoming.text
            )
        await unit.work.signal(customer, intake.assessment)
        lang = intake.signals.lang
        if lang not in (Lang.RU, Lang.EN):
            lang = await self._speaks(unit)  # type: ignore[attr-defined]
        at = as_utc(incoming.sent_at)
        # An unhappy customer who asks for a person in the same breath gets one.
        handoff = (
            await self._call_person(unit, intake, missed=False)  # type: ignore[attr-defined]
            if self.handoff is not None and incoming.answer
            else None
        )
        if handoff is not None:
            follow_ups.closed(unit.customer_id)
            return await self._hand_over(  # type: ignore[attr-defined, no-any-return]
                unit, handoff, intake, lang, at, started
            )
        text = t("csat.comment_thanks", lang)
        await unit.commit()
        follow_ups.closed(unit.customer_id)
        reply_at = later(at, started)
        pipeline = self.pipeline
        try:
            pipeline.observe_reply(customer, intake.state, text, reply_at)
        finally:
            pipeline.save_profile(customer, intake.state, intake.assessment, at)
        delivery = None
        if incoming.answer:
            delivery = await self._deliver(  # type: ignore[attr-defined]
                unit, text, reply_at, features={"path": "csat", "survey": waiting.survey_id}
            )
        return Turn(True, intake.signals, intake.timing, intake.assessment, text, delivery)

    async def _load_follow_ups(self, session: AsyncSession) -> None:
        """The follow-up questions open in the database, read once per process."""
        async with self._follow_ups_loading:
            if self.follow_ups.loaded:
                return
            self.follow_ups.load(await surveys.open_follow_ups(session, as_utc(self.clock())))

    async def _unhappy(
        self,
        session: AsyncSession,
        customer: Customer,
        survey: Survey,
        *,
        rating: int,
        now: datetime,
        comment: str | None = None,
    ) -> None:
        """`customer.unhappy` for a low rating (and again with the comment), in the
        transaction that records it."""
        customer_id: int = customer.id  # type: ignore[assignment]
        block: dict[str, Any] = {
            "id": survey.id,
            "trigger": survey.trigger,
            "rating": rating,
            "dialog_id": survey.dialog_id,
            "asked_at": iso_timestamp(survey.asked_at),
        }
        if comment is not None:
            block["comment"] = comment[:MAX_COMMENT_CHARS]
        await enqueue(
            session,
            event_type=SignalType.CUSTOMER_UNHAPPY,
            customer_id=customer_id,
            data={
                "signal": str(SignalType.CUSTOMER_UNHAPPY),
                "reason": UNHAPPY_REASON,
                "customer": customer_block(customer, await linked_shop_id(session, customer_id)),
                "survey": block,
            },
            now=now,
        )
