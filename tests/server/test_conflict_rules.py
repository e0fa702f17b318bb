"""The conflict table of DESIGN.md §4, row by row, through push on the real server."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from console.domain.ids import new_id
from console.store.server_schema import ConflictRow
from tests.server.process import Server
from tests.server.seats import Crew, Seat, cases_numbered, ledger, of, pull_all


def update(case_id: str, base: int, **values: str) -> tuple[str, dict[str, Any]]:
    return ("case.update", {"case_id": case_id, "base_version": base, "set": values})


def stored_conflicts(server: Server, case_id: str) -> list[tuple[str, Any, Any, str]]:
    rows = server.rows(
        select(ConflictRow.field, ConflictRow.yours, ConflictRow.kept, ConflictRow.kept_by)
        .where(ConflictRow.case_id == case_id)
        .order_by(ConflictRow.at, ConflictRow.field)
    )
    return [tuple(row) for row in rows]


def current(seat: Seat, case_id: str) -> dict[str, Any]:
    [change] = of(pull_all(seat)[0], case_id)
    return dict(change["data"])


def test_a_create_is_always_accepted_and_a_duplicate_id_is_recognised(
    server: Server, crew: Crew
) -> None:
    seat, reinstalled = crew.taker, crew.colleague
    args = seat.new_case()
    [created] = seat.push(("case.create", args))
    [again] = seat.push(("case.create", args))
    [replayed] = reinstalled.push(("case.create", args))
    assert created["status"] == again["status"] == replayed["status"] == "applied"
    assert created["case_no"] == again["case_no"] == replayed["case_no"] == args["case_no"]
    assert cases_numbered(server, args["case_no"]) == 1
    [clash] = seat.push(("case.create", {**seat.new_case(), "id": args["id"]}))
    assert (clash["status"], clash["reason"]) == ("rejected", "duplicate_id")


def test_a_stale_field_change_keeps_the_servers_value_and_the_conflict_is_stored(
    server: Server, crew: Crew
) -> None:
    taker, supervisor = crew.taker, crew.supervisor
    case_id = taker.create()
    [moved] = supervisor.push(update(case_id, 1, address="三里屯路21号"))
    assert moved["status"] == "applied"
    [stale] = taker.push(update(case_id, 1, address="三里屯路19号北侧", urgency="urgent"))
    assert stale["status"] == "conflict"
    assert stale["applied"] == ["urgency"]
    assert stale["conflicts"] == [
        {
            "field": "address",
            "yours": "三里屯路19号北侧",
            "kept": "三里屯路21号",
            "by": supervisor.username,
        }
    ]
    assert stored_conflicts(server, case_id) == [
        ("address", "三里屯路19号北侧", "三里屯路21号", supervisor.username)
    ]
    assert ledger(server, taker.client_id) == taker.last_mid  # a conflict advances it too
    data = current(taker, case_id)
    assert (data["address"], data["urgency"], data["version"]) == ("三里屯路21号", "urgent", 3)
    assert [e["kind"] for e in data["events"]].count("conflict") == 1


def test_a_consoles_own_earlier_changes_never_conflict_with_its_later_ones(crew: Crew) -> None:
    taker = crew.taker
    case_id = taker.create()
    results = taker.push(
        update(case_id, 1, urgency="urgent"),
        update(case_id, 1, urgency="emergency", address="三里屯路19号"),
    )
    assert [r["status"] for r in results] == ["applied", "applied"]
    assert current(taker, case_id)["urgency"] == "emergency"


def test_a_losing_description_is_kept_as_a_note(crew: Crew) -> None:
    taker, supervisor = crew.taker, crew.supervisor
    case_id = taker.create()
    supervisor.push(update(case_id, 1, description="商贩每天17点后在人行道摆摊，已多次反映。"))
    [stale] = taker.push(update(case_id, 1, description="来电人补充：周末上午也有商贩摆摊。"))
    assert stale["status"] == "conflict"
    data = current(taker, case_id)
    assert data["description"] == "商贩每天17点后在人行道摆摊，已多次反映。"
    assert [n["text"] for n in data["notes"]] == ["来电人补充：周末上午也有商贩摆摊。"]


def test_notes_never_conflict_and_a_resent_note_is_added_once(crew: Crew) -> None:
    taker, supervisor = crew.taker, crew.supervisor
    case_id = taker.create()
    supervisor.push(update(case_id, 1, urgency="urgent"))
    note = ("case.add_note", {"case_id": case_id, "note_id": new_id(), "text": "来电人再次来电"})
    other = ("case.add_note", {"case_id": case_id, "note_id": new_id(), "text": "已电话联系街道"})
    results = taker.push(note, note) + supervisor.push(other)
    assert [r["status"] for r in results] == ["applied"] * 3
    texts = [n["text"] for n in current(taker, case_id)["notes"]]
    assert sorted(texts) == sorted(["来电人再次来电", "已电话联系街道"])


def test_a_supervisors_redispatch_and_reassignment_beat_stale_console_changes(crew: Crew) -> None:
    taker, supervisor, colleague = crew.taker, crew.supervisor, crew.colleague
    case_id = taker.create()
    [early] = taker.push(update(case_id, 1, lead_agency_code="C001"))
    [redispatched] = supervisor.push(
        ("case.redispatch", {"case_id": case_id, "agency_code": "S110105004"})
    )
    assert (early["status"], redispatched["status"]) == ("applied", "applied")
    [stale] = taker.push(update(case_id, 2, lead_agency_code="C002"))
    assert stale["status"] == "conflict"
    assert stale["conflicts"][0]["kept"] == "S110105004"
    supervisor.push(("case.reassign", {"case_id": case_id, "owner": colleague.username}))
    [after] = taker.push(update(case_id, 4, urgency="urgent"))
    assert (after["status"], after["reason"]) == ("rejected", "not_your_case")
    [owner] = colleague.push(update(case_id, 4, owner=taker.username))
    assert (owner["status"], owner["field"]) == ("rejected", "set")
    data = current(colleague, case_id)
    assert (data["owner"], data["lead_agency_code"]) == (colleague.username, "S110105004")


def test_an_impossible_transition_is_rejected_with_its_reason_and_nothing_deletes(
    crew: Crew,
) -> None:
    taker, supervisor = crew.taker, crew.supervisor
    case_id = taker.create()
    results = taker.push(
        ("case.follow_up", {"case_id": case_id, "solved": "solved", "satisfied": "satisfied"}),
        ("case.delete", {"case_id": case_id}),
    )
    assert [(r["status"], r["reason"]) for r in results] == [
        ("rejected", "impossible_transition"),
        ("rejected", "unknown_mutation"),
    ]
    assert results[0]["case_status"] == "dispatched"
    void = ("case.void", {"case_id": case_id, "reason": "无效来电"})
    first, second = supervisor.push(void, void)
    assert (first["status"], second["status"], second["reason"]) == (
        "applied",
        "rejected",
        "impossible_transition",
    )
    assert current(taker, case_id)["status"] == "void"
