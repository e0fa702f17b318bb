"""The `case.create` payload: what the console puts in its outbox is what the server reads."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from contextlib import closing
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from console.domain.errors import InvalidArgument, ValidationFailed
from console.domain.intake import IntakeForm
from console.domain.new_case import NewCase
from console.domain.reference import ReferenceData
from console.workstation.context import Operator
from console.workstation.local import LocalConsole

Clock = Callable[[], datetime]
Query = Callable[[Path, str], list[tuple[Any, ...]]]
SHARED_HISTORY_CONSOLE = Path(__file__).parent / "data" / "console-0004.sql"


Submit = Callable[[IntakeForm], dict[str, Any]]


@pytest.fixture
def submit(console: LocalConsole, operator: Operator, query: Query, data_dir: Path) -> Submit:
    """Save a call on the console: what its outbox holds for it, as the sync will send it."""

    def save(form: IntakeForm) -> dict[str, Any]:
        saved = console.intake.submit(form, operator)
        [(args,)] = query(data_dir, f"SELECT args FROM outbox WHERE case_id = '{saved.id}'")
        return dict(json.loads(args))

    return save


def test_what_the_console_sends_reads_back_as_the_same_payload(
    submit: Submit,
    clock: Clock,
    reference: ReferenceData,
    complaint: IntakeForm,
    consultation: IntakeForm,
) -> None:
    for form in (
        replace(complaint, assisting_agency_codes=("C002", "U001"), callback_phone="010-65123456"),
        consultation,
        replace(complaint, anonymous=True, caller_name="", confidential=True, urgency="emergency"),
    ):
        args = submit(form)
        assert NewCase.from_args(args, reference, clock()).to_args() == args


def test_an_outbox_row_written_before_the_payload_existed_reads_as_the_case_it_was(
    reference: ReferenceData, clock: Clock
) -> None:
    with closing(sqlite3.connect(":memory:")) as db:
        db.executescript(SHARED_HISTORY_CONSOLE.read_text(encoding="utf-8"))
        rows = db.execute("SELECT args FROM outbox ORDER BY mid").fetchall()
    for (text,) in rows:
        sent = json.loads(text)  # the stored case's every column, and more
        read = NewCase.from_args(sent, reference, clock()).to_args()
        assert read == {name: sent[name] for name in read}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("id", "not-a-uuid"),
        ("case_no", "26120100700011"),
        ("created_at", "2026-12-01T02:00:00"),  # no offset
        ("deadline_at", "1899-12-31T00:00:00+00:00"),
        ("description", ["a", "list"]),
        ("confidential", "yes"),
        ("assisting_agencies", "C002"),
        ("routing_reason", "理" * 301),
    ],
)
def test_each_wrong_argument_is_named(
    submit: Submit,
    clock: Clock,
    reference: ReferenceData,
    complaint: IntakeForm,
    field: str,
    value: object,
) -> None:
    args = submit(complaint)
    with pytest.raises(InvalidArgument) as raised:
        NewCase.from_args({**args, field: value}, reference, clock())
    assert raised.value.field == field


def test_an_intake_the_console_would_refuse_is_refused_with_its_every_problem(
    reference: ReferenceData, clock: Clock
) -> None:
    args = {"id": "01a236c3-2580-7044-a78d-e81990aa799c", "case_no": "2612010070001"}
    with pytest.raises(ValidationFailed) as raised:
        NewCase.from_args({**args, "description": "短"}, reference, clock())
    fields = {error.field for error in raised.value.errors}
    assert {"caller_phone", "appeal_type", "category", "description"} <= fields
