"""The faulty network the sync tests put between a console and the real server: each fault does
to a console's requests what the network would, and healing brings the link back."""

from __future__ import annotations

import dataclasses
import json
import socket
import time
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import select

from console.domain.workflow import Role
from console.store.server_schema import EnrolCode
from console.sync.api import EnrolRefused
from console.sync.credentials import enrolment_id
from tests.postgres import Cluster
from tests.server.process import PASSWORD, Server, start_server
from tests.server.seats import Seat, Seats, ledger
from tests.sync.conftest import Opener
from tests.sync.engines import enrol_code
from tests.sync.faults import Direction, Fault, FaultProxy, Faults
from tests.sync.storm import port_of


@pytest.fixture(scope="module")
def server(
    pg_cluster: Cluster, pg_template: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    url = pg_cluster.url(pg_cluster.create_database(template=pg_template))
    running = start_server(url, tmp_path_factory.mktemp("server"))
    yield running
    running.stop()


@pytest.fixture
def proxy(server: Server) -> Iterator[FaultProxy]:
    opened = FaultProxy(port_of(server))
    yield opened
    opened.close()


@pytest.fixture
def seat(server: Server, proxy: FaultProxy) -> Iterator[Seat]:
    """A console signed in on the server, sending through the proxy (1 s to answer)."""
    opened = Seats()
    direct = opened.open(server)
    http = httpx.Client(base_url=proxy.url, headers=direct.http.headers, timeout=1.0)
    yield dataclasses.replace(direct, http=http)
    http.close()
    opened.close()


def push_one(seat: Seat) -> tuple[list[dict[str, object]], str]:
    """Send the console's next case; the batch and the case id."""
    args = seat.new_case()
    return seat.batch(("case.create", args)), str(args["id"])


def test_a_passing_link_carries_requests_and_answers(seat: Seat) -> None:
    batch, _ = push_one(seat)
    answer = seat.send(batch)
    assert answer.status_code == 200
    assert answer.json()["results"][0]["status"] == "applied"


@pytest.mark.parametrize(
    ("faults", "applied"), [(Faults(up=Fault.BLACKHOLE), 0), (Faults(down=Fault.BLACKHOLE), 1)]
)
def test_a_black_hole_holds_the_request_until_the_console_gives_up(
    server: Server, seat: Seat, proxy: FaultProxy, faults: Faults, applied: int
) -> None:
    """On the way up the server never sees the request; on the way down it applied it and
    the console never hears so."""
    batch, _ = push_one(seat)
    with proxy.outage(faults), pytest.raises(httpx.ReadTimeout):
        seat.send(batch)
    assert ledger(server, seat.client_id) == applied
    assert seat.send(batch).json()["last_mid"] == 1


def test_a_request_begun_in_a_black_hole_is_never_answered_after_the_heal(
    seat: Seat, proxy: FaultProxy
) -> None:
    """The rest of a request whose beginning was lost does not reach the server as a request
    of its own (which it would answer 400, a malformed request): as over a real network, the
    connection stays dead and the console gives up on it."""
    batch, _ = push_one(seat)
    body = json.dumps({"client_id": seat.client_id, "mutations": batch}).encode()
    head = (
        "POST /v1/sync/push HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        f"Authorization: {seat.http.headers['Authorization']}\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode()
    host, port = proxy.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=1.0) as sock:
        with proxy.outage(Faults(up=Fault.BLACKHOLE)):
            sock.sendall(head)
            time.sleep(0.2)  # read by the proxy apart from what follows
        sock.sendall(body)
        with pytest.raises(TimeoutError):
            sock.recv(1)


def test_a_reset_breaks_open_connections_and_refuses_new_ones_until_healed(
    server: Server, seat: Seat, proxy: FaultProxy
) -> None:
    assert seat.http.get("/readyz").status_code == 200
    assert len(proxy.connections()) == 1  # kept alive
    batch, _ = push_one(seat)
    with proxy.outage(Faults(up=Fault.RESET)):
        assert proxy.connections() == []
        for _ in range(2):
            with pytest.raises((httpx.ReadError, httpx.RemoteProtocolError, httpx.ConnectError)):
                seat.send(batch)
    assert ledger(server, seat.client_id) == 0
    assert seat.send(batch).json()["last_mid"] == 1


def test_a_response_dropped_after_the_server_committed_is_answered_the_same_when_sent_again(
    server: Server, seat: Seat, proxy: FaultProxy
) -> None:
    batch, case_id = push_one(seat)
    dropped = pytest.raises((httpx.RemoteProtocolError, httpx.ReadError))
    with proxy.outage(Faults(down=Fault.DROP)), dropped:
        seat.send(batch)
    assert proxy.dropped == 1
    assert ledger(server, seat.client_id) == 1
    [again] = seat.send(batch).json()["results"]
    assert (again["status"], again["case_id"]) == ("applied", case_id)
    assert ledger(server, seat.client_id) == 1


def test_an_answer_cut_off_midway_breaks_the_read_after_the_server_committed(
    server: Server, seat: Seat, proxy: FaultProxy
) -> None:
    batch, _ = push_one(seat)
    with proxy.outage(Faults(down=Fault.CUT)), pytest.raises(httpx.TransportError):
        seat.send(batch)
    assert ledger(server, seat.client_id) == 1


def test_latency_delays_the_answer_without_losing_it(seat: Seat, proxy: FaultProxy) -> None:
    batch, _ = push_one(seat)
    started = time.monotonic()
    with proxy.outage(Faults(up=Fault.LATENCY, down=Fault.LATENCY, latency=0.3)):
        answer = seat.send(batch)
    assert answer.json()["last_mid"] == 1
    assert time.monotonic() - started >= 0.6  # one way and back


def test_a_fault_on_one_connection_leaves_the_others_alone(
    server: Server, seat: Seat, proxy: FaultProxy
) -> None:
    other = httpx.Client(base_url=proxy.url, headers=seat.http.headers, timeout=1.0)
    assert seat.http.get("/readyz").status_code == 200
    [held] = proxy.connections()
    held.faults = Faults(up=Fault.BLACKHOLE)
    batch, _ = push_one(seat)
    with pytest.raises(httpx.ReadTimeout):
        seat.send(batch)
    with other:
        assert (
            other.post(
                "/v1/sync/push", json={"client_id": seat.client_id, "mutations": batch}
            ).json()["last_mid"]
            == 1
        )


def test_a_server_that_is_down_shows_as_a_reset_and_the_next_connection_tries_another(
    server: Server, seat: Seat, proxy: FaultProxy
) -> None:
    closed = FaultProxy(proxy.port)  # a port nobody listens on once it closes
    closed.close()
    proxy.retarget(closed.port, port_of(server))
    with pytest.raises((httpx.ReadError, httpx.RemoteProtocolError)):
        seat.http.get("/readyz")
    assert seat.http.get("/readyz").status_code == 200


@pytest.mark.parametrize("direction", list(Direction))
def test_a_healed_link_carries_new_requests(
    seat: Seat, proxy: FaultProxy, direction: Direction
) -> None:
    for fault in (Fault.BLACKHOLE, Fault.RESET, Fault.DROP, Fault.CUT):
        proxy.set(Faults(up=fault) if direction is Direction.UP else Faults(down=fault))
        with pytest.raises(httpx.TransportError):
            seat.http.get("/readyz")
        proxy.heal()
        assert seat.http.get("/readyz").status_code == 200


def test_a_refresh_whose_answer_was_lost_can_be_tried_again(
    server: Server, proxy: FaultProxy
) -> None:
    name, console = server.user(Role.CALL_TAKER), server.console()
    body = {"username": name, "password": PASSWORD, "client_id": console.client_id,
            "console_secret": console.secret}  # fmt: skip
    with httpx.Client(base_url=proxy.url, timeout=1.0) as http:
        tokens = http.post("/v1/auth/login", json=body).json()
        again = {"refresh_token": tokens["refresh_token"]}
        with proxy.outage(Faults(down=Fault.DROP)), pytest.raises(httpx.TransportError):
            http.post("/v1/auth/refresh", json=again)
        assert http.post("/v1/auth/refresh", json=again).status_code == 200


def test_a_workstation_whose_enrolment_answer_was_lost_enrols_when_its_user_tries_again(
    server: Server, proxy: FaultProxy, workstations: Opener
) -> None:
    """The lost answer spent the code: trying again with it enrols the console the code
    made, and no other workstation can use the code."""
    station = workstations("station", server_url=proxy.url)
    other = workstations("other", server_url=proxy.url)
    code = enrol_code(server)
    with proxy.outage(Faults(down=Fault.DROP)), pytest.raises(EnrolRefused) as lost:
        station.sync.connect(proxy.url, code=code)
    assert lost.value.reason == "unreachable"
    spent_by = EnrolCode.enrolment_id == enrolment_id(station.folder)
    [made] = server.rows(select(EnrolCode.used_by).where(spent_by, EnrolCode.used_at.is_not(None)))
    enrolled = station.sync.connect(proxy.url, code=code)
    assert enrolled.client_id == made.used_by
    with pytest.raises(EnrolRefused) as used:
        other.sync.connect(proxy.url, code=code)
    assert used.value.reason == "bad_code"
    account = station.sync.sign_in(server.user(Role.CALL_TAKER), PASSWORD)
    assert not account.offline
