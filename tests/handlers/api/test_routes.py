"""Every route over the real shop service: what it answers, what it refuses, and that a
refused request stored nothing."""

from __future__ import annotations

from typing import Any

import pytest

from bot.shop.openapi import openapi_document
from bot.shop.schemas import MAX_EVENTS
from tests.handlers.api.conftest import MAX_BODY, Api

VISITOR = "2f1c9a7e-5b3d-4e8a-9c1f-0a7b6d5e4c3b"


def order(status: str = "paid", **extra: Any) -> dict[str, Any]:
    return {
        "customer_id": "c-1001",
        "status": status,
        "total": 2980,
        "items": [{"sku": "BEANS-1KG", "name": "Ethiopia, 1 kg", "qty": 2, "price": 1490}],
        "created_at": "2026-03-02T09:00:00+03:00",
        **extra,
    }


# -- customers ---------------------------------------------------------------------------


async def test_put_customer_creates_then_updates(api: Api) -> None:
    created = await api.call("PUT", "/customers/c-1001", json={"name": "Anna"})
    updated = await api.call(
        "PUT", "/customers/c-1001", json={"name": "Anna P.", "email": "anna@example.com"}
    )

    assert created.status == 201 and created.body["created"] is True
    assert updated.status == 200 and updated.body["created"] is False
    assert updated.body["name"] == "Anna P." and updated.body["email"] == "anna@example.com"
    assert updated.body["linked"] is False
    assert updated.body["deep_link"].startswith("https://t.me/")
    assert updated.body["deep_link"] == created.body["deep_link"]


async def test_put_customer_stores_the_phone_in_e164(api: Api) -> None:
    reply = await api.call("PUT", "/customers/c-1001", json={"phone": "8 (912) 345-67-89"})
    assert reply.status == 201
    assert reply.body["phone"] == "+79123456789"


async def test_an_impossible_phone_is_400_naming_it(api: Api) -> None:
    reply = await api.call("PUT", "/customers/c-1001", json={"phone": "12345"})

    assert (reply.status, reply.body["field"]) == (400, "phone")
    assert (await api.call("GET", "/customers/c-1001")).status == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [({"email": "anna-at-example"}, "email"), ({"name": ""}, "name"), ({"nick": "a"}, "nick")],
)
async def test_put_customer_refuses_bad_fields(api: Api, body: dict[str, Any], field: str) -> None:
    reply = await api.call("PUT", "/customers/c-1001", json=body)
    assert (reply.status, reply.body["field"]) == (400, field)


async def test_get_customer(api: Api, customer: dict[str, Any]) -> None:
    reply = await api.call("GET", "/customers/c-1001")
    assert reply.status == 200
    assert reply.body == {**customer, "created": False}


async def test_an_unknown_customer_is_404(api: Api) -> None:
    reply = await api.call("GET", "/customers/c-404")
    assert (reply.status, reply.body["error"]) == (404, "not_found")
    assert "c-404" in reply.body["message"]


@pytest.mark.parametrize("path", ["/customers/-c1", "/customers/c%201", "/customers/a%2Fb"])
async def test_a_malformed_id_in_the_path_is_400(api: Api, path: str) -> None:
    reply = await api.call("GET", path)
    assert (reply.status, reply.body["field"]) == (400, "shop_customer_id")


async def test_an_id_longer_than_64_characters_is_400(api: Api) -> None:
    reply = await api.call("PUT", "/customers/" + "c" * 65, json={})
    assert (reply.status, reply.body["field"]) == (400, "shop_customer_id")


# -- orders ------------------------------------------------------------------------------


