"""Push through the real server process: a console's outbox taken as it is, every mutation applied
exactly once, whatever is resent.

The helpers here (a console with a logged-in user and its outbox numbering, a valid intake) are
shared by the other sync tests.
"""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from console.central.changes import Actor, Mutation, apply
from console.domain.clock import utc_now
from console.domain.ids import new_id
from console.domain.workflow import Role
from console.paths import REFERENCE
from console.server.database import server_engine
from console.store.db import session_factory, sqlite_engine
from console.store.reference_files import load_reference
from console.store.schema import Case, CaseAssistingAgency
from console.store.server_schema import Console
from console.workstation.local import DATABASE_FILE
from tests.forms import COMPLAINT, CONSULTATION
from tests.server.process import PASSWORD, Server
from tests.server.seats import Seat, Seats, case_args, cases_numbered, ledger
from tests.server.workstation import Workstation

# What only the server keeps of a case: who owns it, its work after intake, when it arrived.
SERVER_ONLY = {
    "owner",
    "field_versions",
    "extension_until",
    "return_reason",
    "reply_text",
    "solved",
    "satisfied",
    "merged_into",
    "received_at",
    "updated_at",
}
SHARED = [column for column in Case.__table__.columns if column.name not in SERVER_ONLY]
CALLS = (
    replace(
        COMPLAINT,
        urgency="urgent",
        callback_phone="010-65123456",
        assisting_agency_codes=("C002", "U001"),
    ),
    CONSULTATION,
    replace(
        COMPLAINT,
        caller_name="",
        anonymous=True,
        confidential=True,
        description="匿名来电：小区地下车库有人私拉电线给电动车充电，担心起火。",
    ),
)


def test_a_batch_sent_again_gets_the_same_results_and_changes_nothing(
    server: Server, seats: Seats, taker: str
) -> None:
    seat = seats.open(server, username=taker)
    creates = [seat.new_case() for _ in range(3)]
    batch = seat.batch(*(("case.create", args) for args in creates))
    first = seat.send(batch)
    assert first.status_code == 200
    assert first.json()["last_mid"] == 3
    assert [r["status"] for r in first.json()["results"]] == ["applied"] * 3
    again = seat.send(batch)
    assert again.status_code == 200
    assert again.json() == first.json()
    assert all(cases_numbered(server, args["case_no"]) == 1 for args in creates)
    assert ledger(server, seat.client_id) == 3


def test_a_resent_part_gets_stored_results_and_the_new_part_is_applied(
    server: Server, seats: Seats, taker: str
) -> None:
    seat = seats.open(server, username=taker)
    creates = [seat.new_case() for _ in range(4)]
    batch = seat.batch(*(("case.create", args) for args in creates))
    first = seat.send(batch[:2]).json()
    overlapping = seat.send(batch[1:]).json()
    assert overlapping["last_mid"] == 4
    assert overlapping["results"][0] == first["results"][1]
    assert [r["mid"] for r in overlapping["results"]] == [2, 3, 4]
    assert all(cases_numbered(server, args["case_no"]) == 1 for args in creates)


def test_a_gap_is_refused_with_the_number_expected_and_nothing_is_applied(
    server: Server, seats: Seats, taker: str
) -> None:
    seat = seats.open(server, username=taker)
    creates = [seat.new_case() for _ in range(3)]
    batch = seat.batch(*(("case.create", args) for args in creates))
    late = seat.send(batch[1:])
    assert late.status_code == 409
    assert late.json()["expected"] == 1
    assert late.json()["error"]["code"] == "gap"
    assert cases_numbered(server, creates[1]["case_no"]) == 0
    assert seat.send(batch[:1]).json()["last_mid"] == 1
    assert seat.send(batch[1:]).json()["last_mid"] == 3
    assert ledger(server, seat.client_id) == 3


