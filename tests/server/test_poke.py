"""The poke: a console waiting on it hears of a change within a second."""

from __future__ import annotations

import time

import psycopg
import pytest
from sqlalchemy import make_url

from console.domain.workflow import Role
from tests.server.process import Server
from tests.server.seats import Crew, Poke, Seats, pull_all


def test_a_poke_answers_at_once_when_there_is_something_to_pull(crew: Crew) -> None:
    _, cursor, _ = pull_all(crew.taker)
    crew.colleague.create()
    began = time.monotonic()
    answer = crew.taker.http.get("/v1/sync/poke", params={"cursor": cursor, "timeout": 10})
    assert answer.json() == {"changed": True}
    assert time.monotonic() - began < 1
    first = crew.taker.http.get("/v1/sync/poke", params={"timeout": 10})
    assert first.json() == {"changed": True}


def test_a_waiting_poke_is_woken_within_a_second_of_a_change(crew: Crew) -> None:
    _, cursor, _ = pull_all(crew.taker)
    poke = Poke(crew.taker, cursor, 20)
    poke.start()
    assert poke.waiting()
    crew.colleague.create()
    pushed_at = time.monotonic()
    poke.join(5)
    assert poke.answer == {"status": 200, "changed": True}
    assert poke.answered_at - pushed_at < 1


def test_one_change_wakes_every_waiting_poke_within_a_second(crew: Crew) -> None:
    _, cursor, _ = pull_all(crew.taker)
    pokes = [Poke(crew.taker, cursor, 20) for _ in range(30)]
    for poke in pokes:
        poke.start()
    assert pokes[-1].waiting(others=len(pokes) - 1)
    assert all(poke.is_alive() for poke in pokes)
    crew.colleague.create()
    pushed_at = time.monotonic()
    for poke in pokes:
        poke.join(5)
    assert [poke.answer for poke in pokes] == [{"status": 200, "changed": True}] * 30
    assert max(poke.answered_at for poke in pokes) - pushed_at < 1


def test_a_poke_with_nothing_to_pull_answers_no_after_its_timeout(crew: Crew) -> None:
    _, cursor, _ = pull_all(crew.taker)
    began = time.monotonic()
    answer = crew.taker.http.get("/v1/sync/poke", params={"cursor": cursor, "timeout": 1})
    assert answer.json() == {"changed": False}
    assert 1 <= time.monotonic() - began < 2


def test_a_change_behind_a_running_transaction_is_announced_when_that_ends(
    server: Server, crew: Crew
) -> None:
    if not server.database_url.startswith("postgresql"):
        pytest.skip("SQLite writers never overlap")
    _, cursor, _ = pull_all(crew.taker)
    url = make_url(server.database_url).set(drivername="postgresql")
    with psycopg.connect(url.render_as_string(hide_password=False)) as older:
        older.execute("SELECT pg_current_xact_id()")  # a writer that began first
        poke = Poke(crew.taker, cursor, 20)
        poke.start()
        crew.colleague.create()  # committed, but not before `older` ends
        assert poke.waiting()
        older.commit()
        ended_at = time.monotonic()
    poke.join(5)
    assert poke.answer == {"status": 200, "changed": True}
    assert poke.answered_at - ended_at < 1


def test_poke_refuses_bad_input_agencies_and_strangers(
    server: Server, crew: Crew, seats: Seats
) -> None:
    for params in ({"cursor": "not a cursor"}, {"cursor": "eyJ4IjoiYSJ9"}, {"timeout": 26}):
        response = crew.taker.http.get("/v1/sync/poke", params=params)
        assert response.status_code == 422, params
        assert response.json()["error"]["code"] == "invalid_request"
    with server.client(server.login(server.user(Role.AGENCY, "S110105004"))) as agency:
        assert agency.get("/v1/sync/poke", params={"timeout": 0}).status_code == 403
    with server.client("not-a-token") as stranger:
        assert stranger.get("/v1/sync/poke", params={"timeout": 0}).status_code == 401
