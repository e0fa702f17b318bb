"""Pull through the real server process: pages, cursor, scope, removal and reset."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from console.central import feed
from console.domain.clock import utc_now
from console.domain.ids import new_id
from console.domain.workflow import Role
from console.server.database import server_engine
from console.store.db import session_factory
from console.store.schema import Case, CaseAssistingAgency, CaseEventRow, CaseNoteRow
from tests.server.process import Server
from tests.server.seats import Crew, Seats, enrolled_long_ago, of, pull_all, pull_page

LONG_AGO = (utc_now() - timedelta(days=40)).isoformat()


def test_a_first_pull_pages_through_the_scope_then_follows_changes(crew: Crew) -> None:
    seat = crew.taker
    created = [seat.create() for _ in range(7)]
    changes, cursor, reset = pull_all(seat, limit=3)
    assert not reset
    ids = [c["id"] for c in changes]
    assert len(ids) == len(set(ids))
    assert set(created) <= set(ids)
    again, cursor, _ = pull_all(seat, cursor)
    assert of(again, *created) == []
    for urgency in ("urgent", "emergency"):
        [result] = seat.push(
            ("case.update", {"case_id": created[0], "base_version": 1, "set": {"urgency": urgency}})
        )
        assert result["status"] == "applied"
    note = new_id()
    seat.push(("case.add_note", {"case_id": created[1], "note_id": note, "text": "来电补充情况"}))
    later, cursor, _ = pull_all(seat, cursor)
    [first] = of(later, created[0])
    assert (first["op"], first["version"], first["data"]["urgency"]) == ("upsert", 3, "emergency")
    [second] = of(later, created[1])
    assert [n["id"] for n in second["data"]["notes"]] == [note]
    assert second["data"]["notes"][0]["text"] == "来电补充情况"
    assert [e["kind"] for e in second["data"]["events"]][:2] == ["created", "dispatched"]
    assert pull_page(seat, cursor)["changes"] == []


def test_the_pages_of_a_download_say_how_many_cases_it_brings_and_how_many_came(
    crew: Crew,
) -> None:
    seat = crew.taker
    for _ in range(5):
        seat.create()
    pages = [pull_page(seat, None, limit=3)]
    while pages[-1]["has_more"]:
        pages.append(pull_page(seat, pages[-1]["cursor"], limit=3))
    sizes = [len(page["changes"]) for page in pages]
    cases = sum(sizes)
    assert [page["download"] for page in pages] == [
        {"cases": cases, "sent": sum(sizes[: n + 1])} for n in range(len(pages))
    ]
    seat.create()
    assert pull_page(seat, pages[-1]["cursor"])["download"] is None  # the feed, not a download


def test_a_pulled_case_is_the_stored_case_field_by_field(server: Server, crew: Crew) -> None:
    seat = crew.taker
    case_id = seat.create(
        description='来电人说："门口\\有积水"\n\t第二行',
        assisting_agencies=["C003", "C001"],
        deadline_at=(utc_now() + timedelta(hours=2)).isoformat(),
    )
    for text in ("第一条补充", "第二条补充"):
        seat.push(("case.add_note", {"case_id": case_id, "note_id": new_id(), "text": text}))
    [change] = of(pull_all(seat)[0], case_id)
    engine = server_engine(server.database_url)
    with session_factory(engine)() as session:
        case = session.get(Case, case_id)
        assert case is not None
        stored = {
            column.key: getattr(case, column.key)
            for column in Case.__table__.columns
            if column.key not in ("field_versions", "client_id")  # bookkeeping; a credential
        }
        lists = {
            "notes": _stored(session, CaseNoteRow, case_id, CaseNoteRow.at, CaseNoteRow.id),
            "events": _stored(session, CaseEventRow, case_id, CaseEventRow.at, CaseEventRow.id),
            "assisting_agencies": _stored(
                session, CaseAssistingAgency, case_id, CaseAssistingAgency.agency_code
            ),
        }
    engine.dispose()
    data = change["data"]
    assert (change["op"], change["version"]) == ("upsert", case.version)
    assert set(data) == set(stored) | set(lists)
    assert {key: _parsed(data[key]) for key in stored} == stored
    for name, rows in lists.items():
        assert [{k: _parsed(v) for k, v in row.items()} for row in data[name]] == rows, name
    assert [n["text"] for n in data["notes"]] == ["第一条补充", "第二条补充"]
    assert [a["agency_code"] for a in data["assisting_agencies"]] == ["C001", "C003"]


def _stored(session: Session, row: type[Any], case_id: str, *order: Any) -> list[dict[str, Any]]:
    columns = [c.key for c in row.__table__.columns if c.key != "case_id"]
    found = session.scalars(select(row).where(row.case_id == case_id).order_by(*order))
    return [{key: getattr(item, key) for key in columns} for item in found]


def _parsed(value: Any) -> Any:
    """A time as the pull wrote it, read back: ISO 8601 with its UTC offset."""
    if isinstance(value, str) and len(value) == 32 and value.endswith("+00:00"):
        return datetime.fromisoformat(value)
    return value


def test_consoles_following_the_feed_each_get_every_version_of_a_case(crew: Crew) -> None:
    taker, colleague = crew.taker, crew.colleague
    cursors = {seat.username: pull_all(seat)[1] for seat in (taker, colleague)}

    def versions_seen(case_id: str) -> list[tuple[int, str]]:
        """What each console pulls of the case, one after the other: the second is served
        the document the first had built."""
        seen = []
        for seat in (taker, colleague):
            changes, cursors[seat.username], _ = pull_all(seat, cursors[seat.username])
            seen += [(c["version"], c["data"]["urgency"]) for c in of(changes, case_id)]
        return seen

    case_id = taker.create()
    assert versions_seen(case_id) == [(1, "normal")] * 2
    for version, urgency in ((1, "urgent"), (2, "emergency")):
        change = {"case_id": case_id, "base_version": version, "set": {"urgency": urgency}}
        assert taker.push(("case.update", change))[0]["status"] == "applied"
        assert versions_seen(case_id) == [(version + 1, urgency)] * 2


def test_the_scope_is_open_cases_recent_ones_and_the_users_own(server: Server, crew: Crew) -> None:
    seat, other = crew.taker, crew.colleague
    enrolled_long_ago(server, seat, other)
    answered = {
        "handling": "direct_answer",
        "answer_text": "已告知办理流程。",
        "lead_agency_code": "",
    }
    old_closed_elsewhere = other.create(created_at=LONG_AGO, **answered)
    old_closed_mine = seat.create(created_at=LONG_AGO, **answered)
    recent_closed_elsewhere = other.create(**answered)
    old_open_elsewhere = other.create(created_at=LONG_AGO)
    changes, _, _ = pull_all(seat)
    seen = {c["id"] for c in changes}
    assert old_closed_elsewhere not in seen
    assert {old_closed_mine, recent_closed_elsewhere, old_open_elsewhere} <= seen
    assert {c["op"] for c in changes} == {"upsert"}


def test_a_case_that_left_the_scope_comes_as_removed(server: Server, crew: Crew) -> None:
    taker, colleague, supervisor = crew.taker, crew.colleague, crew.supervisor
    enrolled_long_ago(server, taker)
    case_id = taker.create(created_at=LONG_AGO)
    supervisor.push(("case.reassign", {"case_id": case_id, "owner": colleague.username}))
    changes, cursor, _ = pull_all(colleague)
    [mine] = of(changes, case_id)
    assert mine["data"]["owner"] == colleague.username
    results = supervisor.push(
        ("case.reassign", {"case_id": case_id, "owner": taker.username}),
        ("case.void", {"case_id": case_id, "reason": "重复工单"}),
    )
    assert [r["status"] for r in results] == ["applied", "applied"]
    later, _, _ = pull_all(colleague, cursor)
    assert of(later, case_id) == [
        {"entity": "case", "id": case_id, "op": "remove", "version": 4, "data": None}
    ]
    [still] = of(pull_all(taker)[0], case_id)
    assert (still["op"], still["data"]["status"]) == ("upsert", "void")


def test_a_cursor_older_than_the_kept_change_log_starts_a_new_download(
    server: Server, crew: Crew
) -> None:
    seat = crew.taker
    kept = seat.create()
    _, cursor, _ = pull_all(seat)
    changed, newest = seat.create(), seat.create()
    engine = server_engine(server.database_url)
    with session_factory(engine)() as session:
        assert feed.prune(session, utc_now() + timedelta(days=31)) > 0
        session.commit()
    engine.dispose()
    first = pull_page(seat, cursor, limit=1)
    assert first["reset"] and first["download"]["sent"] == 1  # a download begins
    changes, newer, reset = pull_all(seat, cursor)
    assert reset
    assert {kept, changed, newest} <= {c["id"] for c in changes}
    after, _, reset_again = pull_all(seat, newer)
    assert (of(after, kept, changed, newest), reset_again) == ([], False)


def test_pull_refuses_bad_cursors_limits_agencies_and_strangers(
    server: Server, crew: Crew, seats: Seats
) -> None:
    seat = crew.taker
    forged = feed.encode(feed.Cursor(feed.Position(1, 2))).replace("e", "x")
    for params in (
        {"cursor": "not a cursor"},
        {"cursor": "eyJ4IjoiYSJ9"},  # {"x":"a"}
        {"cursor": forged},
        {"cursor": "x" * 201},
        {"limit": 0},
        {"limit": 1001},
        {"limit": "many"},
    ):
        response = seat.http.get("/v1/sync/pull", params=params)
        assert response.status_code == 422, params
        assert response.json()["error"]["code"] == "invalid_request"
    with server.client(server.login(server.user(Role.AGENCY, "S110105004"))) as agency:
        assert agency.get("/v1/sync/pull").status_code == 403
    with server.client("not-a-token") as stranger:
        assert stranger.get("/v1/sync/pull").status_code == 401
