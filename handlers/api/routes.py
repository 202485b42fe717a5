"""The routes, thin: path and body in, one `ShopApi` call, the answer's model out as JSON.

Everything is validated before the service is called, and each service call is one unit of
work, so a refused request has stored nothing. Errors are rendered by `errors.render_errors`.
"""

from __future__ import annotations

from aiohttp import web
from pydantic import BaseModel

from bot.shop.api import ShopApi
from bot.shop.schemas import CustomerIn, LinkIn, OrderIn
from handlers.api.body import read_events, read_model
from handlers.api.params import shop_id

SHOP: web.AppKey[ShopApi] = web.AppKey("shop", ShopApi)  # type: ignore[type-abstract]
OPENAPI_JSON: web.AppKey[bytes] = web.AppKey("openapi_json", bytes)


def render(model: BaseModel, status: int = 200) -> web.Response:
    # pydantic's own serializer: the same JSON the document describes, without a dict detour.
    return web.Response(
        text=model.model_dump_json(), status=status, content_type="application/json"
    )


def _created(created: bool) -> int:
    return 201 if created else 200


async def put_order(request: web.Request) -> web.Response:
    order_id = shop_id(request, "shop_order_id")
    body = await read_model(request, OrderIn)
    order = await request.app[SHOP].put_order(order_id, body)
    return render(order, _created(order.created))


async def get_order(request: web.Request) -> web.Response:
    order_id = shop_id(request, "shop_order_id")
    return render(await request.app[SHOP].get_order(order_id))


async def put_customer(request: web.Request) -> web.Response:
    customer_id = shop_id(request, "shop_customer_id")
    body = await read_model(request, CustomerIn)
    customer = await request.app[SHOP].put_customer(customer_id, body)
    return render(customer, _created(customer.created))


async def get_customer(request: web.Request) -> web.Response:
    customer_id = shop_id(request, "shop_customer_id")
    return render(await request.app[SHOP].get_customer(customer_id))


async def delete_customer(request: web.Request) -> web.Response:
    customer_id = shop_id(request, "shop_customer_id")
    return render(await request.app[SHOP].erase_customer(customer_id))


async def get_customer_profile(request: web.Request) -> web.Response:
    customer_id = shop_id(request, "shop_customer_id")
    return render(await request.app[SHOP].customer_profile(customer_id))


async def post_events(request: web.Request) -> web.Response:
    events = await read_events(request)
    return render(await request.app[SHOP].record_events(events))


async def post_link(request: web.Request) -> web.Response:
    body = await read_model(request, LinkIn)
    return render(await request.app[SHOP].create_link(body))


async def get_links(request: web.Request) -> web.Response:
    return render(await request.app[SHOP].list_links())


async def get_openapi(request: web.Request) -> web.Response:
    return web.Response(body=request.app[OPENAPI_JSON], content_type="application/json")


# By operationId of `bot.shop.openapi.OPERATIONS`: the document decides method and path.
HANDLERS = {
    "putOrder": put_order,
    "getOrder": get_order,
    "putCustomer": put_customer,
    "getCustomer": get_customer,
    "deleteCustomer": delete_customer,
    "getCustomerProfile": get_customer_profile,
    "postEvents": post_events,
    "postLink": post_link,
    "getLinks": get_links,
    "getOpenApi": get_openapi,
}
