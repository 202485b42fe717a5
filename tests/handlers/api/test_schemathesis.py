"""Property-based tests of the running API against the document it serves (schemathesis):
for every operation, the document's examples and then generated requests, valid and
invalid, with the key. Checks: no 5xx, every status documented, every body (errors
included) matching its schema and content type.

Schemathesis calls synchronously (`requests`), so it runs in a worker thread while the
server keeps serving on the test's event loop.
"""

from __future__ import annotations

import asyncio

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import APIOperation, Case, GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from bot.shop.openapi import OPERATIONS
from tests.handlers.api.conftest import AUTH, Api

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    response_schema_conformance,
    content_type_conformance,
]
SETTINGS = settings(
    max_examples=25,
    phases=[Phase.explicit, Phase.generate],  # no shrinking: a failure is shown as found
    deadline=None,
    database=None,
    derandomize=True,  # the same requests on every run: a failure reproduces
    suppress_health_check=list(HealthCheck),
)
# The document itself is left out by schemathesis (it is where the schema came from).
FUZZED = {op.operation_id: op for op in OPERATIONS if not op.public}


def run(api: Api, operation: APIOperation, mode: GenerationMode) -> set[int]:
    """One operation's examples and generated cases in one mode; the statuses seen."""
    statuses: set[int] = set()

    @SETTINGS
    @given(case=operation.as_strategy(generation_mode=mode))
    def check(case: Case) -> None:
        response = case.call_and_validate(base_url=api.base_url, headers=AUTH, checks=CHECKS)
        statuses.add(response.status_code)

    check()
    return statuses


def fuzz(api: Api, operation_id: str) -> dict[str, set[int]]:
    schema = schemathesis.openapi.from_url(f"{api.base_url}/openapi.json")
    operation = schema.find_operation_by_id(operation_id)
    return {
        mode.value: run(api, operation, mode)
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    }


@pytest.mark.parametrize("operation_id", FUZZED)
async def test_the_api_keeps_to_its_document(api: Api, operation_id: str) -> None:
    # The customer of the document's examples, so that PUT /orders' example is accepted.
    assert (await api.call("PUT", "/customers/c-1001", json={"name": "Anna"})).status == 201

    seen = await asyncio.to_thread(fuzz, api, operation_id)

    assert seen["positive"] & {200, 201, 404}, seen  # valid requests got through to the service
    op = FUZZED[operation_id]
    if op.body or op.path_parameter:  # and invalid ones were refused
        assert 400 in seen["negative"], seen
