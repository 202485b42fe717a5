"""Bodies: JSON only, bounded in size however they are sent, validated strictly with the
shop's models, the first offending field named in dotted form — and nothing stored."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.shop.api import ShopApi
from tests.handlers.api.conftest import Api, Serve

ORDER = {"customer_id": "c-1001", "status": "paid", "total": 1490}
JSON = {"Content-Type": "application/json"}


async def test_a_valid_order_is_stored(api: Api, customer: dict[str, Any]) -> None:
    reply = await api.call("PUT", "/orders/o-1", json=ORDER)
    assert reply.status == 201
    assert (reply.body["shop_order_id"], reply.body["total"]) == ("o-1", 1490)


@pytest.mark.parametrize(
    ("body", "field", "says"),
    [
        ({**ORDER, "total": "1490"}, "total", "valid number"),
        ({**ORDER, "status": "payed"}, "status", "'paid'"),
        ({**ORDER, "stauts": "paid"}, "stauts", "Extra inputs"),
        ({k: v for k, v in ORDER.items() if k != "status"}, "status", "required"),
        (
            {**ORDER, "items": [{"sku": "A", "name": "Beans", "price": 1, "qty": 0}]},
            "items.0.qty",
            "greater than or equal to 1",
        ),
        (
            {**ORDER, "items": [{"sku": "A", "name": "Beans", "price": 1, "qty": True}]},
            "items.0.qty",
            "valid integer",
        ),
        ({**ORDER, "created_at": "2026-03-02T09:00:00"}, "created_at", "timezone"),
        ({**ORDER, "customer_id": "bad id"}, "customer_id", "pattern"),
        ({**ORDER, "currency": "rub"}, "currency", "pattern"),
    ],
)
async def test_an_invalid_field_is_named_and_nothing_is_stored(
    api: Api, customer: dict[str, Any], body: dict[str, Any], field: str, says: str
) -> None:
    reply = await api.call("PUT", "/orders/o-1", json=body)

    assert reply.status == 400
    assert reply.body["error"] == "bad_request"
    assert reply.body["field"] == field
    assert reply.body["message"].startswith(f"{field}: ") and says in reply.body["message"]
    assert (await api.call("GET", "/orders/o-1")).status == 404


@pytest.mark.parametrize(
    "raw",
    [b"{", b"", b"{'customer_id': 'c-1001'}", b"\xff\xfe", b"[" * 5000 + b"]" * 5000],
    ids=["truncated", "empty", "single quotes", "not UTF-8", "nested too deep"],
)
async def test_malformed_json_is_400(api: Api, raw: bytes) -> None:
    reply = await api.call("PUT", "/orders/o-1", data=raw, headers=JSON)
    assert reply.status == 400
    assert reply.body["error"] == "bad_request"
    assert reply.body["message"].startswith("malformed JSON")
    assert reply.body["field"] is None


@pytest.mark.parametrize("raw", [b'[{"customer_id": "c-1001"}]', b'"paid"', b"1490", b"null"])
async def test_a_body_that_is_not_an_object_is_400(api: Api, raw: bytes) -> None:
    reply = await api.call("PUT", "/orders/o-1", data=raw, headers=JSON)
    assert (reply.status, reply.body["error"]) == (400, "bad_request")
    assert reply.body["message"] == "Input should be an object"


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/x-www-form-urlencoded", "application/json; charset=latin-1"],
)
async def test_a_body_that_is_not_utf8_json_is_415(
    api: Api, customer: dict[str, Any], content_type: str
) -> None:
    reply = await api.call(
        "PUT",
        "/orders/o-1",
        data=b'{"customer_id": "c-1001"}',
        headers={"Content-Type": content_type},
    )
    assert (reply.status, reply.body["error"]) == (415, "unsupported_media_type")


async def test_a_body_without_content_type_is_415(api: Api) -> None:
    # aiohttp's client adds none to raw bytes: the server sees application/octet-stream.
    reply = await api.call("POST", "/links", data=b'{"campaign": "spring"}')
    assert reply.status == 415


LIMIT = 2048


@pytest.fixture
async def small(shop: ShopApi, serve: Serve) -> Api:
    """The API with a body limit of 2 KiB."""
    api = await serve(shop, max_body_bytes=LIMIT)
    assert (await api.call("PUT", "/customers/c-1001", json={})).status == 201
    return api


def padded(size: int) -> bytes:
    """A valid order body of exactly `size` bytes (JSON allows the trailing spaces)."""
    raw = b'{"customer_id": "c-1001", "status": "paid", "total": 1490}'
    return raw + b" " * (size - len(raw))


async def test_a_body_at_the_limit_is_accepted(small: Api) -> None:
    reply = await small.call("PUT", "/orders/o-1", data=padded(LIMIT), headers=JSON)
    assert reply.status == 201


async def test_a_body_over_the_limit_with_content_length_is_413(small: Api) -> None:
    reply = await small.call("PUT", "/orders/o-1", data=padded(LIMIT + 1), headers=JSON)

    assert (reply.status, reply.body["error"]) == (413, "payload_too_large")
    assert str(LIMIT) in reply.body["message"]
    assert (await small.call("GET", "/orders/o-1")).status == 404


async def test_a_chunked_body_over_the_limit_is_413(small: Api) -> None:
    body = padded(LIMIT + 600)

    async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: sent chunked
        for start in range(0, len(body), 500):
            yield body[start : start + 500]

    reply = await small.call("PUT", "/orders/o-1", data=chunks(), headers=JSON)

    assert (reply.status, reply.body["error"]) == (413, "payload_too_large")
    assert (await small.call("GET", "/orders/o-1")).status == 404


async def test_a_chunked_body_under_the_limit_is_read_whole(small: Api) -> None:
    body = padded(LIMIT - 10)

    async def chunks() -> AsyncIterator[bytes]:
        for start in range(0, len(body), 100):
            yield body[start : start + 100]

    reply = await small.call("PUT", "/orders/o-1", data=chunks(), headers=JSON)
    assert reply.status == 201
