"""The shop API's OpenAPI 3.1 document, generated from the pydantic models of
`bot.shop.schemas` and the operation table below.

The HTTP edge (`handlers/api`) registers its routes from `OPERATIONS` and validates bodies with
the same models, so the routes, the validation and the document cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, RootModel, TypeAdapter

from bot.shop.schemas import (
    MAX_EVENTS,
    MAX_ITEMS,
    SHOP_ID_PATTERN,
    CustomerIn,
    CustomerOut,
    ErasureOut,
    ErrorOut,
    EventsOut,
    LinkIn,
    LinkOut,
    LinksOut,
    OrderIn,
    OrderOut,
    ProfileOut,
    ShopId,
    SiteEventIn,
)

API_PREFIX = "/api/v1"
DEFAULT_MAX_BODY_BYTES = 1_048_576

EventBatch = Annotated[list[SiteEventIn], Field(max_length=MAX_EVENTS)]


# The edge validates the two shapes separately (by the body's first character), so an error
# names `3.type` rather than a branch of the union; this model describes the body as a whole.
class EventsIn(RootModel[SiteEventIn | EventBatch]):
    """One site event, or an array of them stored all or nothing."""


Method = Literal["GET", "PUT", "POST"]


@dataclass(frozen=True)
class Operation:
    operation_id: str
    method: Method
    path: str  # relative to API_PREFIX
    summary: str
    description: str
    response: type[BaseModel] | None  # None: the document itself
    body: type[BaseModel] | None = None
    path_parameter: str | None = None
    # PUTs answer 201 when the request created the resource, 200 when it updated it.
    created_status: bool = False
    # The service may raise NotFound (an unknown order, customer or customer_id in a body).
    not_found: bool = False
    # Served without the API key (only the document).
    public: bool = False
    # Request examples: for integrators, and sent first by schemathesis (its explicit phase).
    examples: tuple[tuple[str, Any], ...] = ()
    path_example: str | None = None


_CUSTOMER = {"name": "Anna Petrova", "phone": "+7 912 345-67-89", "email": "anna@example.com"}
_ORDER = {
    "customer_id": "c-1001",
    "status": "paid",
    "total": 2980,
    "currency": "RUB",
    "items": [{"sku": "BEANS-1KG", "name": "Ethiopia Yirgacheffe, 1 kg", "qty": 2, "price": 1490}],
    "created_at": "2026-03-02T09:00:00+03:00",
}
_EVENTS = [
    {
        "type": "product_view",
        "id": "ev-81731",
        "visitor_id": "2f1c9a7e-5b3d-4e8a-9c1f-0a7b6d5e4c3b",
        "at": "2026-03-02T08:55:00+03:00",
        "url": "https://shop.example/grinders/c40",
        "product": {"sku": "C40", "name": "Comandante C40", "category": "grinders", "price": 24900},
        "device": "mobile",
        "source": {"campaign": "spring_sale", "ad": "ig1"},
    },
    {"type": "add_to_cart", "id": "ev-81732", "customer_id": "c-1001", "product": {"sku": "C40"}},
]
_LINK = {"campaign": "spring_sale", "ad": "ig1", "creative": "video-a"}

OPERATIONS: tuple[Operation, ...] = (
    Operation(
        "putCustomer",
        "PUT",
        "/customers/{shop_customer_id}",
        "Create or update a shop customer",
        "Idempotent: send the customer whenever they change; fields left out keep their "
        "stored value. The answer carries the "
        "customer's personal `deep_link` (`https://t.me/<bot>?start=l-<token>`): put it in "
        "the order confirmation or the account page; whoever opens it in Telegram is linked "
        "to this customer, and their orders and site events join the chat profile. A chat "
        "customer who shares the same phone number is linked too. 201 when this request "
        "created the customer, 200 when it updated them.",
        CustomerOut,
        body=CustomerIn,
        path_parameter="shop_customer_id",
        created_status=True,
        examples=(("customer", _CUSTOMER),),
        path_example="c-1001",
    ),
    Operation(
        "getCustomer",
        "GET",
        "/customers/{shop_customer_id}",
        "Read a shop customer",
        "The stored customer, whether they are linked to a chat, and their deep link.",
        CustomerOut,
        path_parameter="shop_customer_id",
        not_found=True,
        path_example="c-1001",
    ),
    Operation(
        "deleteCustomer",
        "DELETE",
        "/customers/{shop_customer_id}",
        "Erase a customer (a data subject's request)",
        "For an erasure request that reached the shop (GDPR art. 17, 152-FZ): the shop "
        "customer, their orders and site events, and every Telegram chat linked to them — "
        "messages, profile, dialogs, consents, handoffs, pending CRM events — are deleted at "
        "once; an erasure log entry without personal data is kept. Not reversible.",
        ErasureOut,
        path_parameter="shop_customer_id",
        not_found=True,
        path_example="c-1001",
    ),
    Operation(
        "putOrder",
        "PUT",
        "/orders/{shop_order_id}",
        "Create or update an order",
        "Send the whole order every time it changes (created, paid, shipped, …). Idempotent: "
        "repeat it freely, e.g. after a timeout. Each new status is added to the order's "
        "history and, once the customer is linked to a chat, to their profile (a purchase, "
        "a return, a cancelled order). The customer must exist (PUT /customers first): an "
        "unknown `customer_id` is 404 and nothing is stored. 201 when this request created "
        "the order, 200 when it updated it.",
        OrderOut,
        body=OrderIn,
        path_parameter="shop_order_id",
        created_status=True,
        not_found=True,
        examples=(("order", _ORDER),),
        path_example="o-5512",
    ),
    Operation(
        "getOrder",
        "GET",
        "/orders/{shop_order_id}",
        "Read an order",
        "The order as the bot knows it, with its status history.",
        OrderOut,
        path_parameter="shop_order_id",
        not_found=True,
        path_example="o-5512",
    ),
    Operation(
        "getCustomerProfile",
        "GET",
        "/customers/{shop_customer_id}/profile",
        "Read a customer's behavioural profile",
        "Segments with their reasons, lead hotness and churn risk (0–100) with their top "
        "contributions, active hours, orders and the ad source. Scores are null when there "
        "is nothing to score yet (e.g. the customer has no chat with the bot).",
        ProfileOut,
        path_parameter="shop_customer_id",
        not_found=True,
        path_example="c-1001",
    ),
    Operation(
        "postEvents",
        "POST",
        "/events",
        "Record site events",
        "One event object, or an array of at most "
        f"{MAX_EVENTS}; an array is stored all or nothing (one bad event: 400 naming it, "
        "e.g. `field: 3.type`, and nothing is stored). Each event belongs to a known shop "
        "customer (`customer_id`, 404 when unknown) or to an anonymous visitor "
        "(`visitor_id`, the site's own cookie id). To tie a visitor to a chat, the site's "
        "chat button opens `https://t.me/<bot>?start=v-<visitor_id>`: when the visitor "
        "presses Start, their events — before and after — join the chat customer's profile. "
        "Give each event an `id` to make deliveries idempotent: a repeated id is counted in "
        "`duplicates` and not stored again.",
        EventsOut,
        body=EventsIn,
        not_found=True,
        examples=(("one event", _EVENTS[0]), ("a batch", _EVENTS)),
    ),
    Operation(
        "postLink",
        "POST",
        "/links",
        "Create a tracked ad link",
        "A deep link `https://t.me/<bot>?start=<payload>` for a campaign, ad and creative. "
        "The same names always give the same link (idempotent). Telegram allows 64 "
        "characters of payload: names that cannot fit are a 400 naming the field.",
        LinkOut,
        body=LinkIn,
        examples=(("link", _LINK),),
    ),
    Operation(
        "getLinks",
        "GET",
        "/links",
        "List tracked links with their statistics",
        "Every link with /start presses, dialogs, conversions (target actions within 7 days "
        "of a dialog), first-touch conversions, median time to conversion and revenue.",
        LinksOut,
    ),
    Operation(
        "getOpenApi",
        "GET",
        "/openapi.json",
        "This document",
        "The OpenAPI 3.1 description of this API; needs no key.",
        None,
        public=True,
    ),
)

_ERRORS: dict[int, tuple[str, str]] = {
    400: ("BadRequest", "Malformed JSON, a value of the wrong shape or meaning, an unknown field."),
    401: ("Unauthorized", "The `Authorization: Bearer <SHOP_API_KEY>` header is missing or wrong."),
    404: ("NotFound", "The order or customer is not known."),
    413: ("PayloadTooLarge", "The body is larger than the limit (API_MAX_BODY_BYTES)."),
    415: ("UnsupportedMediaType", "The body is not `Content-Type: application/json`."),
    500: ("InternalError", "A fault in the bot; logged with the incident id in the message."),
    503: ("ApiDisabled", "The shop API is off: SHOP_API_KEY is not set on the bot."),
}

_CHALLENGE = {
    "WWW-Authenticate": {"description": "`Bearer`", "schema": {"type": "string"}},
}


def _description(max_body_bytes: int) -> str:
    return f"""\
