"""The outbox forgets what the server settled long ago, and nothing else: unsent work and
problems nobody dealt with stay, each case keeps its badge, the numbering goes on."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from console.domain.cases import Badge
from console.domain.intake import IntakeForm
from console.workstation.context import Operator
from console.workstation.local import DATABASE_FILE, LocalConsole
from console.workstation.replica import ANSWERS_KEPT, PRUNE_CHUNK

if TYPE_CHECKING:
    from conftest import FakeClock, Query


def _answer(console: LocalConsole, *results: dict[str, Any]) -> None:
    """The server's answers to the waiting mutations `results` name, as the sync keeps them."""
    sent = console.replica.next_batch(100)
    console.replica.record(sent, list(results))


def _badges(console: LocalConsole, *case_ids: str) -> list[Badge]:
    return [console.cases.detail(case_id).summary.badge for case_id in case_ids]


def test_long_settled_mutations_are_forgotten_and_the_rest_kept(
    console: LocalConsole,
    operator: Operator,
    complaint: IntakeForm,
    clock: FakeClock,
    query: Query,
    data_dir: Path,
) -> None:
    console.replica.link("https://centre.example")
    done, clashed, refused, later = (
        console.intake.submit(replace(complaint, caller_phone=f"1390013900{n}"), operator).id
        for n in range(4)
    )
    console.cases.add_note(clashed, "来电人补充：晚上八点以后最严重。", operator)  # 5
    _answer(
        console,
        {"mid": 1, "status": "applied", "case_id": done},
        {"mid": 2, "status": "conflict", "case_id": clashed, "conflicts": []},
        {"mid": 3, "status": "rejected", "case_id": refused, "reason": "invalid_case"},
        {"mid": 4, "status": "applied", "case_id": later},
        {"mid": 5, "status": "applied", "case_id": clashed},
    )
    console.replica.resolve(3)
    unsent = console.intake.submit(complaint, operator).id  # 6
    before = _badges(console, done, clashed, refused)
    assert before == [Badge.SYNCED, Badge.SYNCED, Badge.SYNCED]

    clock.advance(days=ANSWERS_KEPT.days - 1)
    assert console.replica.prune() == 0
    clock.advance(days=2)
    console.cases.add_note(later, "再次来电催办。", operator)  # 7, not sent yet
    _answer(console, {"mid": 6, "status": "applied", "case_id": unsent})

    assert console.replica.prune() == 3

    # Kept: the conflict nobody dealt with, the case's later change (its badge says synced),
    # what was answered within the retention, and what was never sent.
    rows = query(data_dir, "SELECT mid, state FROM outbox ORDER BY mid")
    assert rows == [(2, "conflict"), (5, "applied"), (6, "applied"), (7, "pending")]
    assert _badges(console, done, clashed, refused) == before[:3]
    assert [p.mid for p in console.replica.problems()] == [2]
    assert [mid for mid, *_ in console.replica.waiting()] == [7]
    assert console.replica.prune() == 0

    console.replica.resolve(2)
    clock.advance(days=ANSWERS_KEPT.days + 1)
    _answer(console, {"mid": 7, "status": "applied", "case_id": later})
    clock.advance(days=ANSWERS_KEPT.days + 1)
    assert console.replica.prune() == 4
    assert query(data_dir, "SELECT count(*) FROM outbox") == [(0,)]

    # Every number ever given stays given: the next change is numbered after the highest.
    console.cases.add_note(done, "回访：来电人表示满意。", operator)
    assert [mid for mid, *_ in console.replica.waiting()] == [8]
    assert _badges(console, done, later) == [Badge.WAITING, Badge.SYNCED]


def test_a_large_backlog_is_forgotten_a_chunk_at_a_time(
    console: LocalConsole, operator: Operator, complaint: IntakeForm, data_dir: Path
) -> None:
    case_id = console.intake.submit(complaint, operator).id
    long_ago = "2000-01-01 00:00:00.000000"
    notes = [
        ("case.add_note", "{}", long_ago, "applied", case_id, long_ago)
        for _ in range(PRUNE_CHUNK + 10)
    ]
    with closing(sqlite3.connect(data_dir / DATABASE_FILE)) as db, db:
        db.executemany(
            "INSERT INTO outbox (name, args, created_at, state, case_id, answered_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            notes,
        )

    assert console.replica.prune() == PRUNE_CHUNK
    assert console.replica.prune() == 10
    assert [mid for mid, *_ in console.replica.waiting()] == [1]  # the case, never sent
