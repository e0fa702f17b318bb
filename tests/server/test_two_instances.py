"""Two server instances on one PostgreSQL database serve the same consoles as one would."""

from __future__ import annotations

import dataclasses
import threading
import time
from typing import Any

import httpx

from tests.server.process import Server
from tests.server.seats import Poke, Seat, Seats, cases_numbered, ledger, pull_all


def on_both(pair: tuple[Server, Server], seats: Seats) -> tuple[Seat, Seat]:
    """A console on the first instance, and the same console and session on the second."""
    a, b = pair
    seat = seats.open(a)
    http = httpx.Client(base_url=b.url, headers=seat.http.headers, timeout=30)
    seat_b = dataclasses.replace(seat, server=b, http=http)
    seats.opened.append(seat_b)
    return seat, seat_b


def test_pushes_alternating_between_instances_apply_each_mutation_once(
    pair: tuple[Server, Server], seats: Seats
) -> None:
    a, _ = pair
    seat, seat_b = on_both(pair, seats)
    creates = [seat.new_case() for _ in range(6)]
    batches = [
        seat.batch(*(("case.create", args) for args in creates[i : i + 2])) for i in (0, 2, 4)
    ]
    first = seat.send(batches[0]).json()
    assert seat_b.send(batches[1]).json()["last_mid"] == 4
    assert seat_b.send(batches[0]).json() == {**first, "last_mid": 4}
    gap = seat.send([{**batches[2][1], "mid": 7}])
    assert (gap.status_code, gap.json()["expected"]) == (409, 5)
    answers: list[dict[str, Any]] = []
    racers = [
        threading.Thread(target=lambda s=s: answers.append(s.send(batches[2]).json()))
        for s in (seat, seat_b)
    ]
    for racer in racers:
        racer.start()
    for racer in racers:
        racer.join()
    assert answers[0] == answers[1]
    assert [r["status"] for r in answers[0]["results"]] == ["applied", "applied"]
    assert ledger(a, seat.client_id) == 6
    assert all(cases_numbered(a, args["case_no"]) == 1 for args in creates)


def test_pulls_from_either_instance_see_the_same_changes(
    pair: tuple[Server, Server], seats: Seats
) -> None:
    seat, seat_b = on_both(pair, seats)
    for _ in range(3):
        seat.create()
    from_a, cursor_a, _ = pull_all(seat, limit=2)
    from_b, cursor_b, _ = pull_all(seat_b, limit=2)
    assert from_a == from_b
    created = seat.create()
    after_a = pull_all(seat, cursor_a)[0]
    after_b = pull_all(seat_b, cursor_a)[0]
    assert after_a == after_b
    assert created in {c["id"] for c in after_a}
    assert pull_all(seat, cursor_b)[0] == pull_all(seat_b, cursor_b)[0]


def test_a_change_through_one_instance_wakes_a_poke_waiting_on_the_other(
    pair: tuple[Server, Server], seats: Seats
) -> None:
    a, b = pair
    writer, reader = seats.open(a), seats.open(b)
    _, cursor, _ = pull_all(reader)
    poke = Poke(reader, cursor, 20)
    poke.start()
    assert poke.waiting()
    writer.create()
    pushed_at = time.monotonic()
    poke.join(5)
    assert poke.answer == {"status": 200, "changed": True}
    assert poke.answered_at - pushed_at < 1
