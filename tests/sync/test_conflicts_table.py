"""The conflict table of DESIGN.md §4 as a console lives it, pair by pair: a change the console
made while it could not reach the centre (an edit of the urgency, of the lead agency, of the
description, a note) meets each thing a supervisor may have done meanwhile (reassign the case,
re-dispatch it, void it, edit the urgency, the agency, the address, the description).

The outcomes are those of WORKFLOW.md and SYNC.md: a supervisor's reassignment beats a stale
call-taker change (only the owner may edit: `not_your_case`), a void case takes nothing, a field
someone else changed since the version the console edited keeps the server's value and is a
conflict in the console's inbox (a losing description is kept as a note), other fields apply,
and notes never conflict. "Apply mine again" and "keep theirs" resolve a conflict."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from typing import Any

import pytest
from sqlalchemy import select

from console.domain.workflow import Role
from console.store.schema import Case, CaseNoteRow
from console.sync.api import NotApplied, Problem
from console.workstation.local import DATABASE_FILE
from tests.server.process import PASSWORD, Server
from tests.server.seats import Seat
from tests.sync.engines import QUICK
from tests.sync.headless import HeadlessConsole

MINE = {
    "urgency": "urgent",
    "lead_agency_code": "C002",
    "description": "来电人补充：周末上午也有商贩摆摊，人行道完全被占。",
}
THEIRS = {
    "urgency": "emergency",
    "lead_agency_code": "C001",
    "address": "三里屯路21号",
    "description": "商贩每天17点后在人行道摆摊，已多次反映，请街道尽快处理。",
}
NOTE = "来电人再次来电，询问处理进度。"
EDITS = ("urgency", "lead_agency_code", "description", "note")
ACTIONS = ("reassign", "redispatch", "void", "urgency", "lead_agency_code", "address",
           "description")  # fmt: skip
NOT_YOURS = "rejected not_your_case"
VOID = "rejected impossible_transition"
OK = "applied"

# Offline edit × supervisor action: what the console's change became.
TABLE = {
    "urgency": (NOT_YOURS, OK, VOID, "conflict urgency", OK, OK, OK),
    "lead_agency_code": (NOT_YOURS, "conflict lead_agency_code", VOID, OK,
                         "conflict lead_agency_code", OK, OK),
    "description": (NOT_YOURS, OK, VOID, OK, OK, OK, "conflict description"),
    "note": (OK, OK, VOID, OK, OK, OK, OK),
}  # fmt: skip
FIELDS = ("status", "owner", "urgency", "lead_agency_code", "address", "description", "version")


def _act(supervisor: Seat, action: str, case_id: str, colleague: str) -> None:
    """The supervisor's action on the server, on the version the console last saw (1)."""
    args: dict[str, Any]
    match action:
        case "reassign":
            mutation = ("case.reassign", {"case_id": case_id, "owner": colleague})
        case "redispatch":
            args = {"case_id": case_id, "agency_code": THEIRS["lead_agency_code"]}
            mutation = ("case.redispatch", args)
        case "void":
            mutation = ("case.void", {"case_id": case_id, "reason": "重复来电"})
        case field:
            args = {"case_id": case_id, "base_version": 1, "set": {field: THEIRS[field]}}
            mutation = ("case.update", args)
    [result] = supervisor.push(mutation)
    assert result["status"] == "applied", result


def _theirs_stands(action: str, case: dict[str, Any], colleague: str) -> bool:
    match action:
        case "reassign":
            return bool(case["owner"] == colleague)
        case "redispatch":
            return bool(case["lead_agency_code"] == THEIRS["lead_agency_code"])
        case "void":
            return bool(case["status"] == "void")
        case field:
            return bool(case[field] == THEIRS[field])


def _outcome(problem: Problem | None) -> str:
    if problem is None:
        return OK
    if problem.rejected:
        return f"rejected {problem.reason}"
    return "conflict " + " ".join(n.field for n in problem.not_applied)


def _on_server(server: Server, ids: list[str]) -> dict[str, dict[str, Any]]:
    rows = server.rows(select(Case.id, *(getattr(Case, f) for f in FIELDS)).where(Case.id.in_(ids)))
    return {row[0]: dict(zip(FIELDS, row[1:], strict=True)) for row in rows}


def _notes_on_server(server: Server, case_id: str) -> list[str]:
    query = select(CaseNoteRow.text).where(CaseNoteRow.case_id == case_id)
    return sorted(text for (text,) in server.rows(query))


