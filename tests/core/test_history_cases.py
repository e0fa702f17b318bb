from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from console.domain.cases import SavedCase
from console.domain.errors import NotFound, ValidationFailed
from console.domain.intake import IntakeForm
from console.workstation.context import Operator
from console.workstation.local import LocalConsole

if TYPE_CHECKING:
    from conftest import FakeClock, Opener, Query

MOBILE = "13800138000"


def _save_at(
    console: LocalConsole,
    clock: FakeClock,
    at: datetime,
    form: IntakeForm,
    operator: Operator,
) -> SavedCase:
    clock.set(at)
    return console.intake.submit(form, operator)


def test_history_lists_open_cases_first_then_newest_first(
    console: LocalConsole,
    operator: Operator,
    clock: FakeClock,
    complaint: IntakeForm,
    consultation: IntakeForm,
) -> None:
    start = clock.now
    opened_early = _save_at(console, clock, start, complaint, operator)
    answered_early = _save_at(console, clock, start + timedelta(hours=1), consultation, operator)
    opened_late = _save_at(console, clock, start + timedelta(days=2), complaint, operator)
    answered_late = _save_at(console, clock, start + timedelta(days=3), consultation, operator)
    other_caller = replace(complaint, caller_phone="13912345678")
    _save_at(console, clock, start + timedelta(days=4), other_caller, operator)

    history = console.history.caller_history(MOBILE)

    assert [c.id for c in history.cases] == [
        opened_late.id,
        opened_early.id,
        answered_late.id,
        answered_early.id,
    ]
    assert [c.is_open for c in history.cases] == [True, True, False, False]


@pytest.mark.parametrize("saved_as", ["138 0013 8000", "+86 138-0013-8000"])
@pytest.mark.parametrize(
    "looked_up", ["13800138000", "+8613800138000", "8613800138000", "138-0013-8000"]
)
def test_history_finds_the_same_cases_whatever_the_number_format(
    console: LocalConsole,
    operator: Operator,
    complaint: IntakeForm,
    saved_as: str,
    looked_up: str,
) -> None:
    saved = console.intake.submit(replace(complaint, caller_phone=saved_as), operator)
    history = console.history.caller_history(looked_up)
    assert history.phone_e164 == "+8613800138000"
    assert [c.case_no for c in history.cases] == [saved.case_no]


def test_fixed_line_history_with_or_without_area_code(
    console: LocalConsole, operator: Operator, complaint: IntakeForm
) -> None:
    saved = console.intake.submit(replace(complaint, caller_phone="65123456"), operator)
    assert [c.id for c in console.history.caller_history("010-6512 3456").cases] == [saved.id]
    assert console.history.caller_history(MOBILE).cases == ()


def test_repeat_caller_only_within_thirty_days(
    console: LocalConsole, operator: Operator, clock: FakeClock, complaint: IntakeForm
) -> None:
    called = clock.now
    assert not console.history.caller_history(MOBILE).repeat_caller
    console.intake.submit(complaint, operator)
    assert console.history.caller_history(MOBILE).repeat_caller

    clock.set(called + timedelta(days=29, hours=23))
    assert console.history.caller_history(MOBILE).repeat_caller

    clock.set(called + timedelta(days=30, minutes=1))
    history = console.history.caller_history(MOBILE)
    assert not history.repeat_caller
    # The old case is still in the history, it just no longer makes a repeat caller.
    assert len(history.cases) == 1
    assert not console.history.caller_history("13912345678").repeat_caller


def test_history_pages_are_disjoint_and_in_order(
    console: LocalConsole,
    operator: Operator,
    clock: FakeClock,
    complaint: IntakeForm,
    consultation: IntakeForm,
) -> None:
    for i in range(7):
        clock.advance(minutes=5)
        console.intake.submit(complaint if i % 3 else consultation, operator)
    everything = console.history.caller_history(MOBILE).cases
    assert len(everything) == 7

    pages = [console.history.caller_history(MOBILE, offset, 3).cases for offset in (0, 3, 6, 9)]

    assert [len(page) for page in pages] == [3, 3, 1, 0]
    assert tuple(c for page in pages for c in page) == everything


def test_cases_taken_in_the_same_second_keep_one_order_on_every_page(
    console: LocalConsole, operator: Operator, complaint: IntakeForm, consultation: IntakeForm
) -> None:
    # A busy seat saves several calls of one caller within the clock's resolution: the newer
    # id first, so that every page of every size cuts the same list (the server's order too).
    answered = [console.intake.submit(consultation, operator).id for _ in range(5)]
    dispatched = [console.intake.submit(complaint, operator).id for _ in range(20)]
    expected = sorted(dispatched, reverse=True) + sorted(answered, reverse=True)
    for size in (2, 3, 7, 25):
        pages = range(0, 25, size)
        history = [
            c.id for o in pages for c in console.history.caller_history(MOBILE, o, size).cases
        ]
        mine = [c.id for o in pages for c in console.cases.my_cases(operator, o, size)]
        assert history == expected == mine, size


@pytest.mark.parametrize("typed", ["1380013", "138", "", "abc"])
def test_incomplete_number_has_an_empty_history(
    console: LocalConsole, operator: Operator, complaint: IntakeForm, typed: str
) -> None:
    console.intake.submit(complaint, operator)
    history = console.history.caller_history(typed)
    assert history.cases == ()
    assert not history.repeat_caller


