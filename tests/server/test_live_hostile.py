"""The live channel against what a hostile or broken client does, and the console's follower
against a server that goes away."""

from __future__ import annotations

import functools
import http.client
import json
import os
import signal
import socket
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest

from console.central import feed
from console.domain.ids import new_id
from console.domain.workflow import Role
from console.sync.live import Changes, LiveRefused, parse
from tests.server.listening import Listener, readyz, streams_reach, token
from tests.server.process import Server, start_server
from tests.server.seats import Seat, Seats, named, pull_all

CAP = 3  # streams the small server holds
LONG_NOTE = "补充：供暖仍然不热，室温只有十四度，老人孩子受不了，请尽快处理。" * 60  # 1,980 chars


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server on SQLite that holds at most CAP live streams."""
    folder = tmp_path_factory.mktemp("live-small")
    running = start_server(
        f"sqlite:///{folder / 'server.sqlite3'}", folder, "--live-streams", str(CAP)
    )
    yield running
    running.stop()


def test_live_refuses_bad_cursors_agencies_and_strangers(small: Server, seats: Seats) -> None:
    seat = seats.open(small)
    forged = feed.encode(feed.Cursor(feed.Position(1, 2))).replace("e", "x")
    for params in (
        {},
        {"cursor": "not a cursor"},
        {"cursor": "eyJ4IjoiYSJ9"},  # {"x":"a"}
        {"cursor": forged},
        {"cursor": "x" * 201},
        {"cursor": "eyJ4IjowLCJzIjo" + "A" * 12_000},
    ):
        response = seat.http.get("/v1/sync/live", params=params)
        assert response.status_code == 422, params
        assert response.json()["error"]["code"] == "invalid_request"
    _, cursor, _ = pull_all(seat)
    with small.client(small.login(small.user(Role.AGENCY, "S110105004"))) as agency:
        assert agency.get("/v1/sync/live", params={"cursor": cursor}).status_code == 403
    with small.client("not-a-token") as stranger:
        assert stranger.get("/v1/sync/live", params={"cursor": cursor}).status_code == 401
    assert readyz(small)["live_streams"] == 0


def test_a_session_holds_two_streams_and_a_third_ends_the_oldest(
    small: Server, seats: Seats, listeners: list[Listener]
) -> None:
    seat = seats.open(small)
    _, cursor, _ = pull_all(seat)
    for _ in range(3):
        listeners.append(Listener(small, token(seat), cursor))
        listeners[-1].start()
        assert streams_reach(small, min(len(listeners), 2))
    first, *others = listeners
    first.join(10)
    assert (first.is_alive(), first.events, first.error) == (False, [], None)
    assert all(listener.is_alive() for listener in others)


def test_a_full_instance_answers_503_with_a_delay_and_takes_streams_again_when_one_ends(
    small: Server, seats: Seats, listeners: list[Listener]
) -> None:
    assert streams_reach(small, 0)
    sessions = [seats.open(small) for _ in range(CAP)]
    for seat in sessions:
        listeners.append(Listener.of(seat))
    assert streams_reach(small, CAP)
    refused = Listener.of(seats.open(small))
    refused.join(10)
    assert isinstance(refused.error, LiveRefused)
    assert (refused.error.status, refused.error.retry_after) == (503, 5)
    listeners.pop().close()
    assert streams_reach(small, CAP - 1)
    listeners.append(Listener.of(sessions[-1]))
    assert streams_reach(small, CAP)


class _SmallWindow(http.client.HTTPConnection):
    """A connection whose receive window is a few kilobytes: a console that stops reading
    holds the server up at once."""

    def connect(self) -> None:
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        self.sock.settimeout(self.timeout)
        self.sock.connect((self.host, self.port))


def test_a_console_that_stops_reading_is_dropped_as_slow_while_others_keep_up(
    small: Server, seats: Seats, listeners: list[Listener]
) -> None:
    assert streams_reach(small, 0)
    writer, slow, quick = seats.open(small), seats.open(small), seats.open(small)
    stalled, answer, _ = _stalled(small, slow, timeout=5)
    [keeping_up] = [Listener.of(quick)]
    listeners.append(keeping_up)
    case_id = writer.create()
    sent = 0
    while readyz(small)["live_following"] > 1:  # the server's buffers fill first
        assert sent < 20, "the console that reads nothing was never dropped"
        _add_notes(writer, case_id, 50)  # an event of the whole case, 0.3 MB larger each time
        sent += 1
        assert keeping_up.until(functools.partial(_has_notes, keeping_up, case_id, 50 * sent))
    assert keeping_up.behind() == []
    received = list(parse(iter(lambda: answer.read1(65536), b"")))
    stalled.close()
    assert [name for name, _ in received][-1:] == ["behind"]
    assert received[-1][1] == b'{"reason":"slow"}'
    assert 1 <= len(received) - 1 < sent  # some changes came before it, not all


def test_a_console_that_stops_reading_for_a_while_then_gets_every_change_in_order(
    small: Server, seats: Seats, listeners: list[Listener]
) -> None:
    assert streams_reach(small, 0)
    writer, paused, quick = seats.open(small), seats.open(small), seats.open(small)
    case_id = writer.create()
    stalled, answer, cursor = _stalled(small, paused, timeout=10)
    listeners.append(Listener.of(quick))
    for sent in range(1, 6):  # 0.9 MB of events in all: more than the buffers on the way hold
        _add_notes(writer, case_id, 10)
        assert listeners[0].until(functools.partial(_has_notes, listeners[0], case_id, 10 * sent))
    events = parse(iter(lambda: answer.read1(65536), b""))
    pages = [_page(events) for _ in range(5)]
    _add_notes(writer, case_id, 1)
    pages.append(_page(events))  # and it keeps up again
    stalled.close()
    assert [len(_notes(page, case_id)) for page in pages] == [10, 20, 30, 40, 50, 51]
    assert [p["after"] for p in pages] == [cursor] + [p["cursor"] for p in pages[:-1]]


def _add_notes(writer: Seat, case_id: str, count: int) -> None:
    """`count` notes of 1,980 characters more on the case, in one push."""
    note = {"case_id": case_id, "text": LONG_NOTE}
    writer.push(*[("case.add_note", {**note, "note_id": new_id()}) for _ in range(count)])


def _stalled(
    server: Server, seat: Seat, timeout: float
) -> tuple[_SmallWindow, http.client.HTTPResponse, str]:
    """`seat`'s console, caught up by pull, connected to the live channel on a small window and
    reading nothing (yet): the connection, the response, the cursor it connected with."""
    _, cursor, _ = pull_all(seat)
    address = urlsplit(server.url)
    connection = _SmallWindow(address.hostname or "", address.port, timeout=timeout)
    headers = {"Authorization": f"Bearer {token(seat)}"}
    connection.request("GET", "/v1/sync/live?" + urlencode({"cursor": cursor}), headers=headers)
    answer = connection.getresponse()
    assert answer.status == 200
    return connection, answer, cursor


def _page(events: Iterator[tuple[str, bytes]]) -> dict[str, Any]:
    """The next `changes` event's page (heartbeats are comments, not events)."""
    name, data = next(events)
    assert name == "changes", data
    page: dict[str, Any] = json.loads(data)
    return page


