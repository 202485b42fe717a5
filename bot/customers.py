"""Who is writing: the customer behind an update, and salvage when handling fails.

The Telegram adapter's middleware calls this service; the database work lives here so the
adapter stays free of storage code (DESIGN.md's dependency rules).
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock
from profiling.types import Lang
from storage.models import Customer
from storage.repositories import customers, messages
from storage.repositories.customers import CustomerIdentity

log = logging.getLogger(__name__)

__all__ = ["Customer", "CustomerDirectory", "CustomerIdentity"]


class CustomerDirectory:
    def __init__(self, clock: Clock, default_language: Lang) -> None:
        self.clock = clock
        self.default_language = default_language

    async def identify(
        self, session: AsyncSession, who: CustomerIdentity, language: Lang | None
    ) -> tuple[Customer, bool]:
        """Load or create the customer; returns it and whether it is new."""
        return await customers.load_or_create(
            session,
            who,
            now=self.clock(),
            default_language=(language or self.default_language).value,
        )

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
