"""Text is checked per field, never per batch, and a push never fails after it has committed.

Text no database can store (a NUL, a lone surrogate) refuses the one mutation that carries it,
naming the field, or a typed request's field (422); text that merely looks like it ("50%00",
a backslash and "u0000") is stored as typed. Bodies go as raw bytes: JSON escapes a lone
surrogate ("\\ud800"), where an HTTP client's own encoder would refuse it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from console.central.mutations import HANDLERS
from console.domain.edits import EDITABLE
from console.domain.workflow import Role
from tests.server.cases import AGENCY, Cases, person
from tests.server.process import Server
from tests.server.seats import Seat, Seats, case_args, ledger

LOOKALIKES = ("降价幅度50%00以上", "路径C:\\u0000\\x00原样", "%00%2500")


def post(http: httpx.Client, path: str, body: Any) -> httpx.Response:
    raw = json.dumps(body).encode()  # ASCII: a lone surrogate as its \u escape
    return http.post(path, content=raw, headers={"Content-Type": "application/json"})


def push(seat: Seat, *mutations: tuple[str, dict[str, Any]]) -> httpx.Response:
    body = {"client_id": seat.client_id, "mutations": seat.batch(*mutations)}
    return post(seat.http, "/v1/sync/push", body)


def test_text_that_only_looks_like_nul_is_stored_as_typed(server: Server, seats: Seats) -> None:
    seat = seats.open(server)
    creates = [seat.new_case(description=text, address=text) for text in LOOKALIKES]
    response = push(seat, *(("case.create", args) for args in creates))
    assert response.status_code == 200, response.text
    assert {r["status"] for r in response.json()["results"]} == {"applied"}
    for args in creates:
        stored = seat.http.get(f"/v1/cases/{args['id']}").json()
        assert (stored["description"], stored["address"]) == (args["description"],) * 2


def test_unstorable_text_rejects_only_its_own_mutation_naming_the_field(
    server: Server, seats: Seats
) -> None:
    seat = seats.open(server)
    kept = seat.create()
    mutations = [
        ("case.create", seat.new_case()),
        ("case.create", seat.new_case(description="降价幅度50\x00以上")),
        ("case.create", seat.new_case(assisting_agencies=["\ud800"])),
        ("case.create", seat.new_case()),
        ("case.update", {"case_id": "x\ud800", "base_version": 1, "set": {}}),
        ("case.update", {"case_id": kept, "base_version": 1, "set": {"address\x00": "x"}}),
        ("case.add_note", {"case_id": kept, "text": "a\udfffb"}),
    ]
    first = push(seat, *mutations)
    assert first.status_code == 200, first.text
    outcomes = [(r["status"], r.get("reason"), r.get("field")) for r in first.json()["results"]]
    rejected = ("rejected", "invalid_text")
    assert outcomes == [
        ("applied", None, None),
        (*rejected, "description"),
        (*rejected, "assisting_agencies.0"),
        ("applied", None, None),
        (*rejected, "case_id"),
        (*rejected, "set.address\\u0000"),
        (*rejected, "text"),
    ]
    assert ledger(server, seat.client_id) == seat.last_mid
    seat.last_mid -= len(mutations)
    again = push(seat, *mutations)
    assert (again.status_code, again.json()) == (200, first.json())


def test_typed_bodies_refuse_unstorable_text_naming_the_field(server: Server) -> None:
    agency = person(server, Role.AGENCY, AGENCY)
    cases = Cases(server.database_url)
    case_id = cases.in_status("accepted")
    cases.close()
    login = {"username": agency.username, "password": "correct horse battery staple"}
    refusals = [
        ("/v1/auth/login", {**login, "username": "x\x00"}, "username"),
        ("/v1/auth/login", {**login, "password": "x\ud800y"}, "password"),
        ("/v1/auth/login", {**login, "\udc00": 1}, "\\udc00"),
        (f"/v1/cases/{case_id}/reply", {"text": "已处理\x00"}, "text"),
        (f"/v1/cases/{case_id}/return", {"reason_code": ["\ud83d"]}, "reason_code.0"),
    ]
    with server.client(agency.token) as http:
        for path, body, field in refusals:
            response = post(http, path, body)
            assert response.status_code == 422, (body, response.text)
            assert response.json()["error"]["fields"] == [{"field": field, "code": "invalid_text"}]
        for text in LOOKALIKES:
            assert post(http, "/v1/auth/login", {**login, "username": text}).status_code == 401
        assert http.get("/v1/cases", params={"text": "a\x00b"}).status_code == 422
        form = {"api_key": "k\x00", "service_code": "010101", "address_string": "朝阳区"}
        open311 = http.post("/open311/v2/requests.json", data=form)
    assert open311.status_code == 400
    assert open311.json()[0]["description"].startswith("api_key: ")


# Text of every kind a client may send: any character at all (lone surrogates too), and the
# edge cases, also repeated to great length.
ODD = ("\x00", "\ud800", "\udfff", "x\udbff", "50%00", "\\u0000", "𠀀", "😀", "e\u0301")
ODD += ("\u200f", "\u202e", "\ufeff", "\uffff", "", " ", "摊")
TEXT = st.one_of(
    st.text(st.characters(), max_size=20),
    st.sampled_from(ODD),
    st.builds(lambda text, times: text * times, st.sampled_from(ODD), st.integers(1, 20_000)),
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(2**80), max_value=2**80),
    st.floats(allow_nan=False, allow_infinity=False),
    TEXT,
)
JSON_VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=12,
)
NAMES = st.sampled_from(sorted(HANDLERS)) | st.from_regex(r"\A[a-z][a-z0-9_.]{0,12}\Z")
FIELDS = st.sampled_from(["case_id", "base_version", "set", "text", "description", "id"]) | TEXT


@dataclass
class Fuzzed:
    """A console of the hypothesis test's own, and its case, which another console keeps
    changing: an update from an older version conflicts, and echoes the value sent."""

    seat: Seat
    other: Seat
    case_id: str

    def changed_elsewhere(self) -> None:
        changes = {"address": "工体北路4号", "caller_name": "李女士", "community": "幸福村"}
        mutation = {"case_id": self.case_id, "base_version": 2**40, "set": changes}
        assert self.other.push(("case.update", mutation))[0]["status"] == "applied"


@pytest.fixture(scope="module")
def fuzzed(server: Server) -> Iterator[Fuzzed]:
    seat, other = Seat.open(server), Seat.open(server, Role.SUPERVISOR)
    yield Fuzzed(seat, other, seat.create())
    seat.http.close()
    other.http.close()


def mutations(seat: Seat, case_id: str) -> st.SearchStrategy[tuple[str, dict[str, Any]]]:
    """Any name with any arguments, and the mutations a console sends with any values."""
    aimed = st.fixed_dictionaries({}, optional={"case_id": st.just(case_id)})
    anything = st.builds(lambda a, b: {**b, **a}, aimed, st.dictionaries(FIELDS, JSON_VALUES))
    create = st.builds(
        lambda changes: case_args(seat.seat_code, next(seat.numbers), **changes),
        st.dictionaries(FIELDS, JSON_VALUES, max_size=3),
    )
    edits = st.dictionaries(st.sampled_from(EDITABLE), TEXT | JSON_VALUES, min_size=1, max_size=3)
    update = st.fixed_dictionaries(
        {"case_id": st.just(case_id), "base_version": st.integers(0, 3), "set": edits}
    )
    note = st.fixed_dictionaries({"case_id": st.just(case_id), "text": TEXT | JSON_VALUES})
    return st.one_of(
        st.tuples(NAMES, anything),
        st.tuples(st.just("case.create"), create),
        st.tuples(st.just("case.update"), update),
        st.tuples(st.just("case.add_note"), note),
    )


def test_no_arguments_make_a_push_fail_after_committing(server: Server, fuzzed: Fuzzed) -> None:
    seat = fuzzed.seat

    @given(st.lists(mutations(seat, fuzzed.case_id), min_size=1, max_size=4))
    @settings(max_examples=50, deadline=None, suppress_health_check=list(HealthCheck))
    def resend_gets_the_same_answer(batch: list[tuple[str, dict[str, Any]]]) -> None:
        fuzzed.changed_elsewhere()
        before = seat.last_mid
        first = push(seat, *batch)
        if first.status_code >= 500:
            assert ledger(server, seat.client_id) == before, "committed, then failed"
        assert first.status_code < 500, first.text
        seat.last_mid = before
        again = push(seat, *batch)
        assert (again.status_code, again.json()) == (first.status_code, first.json())
        if first.status_code != 200:
            seat.last_mid = before  # nothing applied: the same numbers go next

    resend_gets_the_same_answer()
