"""Turn keys of the shop's subjects that have no chat yet (see `Conversation.on_shop`).

Chat customers' keys are `(channel, external id)`; a shop customer or a website visitor
without a chat is serialised under its own key. Units that hold several keys take chat keys
first, then these, in sorted order: the order `/start` linking uses, so nobody waits in a
circle."""

from __future__ import annotations

from collections.abc import Hashable, Iterable

SHOP = "shop-customer"
VISITOR = "site-visitor"


def shop_key(shop_id: str) -> tuple[str, str]:
    return (SHOP, shop_id)


def visitor_key(visitor_id: str) -> tuple[str, str]:
    return (VISITOR, visitor_id)


def ordered(keys: Iterable[tuple[str, str]]) -> list[Hashable]:
    """Chat keys first, then shop and visitor keys; each group sorted; no repeats."""
    unique = set(keys)
    chats = sorted(k for k in unique if k[0] not in (SHOP, VISITOR))
    others = sorted(k for k in unique if k[0] in (SHOP, VISITOR))
    return [*chats, *others]