The shop tells Barista about its customers, their orders and what they do on the website;
Barista links them to the Telegram chats and answers with each customer's behavioural profile
and with tracked ad links.

**Authentication.** Every request except `GET /openapi.json` carries
`Authorization: Bearer <SHOP_API_KEY>` (the key set on the bot); a missing or wrong key is
401 with `WWW-Authenticate: Bearer`. A bot started without SHOP_API_KEY has the API off:
every route answers 503 `api_disabled`.

**Requests.** Bodies are JSON (`Content-Type: application/json`, UTF-8) of at most
{max_body_bytes} bytes (413 beyond). Unknown fields are refused, so a typo is not silently
ignored; types are strict (`"2"` is not a number). Times are ISO 8601 with a time zone
(`2026-03-02T09:00:00+03:00`); money is a JSON number in the order's currency. Ids in paths
and bodies match `{SHOP_ID_PATTERN}`. An order has at most {MAX_ITEMS} items;
a batch at most {MAX_EVENTS} events.

**Errors.** Every error is JSON `{{"error": code, "message": sentence, "field": path or null}}`,
`field` naming the first offending field in dotted form (`items.0.qty`). Codes:
`bad_request` 400, `unauthorized` 401, `not_found` 404 (also an unknown route),
`method_not_allowed` 405, `payload_too_large` 413, `unsupported_media_type` 415,
`internal` 500, `api_disabled` 503. A request that fails stores nothing: the body is
validated before anything is written, and each call is one transaction.

