"""What the shop's HTTP API can ask of the bot: the interface the HTTP edge (handlers/api)
is written against, implemented by `bot.shop.service.ShopService`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from bot.shop.schemas import (
    CustomerIn,
    CustomerOut,
    ErasureOut,
    EventsOut,
    LinkIn,
    LinkOut,
    LinksOut,
    OrderIn,
    OrderOut,
    ProfileOut,
    SiteEventIn,
)


class ShopApi(Protocol):
    """Each call is one unit of work: all of it is stored, or nothing (a `ShopError` or any
    other exception leaves the database as it was)."""

    async def put_order(self, shop_order_id: str, body: OrderIn) -> OrderOut:
        """Create or update an order (idempotent). `NotFound` for an unknown customer."""
        ...

    async def get_order(self, shop_order_id: str) -> OrderOut:
        """`NotFound` for an unknown order."""
        ...

    async def put_customer(self, shop_customer_id: str, body: CustomerIn) -> CustomerOut:
        """Create or update a shop customer; the answer carries their personal deep link.
        `InvalidField("phone", …)` for a number that can't be a phone number."""
        ...

    async def get_customer(self, shop_customer_id: str) -> CustomerOut: ...

    async def erase_customer(self, shop_customer_id: str) -> ErasureOut:
        """Erase the customer and every chat linked to them. `NotFound` when unknown."""
        ...

    async def record_events(self, events: Sequence[SiteEventIn]) -> EventsOut:
        """Store site events (all or none). `NotFound` for an unknown customer_id."""
        ...

    async def create_link(self, body: LinkIn) -> LinkOut:
        """A tracked ad deep link (the same body gives the same link). `InvalidField` when
        the names can't fit Telegram's 64-character payload."""
        ...

    async def list_links(self) -> LinksOut: ...

    async def customer_profile(self, shop_customer_id: str) -> ProfileOut:
        """`NotFound` for an unknown customer."""
        ...
