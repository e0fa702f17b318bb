"""What a console, a colleague or the public may learn from the server, through the real server
on PostgreSQL and on SQLite: no console ids in anything a client receives; a confidential
caller only on the owner's console (and, online, for supervisors); Open311 without the
description unless the centre publishes it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from console.central import api_keys, open311
from console.central.case_docs import WITHHELD
from console.domain.clock import utc_now
from console.domain.ids import new_id
from console.domain.workflow import Role
from console.server import cli
from console.server.database import server_engine
from console.store.schema import Case
from tests.server.cases import AGENCY, Person, person, phone_number, reference
from tests.server.process import Server, start_server
from tests.server.seats import Crew, Seat, of, pull_all

CALLER = {"caller_name": "李女士", "callback_phone": "010-65123456"}


@pytest.fixture(scope="module")
def agency(server: Server) -> Person:
    return person(server, Role.AGENCY, AGENCY)


@pytest.fixture(scope="module")
def database(server: Server) -> Iterator[Session]:
    engine = server_engine(server.database_url)
    with Session(engine) as session:
        yield session
    engine.dispose()


def raw_pull(seat: Seat) -> str:
    """Every page of a first pull, as the console receives them."""
    pages, cursor = [], None
    while True:
        params = {"limit": 1000, **({"cursor": cursor} if cursor else {})}
        response = seat.http.get("/v1/sync/pull", params=params)
        assert response.status_code == 200, response.text
        pages.append(response.text)
        cursor = response.json()["cursor"]
        if not response.json()["has_more"]:
            return "".join(pages)


def caller_of(seat: Seat, cursor: str | None, case_id: str) -> tuple[dict[str, Any], str]:
    """The caller's fields of the case as `seat` pulls it from `cursor`, and the new cursor."""
    changes, cursor, _ = pull_all(seat, cursor)
    [change] = of(changes, case_id)
    return {name: change["data"][name] for name in WITHHELD}, cursor


def test_nothing_a_console_receives_names_another_console(
    server: Server, crew: Crew, agency: Person
) -> None:
    taker, colleague, supervisor = crew.taker, crew.colleague, crew.supervisor
    case_id = taker.create()
    stale = {"case_id": case_id, "base_version": 1, "set": {"address": "三里屯路21号"}}
    supervisor.push(("case.update", stale))
    [conflict] = taker.push(("case.update", stale))
    assert conflict["status"] == "conflict"
    received = [
        raw_pull(colleague),
        raw_pull(supervisor),
        json.dumps(conflict),
        colleague.http.get(f"/v1/cases/{case_id}").text,
        colleague.http.get("/v1/cases").text,
        httpx.get(f"{server.url}/v1/cases/{case_id}", headers=agency.auth).text,
    ]
    assert case_id in received[0]
    for text in received:
        assert "client_id" not in text
        assert not [s.client_id for s in (taker, colleague, supervisor) if s.client_id in text]


def test_a_confidential_caller_is_pulled_only_by_the_owners_console(crew: Crew) -> None:
    taker, colleague, supervisor = crew.taker, crew.colleague, crew.supervisor
    phone = phone_number()
    case_id = taker.create(caller_phone=phone, confidential=True, **CALLER)
    full = {
        "caller_phone": "+86" + phone,
        "caller_name": "李女士",
        "callback_phone": "+861065123456",
    }
    blank = dict.fromkeys(WITHHELD, "")
    # A first pull (the scope's download), the owner first: the document kept for the others
    # was built with the caller in it.
    cursors: dict[str, str] = {}
    for seat, shown in ((taker, full), (colleague, blank), (supervisor, blank)):
        caller, cursors[seat.username] = caller_of(seat, None, case_id)
        assert caller == shown, seat.username
    # Following the feed, the others first this time.
    taker.push(("case.add_note", {"case_id": case_id, "note_id": new_id(), "text": "已回电"}))
    for seat, shown in ((colleague, blank), (supervisor, blank), (taker, full)):
        caller, cursors[seat.username] = caller_of(seat, cursors[seat.username], case_id)
        assert caller == shown, seat.username
    assert phone not in raw_pull(colleague) + raw_pull(supervisor)
    # Reassigned, the caller goes with the case to its new owner's console.
    reassign = {"case_id": case_id, "owner": colleague.username}
    assert supervisor.push(("case.reassign", reassign))[0]["status"] == "applied"
    assert caller_of(colleague, cursors[colleague.username], case_id)[0] == full
    assert caller_of(taker, cursors[taker.username], case_id)[0] == blank


