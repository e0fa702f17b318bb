"""A console that takes a new enrolment (its database was restored from an older copy): its
unsent work numbered again from 1, its case numbers going on after the server's."""

from __future__ import annotations

import sqlite3
import uuid
from contextlib import closing
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from console.domain.errors import ValidationFailed
from console.domain.intake import IntakeForm
from console.workstation.context import Operator
from console.workstation.local import DATABASE_FILE, LocalConsole

if TYPE_CHECKING:
    from conftest import Query


def test_unsent_work_is_numbered_again_from_one_in_its_order(
    console: LocalConsole, operator: Operator, complaint: IntakeForm, query: Query, data_dir: Path
) -> None:
    sent = console.intake.submit(complaint, operator)
    unsent = console.intake.submit(replace(complaint, caller_phone="13900139000"), operator)
    console.cases.add_note(unsent.id, "来电人补充：晚上八点以后最严重。", operator)
    with closing(sqlite3.connect(data_dir / DATABASE_FILE)) as db, db:
        db.execute("UPDATE outbox SET state = 'applied' WHERE mid = 1")  # the server answered
    new_id = str(uuid.uuid4())

    assert console.setup.adopt_enrolment(new_id, operator.seat_code) == 2

    rows = query(data_dir, "SELECT mid, name, state FROM outbox ORDER BY mid")
    assert rows == [(1, "case.create", "pending"), (2, "case.add_note", "pending")]
    assert unsent.id in query(data_dir, "SELECT args FROM outbox WHERE mid = 1")[0][0]
    assert sent.id not in "".join(a for (a,) in query(data_dir, "SELECT args FROM outbox"))
    adopted = console.setup.operator()
    assert adopted is not None and adopted.client_id == new_id
    console.cases.add_note(sent.id, "再次来电催办。", operator)
    assert query(data_dir, "SELECT max(mid) FROM outbox") == [(3,)]


def test_case_numbers_go_on_after_the_last_the_server_holds_for_the_seat(
    console: LocalConsole, operator: Operator, complaint: IntakeForm
) -> None:
    first = console.intake.submit(complaint, operator)
    assert first.case_no.endswith("0001")
    server_last = first.case_no[:9] + "0007"

    console.setup.adopt_enrolment(operator.client_id, operator.seat_code, server_last)

    following = console.intake.submit(complaint, operator)
    assert following.case_no == first.case_no[:9] + "0008"
    console.setup.adopt_enrolment(operator.client_id, operator.seat_code, first.case_no)
    assert console.intake.submit(complaint, operator).case_no.endswith("0009")


def test_an_invalid_seat_is_refused_and_nothing_changes(
    console: LocalConsole, operator: Operator, complaint: IntakeForm, query: Query, data_dir: Path
) -> None:
    console.intake.submit(complaint, operator)
    with pytest.raises(ValidationFailed):
        console.setup.adopt_enrolment(str(uuid.uuid4()), "000")
    assert console.setup.operator() == operator
    assert query(data_dir, "SELECT mid, state FROM outbox") == [(1, "pending")]
