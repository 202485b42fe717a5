"""Who is writing: the customer behind an update, and salvage when handling fails.

The Telegram adapter's middleware calls this service; the database work lives here so the
adapter stays free of storage code (DESIGN.md's dependency rules).
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from datetime import datetime

from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from bot.texts.catalog import supported_language
from profiling.types import Lang
from storage.models import Customer
from storage.repositories import customers, messages
from storage.repositories.customers import CustomerIdentity

log = logging.getLogger(__name__)


def customer_language(customer: Customer, default: Lang) -> Lang:
    """The language to answer this customer in when their message does not decide it."""
    return supported_language(customer.language) or default


def _reusable(customer: Customer) -> bool:
    state = inspect(customer)
    return state.detached and not state.expired_attributes and not state.modified


__all__ = ["Customer", "CustomerDirectory", "CustomerIdentity", "customer_language"]


class CustomerDirectory:
    """Finds the customer behind an update, keeping recently active customers in memory.

    Looking a customer up is a query per message; instead the loaded row object is kept
    after its session closes and re-attached to the next update's session, which costs no
    query. An object is reused only while it is clean: detached, nothing expired (a
    rollback expires everything) and no unsaved change; otherwise it is loaded again. Code
    that changes a customer row in its own session (privacy, admin tools) calls `forget()`.
    Like the profile store, this assumes one process serves the bot.
    """

    def __init__(self, clock: Clock, default_language: Lang, capacity: int = 20_000) -> None:
        self.clock = clock
        self.default_language = default_language
        self.capacity = capacity
        self._cache: OrderedDict[tuple[str, str], Customer] = OrderedDict()

    async def identify(
        self, session: AsyncSession, who: CustomerIdentity, language: Lang | None
    ) -> tuple[Customer, bool]:
        """Load or create the customer; returns it and whether it is new."""
        key = (who.channel, who.external_id)
        now = self.clock()
        cached = self._cache.get(key)
        if cached is not None and _reusable(cached):
            session.add(cached)  # re-attach: no query
            self._cache.move_to_end(key)
            customers.touch(cached, who, now)
            return cached, False
        customer, created = await customers.load_or_create(
            session,
            who,
            now=now,
            default_language=(language or self.default_language).value,
        )
        self._cache[key] = customer
        if len(self._cache) > self.capacity:
            self._cache.popitem(last=False)
        return customer, created

    def forget(self, channel: str, external_id: str) -> None:
        self._cache.pop((channel, external_id), None)

    async def salvage(
        self,
        session: AsyncSession,
        who: CustomerIdentity,
        *,
        text: str,
        sent_at: datetime,
        external_id: str,
    ) -> bool:
        """Keep the text of a message whose handling failed (unless it is already stored).

        Runs in a fresh transaction after the failed one was rolled back; returns whether
        the message is now safely stored.
        """
        try:
            customer, _ = await self.identify(session, who, None)
            await messages.insert_incoming_once(
                session,
                customer_id=customer.id,  # type: ignore[arg-type]
                text=text,
                at=sent_at,
                gap_s=None,
                latency_s=None,
                external_id=external_id,
                features=None,
                status="error",
            )
            await session.commit()
        except Exception:
            log.exception("could not salvage message %s", external_id)
            return False
        return True
