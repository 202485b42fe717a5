"""`HandoffDesk`: what the conversation core calls for human handoff.

Inside the core's unit of work (the caller's session; nothing here commits): whether the
customer's dialog is held by a person, whether to call one, opening a handoff (with its
`handoff.requested` CRM event in the same transaction), finding the handoff an operator's
message is about, taking and ending one. After the core's commit: the posts in the operator
chat — the card (in the customer's forum topic when OPERATOR_TOPICS is on), the customer's
messages, short notes — whose message ids the core then records in a short transaction.

Which customers have an open handoff is kept in memory (a bounded LRU, read from the
database on a customer's first message after a start), so a message costs no extra query;
like the profile cache this assumes one process serves the bot, and the core updates it
after each commit that opens or ends a handoff.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.channels.sender import StaffChat
from bot.clock import as_utc
from bot.handoff.card import relay_text, render_card, topic_title, wait_words, why_text
from bot.handoff.facts import gather, who_of
from bot.handoff.triggers import AUTOMATIC, Thresholds, decide
from bot.handoff.values import HandoffRef, OperatorMessage
from bot.signals.events import SignalType
from bot.signals.outbox import enqueue, iso_timestamp
from bot.signals.payloads import customer_block, reasons_block, scores_block
from bot.texts.catalog import t
from profiling.assess.segments import Segment
from profiling.engine import Assessment
from profiling.types import Intent, Lang
from storage.models import Customer, Handoff
from storage.models.handoff import REASON_HOT_LEAD, REASON_IRRITATION
from storage.repositories import handoffs
from storage.repositories.outbox import linked_shop_id

log = logging.getLogger(__name__)

MEMORY = 20_000  # customers whose handoff state is remembered


@dataclass(frozen=True, slots=True)
class Found:
    """The handoff an operator's message is about, and whose turn to take for it."""

    handoff: HandoffRef
    channel: str
    external_id: str


@dataclass(frozen=True, slots=True)
class CardPost:
    message_ids: tuple[int, ...]  # the card (the first) and its continuation, if split
    thread_id: int | None


