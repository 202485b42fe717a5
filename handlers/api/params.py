"""Path parameters: the shop's ids, checked against the same pattern as ids in bodies."""

from __future__ import annotations

from aiohttp import web
from pydantic import TypeAdapter, ValidationError

from bot.shop.schemas import SHOP_ID_PATTERN, ShopId
from handlers.api.errors import ApiError

_SHOP_ID: TypeAdapter[str] = TypeAdapter(ShopId)


def shop_id(request: web.Request, name: str) -> str:
    value = request.match_info[name]
    try:
        return _SHOP_ID.validate_python(value, strict=True)
    except ValidationError:
        raise ApiError(
            400, "bad_request", f"{name} must match {SHOP_ID_PATTERN}", field=name
        ) from None
