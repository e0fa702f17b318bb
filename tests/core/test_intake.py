from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from console.domain.enums import EventKind, Handling, Status, Urgency
from console.domain.errors import ValidationFailed
from console.domain.intake import IntakeForm, ValidIntake, validate
from console.domain.reference import ReferenceData
from console.workstation.context import Operator
from console.workstation.local import LocalConsole

if TYPE_CHECKING:
    from conftest import FakeClock, Opener, Query

NOTHING_WRITTEN = {"cases": 0, "case_events": 0, "outbox": 0, "daily_counters": 0}


def _counts(query: Query, data_dir: Path) -> dict[str, int]:
    return {
        table: query(data_dir, f"SELECT count(*) FROM {table}")[0][0] for table in NOTHING_WRITTEN
    }


def _outbox(query: Query, data_dir: Path) -> list[tuple[str, dict[str, Any]]]:
    rows = query(data_dir, "SELECT name, args FROM outbox ORDER BY mid")
    return [(name, json.loads(args)) for name, args in rows]


def test_dispatched_complaint_is_saved_with_suggested_agency_and_deadline(
    console: LocalConsole,
    operator: Operator,
    clock: FakeClock,
    complaint: IntakeForm,
    query: Query,
    data_dir: Path,
) -> None:
    console.drafts.save({"description": complaint.description})

    saved = console.intake.submit(complaint, operator)

    assert saved.case_no == "2611300010001"
    assert saved.status is Status.DISPATCHED
    assert saved.deadline_at == clock.now + timedelta(days=7)
    detail = console.cases.detail(saved.id)
    assert detail.summary.case_no == saved.case_no
    assert detail.summary.status is Status.DISPATCHED
    assert detail.summary.created_at == clock.now
    assert detail.summary.deadline_at == clock.now + timedelta(days=7)
    assert detail.summary.category_path == "城市管理 › 市容环境 › 占道经营"
    assert detail.lead_agency_code == "S110105004"
    assert detail.summary.lead_agency_name == "三里屯街道办事处"
    assert "R002" in detail.routing_reason
    assert "7天" in detail.deadline_reason
    assert (detail.district_name, detail.street_name) == ("朝阳区", "三里屯街道")
    assert (detail.community, detail.address) == ("幸福村社区", "三里屯路19号南侧人行道")
    assert detail.caller_phone == "+8613800138000"
    assert detail.caller_name == "张先生"
    assert (detail.operator, detail.seat_code) == ("王芳", "001")
    assert [e.kind for e in detail.events] == [EventKind.CREATED, EventKind.DISPATCHED]
    assert all((e.actor, e.seat_code, e.at) == ("王芳", "001", clock.now) for e in detail.events)
    outbox = _outbox(query, data_dir)
    assert [name for name, _ in outbox] == ["case.create"]
    assert outbox[0][1]["case_no"] == saved.case_no
    assert outbox[0][1]["lead_agency_code"] == "S110105004"
    assert console.drafts.load() is None


def test_suggestion_while_typing_matches_what_is_saved(
    console: LocalConsole, operator: Operator, complaint: IntakeForm
) -> None:
    suggestion = console.intake.suggest(complaint)
    assert suggestion.agency is not None
    assert suggestion.agency.agency.code == complaint.lead_agency_code
    saved = console.intake.submit(complaint, operator)
    detail = console.cases.detail(saved.id)
    assert suggestion.agency.rule.id in detail.routing_reason
    assert suggestion.deadline.rule.label == detail.deadline_reason


def test_without_a_category_nothing_is_suggested_and_the_deadline_is_general(
    console: LocalConsole,
) -> None:
    suggestion = console.intake.suggest(IntakeForm(district="朝阳区"))
    assert suggestion.agency is None
    assert suggestion.deadline.rule.duration == timedelta(days=7)


def test_direct_answer_is_saved_answered_without_agency_or_deadline(
    console: LocalConsole,
    operator: Operator,
    consultation: IntakeForm,
    query: Query,
    data_dir: Path,
) -> None:
    form = replace(consultation, lead_agency_code="C028")
    saved = console.intake.submit(form, operator)
    assert saved.status is Status.ANSWERED
    assert saved.deadline_at is None
    detail = console.cases.detail(saved.id)
    assert detail.handling is Handling.DIRECT_ANSWER
    assert detail.answer_text == consultation.answer_text
    assert detail.lead_agency_code == ""
    assert detail.summary.lead_agency_name == ""
    assert detail.summary.deadline_at is None
    assert detail.routing_reason == detail.deadline_reason == ""
    assert [e.kind for e in detail.events] == [EventKind.CREATED, EventKind.ANSWERED]
    assert [name for name, _ in _outbox(query, data_dir)] == ["case.create"]


