"""Every mutation in every status as every role, held to the table of console/server/WORKFLOW.md,
through the real server on PostgreSQL and on SQLite.

The table is read from the page, so the page and the server cannot drift apart. The cases are
set up through the mutation engine straight in the server's database (tests/server/cases.py);
each staff actor then pushes all its cells in a few batches. An agency has no console and
cannot push: its cells go through the same engine, in the server's database. A cell the table
allows is applied to a case of its own; the refused ones share one case per status, which they
must leave as it was.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from console.central import changes
from console.domain.clock import utc_now
from console.domain.enums import Status
from console.domain.ids import new_id
from console.domain.workflow import Action, Role
from console.store.schema import Case
from tests.server.cases import (
    AGENCY,
    CITY_AGENCY,
    OTHER_AGENCY,
    Cases,
    later,
    open_cases,
    reference,
)
from tests.server.process import ROOT, Server
from tests.server.seats import Seat, Seats, case_args

WORKFLOW = ROOT / "console" / "server" / "WORKFLOW.md"
# The page's column headings: the status, or "new" for a case that does not exist yet.
COLUMNS = {
    "new case": "new",
    "answered": "answered",
    "dispatched": "dispatched",
    "accepted": "accepted",
    "accepted, extension requested": "extension_requested",
    "returned": "returned",
    "replied": "replied",
    "reopened": "reopened",
    "closed": "closed",
    "void": "void",
}
# The page's row of each mutation, and the arguments it is pushed with besides the case.
ROWS: dict[Action, tuple[str, str, dict[str, Any]]] = {
    Action.CREATE: ("case.create", "case.create", {}),
    Action.EDIT: ("case.update", "case.update", {"set": {"urgency": "urgent"}}),
    Action.CHANGE_AGENCY: (
        "case.update of lead_agency_code",
        "case.update",
        {"set": {"lead_agency_code": CITY_AGENCY}},
    ),
    Action.NOTE: ("case.add_note", "case.add_note", {"text": "来电人补充：晚上八点后更严重。"}),
    Action.SIGN: ("case.sign", "case.sign", {}),
    Action.RETURN: ("case.return", "case.return", {"reason_code": "not_our_duty"}),
    Action.REPLY: ("case.reply", "case.reply", {"text": "已联系城管执法队清理。"}),
    Action.REQUEST_EXTENSION: (
        "case.request_extension",
        "case.request_extension",
        {"until": later(days=30).isoformat(), "reason": "需协调多个部门"},
    ),
    Action.APPROVE_EXTENSION: ("case.approve_extension", "case.approve_extension", {}),
    Action.REFUSE_EXTENSION: ("case.refuse_extension", "case.refuse_extension", {}),
    Action.REDISPATCH: ("case.redispatch", "case.redispatch", {"agency_code": CITY_AGENCY}),
    Action.REASSIGN: ("case.reassign", "case.reassign", {"owner": "<call-taker>"}),
    Action.VOID: ("case.void", "case.void", {"reason": "无效来电"}),
    Action.MERGE: ("case.merge", "case.merge", {"into_case_id": "<target>"}),
    Action.FOLLOW_UP: (
        "case.follow_up",
        "case.follow_up",
        {"solved": "solved", "satisfied": "satisfied"},
    ),
}
ACTORS = ("owner", "call-taker", "supervisor", "admin", "lead agency", "other agency")
# The page's letters each actor holds on a case of the owner, led by the lead agency (none of
# them on a direct answer, which no agency leads), and those of its role whoever's the case.
HOLDS = {
    "owner": {"O", "C"},
    "call-taker": {"C"},
    "supervisor": {"S"},
    "admin": {"S"},
    "lead agency": {"L"},
    "other agency": set(),
}
ROLE_HOLDS = {**HOLDS, "call-taker": {"O", "C"}, "other agency": {"L"}}
Table = dict[str, dict[str, set[str]]]  # row: status: letters


def read_table() -> Table:
    """The page's tables of who may do what: each row's letters by status."""
    section = WORKFLOW.read_text(encoding="utf-8").split("## Who may do what")[1]
    rows: Table = {}
    statuses: list[str] = []
    for line in section.split("\n## ")[0].splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if not line.startswith("|") or set(cells[0]) <= {"-"}:
            continue
        if cells[0] == "mutation":
            statuses = [COLUMNS[cell] for cell in cells[1:]]
            continue
        letters = [set(cell.split()) - {"·"} for cell in cells[1:]]
        rows[cells[0].replace("`", "")] = dict(zip(statuses, letters, strict=True))
    return rows


def expected(row: dict[str, set[str]], status: str, actor: str, action: Action) -> str:
    """The outcome the page gives: applied, or the first rule broken (its refusal order)."""
    holds = set() if status == "answered" and actor == "lead agency" else HOLDS[actor]
    if holds & row[status]:
        return "applied"
    everywhere = set().union(*row.values())
    if not ROLE_HOLDS[actor] & everywhere:
        return "role_not_allowed"
    if actor == "call-taker" and "C" not in everywhere:
        return "not_your_case"
    if actor.endswith("agency") and not holds:
        return "not_this_agencys_case"
    if status == "accepted" and action in (Action.APPROVE_EXTENSION, Action.REFUSE_EXTENSION):
        return "no_extension_requested"
    return "impossible_transition"


@dataclass(frozen=True)
class Cell:
    action: Action
    status: str
    actor: str

    def __str__(self) -> str:
        return f"{ROWS[self.action][0]} | {self.status} | {self.actor}"


class OneTransaction(Cases):
    """Cases set up as tests/server/cases.py sets them up, all in one transaction: a commit for
    each of some 500 mutations would cost most of this test's time."""

    def __init__(self, cases: Cases) -> None:
        self.engine = cases.engine
        self.session = Session(self.engine)

    def apply(self, actor: changes.Actor, name: str, args: dict[str, Any]) -> changes.Outcome:
        mutation = changes.Mutation(name, args)
        return changes.apply(self.session, actor, mutation, utc_now(), reference())

    def commit(self) -> None:
        self.session.commit()
        self.session.close()


