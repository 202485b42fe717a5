"""Who may call the API: the SHOP_API_KEY as a bearer token; nobody when it is not set."""

from __future__ import annotations

import pytest

from bot.shop.api import ShopApi
from tests.handlers.api.conftest import API_KEY, Api, Serve

PATHS = [
    ("GET", "/orders/o-1"),
    ("PUT", "/orders/o-1"),
    ("GET", "/customers/c-1"),
    ("PUT", "/customers/c-1"),
    ("GET", "/customers/c-1/profile"),
    ("POST", "/events"),
    ("POST", "/links"),
    ("GET", "/links"),
]

WRONG = {
    "no header": {},
    "empty bearer": {"Authorization": "Bearer "},
    "same length, wrong": {"Authorization": "Bearer " + "x" * len(API_KEY)},
    "a prefix of the key": {"Authorization": "Bearer " + API_KEY[:-1]},
    "longer than the key": {"Authorization": "Bearer " + API_KEY + "0"},
    "another scheme": {"Authorization": "Basic " + API_KEY},
    "the key without a scheme": {"Authorization": API_KEY},
    "not ASCII": {"Authorization": "Bearer ключ-" + API_KEY},
}


@pytest.mark.parametrize("headers", WRONG.values(), ids=WRONG.keys())
async def test_a_missing_or_wrong_key_is_401_and_nothing_is_stored(
    api: Api, headers: dict[str, str]
) -> None:
    reply = await api.call(
        "PUT", "/customers/c-1", json={"name": "Anna"}, auth=False, headers=headers
    )

    assert reply.status == 401
    assert reply.headers["WWW-Authenticate"].startswith("Bearer")
    assert reply.body["error"] == "unauthorized"
    assert API_KEY not in str(reply.body)
    assert (await api.call("GET", "/customers/c-1")).status == 404


@pytest.mark.parametrize(("method", "path"), PATHS)
async def test_every_route_needs_the_key(api: Api, method: str, path: str) -> None:
    reply = await api.call(method, path, json={}, auth=False)
    assert (reply.status, reply.body["error"]) == (401, "unauthorized")


async def test_the_scheme_is_case_insensitive(api: Api) -> None:
    reply = await api.call(
        "GET", "/links", auth=False, headers={"Authorization": f"bearer {API_KEY}"}
    )
    assert reply.status == 200


async def test_the_document_needs_no_key(api: Api) -> None:
    reply = await api.call("GET", "/openapi.json", auth=False)
    assert reply.status == 200
    assert reply.body["openapi"].startswith("3.1")


async def test_an_unknown_route_is_401_before_404(api: Api) -> None:
    # Without the key nothing about the API's routes is revealed.
    assert (await api.call("GET", "/nowhere", auth=False)).status == 401
    assert (await api.call("GET", "/nowhere")).status == 404


@pytest.mark.parametrize(("method", "path"), [*PATHS, ("GET", "/openapi.json"), ("GET", "/x")])
async def test_without_a_configured_key_the_api_is_off(
    shop: ShopApi, serve: Serve, method: str, path: str
) -> None:
    api = await serve(shop, api_key=None)

    reply = await api.call(method, path, json={"name": "Anna"})

    assert reply.status == 503
    assert reply.body["error"] == "api_disabled"
    assert "SHOP_API_KEY" in reply.body["message"]
