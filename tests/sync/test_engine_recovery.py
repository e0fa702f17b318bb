"""The console recovers by itself: from a database restored from an older copy (mid_reused),
and from a server that asks it to come back later (503 with Retry-After)."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select, text, update

from console.domain.clock import utc_now
from console.domain.workflow import Role
from console.store.server_schema import AuthSession, Console
from console.sync.api import Enrolment, Link, Stop
from console.workstation.local import DATABASE_FILE
from tests.server.process import PASSWORD, Server
from tests.sync.conftest import Opener
from tests.sync.engines import Workstation, enrol_and_sign_in, stored, wait_until


def _back_up(folder: Path, to: Path) -> None:
    with (
        closing(sqlite3.connect(folder / DATABASE_FILE)) as db,
        closing(sqlite3.connect(to)) as copy,
    ):
        db.backup(copy)


def test_a_console_restored_from_an_older_copy_enrols_again_and_sends_everything_once(
    centre: Server, workstations: Opener, tmp_path: Path
) -> None:
    taker = centre.user(Role.CALL_TAKER)
    station = workstations("restored")
    first = enrol_and_sign_in(centre, station, taker)
    early = [station.take_call(f"第{n}位来电人反映三里屯路人行道有商贩占道经营。") for n in (1, 2)]
    wait_until(station.drained)
    _back_up(station.folder, tmp_path / "backup.sqlite3")
    later = [station.take_call(f"第{n}位来电人反映夜间占道经营噪音扰民。") for n in (3, 4)]
    wait_until(station.drained)
    station.close()
    for path in station.folder.glob(DATABASE_FILE + "*"):
        path.unlink()
    shutil.copy(tmp_path / "backup.sqlite3", station.folder / DATABASE_FILE)

    station = workstations("restored")
    after = station.take_call("恢复后受理：来电人反映小区门口路灯不亮已经一周。")
    told = station.local.cases.detail(after).summary.case_no
    station.sync.sign_in(taker, PASSWORD)
    wait_until(station.drained)

    assert stored(centre, [*early, *later, after]) == dict.fromkeys([*early, *later, after], 1)
    renewed = station.sync.enrolment
    assert renewed is not None and renewed.client_id != first.client_id
    assert renewed.seat_code == first.seat_code
    [renumbered] = station.sync.problems()
    assert (renumbered.case_no, renumbered.mutation) == (told, "case.create")
    assert renumbered.new_case_no == station.local.cases.detail(after).summary.case_no != told
    assert station.sync.state().link is Link.ONLINE


def _online(centre: Server, workstations: Opener) -> tuple[Workstation, Enrolment]:
    """A workstation enrolled, a call-taker signed in there, and its first sync done."""
    station = workstations()
    enrolled = enrol_and_sign_in(centre, station)
    wait_until(lambda: station.sync.state().link is Link.ONLINE)
    return station, enrolled


def test_a_busy_server_is_asked_again_after_the_wait_it_names(
    centre: Server, workstations: Opener
) -> None:
    station, enrolled = _online(centre, workstations)
    with centre.database() as session:  # the console's ledger stays locked: pushes answer 503
        session.execute(text("SELECT 1"))
        session.execute(
            select(Console.last_mid)
            .where(Console.client_id == enrolled.client_id)
            .with_for_update()
        )
        case_id = station.take_call()
        waited = wait_until(lambda: station.sync.state().detail.startswith("asked to wait"))
        session.rollback()
    wait_until(station.drained)
    assert waited
    assert stored(centre, [case_id]) == {case_id: 1}
    assert not any(state.link is Link.STOPPED for state in station.states)


def _sessions_of(centre: Server, client_id: str, **values: object) -> None:
    with centre.database() as session:
        session.execute(
            update(AuthSession).where(AuthSession.client_id == client_id).values(values)
        )
        session.commit()


def test_an_expired_access_token_is_refreshed_and_an_ended_session_stops_the_sync(
    centre: Server, workstations: Opener
) -> None:
    station, enrolled = _online(centre, workstations)
    _sessions_of(centre, enrolled.client_id, access_expires=utc_now() - timedelta(seconds=1))
    refreshed = station.take_call("来电人反映小区垃圾清运不及时。")
    wait_until(station.drained)
    assert stored(centre, [refreshed]) == {refreshed: 1}

    _sessions_of(centre, enrolled.client_id, revoked=True)  # ended on the server
    kept = station.take_call("来电人反映楼道灯不亮。")
    stopped = wait_until(lambda: station.sync.state().link is Link.STOPPED and station.sync.state())
    assert stopped.stopped_reason is Stop.SESSION_ENDED
    assert [case_no for _, _, case_no, _ in station.sync.waiting()] == [
        station.local.cases.detail(kept).summary.case_no
    ]