def test_my_cases_are_todays_in_beijing_and_my_open_ones(
    console: LocalConsole,
    operator: Operator,
    clock: FakeClock,
    complaint: IntakeForm,
    consultation: IntakeForm,
) -> None:
    other_seat = Operator("002", "李静", "another-console")
    # 23:30 on the 29th in Beijing, the same UTC day as "today" below.
    late = datetime(2026, 11, 29, 15, 30, tzinfo=UTC)
    answered_yesterday = _save_at(console, clock, late, consultation, operator)
    open_yesterday = _save_at(console, clock, late + timedelta(minutes=5), complaint, operator)
    # 00:30 on the 30th in Beijing.
    after_midnight = datetime(2026, 11, 29, 16, 30, tzinfo=UTC)
    answered_today = _save_at(console, clock, after_midnight, consultation, operator)
    _save_at(console, clock, after_midnight, complaint, other_seat)
    open_today = _save_at(console, clock, after_midnight + timedelta(hours=1), complaint, operator)
    clock.advance(hours=8)

    mine = console.cases.my_cases(operator)

    assert [c.id for c in mine] == [open_today.id, open_yesterday.id, answered_today.id]
    assert answered_yesterday.id not in {c.id for c in mine}
    assert len(console.cases.my_cases(other_seat)) == 1


def test_my_cases_pages(
    console: LocalConsole, operator: Operator, clock: FakeClock, complaint: IntakeForm
) -> None:
    for _ in range(5):
        clock.advance(minutes=1)
        console.intake.submit(complaint, operator)
    everything = console.cases.my_cases(operator)
    first, rest = console.cases.my_cases(operator, 0, 2), console.cases.my_cases(operator, 2, 10)
    assert first + rest == everything
    assert len(everything) == 5


def test_add_note_appends_note_event_and_outbox_row(
    console: LocalConsole,
    operator: Operator,
    clock: FakeClock,
    complaint: IntakeForm,
    query: Query,
    data_dir: Path,
) -> None:
    saved = console.intake.submit(complaint, operator)
    clock.advance(minutes=20)

    note = console.cases.add_note(saved.id, "  来电人再次来电，\x00催促尽快处理。 ", operator)

    assert note.text == "来电人再次来电，催促尽快处理。"
    detail = console.cases.detail(saved.id)
    assert [(n.text, n.author, n.at) for n in detail.notes] == [(note.text, "王芳", clock.now)]
    assert [e.kind.value for e in detail.events] == ["created", "dispatched", "note_added"]
    assert detail.events[-1].at == clock.now
    outbox = query(data_dir, "SELECT name, args FROM outbox ORDER BY mid")
    assert [name for name, _ in outbox] == ["case.create", "case.add_note"]
    assert json.loads(outbox[1][1])["case_id"] == saved.id
    assert json.loads(outbox[1][1])["text"] == note.text

    clock.advance(minutes=1)
    second = console.cases.add_note(saved.id, "已转办。", operator)
    assert [n.id for n in console.cases.detail(saved.id).notes] == [note.id, second.id]


@pytest.mark.parametrize(
    ("text", "code"), [("", "required"), ("  \n ", "required"), ("记" * 2001, "too_long")]
)
def test_bad_note_is_refused_and_nothing_is_written(
    console: LocalConsole,
    operator: Operator,
    complaint: IntakeForm,
    query: Query,
    data_dir: Path,
    text: str,
    code: str,
) -> None:
    saved = console.intake.submit(complaint, operator)
    with pytest.raises(ValidationFailed) as refused:
        console.cases.add_note(saved.id, text, operator)
    assert [(e.field, e.code) for e in refused.value.errors] == [("note", code)]
    assert console.cases.detail(saved.id).notes == ()
    assert query(data_dir, "SELECT count(*) FROM outbox") == [(1,)]


def test_note_on_unknown_case_is_not_found(
    console: LocalConsole, operator: Operator, query: Query, data_dir: Path
) -> None:
    with pytest.raises(NotFound):
        console.cases.add_note("no-such-case", "有内容的备注", operator)
    with pytest.raises(NotFound):
        console.cases.detail("no-such-case")
    assert query(data_dir, "SELECT count(*) FROM outbox") == [(0,)]
    assert query(data_dir, "SELECT count(*) FROM case_notes") == [(0,)]


DRAFT = {
    "caller_phone": "138 0013 8000",
    "district": "海淀区",
    "description": "楼上装修噪音很大，晚上十点以后还在施工，已经持续一周。",
    "assisting_agency_codes": ["C002"],
    "anonymous": True,
}


def test_draft_round_trip_with_chinese_text(console: LocalConsole, clock: FakeClock) -> None:
    assert console.drafts.load() is None
    console.drafts.save(DRAFT)
    draft = console.drafts.load()
    assert draft is not None
    assert draft.fields == DRAFT
    assert draft.saved_at == clock.now

    clock.advance(seconds=3)
    console.drafts.save({**DRAFT, "district": "朝阳区"})
    again = console.drafts.load()
    assert again is not None
    assert again.fields["district"] == "朝阳区"
    assert again.saved_at == clock.now


def test_discarded_draft_is_gone(console: LocalConsole) -> None:
    console.drafts.save(DRAFT)
    console.drafts.discard()
    assert console.drafts.load() is None


def test_draft_survives_closing_and_reopening(
    open_console: Opener, data_dir: Path, clock: FakeClock
) -> None:
    first = open_console(data_dir)
    first.drafts.save(DRAFT)
    first.close()
    draft = open_console(data_dir).drafts.load()
    assert draft is not None
    assert draft.fields == DRAFT
    assert draft.saved_at == clock.now
