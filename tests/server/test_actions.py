"""Agency and supervisor actions through the real server: the change, its audit row and
timeline event; refusals by the workflow; bad input; re-dispatch in bulk."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx
import pytest

from console.domain.clock import utc_now
from console.domain.workflow import Role
from tests.server.cases import (
    AGENCY,
    CITY_AGENCY,
    Cases,
    Person,
    later,
    open_cases,
    open_http,
    person,
)
from tests.server.process import Server

REPLY = "已联系城管执法队清理，商贩已劝离，现场已恢复通行。"


@dataclass(frozen=True)
class People:
    agency: Person
    supervisor: Person  # logged in on a console: its audit rows name the console
    call_taker: Person
    console: str
    seat: str

    def by_role(self, action: str) -> Person:
        if action in ("sign", "return", "reply", "request_extension"):
            return self.agency
        return self.call_taker if action == "follow_up" else self.supervisor


@pytest.fixture(scope="module")
def cases(server: Server) -> Iterator[Cases]:
    yield from open_cases(server)


@pytest.fixture(scope="module")
def http(server: Server) -> Iterator[httpx.Client]:
    yield from open_http(server)


@pytest.fixture(scope="module")
def people(server: Server) -> People:
    console = server.console()
    return People(
        agency=person(server, Role.AGENCY, AGENCY),
        supervisor=person(server, Role.SUPERVISOR, console=console),
        call_taker=person(server, Role.CALL_TAKER),
        console=console.client_id,
        seat=console.seat_code,
    )


def post(http: httpx.Client, who: Person, path: str, body: Any = None) -> httpx.Response:
    return http.post(path, json=body, headers=who.auth)


class Slots:
    """Values for the <slot>s of the tables below, each made once, when first needed."""

    def __init__(self, cases: Cases, people: People, case_id: str) -> None:
        self._made: dict[str, Any] = {}
        self._makers: dict[str, Callable[[], Any]] = {
            "<until>": lambda: later(days=20).isoformat(),
            "<requested>": lambda: stored(cases.row(case_id).extension_until),
            "<call_taker>": lambda: people.call_taker.username,
            "<agency>": lambda: people.agency.username,
            "<target>": cases.create,
            "<self>": lambda: case_id,
            "<unknown>": lambda: str(uuid.uuid4()),
            "<void>": lambda: cases.in_status("void"),
        }

    def fill(self, value: Any) -> Any:
        if isinstance(value, dict):
            return {k: self.fill(v) for k, v in value.items()}
        if isinstance(value, str) and value in self._makers:
            if value not in self._made:
                self._made[value] = self._makers[value]()
            return self._made[value]
        return value


def stored(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


# action, status it starts from, body, what changes, the timeline event it writes
EFFECTS = [
    ("sign", "dispatched", None, {"status": "accepted"}, "signed"),
    (
        "return",
        "dispatched",
        {"reason_code": "unclear_ownership"},
        {"status": "returned", "return_reason": "unclear_ownership"},
        "returned",
    ),
    ("reply", "accepted", {"text": REPLY}, {"status": "replied", "reply_text": REPLY}, "replied"),
    (
        "request_extension",
        "accepted",
        {"until": "<until>", "reason": "需协调供暖公司更换管道"},
        {"extension_until": "<until>"},
        "extension_requested",
    ),
    (
        "approve_extension",
        "extension_requested",
        None,
        {"deadline_at": "<requested>", "extension_until": None},
        "extension_approved",
    ),
    (
        "refuse_extension",
        "extension_requested",
        None,
        {"extension_until": None},
        "extension_refused",
    ),
    (
        "redispatch",
        "returned",
        {"agency_code": CITY_AGENCY},
        {
            "status": "dispatched",
            "lead_agency_code": CITY_AGENCY,
            "lead_agency_name": "北京市城市管理委员会",
            "return_reason": "",
        },
        "redispatched",
    ),
    ("reassign", "dispatched", {"owner": "<call_taker>"}, {"owner": "<call_taker>"}, "reassigned"),
    ("void", "dispatched", {"reason": "骚扰电话"}, {"status": "void"}, "voided"),
    (
        "merge",
        "dispatched",
        {"into_case_id": "<target>"},
        {"status": "void", "merged_into": "<target>"},
        "merged",
    ),
    (
        "follow_up",
        "replied",
        {"solved": "solved", "satisfied": "basically"},
        {"status": "closed", "solved": "solved", "satisfied": "basically"},
        "followed_up",
    ),
    (
        "follow_up",
        "replied",
        {"solved": "unsolved", "satisfied": "dissatisfied"},
        {"status": "reopened", "solved": "unsolved", "satisfied": "dissatisfied"},
        "followed_up",
    ),
]


@pytest.mark.parametrize(
    ("action", "start", "body", "changes", "event"),
    EFFECTS,
    ids=[f"{e[0]}-{e[3].get('status', '')}" for e in EFFECTS],
)
def test_an_action_changes_the_case_and_writes_its_audit_row_and_event(
    http: httpx.Client,
    cases: Cases,
    people: People,
    action: str,
    start: str,
    body: dict[str, Any] | None,
    changes: dict[str, Any],
    event: str,
) -> None:
    case_id = cases.in_status(start)
    before, slots = cases.row(case_id), Slots(cases, people, case_id)
    body, expected = slots.fill(body), slots.fill(changes)
    who = people.by_role(action)
    started = utc_now()
    response = post(http, who, f"/v1/cases/{case_id}/{action}", body)
    assert response.status_code == 200, response.text
    after = cases.row(case_id)
    assert response.json() == {
        "status": "applied",
        "case_id": case_id,
        "version": before.version + 1,
        "case_status": after.status,
        "reason": None,
        "details": {},
        "error": None,
    }
    assert {name: stored(getattr(after, name)) for name in expected} == expected
    audit = cases.audit(case_id)[-1]
    assert (audit.action, audit.actor) == (f"case.{action}", who.username)
    assert audit.client_id == (people.console if who is people.supervisor else "")
    assert audit.after == expected
    assert audit.before == {name: stored(getattr(before, name)) for name in expected}
    assert audit.at >= started.replace(microsecond=0)
    timeline = http.get(f"/v1/cases/{case_id}", headers=who.auth).json()["events"]
    assert (timeline[-1]["kind"], timeline[-1]["actor"]) == (event, who.username)
    if who is people.supervisor:
        assert timeline[-1]["seat_code"] == people.seat


def test_a_merge_marks_the_case_that_carries_on_too(
    http: httpx.Client, cases: Cases, people: People
) -> None:
    duplicate, target = cases.create(), cases.create()
    response = post(
        http, people.supervisor, f"/v1/cases/{duplicate}/merge", {"into_case_id": target}
    )
    assert response.status_code == 200
    audit = cases.audit(target)[-1]
    assert (audit.action, audit.after) == ("case.merge_target", {"merged_from": duplicate})
    events = http.get(f"/v1/cases/{target}", headers=people.supervisor.auth).json()["events"]
    assert (events[-1]["kind"], events[-1]["detail"]) == ("merged", cases.row(duplicate).case_no)


# action, status it starts from, body, the refusal's code
REFUSALS = [
    ("sign", "accepted", None, "impossible_transition"),
    ("sign", "returned", None, "impossible_transition"),
    ("return", "replied", {"reason_code": "wrong_locality"}, "impossible_transition"),
    ("reply", "dispatched", {"text": REPLY}, "impossible_transition"),
    (
        "request_extension",
        "dispatched",
        {"until": "<until>", "reason": "需要更多时间"},
        "impossible_transition",
    ),
    ("approve_extension", "accepted", None, "no_extension_requested"),
    ("refuse_extension", "accepted", None, "no_extension_requested"),
    ("approve_extension", "replied", None, "impossible_transition"),
    ("redispatch", "replied", {"agency_code": CITY_AGENCY}, "impossible_transition"),
    ("reassign", "closed", {"owner": "<call_taker>"}, "impossible_transition"),
    ("void", "closed", {"reason": "重复"}, "impossible_transition"),
    ("void", "void", {"reason": "重复"}, "impossible_transition"),
    ("merge", "void", {"into_case_id": "<target>"}, "impossible_transition"),
    (
        "follow_up",
        "accepted",
        {"solved": "solved", "satisfied": "satisfied"},
        "impossible_transition",
    ),
]


@pytest.mark.parametrize(
    ("action", "start", "body", "reason"), REFUSALS, ids=[f"{r[0]}-from-{r[1]}" for r in REFUSALS]
)
def test_the_workflow_refuses_an_impossible_step_with_its_reason_and_changes_nothing(
    http: httpx.Client,
    cases: Cases,
    people: People,
    action: str,
    start: str,
    body: dict[str, Any] | None,
    reason: str,
) -> None:
    case_id = cases.in_status(start)
    before, audited = cases.row(case_id), len(cases.audit(case_id))
    body = Slots(cases, people, case_id).fill(body)
    response = post(http, people.by_role(action), f"/v1/cases/{case_id}/{action}", body)
    assert response.status_code == 409, response.text
    answer = response.json()
    assert (answer["status"], answer["reason"], answer["error"]["code"]) == (
        "rejected",
        reason,
        reason,
    )
    assert answer["case_id"] == case_id
    if reason == "impossible_transition":
        assert answer["details"] == {"status": before.status, "action": action}
        assert answer["error"]["message"] == f"cannot {action} a case that is {before.status}"
    assert cases.row(case_id).version == before.version
    assert len(cases.audit(case_id)) == audited


# action, status it starts from, body, the field the error names
BAD_INPUT = [
    ("return", "dispatched", {"reason_code": "too_busy"}, "reason_code"),
    ("return", "dispatched", {"reason_code": 3}, "reason_code"),
    ("return", "dispatched", {}, "reason_code"),
    ("return", "dispatched", None, ""),
    ("return", "dispatched", ["wrong_locality"], ""),
    ("reply", "accepted", {"text": ""}, "text"),
    ("reply", "accepted", {"text": "   "}, "text"),
    ("reply", "accepted", {"text": "长" * 4001}, "text"),
    ("reply", "accepted", {"text": REPLY, "caller_phone": "13800138000"}, "caller_phone"),
    ("reply", "accepted", {"text": "已处理\x1b[31m"}, "text"),  # a control character
    (
        "request_extension",
        "accepted",
        {"until": "2020-01-01T08:00:00+08:00", "reason": "x"},
        "until",
    ),
    ("request_extension", "accepted", {"until": "2031-01-01T08:00:00", "reason": "x"}, "until"),
    ("request_extension", "accepted", {"until": "next week", "reason": "x"}, "until"),
    ("request_extension", "accepted", {"until": "<until>", "reason": "长" * 501}, "reason"),
    ("redispatch", "returned", {"agency_code": "X999"}, "agency_code"),
    ("redispatch", "returned", {"agency_code": ["C001"]}, "agency_code"),
    ("reassign", "dispatched", {"owner": "nobody.here"}, "owner"),
    ("reassign", "dispatched", {"owner": "<agency>"}, "owner"),
    ("reassign", "dispatched", {"owner": "Zhang Wei"}, "owner"),
    ("void", "dispatched", {}, "reason"),
    ("void", "dispatched", {"reason": 42}, "reason"),
    ("merge", "dispatched", {"into_case_id": "<self>"}, "into_case_id"),
    ("merge", "dispatched", {"into_case_id": "<unknown>"}, "into_case_id"),
    ("merge", "dispatched", {"into_case_id": "<void>"}, "into_case_id"),
    ("merge", "dispatched", {"into_case_id": "CASE-1"}, "into_case_id"),
    ("follow_up", "replied", {"solved": "yes", "satisfied": "satisfied"}, "solved"),
    ("follow_up", "replied", {"solved": "solved"}, "satisfied"),
]


@pytest.mark.parametrize(
    ("action", "start", "body", "field"),
    BAD_INPUT,
    ids=[f"{b[0]}-{i}" for i, b in enumerate(BAD_INPUT)],
)
def test_bad_input_is_refused_naming_the_field_and_changes_nothing(
    http: httpx.Client,
    cases: Cases,
    people: People,
    action: str,
    start: str,
    body: Any,
    field: str,
) -> None:
    case_id = cases.in_status(start)
    version, audited = cases.row(case_id).version, len(cases.audit(case_id))
    body = Slots(cases, people, case_id).fill(body)
    response = post(http, people.by_role(action), f"/v1/cases/{case_id}/{action}", body)
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "invalid_request"
    assert error["fields"][0]["field"] == field
    assert cases.row(case_id).version == version
    assert len(cases.audit(case_id)) == audited


def test_an_extension_must_end_after_now_even_when_the_case_is_overdue(
    http: httpx.Client, cases: Cases, people: People
) -> None:
    case_id = cases.in_status(
        "accepted", created_at=later(days=-9), deadline_at=later(days=-2).isoformat()
    )
    body = {"until": later(days=-1).isoformat(), "reason": "补办"}
    response = post(http, people.agency, f"/v1/cases/{case_id}/request_extension", body)
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == [{"field": "until", "code": "invalid"}]


def test_bulk_redispatch_applies_what_it_may_and_reports_each_case(
    http: httpx.Client, cases: Cases, people: People
) -> None:
    dispatched, returned = cases.in_status("dispatched"), cases.in_status("returned")
    closed, replied = cases.in_status("closed"), cases.in_status("replied")
    unknown = str(uuid.uuid4())
    asked = [closed, dispatched, unknown, returned, replied]
    response = post(
        http,
        people.supervisor,
        "/v1/cases/redispatch",
        {"case_ids": asked, "agency_code": CITY_AGENCY},
    )
    assert response.status_code == 200, response.text
    answer = response.json()
    assert (answer["applied"], answer["rejected"]) == (2, 3)
    results = answer["results"]
    assert [r["case_id"] for r in results] == asked
    assert [r["status"] for r in results] == [
        "rejected",
        "applied",
        "rejected",
        "applied",
        "rejected",
    ]
    assert [r["reason"] for r in results] == [
        "impossible_transition",
        None,
        "unknown_case",
        None,
        "impossible_transition",
    ]
    for case_id in (dispatched, returned):
        assert cases.row(case_id).lead_agency_code == CITY_AGENCY
        assert cases.audit(case_id)[-1].action == "case.redispatch"
    for case_id in (closed, replied):
        assert cases.row(case_id).lead_agency_code == AGENCY
        assert cases.audit(case_id)[-1].action != "case.redispatch"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"case_ids": ["<case>"], "agency_code": "X999"}, "agency_code"),
        ({"case_ids": [], "agency_code": CITY_AGENCY}, "case_ids"),
        ({"case_ids": ["<case>", "<case>"], "agency_code": CITY_AGENCY}, "case_ids"),
        ({"case_ids": ["<case>"] + ["<new>"] * 200, "agency_code": CITY_AGENCY}, "case_ids"),
        ({"case_ids": ["<case>", "17"], "agency_code": CITY_AGENCY}, "case_ids.1"),
        ({"case_ids": ["<case>"]}, "agency_code"),
    ],
    ids=["unknown-agency", "empty", "twice", "too-many", "not-a-uuid", "no-agency"],
)
def test_bulk_redispatch_refuses_bad_input_as_a_whole(
    http: httpx.Client, cases: Cases, people: People, body: dict[str, Any], field: str
) -> None:
    case_id = cases.in_status("dispatched")
    case_ids = [case_id if c == "<case>" else c for c in body["case_ids"]]
    case_ids = [str(uuid.uuid4()) if c == "<new>" else c for c in case_ids]
    response = post(http, people.supervisor, "/v1/cases/redispatch", {**body, "case_ids": case_ids})
    assert response.status_code == 422, response.text
    assert response.json()["error"]["fields"][0]["field"] == field
    assert cases.row(case_id).lead_agency_code == AGENCY
    assert len(cases.audit(case_id)) == 1
