"""Typed errors of the shop integration; the HTTP edge maps each to a status code."""

from __future__ import annotations


class ShopError(Exception):
    """Base of the shop integration's errors; `str(error)` is a sentence for the caller."""


class NotFound(ShopError):
    """An order or customer the shop refers to is not known."""

    def __init__(self, kind: str, shop_id: str, hint: str | None = None) -> None:
        self.kind = kind
        self.shop_id = shop_id
        message = f"{kind} {shop_id!r} is not known"
        super().__init__(f"{message}: {hint}" if hint else message)


class InvalidField(ShopError):
    """A value passed validation of its shape but not of its meaning (an impossible phone)."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(message)