def _notes(page: dict[str, Any], case_id: str) -> list[Any]:
    [change] = named(page)["changes"]
    assert change["id"] == case_id
    return list(change["data"]["notes"])


def test_the_follower_ends_promptly_when_its_server_stops_answering_or_dies(
    tmp_path_factory: pytest.TempPathFactory, seats: Seats, listeners: list[Listener]
) -> None:
    folder = tmp_path_factory.mktemp("live-dying")
    server = start_server(f"sqlite:///{folder / 'server.sqlite3'}", folder)
    try:
        seat = seats.open(server)
        _, cursor, _ = pull_all(seat)
        frozen = Listener(server, token(seat), cursor, read_timeout=2.0)
        frozen.start()
        assert streams_reach(server, 1)
        os.kill(server.process.pid, signal.SIGSTOP)  # answers nothing, the connection open
        frozen.join(10)
        os.kill(server.process.pid, signal.SIGCONT)
        assert not frozen.is_alive()
        assert frozen.error is not None and frozen.events == []
        killed = Listener.of(seat)
        assert streams_reach(server, 1)
        server.process.kill()
        killed.join(10)
        assert not killed.is_alive() and killed.error is not None
    finally:
        server.stop()


def test_on_sqlite_changes_follow_on_and_a_follower_closed_from_another_thread_ends_at_once(
    small: Server, seats: Seats
) -> None:
    writer, reader = seats.open(small), seats.open(small, Role.SUPERVISOR)
    listener = Listener.of(reader)
    assert streams_reach(small, 1)
    first, second = writer.create(), writer.create()
    assert listener.receives(first, second)
    pages = [e for e in listener.events if isinstance(e, Changes)]
    assert [p.after for p in pages] == [listener.cursor] + [p.cursor for p in pages[:-1]]
    listener.close()
    assert (listener.is_alive(), listener.error) == (False, None)
    assert streams_reach(small, 0)  # the server saw the console go


def _has_notes(listener: Listener, case_id: str, count: int) -> bool:
    """Whether the last version of the case that came to `listener` has `count` notes."""
    changes = listener.of_case(case_id)
    return bool(changes) and len(changes[-1]["data"]["notes"]) == count