def test_emergency_case_is_due_in_two_hours(
    console: LocalConsole, operator: Operator, clock: FakeClock, complaint: IntakeForm
) -> None:
    saved = console.intake.submit(replace(complaint, urgency=Urgency.EMERGENCY.value), operator)
    assert saved.deadline_at == clock.now + timedelta(hours=2)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        pytest.param({"caller_phone": "1380013"}, {"caller_phone": "invalid_phone"}, id="phone"),
        pytest.param({"caller_phone": " "}, {"caller_phone": "required"}, id="no-phone"),
        pytest.param(
            {"callback_phone": "12345"}, {"callback_phone": "invalid_phone"}, id="callback"
        ),
        pytest.param({"appeal_type": ""}, {"appeal_type": "required"}, id="appeal-type"),
        pytest.param({"category_code": ""}, {"category": "required"}, id="category"),
        pytest.param({"category_code": "0101"}, {"category": "required"}, id="not-a-leaf"),
        pytest.param({"description": "太吵"}, {"description": "too_short"}, id="short"),
        pytest.param({"description": "   "}, {"description": "required"}, id="no-description"),
        pytest.param({"caller_name": ""}, {"caller_name": "required"}, id="complaint-no-name"),
        pytest.param(
            {"district": "", "street": "", "community": "", "address": ""},
            {"address": "location_required"},
            id="complaint-no-place",
        ),
        pytest.param(
            {"handling": Handling.DIRECT_ANSWER.value, "answer_text": ""},
            {"answer_text": "required"},
            id="answer-missing",
        ),
        pytest.param({"lead_agency_code": ""}, {"lead_agency": "required"}, id="no-agency"),
        pytest.param({"lead_agency_code": "X001"}, {"lead_agency": "required"}, id="bad-agency"),
        pytest.param(
            {"assisting_agency_codes": ("C002", "X404")},
            {"assisting_agencies": "unknown_agency"},
            id="assisting",
        ),
        pytest.param({"urgency": "very"}, {"urgency": "required"}, id="urgency"),
        pytest.param({"description": "很" * 4001}, {"description": "too_long"}, id="long-text"),
        pytest.param({"caller_name": "张" * 51}, {"caller_name": "too_long"}, id="long-name"),
        pytest.param({"address": "路" * 201}, {"address": "too_long"}, id="long-address"),
        pytest.param({"community": "区" * 51}, {"community": "too_long"}, id="long-community"),
        pytest.param({"district": "区" * 31}, {"district": "too_long"}, id="long-district"),
        pytest.param({"street": "街" * 31}, {"street": "too_long"}, id="long-street"),
        pytest.param({"answer_text": "答" * 4001}, {"answer_text": "too_long"}, id="long-answer"),
    ],
)
def test_invalid_form_is_refused_and_nothing_is_written(
    console: LocalConsole,
    operator: Operator,
    complaint: IntakeForm,
    query: Query,
    data_dir: Path,
    changes: dict[str, Any],
    expected: dict[str, str],
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        console.intake.submit(replace(complaint, **changes), operator)
    assert {e.field: e.code for e in refused.value.errors} == expected
    assert _counts(query, data_dir) == NOTHING_WRITTEN
    assert console.history.caller_history("13800138000").cases == ()
    # The refused attempt did not use up a number.
    assert console.intake.submit(complaint, operator).case_no.endswith("0001")


def test_every_problem_is_listed_at_once(
    console: LocalConsole, operator: Operator, query: Query, data_dir: Path
) -> None:
    form = IntakeForm(
        caller_phone="138",
        appeal_type="complaint",
        description="吵",
        address="",
        lead_agency_code="",
        assisting_agency_codes=("NOPE",),
        community="社" * 60,
    )
    with pytest.raises(ValidationFailed) as refused:
        console.intake.submit(form, operator)
    assert {e.field for e in refused.value.errors} == {
        "caller_phone",
        "category",
        "description",
        "community",
        "address",
        "caller_name",
        "lead_agency",
        "assisting_agencies",
    }
    assert "caller_phone: invalid_phone" in str(refused.value)
    assert _counts(query, data_dir) == NOTHING_WRITTEN


def test_refused_form_leaves_the_draft_and_the_database_after_reopening(
    open_console: Opener, data_dir: Path, complaint: IntakeForm
) -> None:
    console = open_console(data_dir)
    operator = console.setup.configure("001", "王芳")
    console.drafts.save({"caller_phone": "1380013"})
    with pytest.raises(ValidationFailed):
        console.intake.submit(replace(complaint, caller_phone="1380013"), operator)
    console.close()
    reopened = open_console(data_dir)
    assert reopened.cases.my_cases(operator) == []
    draft = reopened.drafts.load()
    assert draft is not None
    assert draft.fields == {"caller_phone": "1380013"}


def test_unknown_place_names_are_kept_as_text(
    console: LocalConsole, operator: Operator, complaint: IntakeForm
) -> None:
    form = replace(
        complaint,
        district="经开区",
        street="林肯公园片区",
        community="",
        address="",
        lead_agency_code="D110400",
    )
    saved = console.intake.submit(form, operator)
    detail = console.cases.detail(saved.id)
    assert (detail.district_name, detail.street_name) == ("经开区", "林肯公园片区")
    assert detail.lead_agency_code == "D110400"
    # The call-taker chose another agency than the suggestion: no rule is quoted as the reason.
    assert detail.routing_reason == ""


@given(
    district=st.text(max_size=30).filter(lambda t: t.strip()),
    street=st.text(max_size=30),
)
def test_free_text_district_or_street_never_blocks_saving(
    reference: ReferenceData, complaint: IntakeForm, district: str, street: str
) -> None:
    form = replace(complaint, district=district, street=street, address="")
    assert isinstance(validate(reference, form), ValidIntake)


def test_anonymous_caller_name_is_not_stored(
    console: LocalConsole,
    operator: Operator,
    complaint: IntakeForm,
    query: Query,
    data_dir: Path,
) -> None:
    saved = console.intake.submit(replace(complaint, anonymous=True), operator)
    detail = console.cases.detail(saved.id)
    assert detail.anonymous
    assert detail.caller_name == ""
    assert "张先生" not in json.dumps(_outbox(query, data_dir), ensure_ascii=False)
    assert query(data_dir, "SELECT count(*) FROM cases WHERE caller_name LIKE '%张%'") == [(0,)]


def test_anonymous_complaint_needs_no_name(
    console: LocalConsole, operator: Operator, complaint: IntakeForm
) -> None:
    saved = console.intake.submit(replace(complaint, caller_name="", anonymous=True), operator)
    assert saved.status is Status.DISPATCHED


def test_chosen_deadline_overrides_the_time_limit(
    console: LocalConsole, operator: Operator, clock: FakeClock, complaint: IntakeForm
) -> None:
    beijing = timezone(timedelta(hours=8))
    chosen = (clock.now + timedelta(days=3)).astimezone(beijing)
    saved = console.intake.submit(replace(complaint, deadline=chosen), operator)
    assert saved.deadline_at == chosen
    detail = console.cases.detail(saved.id)
    assert detail.summary.deadline_at == chosen
    assert detail.deadline_reason == ""


def test_assisting_agencies_are_stored_and_shown(
    console: LocalConsole,
    operator: Operator,
    complaint: IntakeForm,
    query: Query,
    data_dir: Path,
) -> None:
    form = replace(complaint, assisting_agency_codes=("C002", "U001"))
    saved = console.intake.submit(form, operator)
    detail = console.cases.detail(saved.id)
    assert sorted(detail.assisting_agency_names) == sorted(
        ["北京市城市管理综合行政执法局", "北京市自来水集团有限责任公司"]
    )
    assert _outbox(query, data_dir)[0][1]["assisting_agencies"] == ["C002", "U001"]


def test_callback_number_and_confidential_flag_are_kept(
    console: LocalConsole, operator: Operator, complaint: IntakeForm
) -> None:
    form = replace(complaint, callback_phone="010-65123456", confidential=True)
    detail = console.cases.detail(console.intake.submit(form, operator).id)
    assert detail.callback_phone == "+861065123456"
    assert detail.confidential


def test_control_characters_pasted_into_the_form_are_not_saved(
    console: LocalConsole, operator: Operator, complaint: IntakeForm, query: Query, data_dir: Path
) -> None:
    pasted = replace(
        complaint,
        description="商贩\x00占道\x1b经营，\r\n晚上更严重\x7f。",
        caller_name="张\u200b先生\x08",
        address="三里屯路19号\x0c",
    )

    saved = console.intake.submit(pasted, operator)

    [(description, name, address)] = query(
        data_dir, f"SELECT description, caller_name, address FROM cases WHERE id = '{saved.id}'"
    )
    assert description == "商贩占道经营，\n晚上更严重。"
    assert (name, address) == ("张\u200b先生", "三里屯路19号")
    [(_, sent)] = _outbox(query, data_dir)
    assert sent["description"] == description
