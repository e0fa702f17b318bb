"""A mutation number is bound to what was sent under it: reused with other content, it is
refused, never answered with another mutation's result (a console restored from an older copy
of its database numbers new work with numbers it had already used)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from console.store.schema import Case, CaseNoteRow
from tests.server.process import Server
from tests.server.seats import Seats, cases_numbered, ledger
from tests.server.workstation import Workstation


def test_a_number_sent_again_with_another_create_is_refused_and_stores_nothing(
    server: Server, seats: Seats
) -> None:
    seat = seats.open(server)
    first = seat.new_case()
    [applied] = seat.push(("case.create", first))
    assert applied["status"] == "applied"
    other = seat.new_case(description="另一位来电人反映小区门口的路灯已经坏了一个星期。")
    reused = seat.send([{"mid": 1, "name": "case.create", "args": other}])
    assert reused.status_code == 409
    assert reused.json()["error"]["code"] == "mid_reused"
    assert reused.json()["mid"] == 1
    assert cases_numbered(server, other["case_no"]) == 0
    again = seat.send([{"mid": 1, "name": "case.create", "args": first}])
    assert again.json()["results"] == [applied]


def test_a_batch_reusing_a_number_is_refused_whole(server: Server, seats: Seats) -> None:
    seat = seats.open(server)
    kept = seat.new_case()
    seat.push(("case.create", kept))
    changed = {**kept, "urgency": "urgent"}
    fresh = seat.new_case()
    batch = [
        {"mid": 1, "name": "case.create", "args": changed},
        {"mid": 2, "name": "case.create", "args": fresh},
    ]
    refused = seat.send(batch)
    assert (refused.status_code, refused.json()["mid"]) == (409, 1)
    assert cases_numbered(server, fresh["case_no"]) == 0
    assert ledger(server, seat.client_id) == 1


def test_the_same_content_in_another_key_order_is_the_same_mutation(
    server: Server, seats: Seats
) -> None:
    seat = seats.open(server)
    args = seat.new_case()
    [applied] = seat.push(("case.create", args))
    shuffled = dict(reversed(list(args.items())))
    again = seat.send([{"mid": 1, "name": "case.create", "args": shuffled}])
    assert again.status_code == 200
    assert again.json()["results"] == [applied]


def test_a_console_restored_from_an_older_copy_recovers_and_sends_every_case_once(
    server: Server, workstation: Workstation, tmp_path: Path
) -> None:
    first = [
        workstation.take_call(f"第{n}位来电人反映三里屯路人行道有商贩占道经营。") for n in (1, 2)
    ]
    assert workstation.send().status_code == 200
    backup = tmp_path / "backup.sqlite3"
    workstation.back_up(backup)
    later = [workstation.take_call(f"第{n}位来电人反映夜间占道经营噪音扰民。") for n in (3, 4)]
    workstation.note(first[0], "来电人再次来电催办。")
    assert workstation.send().status_code == 200

    workstation.restore(backup)
    after = workstation.take_call("恢复后受理：来电人反映小区门口路灯不亮已经一周。")
    workstation.note(first[1], "恢复后补充：来电人希望尽快回复。")
    refused = workstation.send()
    assert (refused.status_code, refused.json()["error"]["code"]) == (409, "mid_reused")
    assert refused.json()["mid"] == 3

    last = workstation.renew()
    resent = workstation.send()
    assert resent.status_code == 200, resent.text
    create, note = resent.json()["results"]
    assert (create["status"], note["status"]) == ("conflict", "applied")
    [renumbered] = create["conflicts"]
    sent_as = workstation.local.cases.detail(after).summary.case_no
    assert renumbered["field"] == "case_no" and renumbered["yours"] == sent_as
    assert last[:9] == sent_as[:9] and int(last[9:]) == 4  # the last the old console numbered
    following = workstation.take_call("恢复后第二个来电：反映公交站台顶棚破损漏雨。")
    [applied] = workstation.send().json()["results"]
    assert applied["status"] == "applied"
    assert applied["case_no"] == last[:9] + "0005"

    stored = _stored_cases(server, [*first, *later, after, following])
    assert sorted(stored.values()) == [1] * 6
    notes = _notes_of(server, first)
    assert notes == {first[0]: 1, first[1]: 1}


def _stored_cases(server: Server, ids: list[str]) -> dict[str, int]:
    query = select(Case.id, func.count()).where(Case.id.in_(ids)).group_by(Case.id)
    counted = {case_id: int(n) for case_id, n in server.rows(query)}
    return {case_id: counted.get(case_id, 0) for case_id in ids}


def _notes_of(server: Server, ids: list[str]) -> dict[str, int]:
    query = select(CaseNoteRow.case_id, func.count()).where(CaseNoteRow.case_id.in_(ids))
    return {case_id: int(n) for case_id, n in server.rows(query.group_by(CaseNoteRow.case_id))}