def test_numbers_out_of_order_within_a_batch_are_refused(
    server: Server, seats: Seats, taker: str
) -> None:
    seat = seats.open(server, username=taker)
    batch = seat.batch(("case.create", seat.new_case()), ("case.create", seat.new_case()))
    reordered = seat.send(batch[::-1])
    assert reordered.status_code == 422
    assert reordered.json()["error"]["fields"] == [
        {"field": "mutations", "code": "mids_not_consecutive"}
    ]
    assert ledger(server, seat.client_id) == 0


def test_every_result_advances_the_ledger(server: Server, seats: Seats, taker: str) -> None:
    seat = seats.open(server, username=taker)
    case_id = seat.create()
    results = seat.push(
        ("case.update", {"case_id": case_id, "base_version": 1, "set": {"urgency": "urgent"}}),
        ("case.update", {"case_id": case_id, "base_version": 1, "set": {"urgency": "normal"}}),
        ("case.frobnicate", {}),
        ("case.add_note", {"case_id": case_id, "note_id": new_id(), "text": "来电补充"}),
    )
    assert [r["status"] for r in results] == ["applied", "applied", "rejected", "applied"]
    assert results[2]["reason"] == "unknown_mutation"
    assert ledger(server, seat.client_id) == 5


def test_a_console_cannot_push_as_another_and_a_session_needs_a_console(
    server: Server, seats: Seats, taker: str
) -> None:
    seat, other = seats.open(server, username=taker), seats.open(server, username=taker)
    batch = seat.batch(("case.create", seat.new_case()))
    foreign = seat.send(batch, client_id=other.client_id)
    assert foreign.status_code == 403
    assert foreign.json()["error"]["code"] == "not_your_console"
    body = {"client_id": seat.client_id, "mutations": batch}
    with server.client(server.login(seat.username)) as unbound:
        assert unbound.post("/v1/sync/push", json=body).status_code == 403
    with server.client("not-a-token") as stranger:
        assert stranger.post("/v1/sync/push", json=body).status_code == 401
    assert ledger(server, seat.client_id) == ledger(server, other.client_id) == 0


def test_malformed_pushes_get_a_clear_error_and_change_nothing(
    server: Server, seats: Seats, taker: str
) -> None:
    seat = seats.open(server, username=taker)
    good = seat.batch(("case.create", seat.new_case()))[0]
    malformed: list[Any] = [
        {"client_id": seat.client_id, "mutations": []},
        {"client_id": seat.client_id, "mutations": [good] * 101},
        {"client_id": seat.client_id},
        {"mutations": [good]},
        {"client_id": seat.client_id, "mutations": [{**good, "mid": "1"}]},
        {"client_id": seat.client_id, "mutations": [{**good, "mid": 0}]},
        {"client_id": seat.client_id, "mutations": [{**good, "args": [1, 2]}]},
        {"client_id": seat.client_id, "mutations": [{**good, "name": "x" * 41}]},
        {"client_id": seat.client_id * 2, "mutations": [good]},
        [good],
    ]
    for body in malformed:
        response = seat.http.post("/v1/sync/push", json=body)
        assert response.status_code == 422, body
        assert response.json()["error"]["code"] == "invalid_request"
    huge = {"client_id": seat.client_id, "mutations": [{**good, "args": {"x": "x" * 6_100_000}}]}
    assert seat.http.post("/v1/sync/push", json=huge).status_code == 413
    assert seat.http.post("/v1/sync/push", content=b"{not json").status_code == 422
    assert ledger(server, seat.client_id) == 0