class HandoffDesk:
    def __init__(
        self,
        *,
        staff: StaffChat,
        chat: str,
        thresholds: Thresholds,
        timeout: timedelta,
        operator_language: Lang,
        topics: bool = False,
        utc_offset_minutes: int = 0,
        crm: bool = False,
        contacts: Callable[[Lang], str | None] | None = None,
    ) -> None:
        """`chat`: the operator chat in the channel's terms; `crm`: a CRM is configured
        (CRM_WEBHOOK_URL), so `handoff.requested` goes to the outbox; `contacts`: the
        shop's contacts in a language, told to a customer nobody picked up."""
        self.staff = staff
        self.chat = chat
        self.thresholds = thresholds
        self.timeout = timeout
        self.lang = operator_language
        self.topics = topics
        self.utc_offset_minutes = utc_offset_minutes
        self.crm = crm
        self.contacts = contacts
        # customer id -> their open handoff (None: none open), as last committed.
        self._open: OrderedDict[int, HandoffRef | None] = OrderedDict()

    # -- who is held by a person (memory) --------------------------------------------------

    async def held(self, session: AsyncSession, customer_id: int) -> HandoffRef | None:
        """The customer's open handoff, if any (a query only for a customer not in memory)."""
        if customer_id in self._open:
            self._open.move_to_end(customer_id)
            return self._open[customer_id]
        row = await handoffs.open_for(session, customer_id)
        ref = HandoffRef.of(row) if row is not None else None
        self._remember(customer_id, ref)
        return ref

    def opened(self, ref: HandoffRef) -> None:
        """Committed: the customer's dialog is held (or its card was recorded)."""
        self._remember(ref.customer_id, ref)

    def ended(self, customer_id: int) -> None:
        """Committed: the customer's handoff ended; the bot answers them again."""
        self._remember(customer_id, None)

    def _remember(self, customer_id: int, ref: HandoffRef | None) -> None:
        self._open[customer_id] = ref
        self._open.move_to_end(customer_id)
        if len(self._open) > MEMORY:
            self._open.popitem(last=False)

    # -- calling a person ------------------------------------------------------------------

    async def reason_for(
        self,
        session: AsyncSession,
        customer_id: int,
        *,
        intent: Intent,
        assessment: Assessment | None,
        misses: int,
        missed: bool,
        now: datetime,
    ) -> str | None:
        """Why to call a person for this message, or None (see `triggers.decide`). The
        customer's past handoffs are read only when an automatic trigger fires."""
        args: dict[str, Any] = {
            "intent": intent,
            "assessment": assessment,
            "misses": misses,
            "missed": missed,
            "thresholds": self.thresholds,
        }
        reason = decide(**args)
        if reason in AUTOMATIC:
            last = await self._last_ended(session, customer_id)
            reason = decide(**args, last_ended_at=last, now=as_utc(now))
        return reason

    async def _last_ended(self, session: AsyncSession, customer_id: int) -> datetime | None:
        for past in await handoffs.history(session, customer_id):
            if past.closed_at is not None:
                return as_utc(past.closed_at)
        return None

    async def start(
        self,
        session: AsyncSession,
        customer: Customer,
        reason: str,
        assessment: Assessment | None,
        *,
        misses: int,
        now: datetime,
    ) -> tuple[HandoffRef, bool]:
        """Open a waiting handoff, due `timeout` from now; returns it and whether this call
        opened it (False: one was open already — the caller relays instead)."""
        now = as_utc(now)
        why = why_text(reason, assessment, self.thresholds, misses, self.lang)
        row, created = await handoffs.start(
            session,
            customer_id=customer.id,  # type: ignore[arg-type]
            reason=reason,
            detail=why,
            at=now,
            deadline_at=now + self.timeout,
        )
        if created and self.crm:
            await self._requested(session, customer, row, assessment, now)
        return HandoffRef.of(row), created

    async def _requested(
        self,
        session: AsyncSession,
        customer: Customer,
        row: Handoff,
        assessment: Assessment | None,
        now: datetime,
    ) -> None:
        """The CRM's `handoff.requested`, in the transaction that opens the handoff."""
        customer_id: int = customer.id  # type: ignore[assignment]
        data: dict[str, Any] = {
            "handoff": {
                "id": row.id,
                "reason": row.reason,
                "detail": row.detail,
                "requested_at": iso_timestamp(row.requested_at),
                "deadline_at": iso_timestamp(row.deadline_at),
            },
            "customer": customer_block(customer, await linked_shop_id(session, customer_id)),
            "scores": scores_block(assessment) if assessment is not None else None,
            "reasons": [],
        }
        if assessment is not None:
            irritated = assessment.segments.get(Segment.IRRITATED)
            if row.reason == REASON_IRRITATION and irritated is not None:
                data["reasons"] = reasons_block(irritated, assessment.lang)
            elif row.reason == REASON_HOT_LEAD:
                data["reasons"] = reasons_block(assessment.hotness, assessment.lang)
        await enqueue(
            session,
            event_type=SignalType.HANDOFF_REQUESTED,
            customer_id=customer_id,
            data=data,
            now=now,
        )

    async def give_up(self, session: AsyncSession, ref: HandoffRef, now: datetime) -> bool:
        """The card could not reach the operators: end the handoff as nobody picked it up."""
        return await handoffs.close(
            session, ref.id, at=as_utc(now), by=handoffs.BY_TIMEOUT, status=handoffs.TIMED_OUT
        )

    # -- the card (after the commit) ------------------------------------------------------

    async def post_card(
        self,
        session: AsyncSession,
        ref: HandoffRef,
        customer: Customer,
        assessment: Assessment | None,
    ) -> CardPost | None:
        """Read the card's facts (in `session`) and post the card in the operator chat;
        None when the operators could not be reached."""
        why = ref.detail or why_text(ref.reason, assessment, self.thresholds, 0, self.lang)
        facts = await gather(session, customer, reason=ref.reason, why=why, assessment=assessment)
        thread_id, reused = (
            await self._topic_for(session, customer, ref) if self.topics else (None, False)
        )

        def card(in_topic: bool) -> str:
            return render_card(
                facts,
                self.lang,
                wait=self.timeout,
                topic=in_topic,
                utc_offset_minutes=self.utc_offset_minutes,
            )

        posted = await self.staff.post(self.chat, card(thread_id is not None), thread_id=thread_id)
        if not posted.sent and reused:
            # The customer's old topic was deleted meanwhile: a new one.
            thread_id = await self.staff.open_topic(self.chat, topic_title(who_of(customer)))
            posted = await self.staff.post(
                self.chat, card(thread_id is not None), thread_id=thread_id
            )
        if not posted.sent:
            log.error(
                "handoff %s: the card did not reach the operator chat %s: %s",
                ref.id,
                self.chat,
                posted.result.error,
            )
            return None
        return CardPost(posted.message_ids, thread_id)

    async def _topic_for(
        self, session: AsyncSession, customer: Customer, ref: HandoffRef
    ) -> tuple[int | None, bool]:
        """The customer's forum topic: the one their earlier handoff used, else a new one;
        and whether it was reused."""
        for past in await handoffs.history(session, ref.customer_id):
            if past.id != ref.id and past.thread_id is not None and past.chat_id == self.chat:
                return past.thread_id, True
        return await self.staff.open_topic(self.chat, topic_title(who_of(customer))), False

    async def record_card(
        self, session: AsyncSession, ref: HandoffRef, post: CardPost
    ) -> HandoffRef:
        card, *rest = post.message_ids
        await handoffs.set_card(session, ref.id, self.chat, card, post.thread_id)
        await self.record_posts(session, ref, rest)
        return replace(ref, chat_id=self.chat, thread_id=post.thread_id, card_message_id=card)

    async def record_posts(
        self, session: AsyncSession, ref: HandoffRef, message_ids: Sequence[int]
    ) -> None:
        for message_id in message_ids:
            await handoffs.add_post(session, ref.id, self.chat, message_id)

    # -- the operator chat (after the commit) ---------------------------------------------

    async def relay(self, ref: HandoffRef, customer: Customer, text: str) -> tuple[int, ...]:
        """Post a customer's message for the operators: in their topic, else as a reply
        to the card. The ids of what was posted (empty when it failed)."""
        body = relay_text(who_of(customer), text, self.lang)
        reply_to = None if ref.thread_id is not None else ref.card_message_id
        posted = await self.staff.post(self.chat, body, reply_to=reply_to, thread_id=ref.thread_id)
        if not posted.sent:
            log.warning(
                "handoff %s: a customer message was not relayed: %s", ref.id, posted.result.error
            )
        return posted.message_ids

    async def note(self, text: str, *, reply_to: int | None, thread_id: int | None) -> None:
        """A short line for the operators (best effort: a lost note loses no customer's
        word)."""
        posted = await self.staff.post(self.chat, text, reply_to=reply_to, thread_id=thread_id)
        if not posted.sent:
            log.warning("a note to the operator chat was not posted: %s", posted.result.error)

    async def answer(self, message: OperatorMessage, key: str, **params: object) -> None:
        """A note in reply to an operator's message, in the operators' language."""
        text = t(key, self.lang, **params)
        await self.note(text, reply_to=message.message_id, thread_id=message.thread_id)

    async def on_card(self, ref: HandoffRef, key: str, **params: object) -> None:
        """A note in reply to the handoff's card."""
        text = t(key, self.lang, **params)
        await self.note(text, reply_to=ref.card_message_id, thread_id=ref.thread_id)

    # -- an operator's message ------------------------------------------------------------

    async def find(self, session: AsyncSession, message: OperatorMessage) -> Found | None:
        """The handoff an operator's message is about: the one whose card or relayed
        message it replies to (whatever its status), else the open one of the forum topic it
        was written in."""
        if message.chat != self.chat:
            return None
        handoff = None
        if message.reply_to is not None:
            handoff = await handoffs.by_post(session, self.chat, message.reply_to)
        if handoff is None and message.thread_id is not None:
            handoff = await handoffs.open_by_thread(session, self.chat, message.thread_id)
        if handoff is None:
            return None
        customer = await session.get(Customer, handoff.customer_id)
        if customer is None:
            return None
        return Found(HandoffRef.of(handoff), customer.channel, customer.external_id)

    async def current(self, session: AsyncSession, handoff_id: int) -> HandoffRef | None:
        """The handoff as the database has it now (under the customer's turn)."""
        row = await session.get(Handoff, handoff_id, populate_existing=True)
        return HandoffRef.of(row) if row is not None else None

    async def take(
        self, session: AsyncSession, ref: HandoffRef, message: OperatorMessage, now: datetime
    ) -> bool:
        """The first operator to answer holds the dialog (waiting → active)."""
        return await handoffs.take(
            session,
            ref.id,
            operator_id=message.operator_id,
            operator_name=message.operator_name,
            at=as_utc(now),
        )

    async def close(self, session: AsyncSession, ref: HandoffRef, now: datetime) -> bool:
        """An operator's /done: the dialog is the bot's again."""
        return await handoffs.close(session, ref.id, at=as_utc(now), by=handoffs.BY_OPERATOR)

    # -- wording for the customer ---------------------------------------------------------

    def notice(self, lang: Lang) -> str:
        """A person is called: they answer here, usually within the timeout (a promise the
        sweeper keeps: after it the customer is told)."""
        return t("handoff.notice", lang, wait=wait_words(self.timeout, lang))

    def nobody(self, lang: Lang) -> str:
        """Nobody picked the dialog up: said honestly, with the shop's contacts if known."""
        text = t("handoff.timeout", lang)
        contacts = self.contacts(lang) if self.contacts is not None else None
        if contacts:
            text += t("handoff.timeout.contacts", lang, contacts=contacts)
        return text

    def wait(self) -> str:
        return wait_words(self.timeout, self.lang)
