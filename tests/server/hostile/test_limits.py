"""Every request is bounded before it is read: 400 MiB bodies against each class of route,
bodies and heads that stall, URLs and headers of absurd size, and dates out of range.

The bodies go through a raw socket, from a generator: the test never holds them, and stops
sending as soon as the server answers or closes, where an HTTP client would insist on sending
everything first.
"""

from __future__ import annotations

import json
import select
import socket
import time
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import psutil
import pytest
from sqlalchemy import create_engine, text

from console.domain.workflow import Role
from tests.postgres import Cluster
from tests.server.cases import AGENCY, Cases, person
from tests.server.process import Server, start_server
from tests.server.seats import Seats

MiB = 2**20
ATTACK = 400 * MiB
GROWTH = 20 * MiB  # the most a refused body may add to the server's memory
PIECE = 64 * 1024
CASE = str(uuid.uuid4())
JSON = "application/json"
FORM = "application/x-www-form-urlencoded"
# A route of each class of body limit (see console/server/guards.py).
ROUTES = {
    "login": ("/v1/auth/login", JSON),
    "action": (f"/v1/cases/{CASE}/sign", JSON),
    "reply": (f"/v1/cases/{CASE}/reply", JSON),
    "bulk": ("/v1/cases/redispatch", JSON),
    "push": ("/v1/sync/push", JSON),
    "open311": ("/open311/v2/requests.json", FORM),
}
# The short timeouts the bounded server runs with.
READ_TIMEOUT = 0.5
BODY_TIMEOUT = 1.5
SLACK = 1.5  # a loaded test machine's delay, at most


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes
    growth: int  # the most the server's memory grew by while the request came, in bytes
    sent: int  # bytes of body sent before the server answered or closed
    closed: bool  # the server closed the connection after its answer


def request_head(path: str, content_type: str, length: int | None) -> bytes:
    framing = "Transfer-Encoding: chunked" if length is None else f"Content-Length: {length}"
    return (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {content_type}\r\n"
        f"{framing}\r\n\r\n"
    ).encode()


def pieces(total: int, chunked: bool) -> Iterator[bytes]:
    piece = b"x" * PIECE
    if chunked:
        piece = b"%x\r\n%s\r\n" % (len(piece), piece)
    for _ in range(total // PIECE):
        yield piece


def send(server: Server, head: bytes, body: Iterable[bytes] = (), pace: float = 0) -> Answer:
    """Send the head, then the body, a piece every `pace` seconds, until the server answers or
    closes; its answer."""
    memory = psutil.Process(server.process.pid)
    before = peak = memory.memory_info().rss
    sent = 0
    with socket.create_connection(address(server), timeout=BODY_TIMEOUT + 2 * SLACK) as sock:
        sock.sendall(head)
        for piece in body:
            if select.select([sock], [], [], pace if sent else 0)[0]:
                break  # answered
            try:
                sock.sendall(piece)
            except OSError:
                break  # closed: the answer is waiting
            sent += len(piece)
            peak = max(peak, memory.memory_info().rss)
        status, headers, content, closed = read_answer(sock)
    growth = max(peak, memory.memory_info().rss) - before
    return Answer(status, headers, content, growth, sent, closed)


def read_answer(sock: socket.socket) -> tuple[int, dict[str, str], bytes, bool]:
    data = b""
    while b"\r\n\r\n" not in data:
        received = sock.recv(PIECE)
        assert received, f"closed without an answer: {data!r}"
        data += received
    head, _, body = data.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, v in (line.split(":", 1) for line in lines)}
    while len(body) < int(headers.get("content-length", 0)):
        body += sock.recv(PIECE)
    try:
        closed = sock.recv(1) == b""
    except ConnectionResetError:
        closed = True
    return int(status_line.split()[1]), headers, body, closed


def address(server: Server) -> tuple[str, int]:
    host, port = server.url.removeprefix("http://").split(":")
    return host, int(port)


def assert_refused(answer: Answer, status: int, open311: bool = False) -> None:
    assert answer.status == status, answer
    if open311:
        assert json.loads(answer.body)[0]["code"] == status
    else:
        assert (
            json.loads(answer.body)["error"]["code"]
            == {
                408: "too_slow",
                413: "too_large",
                414: "too_large",
                431: "too_large",
            }[status]
        )
    assert answer.headers["connection"] == "close"
    assert answer.closed


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_a_400_mib_body_is_refused_413_without_the_server_holding_it(
    server: Server, route: str, chunked: bool
) -> None:
    path, content_type = ROUTES[route]
    head = request_head(path, content_type, None if chunked else ATTACK)
    answer = send(server, head, pieces(ATTACK, chunked))
    assert_refused(answer, 413, open311=route == "open311")
    assert answer.growth < GROWTH, answer.growth / MiB
    assert answer.sent < ATTACK // 10


def test_a_legal_push_of_5_9_mb_is_applied(server: Server, seats: Seats) -> None:
    seat = seats.open(server)
    creates = [seat.new_case(handling="direct_answer", lead_agency_code="") for _ in range(100)]
    for args in creates:
        args["description"] = "摊" * 4000
        args["answer_text"] = "已答复。" * 1000
    mutations = seat.batch(*(("case.create", args) for args in creates))
    batch = {"client_id": seat.client_id, "mutations": mutations}
    body = json.dumps(batch).encode()  # every character \u-escaped, as Python sends it
    padding = (5_900_000 - len(body)) // (100 * 6)  # an astral character escapes to 12 bytes
    for args in creates:
        args["answer_text"] = "𠀀" * padding + args["answer_text"][padding:]
    body = json.dumps(batch).encode()
    assert 5_850_000 < len(body) < 6_000_000
    response = seat.http.post("/v1/sync/push", content=body, headers={"Content-Type": JSON})
    assert response.status_code == 200, response.text[:500]
    assert {r["status"] for r in response.json()["results"]} == {"applied"}


