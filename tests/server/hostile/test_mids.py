"""A mutation number is bound to what was sent under it: reused with other content, it is
refused, never answered with another mutation's result (a console restored from an older copy
of its database numbers new work with numbers it had already used)."""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from console.central.enrolment import Enrolled
from console.domain.workflow import Role
from console.paths import REFERENCE
from console.store.schema import Case, CaseNoteRow
from console.workstation.context import Operator
from console.workstation.local import DATABASE_FILE, open_local
from tests.forms import COMPLAINT
from tests.server.process import Server
from tests.server.seats import Seats, cases_numbered, ledger


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


class Workstation:
    """A console's own database with its outbox, and what its sync will do: send the pending
    mutations in order and keep each result on its outbox row (SYNC.md)."""

    def __init__(self, server: Server, folder: Path, username: str) -> None:
        self.server, self.folder, self.username = server, folder, username
        self.local = open_local(folder, REFERENCE)
        self.enrolled = server.console()
        self.local.setup.configure(self.enrolled.seat_code, username)
        self.local.setup.adopt_enrolment(self.enrolled.client_id, self.enrolled.seat_code)
        self.http = server.client(server.login(username, self.enrolled))

    @property
    def operator(self) -> Operator:
        found = self.local.setup.operator()
        assert found is not None
        return found

    def take_call(self, description: str) -> str:
        return self.local.intake.submit(
            replace(COMPLAINT, description=description), self.operator
        ).id

    def note(self, case_id: str, text: str) -> None:
        self.local.cases.add_note(case_id, text, self.operator)

    def send(self) -> httpx.Response:
        with closing(sqlite3.connect(self.folder / DATABASE_FILE)) as db:
            rows = db.execute("SELECT mid, name, args FROM outbox WHERE state = 'pending'")
            batch = [{"mid": m, "name": n, "args": json.loads(a)} for m, n, a in rows]
        body = {"client_id": self.operator.client_id, "mutations": batch}
        answer = self.http.post("/v1/sync/push", json=body)
        if answer.status_code == 200:
            with closing(sqlite3.connect(self.folder / DATABASE_FILE)) as db, db:
                for result in answer.json()["results"]:
                    db.execute(
                        "UPDATE outbox SET state = ? WHERE mid = ?",
                        (result["status"], result["mid"]),
                    )
        return answer

    def back_up(self, to: Path) -> None:
        with (
            closing(sqlite3.connect(self.folder / DATABASE_FILE)) as db,
            closing(sqlite3.connect(to)) as copy,
        ):
            db.backup(copy)

    def restore(self, backup: Path) -> None:
        self.local.close()
        for path in self.folder.glob(DATABASE_FILE + "*"):
            path.unlink()
        shutil.copy(backup, self.folder / DATABASE_FILE)
        self.local = open_local(self.folder, REFERENCE)

    def renew(self) -> str:
        """Take a new enrolment on the same seat; the last case number the server holds."""
        answer = self.http.post("/v1/consoles/renew")
        assert answer.status_code == 201, answer.text
        new = answer.json()
        self.enrolled = Enrolled(new["client_id"], new["seat_code"], new["console_secret"])
        self.local.setup.adopt_enrolment(
            self.enrolled.client_id, self.enrolled.seat_code, new["last_case_no"]
        )
        self.http.close()
        self.http = self.server.client(self.server.login(self.username, self.enrolled))
        return str(new["last_case_no"])

    def close(self) -> None:
        self.http.close()
        self.local.close()


@pytest.fixture
def workstation(server: Server, tmp_path: Path) -> Iterator[Workstation]:
    opened = Workstation(server, tmp_path / "console", server.user(Role.CALL_TAKER))
    yield opened
    opened.close()


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
