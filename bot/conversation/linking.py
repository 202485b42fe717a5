"""Joining a chat to what the shop knows about the person: the core's side of it.

The shop integration (`bot.shop`) implements `ChatLinker`; the core calls it inside the
customer's unit of work when a /start carries a personal link or a website visitor id, and when
the customer shares their phone number. Each answer is a key of the text catalogue to tell the
customer what happened.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Protocol

from bot.conversation.deeplinks import ParsedPayload
from bot.conversation.work import Work
from storage.models import Customer


class ChatLinker(Protocol):
    """The turns a link needs are named before the unit begins: a unit never waits for a
    turn while it holds a database transaction (on SQLite that is the whole database's write
    lock, and the holder of the other turn may be waiting for it)."""

    async def start_turns(self, parsed: ParsedPayload) -> Sequence[Hashable]:
        """The turns (besides the chat customer's) that linking this payload needs."""
        ...

    async def phone_turns(self, phone: str) -> Sequence[Hashable]:
        """The turns that linking this phone number needs."""
        ...

    async def on_start(self, work: Work, customer: Customer, parsed: ParsedPayload) -> str | None:
        """Link by the payload's `l-` token or `v-` visitor id; a text key to add to the
        greeting, or None when there was nothing to say."""
        ...

    async def on_phone(
        self, work: Work, customer: Customer, phone: str, held: Sequence[Hashable] = ()
    ) -> str:
        """Link by a phone number the customer shared as their own contact; only the shop
        customers whose turns are `held` (those `phone_turns` named)."""
        ...