def test_bad_arguments_are_rejected_results_naming_the_field(
    server: Server, seats: Seats, taker: str
) -> None:
    seat = seats.open(server, username=taker)
    results = seat.push(
        ("case.create", seat.new_case(description="长" * 5000)),
        ("case.create", seat.new_case(category_code="999999")),
        ("case.create", seat.new_case(caller_phone=["13800138000"])),
        ("case.create", seat.new_case(case_no="2601019990001")),
        ("case.update", {"case_id": "x" * 5000, "base_version": 1, "set": {}}),
        ("case.add_note", {"case_id": new_id(), "note_id": new_id(), "text": "x"}),
    )
    assert [r["status"] for r in results] == ["rejected"] * 6
    assert results[0]["errors"] == [{"field": "description", "code": "too_long"}]
    assert results[1]["errors"] == [{"field": "category", "code": "required"}]
    assert results[2]["field"] == "caller_phone"
    assert results[3]["reason"] == "case_no_not_of_this_seat"
    assert results[4]["field"] == "case_id"
    assert results[5]["reason"] == "unknown_case"
    assert ledger(server, seat.client_id) == 6


def test_per_mutation_authorisation_follows_the_authors_role(
    server: Server, seats: Seats, taker: str
) -> None:
    # An agency has no console: it acts through /v1/cases/{id}/{action}, and cannot push.
    console = server.console()
    agency = server.user(Role.AGENCY, "S110105004")
    with server.client() as http:
        login = {"username": agency, "password": PASSWORD, "client_id": console.client_id}
        bound = http.post("/v1/auth/login", json={**login, "console_secret": console.secret})
    assert bound.status_code == 403
    mutation = {"mid": 1, "name": "case.create", "args": case_args(console.seat_code, 1)}
    with server.client(server.login(agency)) as unbound:
        push = {"client_id": console.client_id, "mutations": [mutation]}
        assert unbound.post("/v1/sync/push", json=push).status_code == 403
    assert ledger(server, console.client_id) == 0
    taker = seats.open(server, username=taker)
    case_id = taker.create()
    [void] = taker.push(("case.void", {"case_id": case_id, "reason": "重复来电"}))
    assert (void["status"], void["reason"]) == ("rejected", "role_not_allowed")
    supervisor = seats.open(server, Role.SUPERVISOR)
    [voided] = supervisor.push(("case.void", {"case_id": case_id, "reason": "重复来电"}))
    assert (voided["status"], voided["case_status"]) == ("applied", "void")


def test_creates_in_one_batch_are_decided_as_if_sent_one_by_one(
    server: Server, seats: Seats, taker: str
) -> None:
    together, apart = seats.open(server, username=taker), seats.open(server, username=taker)

    def scenario(seat: Seat) -> list[tuple[str, str]]:
        first, other = seat.new_case(), seat.new_case()
        return [
            ("case.create", first),
            ("case.create", first),
            ("case.create", {**other, "id": first["id"]}),
            ("case.create", {**seat.new_case(), "case_no": first["case_no"]}),
            ("case.create", seat.new_case(caller_phone="12345")),
            ("case.create", other),
        ]

    in_one = together.push(*scenario(together))
    one_by_one = [apart.push(mutation)[0] for mutation in scenario(apart)]
    for results in (in_one, one_by_one):
        assert [(r["status"], r.get("reason", "")) for r in results] == [
            ("applied", ""),
            ("applied", ""),
            ("rejected", "duplicate_id"),
            ("conflict", ""),  # the number of the first: stored under another
            ("rejected", "invalid_case"),
            ("applied", ""),
        ]
        assert results[0]["case_no"] == results[1]["case_no"]
        [renumbered] = results[3]["conflicts"]
        assert renumbered["yours"] == results[0]["case_no"] != renumbered["kept"]
        assert (
            renumbered["kept"]
            == results[3]["case_no"]
            not in (results[0]["case_no"], results[5]["case_no"])
        )


