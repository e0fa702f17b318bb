"""The console's copy follows the server's scope: a reset downloads it again, a case that left
it leaves the copy and is named, a download shows how far it is."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import replace
from datetime import timedelta

from sqlalchemy import insert, update

from console.central import feed
from console.domain.clock import utc_now
from console.domain.enums import Status
from console.domain.workflow import Role
from console.store.schema import Case
from console.store.server_schema import ChangeLog
from console.sync.api import Left, Link
from console.workstation.local import DATABASE_FILE
from tests.server.process import PASSWORD, Server
from tests.sync.conftest import Opener
from tests.sync.engines import QUICK, Workstation, enrol_code, wait_until
from tests.sync.faults import Fault, FaultProxy, Faults

Followed = tuple[Workstation, Workstation, str]


def _followed(centre: Server, workstations: Opener, description: str) -> Followed:
    """A call taken at one console and pulled by another; the two and the case's id."""
    taker, follower = (workstations(name) for name in ("taker", "follower"))
    for station in (taker, follower):
        station.sync.connect(centre.url, code=enrol_code(centre))
        station.sync.sign_in(centre.user(Role.CALL_TAKER), PASSWORD)
    case_id = taker.take_call(description)
    wait_until(lambda: follower.holds(case_id))
    return taker, follower, case_id


def test_a_reset_drops_the_pulled_cases_and_downloads_the_scope_again(
    centre: Server, workstations: Opener
) -> None:
    taker, follower, kept = _followed(
        centre, workstations, "来电人反映井盖松动，车辆经过响声很大。"
    )
    follower.sync.sign_out()
    stray = kept + "-gone"
    with closing(sqlite3.connect(follower.folder / DATABASE_FILE)) as db, db:
        # A pulled case the server no longer sends: it must not outlive a reset.
        db.row_factory = sqlite3.Row
        row = dict(db.execute("SELECT * FROM cases WHERE id = ?", (kept,)).fetchone())
        row.update(id=stray, case_no="2612019990001", client_id="")
        names, marks = ", ".join(row), ", ".join("?" * len(row))
        db.execute(f"INSERT INTO cases ({names}) VALUES ({marks})", list(row.values()))
    for description in ("来电人反映公交站台顶棚破损漏雨。", "来电人反映人行道地砖松动。"):
        taker.take_call(description)
    wait_until(taker.drained)
    with centre.database() as session:  # the change log is pruned past the console's cursor
        feed.prune(session, utc_now() + feed.RETENTION + timedelta(days=1))
        session.commit()

    follower.sync.sign_in(centre.user(Role.CALL_TAKER), PASSWORD)
    wait_until(lambda: not follower.holds(stray))
    assert follower.holds(kept)
    assert any(state.downloading for state in follower.states)


def test_a_case_that_leaves_the_scope_leaves_the_copy_and_is_named(
    centre: Server, workstations: Opener
) -> None:
    taker, follower, case_id = _followed(centre, workstations, "来电人反映的噪音问题已处理完毕。")
    case_no = follower.local.cases.detail(case_id).summary.case_no
    long_ago = utc_now() - feed.RECENT - timedelta(days=10)
    with centre.database() as session:  # closed long ago: no longer any console's business
        session.execute(
            update(Case)
            .where(Case.id == case_id)
            .values(status=Status.CLOSED.value, created_at=long_ago, version=Case.version + 1)
        )
        session.execute(insert(ChangeLog).values(entity="case", entity_id=case_id, at=utc_now()))
        session.commit()

    wait_until(lambda: not follower.holds(case_id))
    left = [gone for arrived in follower.arrivals for gone in arrived.left]
    assert left == [Left(case_id, case_no)]
    assert taker.holds(case_id)  # its own seat's case stays in its scope


def test_a_download_shows_how_many_cases_it_brings_from_its_first_page_and_after_a_restart(
    centre: Server, workstations: Opener
) -> None:
    taker = workstations("taker")
    taker.sync.connect(centre.url, code=enrol_code(centre))
    taker.sync.sign_in(centre.user(Role.CALL_TAKER), PASSWORD)
    for n in range(8):
        taker.take_call(f"第{n}位来电人反映小区门口路灯不亮。")
    wait_until(taker.drained)
    proxy = FaultProxy(int(centre.url.rsplit(":", 1)[1]))
    small_pages, user = replace(QUICK, page=2), centre.user(Role.CALL_TAKER)
    try:
        # A slow link: a page or two is stored before the console is closed.
        proxy.set(Faults(Fault.LATENCY, Fault.LATENCY, latency=0.3))
        first = workstations("new", small_pages, proxy.url)
        first.sync.connect(proxy.url, code=enrol_code(centre))
        first.sync.sign_in(user, PASSWORD)
        wait_until(lambda: first.local.replica.cursor() is not None)
        first.close()
        proxy.heal()
        again = workstations("new", small_pages)
        again.sync.sign_in(user, PASSWORD)
        wait_until(lambda: again.states[-1].link is Link.ONLINE)
    finally:
        proxy.close()

    with closing(sqlite3.connect(again.folder / DATABASE_FILE)) as db:
        [(cases,)] = db.execute("SELECT count(*) FROM cases")
    shown = [s.progress for s in first.states if s.downloading]
    resumed = [s.progress for s in again.states if s.downloading]
    assert shown[0] == (0, cases)
    assert resumed and all(total == cases for _, total in resumed)
    assert 0 < resumed[0][0] < cases  # it goes on from the pages stored before the restart
    assert [done for done, _ in resumed] == sorted(done for done, _ in resumed)
