"""Schemathesis against the server's own OpenAPI document, on PostgreSQL and on SQLite: no 5xx,
no schema violations.

Every operation gets generated requests, valid ones and ones breaking each constraint of the
schema (a string one past its maxLength, a number past its bound), with a supervisor's token
whose session is bound to an enrolled console, so the sync endpoints are reached too. On top,
edge cases no schema suggests: every date-time at the ends of the calendar or of the time
zones, and, in one value of the query, path or body, text of every awkward kind (NUL, lone
surrogates where the transport can carry them: JSON bodies only, astral, combining and
direction marks, very long), huge numbers and such dates.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error, response_schema_conformance

from console.domain.workflow import Role
from tests.server.process import Server

EDGE_DATES = (
    "0001-01-01T00:00:00+14:00",
    "0001-01-01T00:00:00Z",
    "9999-12-31T23:59:59-23:59",
    "9999-12-31T23:59:59.999999+23:59",
    "1970-01-01T00:00:00-23:59",
    "1999-12-31T23:59:59Z",
    "2000-01-01T00:00:00Z",
    "2099-12-31T23:30:00-00:31",
    "2024-02-29T12:00:00+08:00",
)
EDGE_TEXT = (
    "\x00",
    "降价幅度50\x00以上",
    "50%00",
    "\\u0000",
    "𠀀𠀁",
    "😀" * 10,
    "e\u0301\u0301\u0301",
    "\u202eabc\u200f",
    "\ufeff",
    "\uffff",
    "摊" * 4001,
    "x" * 100_001,
    "",
    " ",
)
LONE_SURROGATES = ("\ud800", "x\udbff", "\udfff\ud800")  # JSON escapes them; URLs and forms cannot
EDGE_NUMBERS = (2**31, 2**53 + 1, 2**63, 2**64, -(2**63) - 1, 10**30, 1e308, -0.0, 5e-324)
IN_URL = st.sampled_from(EDGE_TEXT + EDGE_DATES) | st.sampled_from(EDGE_NUMBERS).map(str)
IN_FORM = st.sampled_from(EDGE_TEXT + EDGE_DATES + EDGE_NUMBERS)
IN_JSON = IN_FORM | st.sampled_from(LONE_SURROGATES)


def _moment(at: datetime, offset_minutes: int) -> str:
    sign = "+" if offset_minutes >= 0 else "-"
    hours, minutes = divmod(abs(offset_minutes), 60)
    return f"{at.isoformat()}{sign}{hours:02d}:{minutes:02d}"


DATE_TIMES = st.sampled_from(EDGE_DATES) | st.builds(
    _moment,
    st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30)),
    st.integers(-(24 * 60 - 1), 24 * 60 - 1),
)


def leaves(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """The paths to the scalar values in `value`."""
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from leaves(inner, (*path, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from leaves(inner, (*path, index))
    else:
        yield path


def replaced(case: schemathesis.Case, where: str, path: tuple[Any, ...], value: Any) -> Any:
    """A copy of `case`, the value at `path` of its `where` (query, path or body) replaced.

    Made without the generation's metadata: schemathesis would check the changed value against
    the schema again, with a validator that cannot take a lone surrogate."""
    parts = {"query": case.query, "path_parameters": case.path_parameters, "body": case.body}
    parts = copy.deepcopy(parts)
    if path:
        parent = parts[where]
        for step in path[:-1]:
            parent = parent[step]
        parent[path[-1]] = value
    else:
        parts[where] = value
    return schemathesis.Case(
        operation=case.operation,
        method=case.method,
        path=case.path,
        headers=case.headers.copy(),
        cookies=case.cookies.copy(),
        media_type=case.media_type,
        **parts,
    )


def with_an_edge_case(case: schemathesis.Case) -> st.SearchStrategy[schemathesis.Case]:
    """The case as generated, or with one value of its query, path or body an edge case."""
    body = IN_JSON if case.media_type == "application/json" else IN_FORM
    places = [("query", IN_URL, case.query), ("path_parameters", IN_URL, case.path_parameters)]
    places += [("body", body, case.body)] if isinstance(case.body, dict | list) else []
    options = [st.just(case)]
    for where, values, container in places:
        paths = list(leaves(container)) if container else []
        if paths:
            at = st.sampled_from(paths)
            options.append(st.builds(replaced, st.just(case), st.just(where), at, values))
    return st.one_of(options)


def takes_input(operation: schemathesis.APIOperation) -> bool:
    parts = (operation.path_parameters, operation.query, operation.headers, operation.body)
    return any(len(part) for part in parts)


@pytest.fixture(scope="module")
def token(server: Server) -> str:
    console = server.console()
    return server.login(server.user(Role.SUPERVISOR), console)


@pytest.fixture(scope="module")
def api(server: Server) -> schemathesis.BaseSchema:
    # Process-wide in schemathesis: no other module uses it.
    schemathesis.openapi.format("date-time", DATE_TIMES)
    return schemathesis.openapi.from_url(server.url + "/openapi.json")


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_no_request_makes_the_server_fail_or_break_its_own_schema(
    api: schemathesis.BaseSchema, token: str, mode: GenerationMode
) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    operations = [result.ok() for result in api.get_all_operations()]
    assert len(operations) > 20
    for operation in operations:
        if mode is GenerationMode.NEGATIVE and not takes_input(operation):
            continue  # nothing to break

        @given(case=operation.as_strategy(mode).flatmap(with_an_edge_case))
        @settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
        def call(case: schemathesis.Case) -> None:
            case.call_and_validate(
                headers=headers, checks=[not_a_server_error, response_schema_conformance]
            )

        call()
