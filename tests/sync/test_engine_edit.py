"""Editing a case after intake: checked as the server checks it, saved here and queued for the
server in one transaction, on top of the version held here."""

from __future__ import annotations

import pytest

from console.domain.cases import Badge
from console.domain.errors import FieldError, ValidationFailed
from tests.sync.conftest import Opener


def test_an_edit_is_saved_and_queued_on_the_version_held_here(workstations: Opener) -> None:
    station = workstations()
    station.writer.submit(lambda: station.local.setup.configure("001", "王芳")).result()
    case_id = station.take_call()

    station.edit(case_id, category_code="010102", callback_phone="010 6512 3456")

    shown = station.local.cases.detail(case_id)
    assert shown.callback_phone == "+861065123456"
    assert shown.summary.category_path.startswith("城市管理")
    assert shown.summary.badge is Badge.LOCAL  # a standalone console shows no sync state
    [(_, name, case_no, _)] = station.sync.waiting()[1:]
    assert (name, case_no) == ("case.update", shown.summary.case_no)
    [_, queued] = station.local.replica.next_batch(10)
    assert queued.args == {
        "case_id": case_id,
        "base_version": 1,  # a case just taken
        "set": {"category_code": "010102", "callback_phone": "+861065123456"},
    }


def test_an_edit_the_server_would_refuse_is_refused_here_and_saves_nothing(
    workstations: Opener,
) -> None:
    station = workstations()
    station.writer.submit(lambda: station.local.setup.configure("001", "王芳")).result()
    case_id = station.take_call()
    with pytest.raises(ValidationFailed) as refused:
        station.edit(case_id, urgency="someday", description="短", status="closed")
    assert set(refused.value.errors) == {
        FieldError("urgency", "invalid"),
        FieldError("description", "invalid"),
        FieldError("status", "invalid"),
    }
    assert [name for _, name, _, _ in station.sync.waiting()] == ["case.create"]