class Desk:
    """An agency at work: without a console, its mutations go through the engine in the
    server's database, each in a savepoint as a push applies them, answered as a push is."""

    def __init__(self, server: Server, cases: Cases, agency: str) -> None:
        self.username = server.user(Role.AGENCY, agency)
        self.actor = changes.Actor(self.username, Role.AGENCY, agency_code=agency)
        self.engine = cases.engine

    def new_case(self) -> dict[str, Any]:
        return case_args("999", 1)

    def push(self, *mutations: tuple[str, dict[str, Any]]) -> list[dict[str, Any]]:
        with Session(self.engine) as session:
            outcomes = [
                changes.apply(
                    session, self.actor, changes.Mutation(name, args), utc_now(), reference()
                )
                for name, args in mutations
            ]
            session.commit()
        return [{**outcome.body, "status": outcome.status} for outcome in outcomes]


class World:
    """The actors, staff each on a console, and the cases of the cells."""

    def __init__(self, server: Server, seats: Seats, cases: Cases) -> None:
        self.cases = OneTransaction(cases)
        self.seats: dict[str, Seat | Desk] = {
            "owner": seats.open(server),
            "call-taker": seats.open(server),
            "supervisor": seats.open(server, Role.SUPERVISOR),
            "admin": seats.open(server, Role.ADMIN),
            "lead agency": Desk(server, cases, AGENCY),
            "other agency": Desk(server, cases, OTHER_AGENCY),
        }
        self.shared = {
            status: self.in_status(status) for status in COLUMNS.values() if status != "new"
        }
        self.target = self.in_status("dispatched")  # what cases are merged into

    def in_status(self, status: str) -> str:
        """A case of the owner, led by the lead agency (unless answered), in `status`."""
        owner = self.seats["owner"].username
        if status == "answered":
            return self.cases.create(
                owner, handling="direct_answer", answer_text="已告知办理流程。", lead_agency_code=""
            )
        if status == "reopened":
            case_id = self.cases.in_status("replied", owner=owner)
            self.cases.act(case_id, "follow_up", solved="unsolved", satisfied="dissatisfied")
            return case_id
        return self.cases.in_status(status, owner=owner)

    def mutation(self, cell: Cell, case_id: str, version: int) -> tuple[str, dict[str, Any]]:
        _, name, extra = ROWS[cell.action]
        if cell.action is Action.CREATE:
            return name, self.seats[cell.actor].new_case()
        filled = {"<call-taker>": self.seats["call-taker"].username, "<target>": self.target}
        args = {"case_id": case_id, **{k: filled.get(str(v), v) for k, v in extra.items()}}
        if name == "case.update":
            args["base_version"] = version
        if name == "case.add_note":
            args["note_id"] = new_id()
        return name, args

    def versions(self, case_ids: list[str]) -> dict[str, int]:
        with Session(self.cases.engine) as session:
            query = select(Case.id, Case.version).where(Case.id.in_(case_ids))
            return {row.id: row.version for row in session.execute(query)}


@pytest.fixture(scope="module")
def cases(server: Server) -> Iterator[Cases]:
    yield from open_cases(server)


def test_the_page_has_a_row_for_every_mutation_and_a_column_for_every_status() -> None:
    table = read_table()
    assert set(table) == {row for row, _, _ in ROWS.values()}
    assert set(ROWS) == set(Action)
    columns = {status for row in table.values() for status in row} - {"new"}
    assert columns == {s.value for s in Status if s is not Status.DRAFT} | {"extension_requested"}


def test_every_mutation_in_every_status_by_every_role_is_as_the_table_says(
    server: Server, seats: Seats, cases: Cases
) -> None:
    table = read_table()
    world = World(server, seats, cases)
    cells = [
        Cell(action, status, actor)
        for action, (row, _, _) in ROWS.items()
        for status in table[row]
        for actor in ACTORS
    ]
    wanted = {cell: expected(table[ROWS[cell.action][0]], cell.status, cell.actor, cell.action)
              for cell in cells}  # fmt: skip
    case_of = {
        cell: world.in_status(cell.status)
        if wanted[cell] == "applied"
        else world.shared[cell.status]
        for cell in cells
        if cell.status != "new"
    }
    world.cases.commit()
    versions = world.versions(list(case_of.values()))
    before = world.versions(list(world.shared.values()))
    outcomes: dict[str, str] = {}
    for actor, seat in world.seats.items():
        mine = [cell for cell in cells if cell.actor == actor]
        for start in range(0, len(mine), 100):
            batch = mine[start : start + 100]
            pushed = [
                world.mutation(cell, case_of.get(cell, ""), versions.get(case_of.get(cell, ""), 0))
                for cell in batch
            ]
            for cell, result in zip(batch, seat.push(*pushed), strict=True):
                outcomes[str(cell)] = result.get("reason", result["status"])
    assert outcomes == {str(cell): outcome for cell, outcome in wanted.items()}
    assert world.versions(list(world.shared.values())) == before
