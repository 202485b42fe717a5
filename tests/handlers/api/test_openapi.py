"""The OpenAPI document: generated from the same models and operation table as the routes,
complete for integrators, and its examples valid for the edge's own validation."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from pydantic import TypeAdapter

from bot.shop.openapi import OPERATIONS, EventBatch, openapi_document
from bot.shop.schemas import SHOP_ID_PATTERN, SiteEventIn
from handlers.api.app import build_api

DOCUMENT = openapi_document()
OPERATIONS_BY_ID = {op.operation_id: op for op in OPERATIONS}


def documented_operations(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            yield method.upper(), path, operation


def refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from refs(value)


def test_it_is_openapi_3_1_with_a_relative_server_by_default() -> None:
    assert DOCUMENT["openapi"] == "3.1.0"
    assert DOCUMENT["servers"] == [{"url": "/api/v1"}]
    elsewhere = openapi_document(server_url="https://shop.example/api/v1")
    assert elsewhere["servers"] == [{"url": "https://shop.example/api/v1"}]


def test_the_routes_served_are_the_routes_documented() -> None:
    api = build_api(object(), api_key="k" * 16, max_body_bytes=1024)  # type: ignore[arg-type]
    served = {
        (route.method, route.resource.canonical)
        for route in api.router.routes()
        if route.method != "HEAD" and route.resource is not None
    }
    documented = {(method, path) for method, path, _ in documented_operations(DOCUMENT)}
    assert served == documented
    assert len(documented) == len(OPERATIONS) == 10


def test_every_reference_resolves() -> None:
    found = set(refs(DOCUMENT))
    assert found
    for ref in found:
        node: Any = DOCUMENT
        for part in ref.removeprefix("#/").split("/"):
            node = node[part]
        assert isinstance(node, dict), ref


@pytest.mark.parametrize(("method", "path", "operation"), list(documented_operations(DOCUMENT)))
def test_every_operation_documents_its_errors(
    method: str, path: str, operation: dict[str, Any]
) -> None:
    responses = operation["responses"]
    assert operation["description"] and operation["summary"]
    assert {"500", "503"} <= responses.keys()
    public = operation.get("security") == []
    assert public == (operation["operationId"] == "getOpenApi")
    assert ("401" in responses) == (not public)
    if "requestBody" in operation:
        assert {"400", "413", "415"} <= responses.keys()
    for parameter in operation.get("parameters", []):
        assert parameter["in"] == "path" and parameter["schema"]["pattern"] == SHOP_ID_PATTERN
        assert "400" in responses
    for status, response in responses.items():
        if int(status) >= 400:
            name = response["$ref"].rsplit("/", 1)[1]
            schema = DOCUMENT["components"]["responses"][name]["content"]["application/json"]
            assert schema["schema"] == {"$ref": "#/components/schemas/ErrorOut"}


def test_puts_document_201_and_200() -> None:
    for method, _, operation in documented_operations(DOCUMENT):
        codes = {c for c in operation["responses"] if c.startswith("2")}
        assert codes == ({"200", "201"} if method == "PUT" else {"200"})


def test_the_bearer_scheme_is_required_by_default() -> None:
    assert DOCUMENT["security"] == [{"bearer": []}]
    assert DOCUMENT["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"


def test_events_take_one_event_or_a_bounded_batch() -> None:
    [operation] = [o for m, p, o in documented_operations(DOCUMENT) if p == "/events"]
    schema = operation["requestBody"]["content"]["application/json"]["schema"]
    events_in = DOCUMENT["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    single, batch = events_in["anyOf"]
    assert single == {"$ref": "#/components/schemas/SiteEventIn"}
    assert batch["type"] == "array" and batch["maxItems"] == 1000


def test_the_description_explains_auth_errors_limits_and_visitor_links() -> None:
    text = openapi_document(max_body_bytes=4096)["info"]["description"]
    for needed in ("Authorization: Bearer", "413", "4096", '"field"', "v-<visitor_id>"):
        assert needed in text


def body_examples() -> Iterator[tuple[str, str, Any]]:
    for op in OPERATIONS:
        for name, value in op.examples:
            yield op.operation_id, name, value


@pytest.mark.parametrize(("operation_id", "name", "value"), list(body_examples()))
def test_every_example_passes_the_edges_validation(
    operation_id: str, name: str, value: Any
) -> None:
    body = OPERATIONS_BY_ID[operation_id].body
    assert body is not None
    raw = json.dumps(value)
    if operation_id == "postEvents":  # validated as the edge does: one event or a batch
        adapter: TypeAdapter[Any] = TypeAdapter(
            EventBatch if isinstance(value, list) else SiteEventIn
        )
        adapter.validate_json(raw, strict=True)
    else:
        body.model_validate_json(raw, strict=True)


def test_the_document_is_json() -> None:
    assert json.loads(json.dumps(DOCUMENT)) == DOCUMENT