def _local(console: HeadlessConsole, ids: list[str]) -> dict[str, dict[str, Any]]:
    marks = ", ".join("?" * len(ids))
    with closing(sqlite3.connect(console.folder / DATABASE_FILE)) as db:
        rows = db.execute(f"SELECT id, {', '.join(FIELDS)} FROM cases WHERE id IN ({marks})", ids)
        return {row[0]: dict(zip(FIELDS, row[1:], strict=True)) for row in rows}


class Pairs:
    """One case per pair, made on the console and synced, then changed on both sides apart."""

    def __init__(self, server: Server, console: HeadlessConsole, supervisor: Seat) -> None:
        self.server, self.console, self.supervisor = server, console, supervisor
        self.colleague = server.user(Role.CALL_TAKER)
        self.cases = {
            (edit, action): console.take_call(f"第{n}位来电人反映三里屯路人行道有商贩占道。")
            for n, (edit, action) in enumerate(((e, a) for e in EDITS for a in ACTIONS), start=1)
        }
        console.until_synced()

    def apart(self) -> None:
        """The console signed out of the centre edits; the supervisor acts on the server."""
        self.console.sync.sign_out()
        for (edit, action), case_id in self.cases.items():
            if edit == "note":
                self.console.note(case_id, NOTE)
            else:
                self.console.edit(case_id, **{edit: MINE[edit]})
            _act(self.supervisor, action, case_id, self.colleague)

    def problem_of(self, case_id: str) -> Problem | None:
        found = [p for p in self.console.sync.problems() if p.case_id == case_id]
        assert len(found) <= 1, found
        return found[0] if found else None


@pytest.fixture(scope="module")
def supervisor(centre: Server) -> str:
    return centre.user(Role.SUPERVISOR)


@pytest.fixture(scope="module")
def pairs(
    centre: Server, supervisor: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Pairs]:
    taker = centre.user(Role.CALL_TAKER)
    console = HeadlessConsole(tmp_path_factory.mktemp("console"), QUICK, centre.url)
    console.sign_in(taker, PASSWORD, supervisor)
    acting = Seat.open(centre, Role.SUPERVISOR, supervisor)
    made = Pairs(centre, console, acting)
    made.apart()
    console.sign_in(taker, PASSWORD)
    console.until_synced()
    yield made
    acting.http.close()
    console.close()


def test_each_offline_edit_meets_each_supervisor_action_as_the_table_says(pairs: Pairs) -> None:
    outcomes = {
        edit: tuple(_outcome(pairs.problem_of(pairs.cases[edit, action])) for action in ACTIONS)
        for edit in EDITS
    }
    assert outcomes == TABLE

    ids = list(pairs.cases.values())
    server, local = _on_server(pairs.server, ids), _local(pairs.console, ids)
    assert local == server  # the console holds what the server decided
    for (edit, action), case_id in pairs.cases.items():
        case, applied = server[case_id], TABLE[edit][ACTIONS.index(action)] == OK
        assert _theirs_stands(action, case, pairs.colleague), (edit, action)
        notes = _notes_on_server(pairs.server, case_id)
        if edit == "note":
            assert (NOTE in notes) == applied, (edit, action)
        else:
            assert (case[edit] == MINE[edit]) == applied, (edit, action)
            lost_text = edit == action == "description"
            assert notes == ([MINE["description"]] if lost_text else []), (edit, action)


def test_each_same_field_conflict_says_what_was_not_applied_and_who_kept_theirs(
    pairs: Pairs, supervisor: str
) -> None:
    for edit, action in (
        ("urgency", "urgency"),
        ("lead_agency_code", "redispatch"),
        ("lead_agency_code", "lead_agency_code"),
        ("description", "description"),
    ):
        problem = pairs.problem_of(pairs.cases[edit, action])
        assert problem is not None and not problem.rejected
        assert problem.mutation == "case.update"
        kept = THEIRS[edit]
        assert problem.not_applied == (NotApplied(edit, MINE[edit], kept, supervisor),)


def test_apply_mine_again_sends_my_value_on_top_and_keep_theirs_keeps_the_servers(
    pairs: Pairs,
) -> None:
    again = pairs.cases["urgency", "urgency"]
    theirs = pairs.cases["lead_agency_code", "lead_agency_code"]
    problems = {p.case_id: p.mid for p in pairs.console.sync.problems()}
    pairs.console.apply_mine_again(problems[again])
    pairs.console.keep_theirs(problems[theirs])
    pairs.console.until_synced()

    assert pairs.problem_of(again) is None and pairs.problem_of(theirs) is None
    server = _on_server(pairs.server, [again, theirs])
    assert server[again]["urgency"] == MINE["urgency"]
    assert server[theirs]["lead_agency_code"] == THEIRS["lead_agency_code"]
    assert _local(pairs.console, [again, theirs]) == server