def test_online_a_confidential_caller_is_shown_to_the_owner_and_supervisors_only(
    server: Server, crew: Crew, agency: Person
) -> None:
    taker, colleague, supervisor = crew.taker, crew.colleague, crew.supervisor
    phone = phone_number()
    case_id = taker.create(
        caller_phone=phone,
        confidential=True,
        description="举报小区内群租房，请为我保密。",
        **CALLER,
    )
    with server.client(agency.token) as agency_http:
        readers = {
            "owner": taker.http,
            "colleague": colleague.http,
            "supervisor": supervisor.http,
            "agency": agency_http,
        }
        callers = {
            who: http.get(f"/v1/cases/{case_id}").json()["caller"] for who, http in readers.items()
        }
        found = agency_http.get("/v1/cases", params={"text": "群租房"}).json()["items"]
    assert (
        callers["owner"]
        == callers["supervisor"]
        == {
            "phone": "+86" + phone,
            "name": "李女士",
            "callback_phone": "+861065123456",
            "anonymous": False,
        }
    )
    assert callers["colleague"] is callers["agency"] is None
    assert [(c["id"], c["caller_phone_masked"]) for c in found] == [(case_id, None)]
    masked = f"{phone[:3]}****{phone[-4:]}"
    for seat, shown in ((taker, masked), (supervisor, masked), (colleague, None)):
        # Caller history finds the case by the full number, whoever asks; it returns the
        # caller's number only to those who may see it.
        history = seat.http.get("/v1/caller-history", params={"phone": phone}).json()
        assert [(c["id"], c["caller_phone_masked"]) for c in history["cases"]["items"]] == [
            (case_id, shown)
        ]
        searched = seat.http.get("/v1/cases", params={"text": "群租房"}).json()["items"]
        assert [c["caller_phone_masked"] for c in searched] == [shown]


def test_open311_publishes_no_description_unless_the_centre_turns_it_on(
    server: Server, database: Session
) -> None:
    key = api_keys.issue(database, "city dashboard", utc_now())[1]
    database.commit()
    said = "建国路1号院3号楼502室楼下烧烤油烟，联系13912345678或 li.na@example.cn"
    form = {
        "api_key": key,
        "service_code": "010102",
        "address_string": "朝阳区建外街道建国路1号院3号楼502室",
        "lat": "39.9087",
        "long": "116.3975",
        "description": said,
    }
    with server.client() as http:
        number = http.post("/open311/v2/requests.json", data=form).json()[0]["service_request_id"]
        published = [
            http.get(f"/open311/v2/requests/{number}.json").text,
            http.get(f"/open311/v2/requests/{number}.xml").text,
            http.get("/open311/v2/requests.json").text,
        ]
    [shown] = json.loads(published[0])
    assert (shown["address"], shown["lat"], shown["long"]) == ("朝阳区建外街道", None, None)
    assert shown["description"] is None
    for text in published:
        assert not [p for p in ("502室", "烧烤", "13912345678", "li.na@", "39.9087") if p in text]

    def description(number: str, on: bool) -> str | None:
        return open311.one(database, reference(), number, descriptions=on).description

    assert description(number, on=False) is None
    assert description(number, on=True) == "建国路1号院3号楼502室楼下烧烤油烟，联系***或 ***"
    database.execute(update(Case).where(Case.case_no == number).values(confidential=True))
    database.commit()
    assert description(number, on=True) is None
    assert open311.one(database, reference(), number, descriptions=True).address is None
    found = database.execute(select(Case.received_at).where(Case.case_no == number)).scalar_one()
    assert found is not None


def test_a_server_started_with_descriptions_on_publishes_them_scrubbed(
    server: Server, database: Session, tmp_path: Path
) -> None:
    key = api_keys.issue(database, "city dashboard", utc_now())[1]
    database.commit()
    form = {
        "api_key": key,
        "service_code": "010102",
        "address_string": "朝阳区建外街道建国路1号院",
        "description": "楼下烧烤油烟很大，请联系13912345678",
    }
    with server.client() as http:
        number = http.post("/open311/v2/requests.json", data=form).json()[0]["service_request_id"]
    publishing = start_server(server.database_url, tmp_path, "--open311-descriptions")
    try:
        with publishing.client() as http:
            [shown] = http.get(f"/open311/v2/requests/{number}.json").json()
    finally:
        publishing.stop()
    assert shown["description"] == "楼下烧烤油烟很大，请联系***"


def test_the_centre_turns_open311_descriptions_on_from_the_command_line() -> None:
    def configured(*argv: str) -> bool:
        return cli.config(cli.parse_args(list(argv))).open311_descriptions

    assert configured() is configured("run", "--port", "8000") is False
    assert configured("--open311-descriptions") is True
    assert configured("--open311-descriptions", "run", "--host", "0.0.0.0") is True
