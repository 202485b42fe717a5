"""The core's entrances for privacy: consent, /privacy, /mydata, /forget, the objection to
profiling and the opt-out of check-ins — each in the customer's turn, in its own
transaction, like every other event. A mixin of `Conversation` (`bot.conversation.core`).

Erasure is complete: every table (`storage.repositories.privacy.erase_customer`), the
in-memory customer, profile and dialog caches, the write-behind buffers (emptied before the
rows go, so nothing is written back), pending outbox events; then `customer.erased` to the
CRM and an erasure log entry that holds no personal data. The confirmation is sent without
being logged: there is no customer left to log it for.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession

from bot.channels.sender import Markup, Sender, SendResult, SendStatus
from bot.checkins.config import OUTCOME_WINDOW_S
from bot.clock import Clock, as_utc, later
from bot.conversation.contact import Contact, IncomingMessage
from bot.conversation.identify import CustomerDirectory, customer_language
from bot.conversation.pipeline import MessagePipeline
from bot.conversation.reply_log import ReplyLog
from bot.handoff.service import HandoffDesk
from bot.privacy.consent import should_ask
from bot.privacy.export import export_document, subject_hash
from bot.privacy.notice import privacy_notice
from bot.settings import Settings
from bot.signals.events import SignalType
from bot.signals.outbox import enqueue
from bot.texts.catalog import t
from profiling.types import Lang
from storage.models import Customer, ShopCustomer
from storage.models.privacy import (
    BY_CUSTOMER,
    BY_SHOP_API,
    REASON_CUSTOMER_REQUEST,
    REASON_SHOP_REQUEST,
)
from storage.repositories import checkins, privacy
from storage.repositories.messages import Outgoing

if TYPE_CHECKING:
    from bot.conversation.core import _Unit

log = logging.getLogger(__name__)

# The consent question is asked at most once a dialog (30 minutes of silence end one).
ASK_AGAIN_AFTER_S = 30 * 60
ASKED_MEMORY = 20_000
# Callback data of the consent and erasure buttons.
CONSENT_YES = "consent:yes"
CONSENT_NO = "consent:no"
FORGET_YES = "forget:yes"
FORGET_NO = "forget:no"


@dataclass(frozen=True, slots=True)
class PrivacyPolicy:
    """What privacy needs from the settings and the shop: the settings in force (for the
    notice), who answers privacy requests, the erasure log's key, whether a CRM listens."""

    settings: Settings
    contact: str | None
    erasure_key: bytes
    crm: bool
    shop_name: str = ""


@dataclass(frozen=True, slots=True)
class ConsentPrompt:
    """What a first contact adds: a separate consent question (opt-in) or a notice line."""

    text: str
    markup: Markup | None


