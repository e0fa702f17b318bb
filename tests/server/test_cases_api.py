"""Reading cases through the real server: one case, caller history, search; who sees the caller."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, event, text
from sqlalchemy.orm import Session

from console.central import case_queries
from console.central.accounts import Principal
from console.central.case_queries import CaseFilter
from console.domain.clock import utc_now
from console.domain.workflow import Role
from tests.server.cases import (
    AGENCY,
    OTHER_AGENCY,
    Cases,
    Person,
    open_cases,
    open_http,
    person,
    phone_number,
)
from tests.server.process import Server


@pytest.fixture(scope="module")
def cases(server: Server) -> Iterator[Cases]:
    yield from open_cases(server)


@pytest.fixture(scope="module")
def http(server: Server) -> Iterator[httpx.Client]:
    yield from open_http(server)


@pytest.fixture(scope="module")
def staff(server: Server) -> Person:
    return person(server, Role.CALL_TAKER)


@pytest.fixture(scope="module")
def agency(server: Server) -> Person:
    return person(server, Role.AGENCY, AGENCY)


def get(http: httpx.Client, who: Person, path: str, **params: Any) -> Any:
    response = http.get(path, params=params, headers=who.auth)
    assert response.status_code == 200, response.text
    return response.json()


def test_a_case_comes_with_its_timeline_notes_and_caller(
    http: httpx.Client, cases: Cases, staff: Person
) -> None:
    phone = phone_number()
    case_id = cases.create(caller_phone=phone, callback_phone="010-65123456")
    cases.act(case_id, "sign")
    cases.act(case_id, "request_extension")
    note = str(uuid.uuid4())
    cases.act(case_id, "add_note", note_id=note, text="商户称明天搬走")
    view = get(http, staff, f"/v1/cases/{case_id}")
    assert view["status"] == "accepted"
    assert [e["kind"] for e in view["events"]] == [
        "created",
        "dispatched",
        "signed",
        "extension_requested",
        "note_added",
    ]
    assert view["events"][2]["actor"] == "agency-clerk"
    assert view["notes"] == [
        {
            "id": note,
            "at": view["notes"][0]["at"],
            "author": "duty-supervisor",
            "text": "商户称明天搬走",
        }
    ]
    assert view["caller"] == {
        "phone": "+86" + phone,
        "name": "张先生",
        "callback_phone": "+861065123456",
        "anonymous": False,
    }
    assert view["caller_phone_masked"] == f"{phone[:3]}****{phone[-4:]}"
    assert view["extension_until"] is not None
    assert view["lead_agency_name"] == "三里屯街道办事处"


def test_an_unknown_or_malformed_case_id_is_a_clear_error(
    http: httpx.Client, staff: Person
) -> None:
    unknown = http.get(f"/v1/cases/{uuid.uuid4()}", headers=staff.auth)
    malformed = http.get("/v1/cases/not-a-uuid", headers=staff.auth)
    assert unknown.status_code == 404
    assert unknown.json()["error"]["code"] == "not_found"
    assert malformed.status_code == 422
    assert malformed.json()["error"]["fields"][0]["field"] == "path.case_id"


def test_an_agency_sees_the_caller_only_of_its_cases_that_are_not_confidential(
    http: httpx.Client, cases: Cases, agency: Person
) -> None:
    phone = phone_number()
    open_case = cases.create(caller_phone=phone, description="路灯不亮已经一周了，晚上很危险。")
    secret = cases.create(
        caller_phone=phone, confidential=True, description="举报某餐馆后厨卫生很差，请保密。"
    )
    assert get(http, agency, f"/v1/cases/{open_case}")["caller"]["phone"] == "+86" + phone
    hidden = get(http, agency, f"/v1/cases/{secret}")
    assert hidden["caller"] is None
    assert hidden["caller_phone_masked"] is None
    assert hidden["confidential"] is True
    found = get(http, agency, "/v1/cases", text="餐馆后厨")["items"]
    assert [(c["id"], c["caller_phone_masked"]) for c in found] == [(secret, None)]
    assert phone not in str(get(http, agency, "/v1/cases", text="路灯不亮"))


def test_lists_mask_the_number_for_staff_too(
    http: httpx.Client, cases: Cases, staff: Person
) -> None:
    phone = phone_number()
    case_id = cases.create(
        staff.username, caller_phone=phone, confidential=True, description="楼上漏水，物业不管。"
    )
    listed = get(http, staff, "/v1/cases", text="楼上漏水")
    assert [c["caller_phone_masked"] for c in listed["items"]] == [f"{phone[:3]}****{phone[-4:]}"]
    assert phone not in str(listed)
    assert get(http, staff, f"/v1/cases/{case_id}")["caller"]["phone"] == "+86" + phone


def test_caller_history_lists_open_cases_first_with_the_number_masked(
    http: httpx.Client, cases: Cases, staff: Person
) -> None:
    phone = phone_number()
    closed = cases.create(caller_phone=phone, created_at=utc_now() - timedelta(days=3))
    for action in ("sign", "reply", "follow_up"):
        cases.act(closed, action)
    older_open = cases.create(caller_phone=phone, created_at=utc_now() - timedelta(days=2))
    newest_open = cases.create(caller_phone=phone, created_at=utc_now() - timedelta(days=1))
    cases.create(caller_phone=phone_number())
    history = get(http, staff, "/v1/caller-history", phone=f"+86 {phone}")
    assert [c["id"] for c in history["cases"]["items"]] == [newest_open, older_open, closed]
    assert history["phone_masked"] == f"{phone[:3]}****{phone[-4:]}"
    assert history["repeat_caller"] is True
    assert phone not in str(history)
    page = get(http, staff, "/v1/caller-history", phone=phone, offset=1, limit=1)["cases"]
    assert [c["id"] for c in page["items"]] == [older_open]
    assert page["has_more"] is True


def test_a_landline_is_found_however_it_was_typed(
    http: httpx.Client, cases: Cases, staff: Person
) -> None:
    case_id = cases.create(caller_phone="010-6238 7788")
    for typed in ("62387788", "010 62387788", "+86 10 6238 7788"):
        items = get(http, staff, "/v1/caller-history", phone=typed)["cases"]["items"]
        assert case_id in [c["id"] for c in items], typed


@pytest.mark.parametrize(
    "params",
    [
        {"phone": "1380013"},  # a mobile half typed
        {"phone": "abc"},
        {"phone": "1" * 40},
        {},
        {"phone": "13800138000", "limit": 101},
        {"phone": "13800138000", "offset": -1},
        {"phone": "13800138000", "limit": "many"},
    ],
)
def test_caller_history_refuses_bad_input(
    http: httpx.Client, staff: Person, params: dict[str, Any]
) -> None:
    response = http.get("/v1/caller-history", params=params, headers=staff.auth)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_request"
    assert response.json()["error"]["fields"]


def test_search_finds_chinese_substrings_of_description_and_address(
    http: httpx.Client, cases: Cases, staff: Person
) -> None:
    marker = uuid.uuid4().hex[:6]
    by_text = cases.create(description=f"小区门口的垃圾桶已经三天没有清运，异味很大 {marker}")
    by_address = cases.create(
        address=f"朝阳区光华路甲{marker}号院北门", description="夜间施工噪声扰民。"
    )
    assert ids(get(http, staff, "/v1/cases", text="垃圾桶已经三天")) == [by_text]
    assert ids(get(http, staff, "/v1/cases", text=f"光华路甲{marker}")) == [by_address]
    assert ids(get(http, staff, "/v1/cases", text=marker)) == [by_address, by_text]
    assert ids(get(http, staff, "/v1/cases", text=f"{marker.upper()}")) == [by_address, by_text]
    assert ids(get(http, staff, "/v1/cases", text="垃圾桶已经四天")) == []


def test_search_text_is_a_substring_not_a_pattern(
    http: httpx.Client, cases: Cases, staff: Person
) -> None:
    percent = cases.create(description="物业费一年涨了50%，业主不同意。")
    cases.create(description="物业费一年涨了500元，业主不同意。")
    assert ids(get(http, staff, "/v1/cases", text="涨了50%")) == [percent]
    assert ids(get(http, staff, "/v1/cases", text="涨了5_0")) == []


def test_search_filters_combine_and_page(http: httpx.Client, cases: Cases, staff: Person) -> None:
    marker = uuid.uuid4().hex[:8]
    base = utc_now() - timedelta(days=40)
    made = [
        cases.create(description=f"测试分页 {marker} {i}", created_at=base + timedelta(hours=i))
        for i in range(5)
    ]
    first = get(http, staff, "/v1/cases", text=marker, limit=2)
    second = get(http, staff, "/v1/cases", text=marker, limit=2, offset=2)
    last = get(http, staff, "/v1/cases", text=marker, limit=2, offset=4)
    assert ids(first) + ids(second) + ids(last) == made[::-1]
    assert (first["has_more"], second["has_more"], last["has_more"]) == (True, True, False)
    window = {
        "text": marker,
        "created_from": (base + timedelta(hours=1)).isoformat(),
        "created_to": (base + timedelta(hours=3)).isoformat(),
    }
    assert ids(get(http, staff, "/v1/cases", **window)) == [made[2], made[1]]


def test_search_by_status_overdue_agency_owner_category_district_and_number(
    http: httpx.Client, cases: Cases, staff: Person
) -> None:
    marker = uuid.uuid4().hex[:8]
    text = f"筛选测试 {marker}"
    late = cases.create(
        description=text,
        created_at=utc_now() - timedelta(days=8),
        deadline_at=(utc_now() - timedelta(hours=1)).isoformat(),
        owner="wang",
    )
    accepted = cases.in_status("accepted", description=text)
    elsewhere = cases.create(
        description=text,
        lead_agency_code=OTHER_AGENCY,
        category_code="020101",
        district_name="海淀区",
        street_name="",
    )

    def search(**params: Any) -> list[str]:
        return ids(get(http, staff, "/v1/cases", text=marker, **params))

    assert search(status="accepted") == [accepted]
    assert sorted(search(status=["accepted", "dispatched"])) == sorted([late, accepted, elsewhere])
    assert search(overdue="true") == [late]
    assert late not in search(overdue="false")
    assert search(agency=OTHER_AGENCY) == [elsewhere]
    assert search(owner="wang") == [late]
    assert search(category="02") == search(category="0201") == [elsewhere]
    assert search(district="110108") == [elsewhere]
    number = cases.row(late).case_no
    assert ids(get(http, staff, "/v1/cases", number=number)) == [late]
    assert late in ids(get(http, staff, "/v1/cases", number=number[:9], limit=100))


def test_an_agency_finds_only_the_cases_it_leads(
    http: httpx.Client, cases: Cases, agency: Person
) -> None:
    marker = uuid.uuid4().hex[:8]
    own = cases.create(description=f"范围测试 {marker}")
    other = cases.create(description=f"范围测试 {marker}", lead_agency_code=OTHER_AGENCY)
    assert ids(get(http, agency, "/v1/cases", text=marker)) == [own]
    assert ids(get(http, agency, "/v1/cases", text=marker, agency=OTHER_AGENCY)) == []
    number = cases.row(other).case_no
    assert ids(get(http, agency, "/v1/cases", number=number)) == []


@pytest.mark.parametrize(
    "params",
    [
        {"limit": 0},
        {"limit": 101},
        {"offset": 10_001},
        {"status": "pending"},
        {"overdue": "perhaps"},
        {"number": "12ab"},
        {"number": "1" * 14},
        {"category": "123"},
        {"district": "朝阳区"},
        {"text": "x"},
        {"text": "长" * 101},
        {"text": "垃圾\x07桶"},  # a control character
        {"owner": "Wang Wei"},
        {"agency": "S1101%"},
        {"created_from": "2026-11-30T10:00:00"},  # no time zone
        {"created_from": "yesterday"},
        {"created_from": "2026-11-30T10:00:00+08:00", "created_to": "2026-11-30T09:00:00+08:00"},
        {"sort": "created_at"},
    ],
)
def test_search_refuses_bad_input(
    http: httpx.Client, staff: Person, params: dict[str, Any]
) -> None:
    response = http.get("/v1/cases", params=params, headers=staff.auth)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["fields"]


def test_postgresql_serves_a_chinese_substring_from_the_trigram_index(
    pg_database_url: str,
) -> None:
    """The GIN gin_trgm_ops index, not a scan of every case, answers a text search."""
    cases = Cases(pg_database_url)
    for _ in range(3):
        cases.create(description="小区门口的垃圾桶已经三天没有清运，异味很大。")
    cases.close()
    engine = create_engine(pg_database_url)
    statements: list[tuple[str, Any]] = []
    event.listen(engine, "before_cursor_execute", lambda *a: statements.append((a[2], a[3])))
    viewer = Principal("t", "t", Role.SUPERVISOR, "", "", None, "")
    with Session(engine) as session:
        found = case_queries.search(
            session, viewer, CaseFilter(text="三天没有清运"), utc_now(), 0, 10
        )
        assert len(found.items) >= 3
        # Chinese characters make trigrams only under a UTF-8 ctype (here C.UTF-8).
        assert session.execute(text("SELECT show_trgm('三天没有清运')")).scalar()
        # Three rows: left alone, the planner rightly reads the table or the created_at index.
        session.execute(text("SET enable_seqscan = off"))
        session.execute(text("SET enable_indexscan = off"))
        statement, parameters = statements[0]
        plan = session.connection().exec_driver_sql("EXPLAIN " + statement, parameters).all()
    engine.dispose()
    assert "ix_cases_description_trgm" in "\n".join(row[0] for row in plan)


def ids(page: dict[str, Any]) -> list[str]:
    return [c["id"] for c in page["items"]]
