"""Failures inside the service: domain errors become 4xx, anything else one logged 500 —
with neither the API key nor the body in the log or the answer."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any, NoReturn

import pytest

from bot.shop.errors import InvalidField, NotFound, ShopError
from bot.shop.schemas import SiteEventIn
from tests.handlers.api.conftest import API_KEY, Serve


class FailingShop:
    """A `ShopApi` whose every call raises the given error: the edge's error mapping is what
    these tests are about, so the service's own behaviour is left out."""

    def __init__(self, error: Exception) -> None:
        self.error = error
        self.calls = 0

    def _fail(self, *args: Any) -> NoReturn:
        self.calls += 1
        raise self.error

    async def put_order(self, *args: Any) -> NoReturn:
        self._fail(*args)

    async def get_order(self, *args: Any) -> NoReturn:
        self._fail(*args)

    async def put_customer(self, *args: Any) -> NoReturn:
        self._fail(*args)

    async def get_customer(self, *args: Any) -> NoReturn:
        self._fail(*args)

    async def record_events(self, events: Sequence[SiteEventIn]) -> NoReturn:
        self._fail(events)

    async def create_link(self, *args: Any) -> NoReturn:
        self._fail(*args)

    async def list_links(self) -> NoReturn:
        self._fail()

    async def customer_profile(self, *args: Any) -> NoReturn:
        self._fail(*args)


SECRET_PHONE = "+79123456789"


async def test_an_unexpected_error_is_one_logged_500(
    serve: Serve, caplog: pytest.LogCaptureFixture
) -> None:
    shop = FailingShop(RuntimeError("database is on fire"))
    api = await serve(shop)

    with caplog.at_level(logging.DEBUG):
        reply = await api.call("PUT", "/customers/c-1", json={"phone": SECRET_PHONE})

    assert reply.status == 500
    assert reply.body["error"] == "internal"
    assert "database is on fire" not in reply.body["message"]  # no internals to the caller
    failures = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(failures) == 1
    assert failures[0].exc_info is not None
    assert "database is on fire" in caplog.text  # the traceback is in the log
    incident = reply.body["message"].split("incident ")[1].split()[0]
    assert incident in failures[0].getMessage()
    assert API_KEY not in caplog.text and SECRET_PHONE not in caplog.text
    assert API_KEY not in str(reply.body) and SECRET_PHONE not in str(reply.body)


@pytest.mark.parametrize(
    ("error", "status", "code", "field"),
    [
        (NotFound("customer", "c-1"), 404, "not_found", None),
        (InvalidField("phone", "'12345' is not a valid phone number"), 400, "bad_request", "phone"),
        (ShopError("links kept changing"), 400, "bad_request", None),
    ],
)
async def test_domain_errors_map_to_4xx(
    serve: Serve,
    caplog: pytest.LogCaptureFixture,
    error: Exception,
    status: int,
    code: str,
    field: str | None,
) -> None:
    api = await serve(FailingShop(error))

    with caplog.at_level(logging.WARNING):
        reply = await api.call("GET", "/customers/c-1")

    assert reply.status == status
    assert reply.body == {"error": code, "message": str(error), "field": field}
    assert not caplog.records  # the caller's mistake is not the bot's error


async def test_validation_happens_before_the_service_is_called(serve: Serve) -> None:
    shop = FailingShop(RuntimeError("must not be reached"))
    api = await serve(shop)

    replies = [
        await api.call("PUT", "/orders/o-1", json={"customer_id": "c-1"}),
        await api.call("POST", "/events", json=[{"type": "search"}]),
        await api.call("PUT", "/customers/-bad-", json={}),
        await api.call("POST", "/links", data=b"{", headers={"Content-Type": "application/json"}),
    ]

    assert [r.status for r in replies] == [400, 400, 400, 400]
    assert shop.calls == 0