async def test_put_order_creates_then_records_each_new_status(
    api: Api, customer: dict[str, Any]
) -> None:
    created = await api.call("PUT", "/orders/o-5512", json=order("paid"))
    repeated = await api.call("PUT", "/orders/o-5512", json=order("paid"))
    shipped = await api.call("PUT", "/orders/o-5512", json=order("shipped"))

    assert (created.status, created.body["created"]) == (201, True)
    assert (repeated.status, repeated.body["created"]) == (200, False)
    assert shipped.status == 200
    assert [c["status"] for c in shipped.body["status_history"]] == ["paid", "shipped"]
    assert shipped.body["items"][0] == {
        "sku": "BEANS-1KG",
        "name": "Ethiopia, 1 kg",
        "qty": 2,
        "price": 1490,
        "category": None,
    }
    got = await api.call("GET", "/orders/o-5512")
    assert got.status == 200
    assert got.body["status"] == "shipped" and got.body["customer_id"] == "c-1001"
    assert got.body["created_at"] == shipped.body["created_at"]


async def test_an_order_of_an_unknown_customer_is_404_and_not_stored(api: Api) -> None:
    reply = await api.call("PUT", "/orders/o-5512", json=order())

    assert (reply.status, reply.body["error"]) == (404, "not_found")
    assert "c-1001" in reply.body["message"]
    assert (await api.call("GET", "/orders/o-5512")).status == 404


async def test_an_unknown_order_is_404(api: Api) -> None:
    reply = await api.call("GET", "/orders/o-404")
    assert (reply.status, reply.body["error"]) == (404, "not_found")


async def test_put_order_refuses_a_malformed_path_id(api: Api, customer: dict[str, Any]) -> None:
    reply = await api.call("PUT", "/orders/o:5512%0A", json=order())
    assert (reply.status, reply.body["field"]) == (400, "shop_order_id")


# -- profile -----------------------------------------------------------------------------


async def test_profile_of_a_customer_with_an_order(api: Api, customer: dict[str, Any]) -> None:
    await api.call("PUT", "/orders/o-5512", json=order())

    reply = await api.call("GET", "/customers/c-1001/profile")

    assert reply.status == 200
    assert reply.body["shop_customer_id"] == "c-1001"
    assert reply.body["linked"] is False
    assert [o["shop_order_id"] for o in reply.body["orders"]] == ["o-5512"]


async def test_profile_of_an_unknown_customer_is_404(api: Api) -> None:
    reply = await api.call("GET", "/customers/c-404/profile")
    assert (reply.status, reply.body["error"]) == (404, "not_found")


# -- events ------------------------------------------------------------------------------


def event(event_id: str, **extra: Any) -> dict[str, Any]:
    return {"type": "product_view", "id": event_id, "visitor_id": VISITOR, **extra}


async def test_one_event_or_a_batch(api: Api, customer: dict[str, Any]) -> None:
    one = await api.call("POST", "/events", json=event("e-1", page="Prices"))
    batch = await api.call(
        "POST",
        "/events",
        json=[
            event("e-2", product={"sku": "C40"}),
            {"type": "add_to_cart", "id": "e-3", "customer_id": "c-1001"},
        ],
    )

    assert one.status == 200 and one.body == {"accepted": 1, "duplicates": 0, "linked": 0}
    assert batch.status == 200 and batch.body["accepted"] == 2


async def test_repeated_event_ids_are_stored_once(api: Api) -> None:
    first = await api.call("POST", "/events", json=[event("e-1"), event("e-2")])
    again = await api.call("POST", "/events", json=[event("e-1"), event("e-2"), event("e-3")])

    assert first.body["accepted"] == 2
    assert (again.body["accepted"], again.body["duplicates"]) == (1, 2)


async def test_a_batch_with_one_bad_event_is_400_and_nothing_is_stored(api: Api) -> None:
    reply = await api.call(
        "POST", "/events", json=[event("e-1"), event("e-2"), event("e-3", type="purchase")]
    )

    assert (reply.status, reply.body["field"]) == (400, "2.type")
    # Had anything been stored, these ids would now be duplicates.
    retry = await api.call("POST", "/events", json=[event("e-1"), event("e-2")])
    assert retry.body == {"accepted": 2, "duplicates": 0, "linked": 0}