**Idempotency.** PUTs are keyed by the shop's id and may be repeated; events with an `id` are
stored once; the same link names give the same link.

**Linking chats.** A shop customer's `deep_link` links whoever opens it to that customer; an
anonymous visitor's events are linked through `https://t.me/<bot>?start=v-<visitor_id>`.
"""


def _error_ref(status: int) -> dict[str, str]:
    return {"$ref": f"#/components/responses/{_ERRORS[status][0]}"}


def _statuses(op: Operation) -> list[int]:
    """The error statuses this operation can answer, as the edge produces them."""
    statuses = [503, 500] if op.public else [401, 503, 500]
    if op.path_parameter or op.body:
        statuses.append(400)
    if op.body:
        statuses += [413, 415]
    if op.not_found:
        statuses.append(404)
    return sorted(statuses)


def openapi_document(
    *, server_url: str | None = None, max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
) -> dict[str, Any]:
    """The OpenAPI 3.1 document. `server_url` is where the API lives (default: the relative
    `/api/v1`, i.e. on the host that served the document)."""
    # One generation pass for every body and response: shared models become one component.
    inputs: list[tuple[str, Literal["validation", "serialization"], TypeAdapter[Any]]] = [
        ("ErrorOut", "serialization", TypeAdapter(ErrorOut)),
        ("ShopId", "validation", TypeAdapter(ShopId)),
    ]
    for op in OPERATIONS:
        if op.body is not None:
            inputs.append((op.body.__name__, "validation", TypeAdapter(op.body)))
        if op.response is not None:
            inputs.append((op.response.__name__, "serialization", TypeAdapter(op.response)))
    refs, definitions = TypeAdapter.json_schemas(
        inputs, ref_template="#/components/schemas/{model}"
    )
    schemas: dict[str, Any] = dict(definitions.get("$defs", {}))

    def ref(name: str, mode: Literal["validation", "serialization"]) -> dict[str, Any]:
        return dict(refs[(name, mode)])

    paths: dict[str, dict[str, Any]] = {}
    for op in OPERATIONS:
        operation: dict[str, Any] = {
            "operationId": op.operation_id,
            "summary": op.summary,
            "description": op.description,
            "tags": [op.path.split("/")[1].removesuffix(".json")],
        }
        if op.public:
            operation["security"] = []
        if op.path_parameter:
            parameter = {
                "name": op.path_parameter,
                "in": "path",
                "required": True,
                "description": "The shop's own id.",
                "schema": ref("ShopId", "validation"),
            }
            if op.path_example:
                parameter["example"] = op.path_example
            operation["parameters"] = [parameter]
        if op.body is not None:
            media: dict[str, Any] = {"schema": ref(op.body.__name__, "validation")}
            if op.examples:
                media["examples"] = {name: {"value": value} for name, value in op.examples}
            operation["requestBody"] = {"required": True, "content": {"application/json": media}}
        if op.response is None:
            ok_schema: dict[str, Any] = {"type": "object"}
        else:
            ok_schema = ref(op.response.__name__, "serialization")
        ok = {"description": "OK", "content": {"application/json": {"schema": ok_schema}}}
        responses: dict[str, Any] = {"200": ok}
        if op.created_status:
            responses["200"] = {**ok, "description": "Updated"}
            responses["201"] = {**ok, "description": "Created"}
        for status in _statuses(op):
            responses[str(status)] = _error_ref(status)
        operation["responses"] = responses
        paths.setdefault(op.path, {})[op.method.lower()] = operation

    error_schema = ref("ErrorOut", "serialization")
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Barista shop API",
            "version": "1",
            "description": _description(max_body_bytes),
        },
        "servers": [{"url": server_url or API_PREFIX}],
        "security": [{"bearer": []}],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "The bot's SHOP_API_KEY.",
                }
            },
            "responses": {
                name: {
                    "description": text,
                    "content": {"application/json": {"schema": error_schema}},
                    **({"headers": _CHALLENGE} if status == 401 else {}),
                }
                for status, (name, text) in _ERRORS.items()
            },
        },
    }
