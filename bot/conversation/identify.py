"""Who is writing: the customer behind `(channel, external id)`, kept in memory while active."""

from __future__ import annotations

import logging
from collections import OrderedDict

from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.conversation.contact import Contact
from bot.conversation.holdout import in_holdout
from bot.texts.catalog import supported_language
from profiling.types import Lang
from storage.models import Customer
from storage.repositories import customers
from storage.repositories.customers import CustomerIdentity

log = logging.getLogger(__name__)


def customer_language(customer: Customer, default: Lang) -> Lang:
    """The language to answer this customer in when their message does not decide it."""
    return supported_language(customer.language) or default


def identity_of(contact: Contact) -> CustomerIdentity:
    return CustomerIdentity(
        channel=contact.channel,
        external_id=contact.external_id,
        address=contact.address,
        username=contact.username,
        first_name=contact.first_name,
        last_name=contact.last_name,
        language=contact.language.value if contact.language else None,
    )


def _reusable(customer: Customer) -> bool:
    state = inspect(customer)
    return state.detached and not state.expired_attributes and not state.modified


class CustomerDirectory:
    """Finds the customer behind an event, keeping recently active customers in memory.

    Looking a customer up is a query per message; instead the loaded row object is kept
    after its session closes and re-attached to the next event's session, which costs no
    query. An object is reused only while it is clean: detached, nothing expired (a
    rollback expires everything) and no unsaved change; otherwise it is loaded again. The
    core calls `forget()` when a unit of work fails. Like the profile cache, this assumes one
    process serves the bot.
    """

    def __init__(
        self,
        clock: Clock,
        default_language: Lang,
        capacity: int = 20_000,
        *,
        holdout_percent: float = 0.0,
    ) -> None:
        self.clock = clock
        self.holdout_percent = holdout_percent
        self.default_language = default_language
        self.capacity = capacity
        self._cache: OrderedDict[tuple[str, str], Customer] = OrderedDict()

    async def identify(
        self, session: AsyncSession, contact: Contact, *, seen: bool = True
    ) -> tuple[Customer, bool]:
        """Load or create the customer; returns it and whether it is new. `seen=False` for
        events that are not the customer's own doing now (an import): `last_seen_at` stays."""
        key = contact.key
        who = identity_of(contact)
        now = self.clock()
        cached = self._cache.get(key)
        if cached is not None and _reusable(cached):
            session.add(cached)  # re-attach: no query
            self._cache.move_to_end(key)
            customers.touch(cached, who, now, seen=seen)
            return cached, False
        customer, created = await customers.load_or_create(
            session,
            who,
            now=now,
            default_language=(contact.language or self.default_language).value,
            holdout=in_holdout(who.channel, who.external_id, self.holdout_percent),
            seen=seen,
        )
        self._cache[key] = customer
        if len(self._cache) > self.capacity:
            self._cache.popitem(last=False)
        return customer, created

    async def find(self, session: AsyncSession, channel: str, external_id: str) -> Customer | None:
        """An existing customer, or None; never creates one."""
        return await customers.get(session, channel, external_id)

    def forget(self, key: tuple[str, str]) -> None:
        self._cache.pop(key, None)
