"""The live channel through real server processes: a change made on one console reaches the
others' streams as the case itself, in each one's scope, from either instance."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import httpx

from console.central import feed
from console.domain.clock import utc_now
from console.domain.workflow import Role
from console.sync.live import Changes
from tests.server.listening import Listener, readyz, streams_reach
from tests.server.process import Server
from tests.server.seats import Seat, Seats, enrolled_long_ago, of, pull_all

LONG_AGO = (utc_now() - timedelta(days=40)).isoformat()
ANSWERED = {"handling": "direct_answer", "answer_text": "已告知办理流程。", "lead_agency_code": ""}


def following(listeners: list[Listener], *seats: Seat, on: Server | None = None) -> list[Listener]:
    """Each seat's console caught up and following the channel (of `on`, else its own)."""
    server = on or seats[0].server
    before = readyz(server)["live_streams"]
    started = [Listener.of(seat, on) for seat in seats]
    listeners += started
    assert streams_reach(server, before + len(started))
    return started


def test_a_change_pushed_by_one_console_arrives_on_anothers_stream_as_the_case(
    pair: tuple[Server, Server], seats: Seats, listeners: list[Listener]
) -> None:
    a, _ = pair
    writer, reader = seats.open(a), seats.open(a)
    [stream] = following(listeners, reader)
    case_id = writer.create(description="小区门口的井盖松动了，车一过就响。")
    assert stream.receives(case_id)
    [event] = [e for e in stream.events if isinstance(e, Changes)]
    assert (event.after, event.page["after"]) == (stream.cursor, stream.cursor)
    assert (event.page["has_more"], event.page["reset"]) == (False, False)
    [change] = stream.of_case(case_id)
    [pulled] = of(pull_all(reader, stream.cursor)[0], case_id)
    assert change == pulled  # what a pull from the same cursor brings
    assert change["data"]["description"] == "小区门口的井盖松动了，车一过就响。"
    assert pull_all(reader, event.cursor)[0] == []  # the event's cursor is a pull cursor
    stream.close()
    assert stream.error is None


def test_each_stream_gets_its_consoles_scope_and_callers_only_for_the_owner(
    pair: tuple[Server, Server], seats: Seats, listeners: list[Listener]
) -> None:
    a, _ = pair
    owner, other = seats.open(a), seats.open(a)
    enrolled_long_ago(a, owner)
    mine, others = following(listeners, owner, other)
    secret = owner.create(confidential=True, caller_name="李女士", callback_phone="13900139000")
    old_closed = owner.create(created_at=LONG_AGO, **ANSWERED)
    for stream in (mine, others):
        assert stream.receives(secret, old_closed)
    caller = ("caller_phone", "caller_name", "callback_phone")
    [seen] = mine.of_case(secret)
    assert [seen["data"][k] for k in caller] == ["+8613800138000", "李女士", "+8613900139000"]
    [withheld] = others.of_case(secret)
    assert [withheld["data"][k] for k in caller] == ["", "", ""]
    assert withheld["data"]["description"] == seen["data"]["description"]
    [own_old] = mine.of_case(old_closed)
    assert (own_old["op"], own_old["data"]["status"]) == ("upsert", "answered")
    # Outside the other's scope: no document, only the removal a pull would bring too.
    assert others.of_case(old_closed) == [
        {"entity": "case", "id": old_closed, "op": "remove", "version": 1, "data": None}
    ]
    assert of(pull_all(other, others.cursor)[0], old_closed) == others.of_case(old_closed)


def test_a_stream_from_a_stale_cursor_is_told_it_is_behind(
    pair: tuple[Server, Server], seats: Seats, listeners: list[Listener]
) -> None:
    a, _ = pair
    seat = seats.open(a)
    _, stale, _ = pull_all(seat)
    seat.create()
    [current] = following(listeners, seat)  # the newest change is the hub's position
    assert current.events == []
    from_stale = Listener(a, current.live._token, stale)
    downloading = Listener(a, current.live._token, _snapshot_cursor(seat))
    for listener in (from_stale, downloading):
        listener.start()
        listener.join(10)
        assert (listener.behind(), listener.error, listener.is_alive()) == (["cursor"], None, False)


def _snapshot_cursor(seat: Seat) -> str:
    """The cursor of a first download's page, the download not finished."""
    seat.create()
    seat.create()
    page = seat.http.get("/v1/sync/pull", params={"limit": 1}).json()
    assert page["has_more"] and feed.decode(page["cursor"]).after_case is not None
    return str(page["cursor"])


def test_a_change_made_through_one_instance_reaches_streams_on_the_other(
    pair: tuple[Server, Server], seats: Seats, listeners: list[Listener]
) -> None:
    a, b = pair
    writer, reader = seats.open(a), seats.open(a)
    [on_b] = following(listeners, reader, on=b)
    case_id = writer.create()
    assert on_b.receives(case_id)
    [change] = on_b.of_case(case_id)
    assert (change["op"], change["data"]["seat_code"]) == ("upsert", writer.seat_code)


def test_one_change_costs_the_instance_the_same_sql_for_one_stream_as_for_many(
    pair: tuple[Server, Server], seats: Seats, listeners: list[Listener]
) -> None:
    """The instance serving the streams is `a`; the changes are pushed through `b`, so that
    `a`'s statements are those of the feed and the live channel only."""
    a, b = pair
    writer = _on(seats.open(a), b)
    seats.opened.append(writer)
    name = a.user(Role.CALL_TAKER)
    readers = [seats.open(a, username=name) for _ in range(6)]

    def statements_for_one_change(streams: list[Listener]) -> int:
        before = readyz(a)["sql_statements"]
        case_id = writer.create()
        for stream in streams:
            assert stream.receives(case_id)
        return int(readyz(a)["sql_statements"] - before)

    one = following(listeners, readers[0])
    alone = statements_for_one_change(one)
    many = one + following(listeners, *readers[1:])
    assert alone > 0
    assert statements_for_one_change(many) == alone
    assert statements_for_one_change(many) == alone


def _on(seat: Seat, server: Server) -> Seat:
    http = httpx.Client(base_url=server.url, headers=seat.http.headers, timeout=30)
    return dataclasses.replace(seat, server=server, http=http)