class PrivacyEvents:
    privacy: PrivacyPolicy | None
    # customer id → when the consent question was last asked (in this process).
    consent_asked: dict[int, datetime]
    pipeline: MessagePipeline
    directory: CustomerDirectory
    reply_log: ReplyLog
    senders: dict[str, Sender]
    clock: Clock
    default_language: Lang
    handoff: HandoffDesk | None

    # -- consent ------------------------------------------------------------------------

    async def _consent_prompt(self, unit: _Unit, *, new_dialog: bool) -> ConsentPrompt | None:
        """At the start of a dialog with a customer who has not decided on this version of
        the consent text: the question (opt-in, asked each dialog until answered) or the
        notice (notice mode, shown once: recorded as shown in this unit)."""
        pipeline = self.pipeline
        customer = unit.customer
        if not new_dialog or not should_ask(
            customer, pipeline.consent_mode, pipeline.consent_version
        ):
            return None
        # Asked a moment ago (a /start, then the first question): not again in this dialog.
        now = self.clock()
        asked = self.consent_asked.get(unit.customer_id)
        if asked is not None and (now - asked).total_seconds() < ASK_AGAIN_AFTER_S:
            return None
        self.consent_asked[unit.customer_id] = now
        if len(self.consent_asked) > ASKED_MEMORY:
            self.consent_asked.pop(next(iter(self.consent_asked)))
        lang = customer_language(customer, self.default_language)
        if pipeline.consent_mode == "notice":
            await privacy.record_consent(
                unit.session,
                customer,
                version=pipeline.consent_version,
                accepted=True,
                mode="notice",
                at=self.clock(),
            )
            return ConsentPrompt(t("consent.notice", lang), None)
        buttons = Markup.choices(
            (t("consent.accept", lang), CONSENT_YES), (t("consent.decline", lang), CONSENT_NO)
        )
        return ConsentPrompt(t("consent.ask", lang), buttons)

    async def on_consent(self, contact: Contact, pressed: IncomingMessage, accepted: bool) -> None:
        """Accept or Decline pressed. A refusal (or a withdrawal) destroys the profile: with
        no basis to process it, it must not stay."""
        started = time.monotonic()
        async with self._unit(contact, pressed) as unit:  # type: ignore[attr-defined]
            customer = unit.customer
            pipeline = self.pipeline
            await privacy.record_consent(
                unit.session,
                customer,
                version=pipeline.consent_version,
                accepted=accepted,
                mode=pipeline.consent_mode,
                at=self.clock(),
            )
            if not accepted:
                await self._drop_profile(unit)
            lang = customer_language(customer, self.default_language)
            key = "consent.accepted" if accepted else "consent.declined"
            await self._command(unit, pressed, t(key, lang), started)  # type: ignore[attr-defined]

    async def _drop_profile(self, unit: _Unit) -> None:
        """Delete the behavioural profile and the per-message analysis, now and in memory."""
        await self.pipeline.profiles.forget(unit.customer_id)
        self.pipeline.forget(unit.customer_id)
        await privacy.erase_profile(unit.session, unit.customer_id)

    # -- transparency and access ----------------------------------------------------------

    async def on_privacy(self, contact: Contact, incoming: IncomingMessage) -> SendResult | None:
        """/privacy: the notice for the settings in force, with the customer's own status."""
        started = time.monotonic()
        async with self._unit(contact, incoming) as unit:  # type: ignore[attr-defined]
            customer = unit.customer
            lang = customer_language(customer, self.default_language)
            policy = self.privacy
            text = (
                privacy_notice(
                    policy.settings,
                    lang,
                    consent=customer.consent,
                    consent_version=customer.consent_version,
                    consent_at=customer.consent_at,
                    profiling_off=customer.profiling_opt_out,
                    contact=policy.contact,
                )
                if policy is not None
                else t("privacy.title", lang)
            )
            return await self._command(unit, incoming, text, started)  # type: ignore[attr-defined,no-any-return]

    async def on_data_request(
        self, contact: Contact, incoming: IncomingMessage
    ) -> SendResult | None:
        """/mydata: everything stored about the customer, as a JSON document (None: the
        request was delivered twice and answered the first time)."""
        started = time.monotonic()
        async with self._unit(contact, incoming) as unit:  # type: ignore[attr-defined]
            pipeline = self.pipeline
            customer = unit.customer
            if not await pipeline.record_command(unit.session, customer, incoming):
                await unit.session.rollback()
                return None
            # What is still on its way to the database belongs in the document too.
            await unit.commit()
            await self.reply_log.flush()
            await pipeline.profiles.flush()
            tables = await privacy.export_customer(unit.session, unit.customer_id)
            lang = customer_language(customer, self.default_language)
            assessment = None
            if pipeline.profiling_allowed(customer):
                state = await unit.work.profile(customer)
                assessment = pipeline.assess(customer, state, self.clock())
            policy = self.privacy
            document = export_document(
                tables,
                generated_at=self.clock(),
                shop=policy.shop_name if policy is not None else "",
                assessment=assessment,
                lang=lang,
            )
            caption = t("mydata.caption", lang)
            # The export's reads end here: no transaction stays open across the upload.
            await unit.commit()
            sender = self.senders.get(customer.channel)
            at = later(as_utc(incoming.sent_at), started)
            if sender is None or customer.address is None:
                return SendResult(SendStatus.REJECTED, error="no address to send to")
            result = await sender.send_document(
                customer.address, "mydata.json", document, caption=caption
            )
            self.reply_log.record(
                Outgoing(
                    customer_id=unit.customer_id,
                    text=caption,
                    created_at=at,
                    status=result.status.value,
                    external_id=result.external_id,
                    features={"path": "privacy", "document": "mydata.json"},
                )
            )
            return result

    # -- erasure ----------------------------------------------------------------------------

    async def on_forget(self, contact: Contact) -> bool:
        """The customer confirmed /forget: erase everything about them (False: nothing was
        stored). The confirmation goes out unlogged."""
        async with self._unit(contact, None, seen=False) as unit:  # type: ignore[attr-defined]
            customer = unit.customer
            customer_id = unit.customer_id
            lang = customer_language(customer, self.default_language)
            address, channel = customer.address, customer.channel
            await self._erase(unit, customer, requested_by=BY_CUSTOMER)
            await unit.commit()
        self.directory.forget(contact.key)
        self.pipeline.forget(customer_id)
        if self.handoff is not None:
            self.handoff.ended(customer_id)
        sender = self.senders.get(channel)
        if sender is not None and address is not None:
            await sender.send_text(address, t("forget.done", lang))
        return True

    async def _erase(self, unit: _Unit, customer: Customer, *, requested_by: str) -> dict[str, int]:
        """Every row about the customer, in this unit; the caches emptied first."""
        session = unit.session
        customer_id = unit.customer_id
        # Nothing about them may be written back after their rows are gone.
        await self.reply_log.forget(customer_id)
        await self.pipeline.profiles.forget(customer_id)
        shop_ids = await privacy.linked_shop_ids(session, customer_id)
        channel, external_id = customer.channel, customer.external_id
        counts = await privacy.erase_customer(session, customer_id)
        policy = self.privacy
        key = policy.erasure_key if policy is not None else b""
        now = self.clock()
        await privacy.add_erasure_log(
            session,
            at=now,
            channel=channel,
            reason=REASON_CUSTOMER_REQUEST,
            requested_by=requested_by,
            subject_hash=subject_hash(key, channel, external_id),
            rows_deleted=counts,
        )
        if policy is not None and policy.crm:
            # The shop erases its side too; the event names only the shop's own ids.
            await enqueue(
                session,
                event_type=SignalType.CUSTOMER_ERASED,
                customer_id=None,
                data={"shop_customer_ids": shop_ids, "requested_by": requested_by},
                now=now,
            )
        log.info(
            "erased a customer on request: %d rows in %d tables", sum(counts.values()), len(counts)
        )
        return counts

    async def erase_for_shop(self, session: AsyncSession, row: ShopCustomer) -> tuple[int, int]:
        """The shop's erasure request, inside its unit (which holds the linked chat's turn):
        the chat's caches emptied first, then every row. Returns (chats, rows) erased."""
        chat: Customer | None = None
        if row.customer_id is not None:
            chat = await session.get(Customer, row.customer_id)
        if chat is not None and chat.id is not None:
            await self.reply_log.forget(chat.id)
            await self.pipeline.profiles.forget(chat.id)
            self.pipeline.forget(chat.id)
            self.directory.forget((chat.channel, chat.external_id))
            if self.handoff is not None:
                self.handoff.ended(chat.id)
        policy = self.privacy
        key = policy.erasure_key if policy is not None else b""
        subject = (
            subject_hash(key, chat.channel, chat.external_id)
            if chat is not None
            else subject_hash(key, "shop", row.shop_id)
        )
        counts = await privacy.erase_shop_customer(session, row.id)  # type: ignore[arg-type]
        await privacy.add_erasure_log(
            session,
            at=self.clock(),
            channel=chat.channel if chat is not None else "shop",
            reason=REASON_SHOP_REQUEST,
            requested_by=BY_SHOP_API,
            subject_hash=subject,
            rows_deleted=counts,
        )
        log.info("erased a shop customer on the shop's request: %d rows", sum(counts.values()))
        return (1 if chat is not None else 0), sum(counts.values())

    # -- objection and opt-outs -------------------------------------------------------------

    async def on_profiling(
        self, contact: Contact, incoming: IncomingMessage, *, on: bool
    ) -> SendResult | None:
        """/profiling_off: stop at once and delete the profile; /profiling_on: back on (in
        opt-in mode, only with consent: the question is asked)."""
        started = time.monotonic()
        async with self._unit(contact, incoming) as unit:  # type: ignore[attr-defined]
            customer = unit.customer
            lang = customer_language(customer, self.default_language)
            markup = None
            if on:
                customer.profiling_opt_out = False
                key = "profiling.on"
                pipeline = self.pipeline
                if not pipeline.profiling_allowed(customer):
                    key = "profiling.on_needs_consent"
                    markup = Markup.choices(
                        (t("consent.accept", lang), CONSENT_YES),
                        (t("consent.decline", lang), CONSENT_NO),
                    )
                text = t(key, lang)
                if markup is not None:
                    text = f"{text}\n\n{t('consent.ask', lang)}"
            else:
                customer.profiling_opt_out = True
                await self._drop_profile(unit)
                text = t("profiling.off", lang)
            return await self._command(unit, incoming, text, started, markup)  # type: ignore[attr-defined,no-any-return]

    async def on_checkins(
        self, contact: Contact, incoming: IncomingMessage, *, on: bool
    ) -> SendResult | None:
        """/stop_checkins and /start_checkins: whether the bot may write first."""
        started = time.monotonic()
        async with self._unit(contact, incoming) as unit:  # type: ignore[attr-defined]
            unit.customer.checkins_opt_out = not on
            if not on:
                now = self.clock()
                await checkins.cancel_for(
                    unit.session, unit.customer_id, reason="opted_out", now=now
                )
                # An opt-out soon after a check-in is that check-in's outcome.
                await checkins.record_outcome(
                    unit.session,
                    unit.customer_id,
                    outcome="opted_out",
                    at=now,
                    within_s=OUTCOME_WINDOW_S,
                )
            lang = customer_language(unit.customer, self.default_language)
            text = t("checkins.started" if on else "checkins.stopped", lang)
            return await self._command(unit, incoming, text, started)  # type: ignore[attr-defined,no-any-return]
