"""Joining a chat to the shop: a personal deep link (`/start l-<token>`), a website visitor's
"chat with us" button (`/start v-<visitor id>`), or the customer's own phone number.

Runs inside the chat customer's unit of work. The core holds the chat customer's turn and,
named beforehand by `start_turns` / `phone_turns`, the turns of the shop customers or the
visitor being linked (chat first, then shop keys: the order every unit takes them in), so an
order arriving at the same moment is either replayed here or fed live, never lost or fed
twice.
"""

from __future__ import annotations

import logging
from collections.abc import Hashable, Sequence

from bot.conversation.deeplinks import ParsedPayload, build_payload
from bot.conversation.work import Work
from bot.shop.feeding import feed_events, link_shop_customer
from bot.shop.keys import ordered, shop_key, visitor_key
from bot.shop.phones import normalize_phone
from storage.db import SessionFactory
from storage.models import Customer, ShopCustomer
from storage.repositories import shop, sources

log = logging.getLogger(__name__)


class ShopLinker:
    """The shop's side of `bot.conversation.linking.ChatLinker`."""

    def __init__(self, session_factory: SessionFactory, *, phone_region: str = "RU") -> None:
        self.session_factory = session_factory
        self.phone_region = phone_region

    async def start_turns(self, parsed: ParsedPayload) -> Sequence[Hashable]:
        keys: list[tuple[str, str]] = []
        if parsed.visitor_id:
            keys.append(visitor_key(parsed.visitor_id))
        if parsed.link_token:
            async with self.session_factory() as session:
                found = await shop.customer_by_token(session, parsed.link_token)
            if found is not None:
                keys.append(shop_key(found.shop_id))
        return ordered(keys)

    async def phone_turns(self, phone: str) -> Sequence[Hashable]:
        number = normalize_phone(phone, self.phone_region)
        if number is None:
            return ()
        async with self.session_factory() as session:
            matches = await shop.customers_by_phone(session, number)
        return ordered(shop_key(found.shop_id) for found in matches)

    async def on_start(self, work: Work, customer: Customer, parsed: ParsedPayload) -> str | None:
        note: str | None = None
        if parsed.visitor_id:
            note = await self._join_visitor(work, customer, parsed)
        if parsed.link_token:
            note = await self._link_token(work, customer, parsed.link_token)
        return note

    async def _link_token(self, work: Work, customer: Customer, token: str) -> str:
        found = await shop.customer_by_token(work.session, token, lock=True)
        if found is None:
            log.warning("customer %s opened an unknown personal link", customer.id)
            return "link.unknown"
        return await self._link(work, customer, found, by="deep_link")

    async def _link(self, work: Work, customer: Customer, found: ShopCustomer, *, by: str) -> str:
        if found.customer_id == customer.id:
            return "link.already"
        if found.customer_id is not None:
            # One personal link, one person: a forwarded link must not open someone's orders.
            log.warning(
                "shop customer %s is linked to customer %s; customer %s was refused (%s)",
                found.shop_id,
                found.customer_id,
                customer.id,
                by,
            )
            return "link.taken"
        await link_shop_customer(work, customer, found, by=by, now=work.now)
        log.info("shop customer %s linked to customer %s by %s", found.shop_id, customer.id, by)
        return "link.linked"

    async def _join_visitor(self, work: Work, customer: Customer, parsed: ParsedPayload) -> str:
        visitor_id = parsed.visitor_id
        assert visitor_id is not None and customer.id is not None
        session = work.session
        joined = await shop.link_visitor(session, visitor_id, customer.id, work.now)
        if not joined:
            owner = await shop.visitor(session, visitor_id)
            if owner is not None and owner.customer_id != customer.id:
                log.warning(
                    "visitor %s belongs to customer %s; not joined to customer %s",
                    visitor_id,
                    owner.customer_id,
                    customer.id,
                )
                return "link.site"
        await shop.claim_events(session, customer.id, visitor_id=visitor_id)
        if not parsed.is_sourced:
            await self._take_visitor_source(work, customer, visitor_id, parsed.raw)
        await feed_events(work, customer, await shop.unapplied_events(session, customer.id))
        return "link.site"

    async def _take_visitor_source(
        self, work: Work, customer: Customer, visitor_id: str, raw: str | None
    ) -> None:
        """The chat takes the ad source the visitor's browsing carried (the payload named
        none of its own)."""
        carried = await shop.latest_event_source(work.session, visitor_id)
        if not carried:
            return
        names = {k: carried.get(k) for k in ("campaign", "ad", "creative")}
        try:
            payload = build_payload(names["campaign"], names["ad"], names["creative"])
        except ValueError:
            return  # no names, or too long for a payload: nothing to attribute to
        source = await sources.get_or_create(
            work.session, payload=payload, now=work.now, origin="site", **names
        )
        await sources.record_touch(
            work.session, customer, source, raw_payload=raw, valid=True, now=work.now
        )

    async def on_phone(
        self, work: Work, customer: Customer, phone: str, held: Sequence[Hashable] = ()
    ) -> str:
        number = normalize_phone(phone, self.phone_region)
        if number is None:
            return "phone.invalid"
        matches = await shop.customers_by_phone(work.session, number, lock=True)
        # Only the shop customers whose turns the unit holds: one created with this number
        # a moment ago is linked the next time, never without its turn.
        matches = [found for found in matches if shop_key(found.shop_id) in held]
        if not matches:
            log.info("customer %s shared a phone number the shop does not know", customer.id)
            return "phone.not_found"
        outcomes = []
        for found in matches:
            outcomes.append(await self._link(work, customer, found, by="phone"))
        if "link.linked" in outcomes:
            return "phone.linked"
        if "link.already" in outcomes:
            return "link.already"
        return "phone.taken"