@pytest.fixture(scope="module")
def bounded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The server as `python main.py server` runs it, with short timeouts. On SQLite only:
    what it is tested for happens before any database is asked."""
    folder = tmp_path_factory.mktemp("bounded")
    timeouts = ("--read-timeout", str(READ_TIMEOUT), "--body-timeout", str(BODY_TIMEOUT))
    running = start_server(f"sqlite:///{folder / 'server.sqlite3'}", folder, *timeouts)
    yield running
    running.stop()


def timed(server: Server, head: bytes, body: Iterable[bytes] = (), pace: float = 0) -> float:
    """Seconds until the server refused the request as too slow."""
    started = time.monotonic()
    answer = send(server, head, body, pace)
    assert_refused(answer, 408)
    return time.monotonic() - started


def test_a_body_that_stops_half_way_is_cut_after_the_read_timeout(bounded: Server) -> None:
    head = request_head("/v1/auth/login", JSON, 1000)
    assert READ_TIMEOUT * 0.9 < timed(bounded, head, [b" " * 500]) < READ_TIMEOUT + SLACK


def test_a_body_that_trickles_is_cut_after_the_body_timeout(bounded: Server) -> None:
    trickle = (b"1\r\n \r\n" for _ in range(100))
    elapsed = timed(bounded, request_head("/v1/auth/login", JSON, None), trickle, READ_TIMEOUT / 4)
    assert BODY_TIMEOUT * 0.9 < elapsed < BODY_TIMEOUT + SLACK


def test_a_head_that_stops_half_way_or_never_comes_is_cut(bounded: Server) -> None:
    half = b"POST /v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    assert timed(bounded, half) < READ_TIMEOUT + SLACK
    assert timed(bounded, b"") < READ_TIMEOUT + SLACK


def test_absurd_urls_and_headers_are_refused_at_bounded_cost(bounded: Server) -> None:
    ten_mb = [b"a" * PIECE] * (10 * MiB // PIECE)
    end = [b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"]
    query = send(bounded, b"GET /v1/cases?text=", [*ten_mb, *end])
    assert_refused(query, 414)
    header = send(bounded, b"GET /healthz HTTP/1.1\r\nX-Big: ", [*ten_mb, b"\r\n\r\n"])
    assert_refused(header, 431)
    many = send(bounded, b"GET /healthz HTTP/1.1\r\n", [b"X-A: b\r\n" * 8000] * 160)
    assert_refused(many, 431)
    for answer in (query, header, many):
        assert answer.growth < GROWTH
        assert answer.sent < 5 * MiB  # what the sockets buffer; far from all of it


def test_the_longest_legal_url_passes(bounded: Server) -> None:
    ids = ",".join(f"{2401010000000 + i}" for i in range(100))
    with httpx.Client(base_url=bounded.url) as http:
        response = http.get("/open311/v2/requests.json", params={"service_request_id": ids})
    assert response.status_code == 200, response.text


BAD_MOMENTS = (
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59:59-23:59",
    "1999-12-31T23:59:59+00:00",
    "2099-12-31T23:30:00-00:31",  # 2100 only in UTC
)


def test_dates_out_of_range_are_refused_naming_the_field(server: Server) -> None:
    agency = person(server, Role.AGENCY, AGENCY)
    cases = Cases(server.database_url)
    case_id = cases.in_status("accepted")
    cases.close()
    with server.client(agency.token) as http:
        for moment in BAD_MOMENTS:
            search = http.get("/v1/cases", params={"created_to": moment})
            assert fields_of(search) == ["query.created_to"], (moment, search.text)
            body = {"until": moment, "reason": "需协调多个部门"}
            extension = http.post(f"/v1/cases/{case_id}/request_extension", json=body)
            assert fields_of(extension) == ["until"], (moment, extension.text)
            listing = http.get("/open311/v2/requests.json", params={"start_date": moment})
            assert listing.status_code == 400, (moment, listing.text)
            assert listing.json()[0]["description"].startswith("start_date: ")
        for moment in ("2000-01-01T00:00:00+00:00", "2099-12-31T23:59:59+00:00"):
            assert http.get("/v1/cases", params={"created_from": moment}).status_code == 200


def fields_of(response: httpx.Response) -> list[str]:
    assert response.status_code == 422, response.text
    return [f["field"] for f in response.json()["error"]["fields"]]


def test_an_unexpected_error_is_answered_500_and_logged_once(
    pg_cluster: Cluster, pg_template: str, tmp_path: Path
) -> None:
    """On a database of its own, a column renamed under the server: the search fails."""
    url = pg_cluster.url(pg_cluster.create_database(template=pg_template))
    running = start_server(url, tmp_path)
    try:
        token = running.login(running.user(Role.SUPERVISOR))
        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(text("ALTER TABLE cases RENAME COLUMN address TO address_gone"))
        engine.dispose()
        with running.client(token) as http:
            failed = http.get("/v1/cases")
            assert http.get("/healthz").status_code == 200
        assert failed.status_code == 500
        assert failed.json()["error"]["code"] == "internal_error"
        lines = logged_until(running, '"route": "/healthz"')
    finally:
        running.stop()
    errors = [line for line in lines if line.get("level") == "error"]
    assert len(errors) == 1, errors
    assert errors[0]["message"] == "unexpected error on /v1/cases"


def logged_until(server: Server, marker: str) -> list[dict[str, Any]]:
    """The server's log lines, once one holding `marker` was written."""
    deadline = time.monotonic() + 10
    while marker not in server.log.read_text():
        assert time.monotonic() < deadline, server.log.read_text()
    return [json.loads(line) for line in server.log.read_text().splitlines() if line]
