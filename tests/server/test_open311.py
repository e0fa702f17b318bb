"""Open311 GeoReport v2, through the real server process on PostgreSQL and on SQLite."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select, update

from console.central import api_keys
from console.central.changes import apply
from console.central.mutations import Actor, Mutation
from console.central.open311 import ACTOR
from console.domain.clock import utc_now
from console.domain.workflow import Role
from console.paths import REFERENCE
from console.store.reference_files import load_reference
from console.store.schema import Case, CaseEventRow, CaseNoteRow
from console.store.server_schema import AuditRow, ChangeLog
from tests.server.process import Server

V2 = "/open311/v2"
CALLER = {
    "first_name": "伟",
    "last_name": "张",
    "phone": "138-0013-8000",
    "email": "zhang.wei@example.cn",
}


def new_key(server: Server) -> tuple[str, str]:
    with server.database() as session:
        key_id, key = api_keys.issue(session, "city dashboard", utc_now())
        session.commit()
    return key_id, key


@pytest.fixture(scope="module")
def key(server: Server) -> str:
    return new_key(server)[1]


def post(server: Server, key: str, fmt: str = "json", **fields: str) -> httpx.Response:
    form = {"api_key": key, "service_code": "010101", "address_string": "朝阳区建国路1号"}
    with server.client() as http:
        return http.post(f"{V2}/requests.{fmt}", data={**form, **fields})


def taken_in(server: Server, key: str, **fields: str) -> dict[str, Any]:
    response = post(server, key, **fields)
    assert response.status_code == 200, response.text
    receipt: dict[str, Any] = response.json()[0]
    return receipt


def get(server: Server, path: str, **params: str) -> httpx.Response:
    with server.client() as http:
        return http.get(V2 + path, params=params)


def xml(response: httpx.Response) -> ET.Element:
    assert response.headers["content-type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    return ET.fromstring(response.content)


def test_discovery_and_services_in_json_and_xml(server: Server) -> None:
    discovery = get(server, "/discovery.json").json()
    endpoint = discovery["endpoints"][0]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"].endswith("/open311/v2")
    assert endpoint["formats"] == ["text/xml", "application/json"]
    assert discovery["changeset"] and discovery["contact"] and discovery["key_service"]
    formats = xml(get(server, "/discovery.xml")).findall("endpoints/endpoint/formats/format")
    assert [f.text for f in formats] == ["text/xml", "application/json"]

    categories = load_reference(REFERENCE, server.log.parent / "data").data.categories
    services = get(server, "/services.json").json()
    assert len(services) == len(categories)
    assert services[0] == {
        "service_code": "010101",
        "service_name": "占道经营",
        "description": "城市管理 › 市容环境 › 占道经营",
        "metadata": False,
        "type": "realtime",
        "keywords": "市容环境",
        "group": "城市管理",
    }
    listed = xml(get(server, "/services.xml")).findall("service")
    assert len(listed) == len(categories)
    assert {child.tag: child.text for child in listed[0]} == {
        k: str(v).lower() if isinstance(v, bool) else v for k, v in services[0].items()
    }
    definition = xml(get(server, "/services/010101.xml", jurisdiction_id="beijing.gov.cn"))
    assert definition.tag == "service_definition"
    assert definition.findtext("service_code") == "010101"
    attributes = definition.find("attributes")
    assert attributes is not None and len(attributes) == 0
    assert get(server, "/services/010101.json").json() == {
        "service_code": "010101",
        "attributes": [],
    }


def test_a_posted_request_becomes_a_dispatched_case_with_its_audit_and_feed_rows(
    server: Server, key: str
) -> None:
    receipt = taken_in(
        server,
        key,
        service_code="010102",
        address_string="朝阳区建外街道建国路1号",
        lat="39.9087",
        long="116.3975",
        description="路边店外经营，联系13912345678，回电 138 0013 8000",
        media_url="https://example.cn/photo.jpg",
        **CALLER,
    )
    number = receipt["service_request_id"]
    assert len(number) == 13 and number[6:9] == "000"
    assert "建外街道办事处" in receipt["service_notice"]
    tokens = xml(get(server, f"/tokens/{receipt['token']}.xml")).find("request")
    assert tokens is not None
    assert tokens.findtext("service_request_id") == number
    assert tokens.findtext("token") == receipt["token"]

    shown = get(server, f"/requests/{number}.json").json()[0]
    assert shown["status"] == "open"
    assert shown["status_notes"] == "已派单至建外街道办事处"
    assert (shown["service_code"], shown["service_name"]) == ("010102", "店外经营")
    assert shown["agency_responsible"] == "建外街道办事处"
    assert shown["address"] == "朝阳区建外街道"  # the district and street, never the address
    assert (shown["lat"], shown["long"], shown["description"]) == (None, None, None)
    assert shown["expected_datetime"] > shown["requested_datetime"]
    as_xml = xml(get(server, f"/requests/{number}.xml")).find("request")
    assert as_xml is not None and as_xml.findtext("service_request_id") == number

    with server.database() as session:
        case = session.execute(select(Case).where(Case.case_no == number)).scalar_one()
        assert (case.seat_code, case.status, case.appeal_type) == ("000", "dispatched", "help")
        assert (case.caller_name, case.caller_phone) == ("张伟", "+8613800138000")
        assert case.lead_agency_name == "建外街道办事处" and case.deadline_at is not None
        assert case.received_at == case.created_at
        assert case.street_name == "建外街道" and case.district_name == "朝阳区"
        audit = session.execute(select(AuditRow).where(AuditRow.entity_id == case.id)).scalars()
        assert [(a.action, a.actor) for a in audit] == [("open311.create", "open311")]
        feed = session.execute(select(ChangeLog).where(ChangeLog.entity_id == case.id)).all()
        assert len(feed) == 1
        events = session.execute(
            select(CaseEventRow.kind).where(CaseEventRow.case_id == case.id)
        ).scalars()
        assert set(events) == {"created", "dispatched", "note_added"}
        note = session.execute(select(CaseNoteRow).where(CaseNoteRow.case_id == case.id))
        assert "zhang.wei@example.cn" in note.scalar_one().text


def test_a_request_without_phone_or_name_is_taken_in_and_numbers_follow_each_other(
    server: Server, key: str
) -> None:
    first = taken_in(server, key, lat="39.9", long="116.4", address_string="", phone="12")
    second = taken_in(server, key, service_code="030105", description="  ")
    assert int(second["service_request_id"]) == int(first["service_request_id"]) + 1
    with server.database() as session:
        case = session.execute(
            select(Case).where(Case.case_no == first["service_request_id"])
        ).scalar_one()
        assert (case.caller_phone, case.caller_name) == ("", "")
        assert case.address == "(WGS84 39.900000,116.400000)"
        assert case.lead_agency_code  # no district: the rules' fallback
    shown = get(server, f"/requests/{first['service_request_id']}.json").json()[0]
    assert (shown["address"], shown["lat"], shown["long"]) == (None, None, None)


def test_requests_filter_by_ids_code_dates_and_status_newest_first(
    server: Server, key: str
) -> None:
    older = taken_in(server, key, service_code="010103")["service_request_id"]
    newer = taken_in(server, key, service_code="010104")["service_request_id"]
    with server.database() as session:
        session.execute(update(Case).where(Case.case_no == older).values(status="closed"))
        session.commit()
    both = get(server, "/requests.json", service_request_id=f"{older}, {newer}").json()
    assert [r["service_request_id"] for r in both] == [newer, older]
    assert [r["status"] for r in both] == ["open", "closed"]
    listed = get(server, "/requests.json", service_code="010103, 010999").json()
    assert older in [r["service_request_id"] for r in listed]
    assert {r["service_code"] for r in listed} == {"010103"}
    open_ids = [
        r["service_request_id"] for r in get(server, "/requests.json", status="open").json()
    ]
    assert newer in open_ids and older not in open_ids
    closed = get(server, "/requests.xml", status="closed", service_code="010103")
    assert [r.findtext("status") for r in xml(closed).findall("request")] == ["closed"]
    now = utc_now()
    window = {"start_date": (now - timedelta(days=1)).isoformat(), "end_date": ""}
    recent = get(server, "/requests.json", **window).json()
    assert newer in [r["service_request_id"] for r in recent]
    stamps = [r["requested_datetime"] for r in recent]
    assert stamps == sorted(stamps, reverse=True)
    past = {"start_date": "2020-01-01T00:00:00Z", "end_date": "2020-03-01T00:00:00+08:00"}
    assert get(server, "/requests.json", **past).json() == []
    assert list(xml(get(server, "/requests.xml", **past))) == []
    # Of a span over 90 days the last 90 are searched; an end before the start finds nothing.
    long_ago = (now - timedelta(days=1)).isoformat()
    span = {"start_date": long_ago, "end_date": (now + timedelta(days=100)).isoformat()}
    assert newer not in [
        r["service_request_id"] for r in get(server, "/requests.json", **span).json()
    ]
    before = {"start_date": now.isoformat(), "end_date": long_ago}
    assert get(server, "/requests.json", **before).json() == []


BAD_INPUT = [
    ("post", {"service_code": "999999"}, 404),
    ("post", {"service_code": ""}, 400),
    ("post", {"address_string": ""}, 400),
    ("post", {"address_string": "", "address_id": "A-17"}, 400),
    ("post", {"lat": "39.9"}, 400),
    ("post", {"lat": "91", "long": "116"}, 400),
    ("post", {"description": "x" * 4001}, 400),
    ("post", {"description": "<script>alert(1)</script>"}, 400),
    ("post", {"description": "bell\x07"}, 400),
    ("post", {"email": "not-an-email"}, 400),
    ("get", "/services/999999.{fmt}", 404),
    ("get", "/requests/0000000000000.{fmt}", 404),
    ("get", "/tokens/not-a-token.{fmt}", 404),
    ("get", "/requests.{fmt}?start_date=yesterday", 400),
    ("get", "/requests.{fmt}?start_date=2024-01-01T00:00:00", 400),
    ("get", "/requests.{fmt}?end_date=2024-01-01", 400),
    ("get", "/requests.{fmt}?status=pending", 400),
    ("get", "/requests.{fmt}?service_request_id=12,x", 400),
    ("get", "/requests.{fmt}?service_code=%01", 400),
    ("get", "/requests.{fmt}?service_code=" + "9" * 2001, 400),
]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_bad_input_gets_the_spec_error_format(server: Server, key: str, fmt: str) -> None:
    for method, what, status in BAD_INPUT:
        if method == "post":
            assert isinstance(what, dict)
            response = post(server, key, fmt, **what)
        else:
            assert isinstance(what, str)
            with server.client() as http:
                response = http.get(V2 + what.format(fmt=fmt))
        assert response.status_code == status, (what, response.text)
        assert_errors(response, fmt, status)


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_nul_characters_are_refused_in_the_spec_error_format(
    server: Server, key: str, fmt: str
) -> None:
    responses = [
        post(server, key, fmt, description="nul\x00byte"),
        get(server, f"/requests.{fmt}", service_code="\x00"),
        get(server, f"/requests/%00.{fmt}"),
    ]
    for response in responses:
        assert response.status_code == 400
        assert_errors(response, fmt, 400)


def test_an_unknown_format_resource_or_method_gets_the_spec_error_format(server: Server) -> None:
    for path in ("/services.csv", "/requests/2401010000001.html", "/nothing"):
        response = get(server, path)
        assert response.status_code == 404
        assert_errors(response, "xml", 404)
    with server.client() as http:
        response = http.delete(f"{V2}/requests.json")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, POST"
    assert_errors(response, "json", 405)


def test_a_missing_unknown_or_revoked_key_is_refused(server: Server) -> None:
    key_id, key = new_key(server)
    taken_in(server, key)
    with server.database() as session:
        api_keys.revoke(session, key_id, utc_now())
        session.commit()
    for fmt, used in (("json", key), ("xml", key), ("json", "unknown"), ("xml", "")):
        response = post(server, used, fmt)
        assert response.status_code == 403
        assert_errors(response, fmt, 403)


def test_the_caller_and_a_confidential_case_are_never_published(server: Server, key: str) -> None:
    secret = "楼道里堆放杂物，保密诉求"
    fields = {"description": secret, "address_string": "朝阳区秘密胡同9号"}
    number = taken_in(server, key, service_code="010105", lat="40.1", long="116.2", **fields)[
        "service_request_id"
    ]
    with server.database() as session:
        session.execute(update(Case).where(Case.case_no == number).values(confidential=True))
        session.commit()
    shown = get(server, f"/requests/{number}.json").json()[0]
    assert [shown[k] for k in ("description", "address", "lat", "long")] == [None] * 4
    assert shown["agency_responsible"]
    published = [
        get(server, f"/requests/{number}.xml").text,
        get(server, "/requests.json").text,
        get(server, "/requests.xml", status="open,closed").text,
    ]
    private = ("秘密胡同", "保密诉求", "张伟", "13800138000", "138-0013-8000", "zhang.wei@")
    for text in [*published, server.log.read_text(encoding="utf-8")]:
        assert not [p for p in private if p in text]


def test_only_the_open311_endpoint_takes_in_cases_under_seat_000(server: Server) -> None:
    reference = load_reference(REFERENCE, server.log.parent / "data").data
    args = {"service_code": "010101", "address": "东城区", "description": "占道"}
    console = Actor("calltaker", Role.CALL_TAKER, client_id="c", seat_code="042")
    with server.database() as session:
        refused = apply(session, console, Mutation("open311.create", args), utc_now(), reference)
        assert refused.body["reason"] == "role_not_allowed"
        taken = apply(session, ACTOR, Mutation("open311.create", args), utc_now(), reference)
        assert taken.status == "applied"
        session.rollback()


def assert_errors(response: httpx.Response, fmt: str, status: int) -> None:
    if fmt == "json":
        assert response.headers["content-type"] == "application/json; charset=utf-8"
        errors = response.json()
        assert errors and all(e["code"] == status and e["description"] for e in errors)
        return
    root = xml(response)
    assert root.tag == "errors" and root.findall("error")
    for error in root.findall("error"):
        assert error.findtext("code") == str(status) and error.findtext("description")
