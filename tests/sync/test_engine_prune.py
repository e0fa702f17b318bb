"""A console forgets the outbox's mutations the server settled long ago, and goes on
numbering after them: with the server, and with a server that lost them since."""

from __future__ import annotations

import sqlite3
from contextlib import closing

from sqlalchemy import update

from console.domain.workflow import Role
from console.store.server_schema import Console
from console.sync.api import Enrolment, Link
from console.workstation.local import DATABASE_FILE
from tests.server.process import PASSWORD, Server
from tests.sync.conftest import Opener
from tests.sync.engines import Workstation, enrol_and_sign_in, stored, wait_until


def _outbox(station: Workstation) -> list[int]:
    with closing(sqlite3.connect(station.folder / DATABASE_FILE)) as db:
        return [mid for (mid,) in db.execute("SELECT mid FROM outbox ORDER BY mid")]


def _months_later(centre: Server, workstations: Opener) -> tuple[Workstation, Enrolment, list[str]]:
    """A console whose two cases the server answered long ago, opened again and signed in:
    the outbox forgets them at its first sync."""
    taker = centre.user(Role.CALL_TAKER)
    station = workstations("kept-long")
    enrolled = enrol_and_sign_in(centre, station, taker)
    early = [station.take_call(f"第{n}位来电人反映人行道有商贩占道经营。") for n in (1, 2)]
    wait_until(station.drained)
    station.close()
    with closing(sqlite3.connect(station.folder / DATABASE_FILE)) as db, db:
        db.execute("UPDATE outbox SET answered_at = '2000-01-01 00:00:00.000000'")

    station = workstations("kept-long")
    station.sync.sign_in(taker, PASSWORD)
    wait_until(lambda: _outbox(station) == [])
    return station, enrolled, early


def test_answers_settled_long_ago_are_forgotten_and_the_numbering_goes_on(
    centre: Server, workstations: Opener
) -> None:
    station, enrolled, early = _months_later(centre, workstations)

    later = station.take_call("来电人反映小区门口路灯不亮已经一周。")
    wait_until(station.drained)

    assert _outbox(station) == [3]
    assert stored(centre, [*early, later]) == dict.fromkeys([*early, later], 1)
    assert station.sync.enrolment == enrolled  # no number was given twice
    assert station.sync.problems() == []


def test_a_server_that_lost_forgotten_answers_gets_the_new_work_under_a_new_enrolment(
    centre: Server, workstations: Opener
) -> None:
    station, enrolled, _ = _months_later(centre, workstations)
    with centre.database() as session:  # restored from a copy older than the console's work
        session.execute(
            update(Console).where(Console.client_id == enrolled.client_id).values(last_mid=0)
        )
        session.commit()

    later = station.take_call("来电人反映小区门口路灯不亮已经一周。")
    wait_until(station.drained)

    assert stored(centre, [later]) == {later: 1}
    renewed = station.sync.enrolment
    assert renewed is not None and renewed.client_id != enrolled.client_id
    assert renewed.seat_code == enrolled.seat_code
    assert wait_until(lambda: station.sync.state().link is Link.ONLINE)