async def test_a_batch_naming_an_unknown_customer_is_404_and_nothing_is_stored(
    api: Api,
) -> None:
    reply = await api.call(
        "POST",
        "/events",
        json=[event("e-1"), {"type": "search", "id": "e-2", "customer_id": "c-404"}],
    )

    assert (reply.status, reply.body["error"]) == (404, "not_found")
    retry = await api.call("POST", "/events", json=[event("e-1")])
    assert retry.body["duplicates"] == 0


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"type": "search", "query": "c40"}, None),  # neither customer nor visitor
        ({"type": "search", "visitor_id": "v 1"}, "visitor_id"),
        ({"type": "page_view", "visitor_id": "v1", "at": "yesterday"}, "at"),
        ({"type": "product_view", "visitor_id": "v1", "product": {"price": 5}}, "product"),
        ([event("e-1"), {"type": "search"}], "1"),
    ],
)
async def test_events_refuse_bad_fields(api: Api, body: Any, field: str | None) -> None:
    reply = await api.call("POST", "/events", json=body)
    assert (reply.status, reply.body["field"]) == (400, field)


async def test_a_batch_over_the_maximum_is_400(api: Api) -> None:
    events = [{"type": "page_view", "visitor_id": "v1"}] * (MAX_EVENTS + 1)
    reply = await api.call("POST", "/events", json=events)
    assert reply.status == 400
    assert str(MAX_EVENTS) in reply.body["message"]


# -- links -------------------------------------------------------------------------------


async def test_links_are_idempotent_and_listed(api: Api) -> None:
    body = {"campaign": "spring_sale", "ad": "ig1", "creative": "video-a"}
    first = await api.call("POST", "/links", json=body)
    again = await api.call("POST", "/links", json=body)
    listed = await api.call("GET", "/links")

    assert first.status == again.status == 200
    assert first.body == again.body
    assert (
        first.body["url"].startswith("https://t.me/") and first.body["payload"] in first.body["url"]
    )
    assert listed.status == 200
    [link] = listed.body["links"]
    assert link["url"] == first.body["url"]
    assert (link["starts"], link["conversions"], link["revenue"]) == (0, 0, 0)


@pytest.mark.parametrize(
    ("body", "field"),
    [({}, None), ({"campaign": "x" * 65}, "campaign"), ({"campaign": "a", "utm": "b"}, "utm")],
)
async def test_a_bad_link_is_400(api: Api, body: dict[str, Any], field: str | None) -> None:
    reply = await api.call("POST", "/links", json=body)
    assert (reply.status, reply.body["field"]) == (400, field)


async def test_a_link_that_cannot_fit_telegrams_payload_is_400(api: Api) -> None:
    reply = await api.call(
        "POST", "/links", json={"campaign": "c" * 30, "ad": "a" * 30, "creative": "x" * 30}
    )
    assert reply.status == 400
    assert reply.body["field"] in ("campaign", "ad", "creative")


async def test_no_links_yet(api: Api) -> None:
    reply = await api.call("GET", "/links")
    assert (reply.status, reply.body) == (200, {"links": []})


# -- the document, unknown routes and methods --------------------------------------------


async def test_the_served_document_is_the_generated_one(api: Api) -> None:
    reply = await api.call("GET", "/openapi.json")
    assert reply.status == 200
    assert reply.body == openapi_document(max_body_bytes=MAX_BODY)


@pytest.mark.parametrize("path", ["/nowhere", "/orders", "/orders/o-1/items", "/"])
async def test_an_unknown_route_is_a_json_404(api: Api, path: str) -> None:
    reply = await api.call("GET", path)
    assert (reply.status, reply.body["error"]) == (404, "not_found")


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("DELETE", "/orders/o-1", {"GET", "PUT"}),
        ("POST", "/customers/c-1", {"DELETE", "GET", "PUT"}),
        ("PUT", "/links", {"GET", "POST"}),
        ("GET", "/events", {"POST"}),
    ],
)
async def test_a_wrong_method_is_a_json_405_with_allow(
    api: Api, method: str, path: str, allowed: set[str]
) -> None:
    reply = await api.call(method, path, json={})

    assert (reply.status, reply.body["error"]) == (405, "method_not_allowed")
    assert set(reply.headers["Allow"].split(",")) - {"HEAD"} == allowed