def test_a_create_racing_another_writer_for_its_number_is_renumbered_alone(
    server: Server, seats: Seats, taker: str
) -> None:
    seat = seats.open(server, username=taker)
    racing, others = seat.new_case(), [seat.new_case() for _ in range(10)]
    engine = server_engine(server.database_url)
    actor = Actor(seat.username, Role.CALL_TAKER, "", seat.client_id, seat.seat_code)
    answer: list[httpx.Response] = []
    with session_factory(engine)() as other_writer:
        reference = load_reference(REFERENCE, server.log.parent / "data").data
        first = {**racing, "id": new_id()}
        taken = apply(other_writer, actor, Mutation("case.create", first), utc_now(), reference)
        assert taken.status == "applied"
        batch = seat.batch(*(("case.create", args) for args in [racing, *others]))
        pushing = threading.Thread(target=lambda: answer.append(seat.send(batch)))
        if engine.dialect.name == "postgresql":
            pushing.start()
            _wait_for_a_blocked_writer(engine)  # the push, on the other writer's number
            other_writer.commit()
        else:  # SQLite runs one writer at a time: the push comes after the other
            other_writer.commit()
            pushing.start()
    pushing.join()
    engine.dispose()
    results = answer[0].json()["results"]
    assert [r["status"] for r in results] == ["conflict", *["applied"] * 10]
    assert [r["case_no"] for r in results[1:]] == [args["case_no"] for args in others]
    kept = results[0]["case_no"]
    assert results[0]["conflicts"] == [
        {"field": "case_no", "yours": racing["case_no"], "kept": kept, "by": "server"}
    ]
    assert kept[:9] == racing["case_no"][:9] and kept not in [a["case_no"] for a in others]
    assert cases_numbered(server, racing["case_no"]) == cases_numbered(server, kept) == 1
    assert all(cases_numbered(server, args["case_no"]) == 1 for args in others)


def _wait_for_a_blocked_writer(engine: Engine) -> None:
    waiting = text("SELECT count(*) FROM pg_locks WHERE NOT granted")
    deadline = time.monotonic() + 10
    with engine.connect() as conn:
        while not conn.execute(waiting).scalar():
            assert time.monotonic() < deadline, "the push never waited for the other writer"
            time.sleep(0.01)


def test_a_push_kept_waiting_for_a_lock_is_answered_busy_and_goes_through_later(
    server: Server, seats: Seats, taker: str
) -> None:
    if not server.database_url.startswith("postgresql"):
        pytest.skip("SQLite has one writer at a time, and no row locks to wait for")
    seat = seats.open(server, username=taker)
    batch = seat.batch(("case.create", seat.new_case()))
    engine = server_engine(server.database_url)
    with session_factory(engine)() as other_request:
        ledger_row = select(Console).where(Console.client_id == seat.client_id)
        other_request.execute(ledger_row.with_for_update())
        busy = seat.send(batch)
    engine.dispose()
    assert (busy.status_code, busy.headers["Retry-After"]) == (503, "1")
    assert busy.json()["error"]["code"] == "busy"
    assert ledger(server, seat.client_id) == 0
    assert seat.send(batch).json()["last_mid"] == 1


def _cases(session: Session, ids: list[str]) -> dict[str, dict[str, Any]]:
    rows = session.execute(select(*SHARED).where(Case.id.in_(ids)))
    cases = {row.id: {**row._asdict(), "assisting": set()} for row in rows}
    agencies = select(CaseAssistingAgency).where(CaseAssistingAgency.case_id.in_(ids))
    for agency in session.execute(agencies).scalars():
        cases[agency.case_id]["assisting"].add((agency.agency_code, agency.agency_name))
    return cases


def test_a_consoles_outbox_is_taken_as_it_is_and_stored_as_the_console_stored_it(
    server: Server, workstation: Workstation
) -> None:
    ids = [workstation.take(call) for call in CALLS]

    answer = workstation.send()

    assert answer.status_code == 200, answer.text
    assert [r["status"] for r in answer.json()["results"]] == ["applied"] * len(CALLS)
    engine = sqlite_engine(workstation.folder / DATABASE_FILE, writer=False)
    try:
        with Session(engine) as session:
            local = _cases(session, ids)
    finally:
        engine.dispose()
    with server.database() as session:
        stored = _cases(session, ids)
    assert stored == local
    assert len(stored) == len(CALLS)
    assert {code for code, _ in stored[ids[0]]["assisting"]} == {"C002", "U001"}
