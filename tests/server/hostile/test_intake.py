"""A console's new cases, through the real server on PostgreSQL and on SQLite: what the server
sets itself (operator, seat, receive time), the bounds of the times a client sends, and a case
number another case of the seat holds (console/server/WORKFLOW.md)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from console.domain.clock import utc_now
from console.domain.ids import new_id
from console.domain.workflow import Role
from console.server.database import server_engine
from console.store.bulk import bulk_insert
from console.store.schema import Case
from console.store.server_schema import ConflictRow, Console
from tests.server.cases import AGENCY, Cases, open_cases, person
from tests.server.process import Server
from tests.server.seats import Seat, Seats, of, pull_all


@pytest.fixture(scope="module")
def cases(server: Server) -> Iterator[Cases]:
    yield from open_cases(server)


def test_the_server_sets_the_operator_the_seat_and_the_receive_time(
    server: Server, seats: Seats, cases: Cases
) -> None:
    seat = seats.open(server)
    taken = utc_now() - timedelta(minutes=2)  # offline, a moment ago
    args = seat.new_case(operator="someone.else", created_at=taken.isoformat())
    assert seat.push(("case.create", args))[0]["status"] == "applied"
    row = cases.row(args["id"])
    assert (row.operator, row.owner) == (seat.username, seat.username)
    assert (row.seat_code, row.client_id) == (seat.seat_code, seat.client_id)
    assert row.received_at is not None
    assert row.created_at == taken < row.received_at <= utc_now()
    shown = seat.http.get(f"/v1/cases/{args['id']}").json()
    [pulled] = of(pull_all(seat)[0], args["id"])
    for times in (shown, pulled["data"]):
        assert datetime.fromisoformat(times["received_at"]) == row.received_at
        assert datetime.fromisoformat(times["created_at"]) == taken


def test_a_calls_time_is_kept_within_its_bounds_and_a_deadline_within_its_own(
    server: Server, seats: Seats
) -> None:
    seat = seats.open(server)  # enrolled now
    now = utc_now()

    def at(created: datetime, **deadline: timedelta) -> dict[str, Any]:
        args = seat.new_case(created_at=created.isoformat())
        if deadline:
            args["deadline_at"] = (created + deadline["after"]).isoformat()
        return args

    tried = {
        "ahead within the skew": at(now + timedelta(minutes=4)),
        "too far ahead": at(now + timedelta(minutes=6)),
        "before the enrolment": at(now - timedelta(hours=1)),
        "a deadline before the call": at(now, after=timedelta(hours=-1)),
        "a deadline at the call": at(now, after=timedelta(0)),
        "a deadline of 59 days": at(now, after=timedelta(days=59)),
        "a deadline of 61 days": at(now, after=timedelta(days=61)),
        "no offset": {**seat.new_case(), "created_at": now.replace(tzinfo=None).isoformat()},
        "last century": {**seat.new_case(), "created_at": "1999-12-31T23:00:00+08:00"},
    }
    results = dict(
        zip(tried, seat.push(*(("case.create", a) for a in tried.values())), strict=True)
    )
    assert {name: r.get("field", r["status"]) for name, r in results.items()} == {
        "ahead within the skew": "applied",
        "too far ahead": "created_at",
        "before the enrolment": "created_at",
        "a deadline before the call": "deadline_at",
        "a deadline at the call": "deadline_at",
        "a deadline of 59 days": "applied",
        "a deadline of 61 days": "deadline_at",
        "no offset": "created_at",
        "last century": "created_at",
    }
    assert {r["reason"] for r in results.values() if "field" in r} == {"invalid_args"}
    # An offline call of two days ago, on a console enrolled before it, is kept as it was.
    _enrolled(server, seat, now - timedelta(days=3))
    [offline] = seat.push(("case.create", at(now - timedelta(days=2))))
    assert offline["status"] == "applied"


def _enrolled(server: Server, seat: Seat, at: datetime) -> None:
    engine = server_engine(server.database_url)
    with Session(engine) as session:
        enrolled = update(Console).where(Console.client_id == seat.client_id)
        session.execute(enrolled.values(enrolled_at=at))
        session.commit()
    engine.dispose()


def test_a_time_out_of_the_years_2000_to_2100_is_refused_naming_its_field(
    server: Server, cases: Cases
) -> None:
    case_id = cases.in_status("accepted")
    far, beyond = "9999-12-31T23:59:59-23:59", "2101-01-01T00:00:00+08:00"
    clerk = person(server, Role.AGENCY, AGENCY)  # an agency acts through the action routes
    with server.client(clerk.token) as http:
        answers = [
            http.post(
                f"/v1/cases/{case_id}/request_extension", json={"until": until, "reason": "协调中"}
            )
            for until in (far, beyond)
        ]
    assert [answer.status_code for answer in answers] == [422, 422]
    assert answers[0].json()["error"]["fields"] == [{"field": "until", "code": "date_out_of_range"}]
    assert [f["field"] for f in answers[1].json()["error"]["fields"]] == ["until"]


def test_a_number_another_case_holds_is_replaced_by_the_highest_free_one(
    server: Server, seats: Seats, cases: Cases
) -> None:
    """A console restored from a backup numbers new cases with numbers the server holds; in
    one batch or one by one, each such case is stored under a number of its own."""
    together, apart = seats.open(server), seats.open(server)

    def scenario(seat: Seat) -> list[tuple[str, dict[str, Any]]]:
        first = seat.new_case()
        prefix = first["case_no"][:9]
        restored = {**seat.new_case(), "case_no": first["case_no"]}
        return [
            ("case.create", first),
            ("case.create", restored),
            ("case.create", restored),  # sent again: recognised, under its new number
            ("case.create", seat.new_case(case_no=prefix + "9998")),
            ("case.create", {**seat.new_case(), "case_no": first["case_no"]}),
        ]

    in_one, one_by_one = scenario(together), scenario(apart)
    runs = [
        (together, in_one, together.push(*in_one)),
        (apart, one_by_one, [apart.push(mutation)[0] for mutation in one_by_one]),
    ]
    for seat, mutations, results in runs:
        numbers = [args["case_no"] for _, args in mutations]
        prefix = numbers[0][:9]
        kept = [numbers[0], *(prefix + n for n in ("9999", "9999", "9998", "9997"))]
        assert [r["status"] for r in results] == [
            "applied",
            "conflict",
            "applied",
            "applied",
            "conflict",
        ]
        assert [r["case_no"] for r in results] == kept
        assert [r.get("conflicts") for r in results[1::3]] == [
            [{"field": "case_no", "yours": numbers[0], "kept": kept[i], "by": "server"}]
            for i in (1, 4)
        ]
        ids = [args["id"] for _, args in mutations]
        assert [cases.row(i).case_no for i in ids] == kept
        _assert_told(seat, ids[1], f"case_no: {numbers[0]} → {kept[1]}", results[1]["mid"])


def _assert_told(seat: Seat, case_id: str, detail: str, mid: int) -> None:
    """The renumbering is on the case's timeline and in the stored conflicts."""
    events = seat.http.get(f"/v1/cases/{case_id}").json()["events"]
    assert [e["detail"] for e in events if e["kind"] == "conflict"] == [detail]
    engine = server_engine(seat.server.database_url)
    with Session(engine) as session:
        query = select(ConflictRow.field, ConflictRow.mid, ConflictRow.kept_by)
        stored = session.execute(query.where(ConflictRow.case_id == case_id)).all()
    engine.dispose()
    assert [tuple(row) for row in stored] == [("case_no", mid, "server")]


def test_a_seat_with_every_number_of_the_day_taken_is_refused(
    server: Server, seats: Seats, cases: Cases
) -> None:
    seat = seats.open(server)
    template = seat.create()
    prefix = f"200101{seat.seat_code}"
    row = cases.row(template)
    values = {c.key: getattr(row, c.key) for c in Case.__table__.columns}
    with Session(cases.engine) as session:
        day = [{**values, "id": new_id(), "case_no": f"{prefix}{n:04d}"} for n in range(1, 10000)]
        bulk_insert(session, Case, day)
        session.commit()
    args = seat.new_case(case_no=prefix + "0042")
    [refused] = seat.push(("case.create", args))
    assert refused == {
        "mid": refused["mid"],
        "status": "rejected",
        "reason": "case_numbers_exhausted",
        "day": "200101",
        "seat_code": seat.seat_code,
    }
    with Session(cases.engine) as session:
        assert session.get(Case, args["id"]) is None
