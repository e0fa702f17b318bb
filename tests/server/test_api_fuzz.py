"""Schemathesis against the server's own OpenAPI document: no 5xx, no schema violations.

Every operation gets generated requests, valid and invalid, with a supervisor's token whose
session is bound to an enrolled console, so the sync endpoints are reached too.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance

from console.domain.workflow import Role
from tests.server.process import Server, start_server


@pytest.fixture(scope="module")
def fuzzed_server(
    pg_database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    running = start_server(pg_database_url, tmp_path_factory.mktemp("fuzz"))
    yield running
    running.stop()


@pytest.fixture(scope="module")
def token(fuzzed_server: Server) -> str:
    client_id, _seat = fuzzed_server.console()
    return fuzzed_server.login(fuzzed_server.user(Role.SUPERVISOR), client_id)


@pytest.fixture(scope="module")
def api(fuzzed_server: Server) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_url(fuzzed_server.url + "/openapi.json")


def test_no_request_makes_the_server_fail_or_break_its_own_schema(
    api: schemathesis.BaseSchema, token: str
) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    operations = [result.ok() for result in api.get_all_operations()]
    assert len(operations) > 20
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
        def call(case: schemathesis.Case) -> None:
            case.call_and_validate(
                headers=headers, checks=[not_a_server_error, response_schema_conformance]
            )

        call()
