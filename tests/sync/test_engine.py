"""A workstation connects to the centre, a user signs in, cases reach the server exactly once
and other consoles see them."""

from __future__ import annotations

import json
import sqlite3
import time
from contextlib import closing
from dataclasses import replace

from console.domain.workflow import Role
from console.sync.api import Link
from console.workstation.local import DATABASE_FILE
from tests.server.process import PASSWORD, Server
from tests.sync.conftest import Opener
from tests.sync.engines import QUICK, enrol_code, stored, unused_seat, wait_until
from tests.sync.faults import Fault, FaultProxy, Faults
from tests.sync.storm import port_of


def test_cases_taken_at_one_console_reach_the_server_once_and_another_console(
    centre: Server, workstations: Opener
) -> None:
    taker, supervisor = centre.user(Role.CALL_TAKER), centre.user(Role.SUPERVISOR)
    first, second = workstations("first"), workstations("second")
    # Set up standalone for the seat it is then enrolled at, as the centre's IT does.
    seat = unused_seat(centre)
    first.writer.submit(lambda: first.local.setup.configure(seat, "王芳")).result()
    before = first.take_call("联网之前受理：来电人反映小区门口积水。")
    assert (first.sync.state().link, first.sync.state().waiting) == (Link.STANDALONE, 0)
    enrolled = first.sync.connect(centre.url, code=enrol_code(centre, seat))
    assert enrolled.seat_code == seat
    assert first.sync.enrolment == enrolled
    other = second.sync.connect(centre.url, username=supervisor, password=PASSWORD)
    assert other.seat_code != enrolled.seat_code

    account = first.sync.sign_in(taker, PASSWORD)
    assert (account.username, account.offline) == (taker, False)
    assert first.operator.seat_code == enrolled.seat_code
    ids = [before] + [
        first.take_call(f"第{n}位来电人反映三里屯路人行道有商贩占道经营。") for n in (1, 2)
    ]
    wait_until(first.drained)

    with closing(sqlite3.connect(first.folder / DATABASE_FILE)) as db:
        rows = db.execute("SELECT state, result, answered_at FROM outbox ORDER BY mid").fetchall()
    assert [state for state, _, _ in rows] == ["applied"] * 3
    assert [json.loads(result)["case_id"] for _, result, _ in rows] == ids
    assert all(answered for _, _, answered in rows)
    assert stored(centre, ids) == dict.fromkeys(ids, 1)

    second.sync.sign_in(centre.user(Role.CALL_TAKER), PASSWORD)
    history = wait_until(lambda: second.local.history.caller_history("13800138000").cases)
    assert {case.id for case in history} >= set(ids)
    assert first.sync.state().link is Link.ONLINE


def test_a_case_reaches_the_consoles_following_the_centre_by_the_live_channel_or_the_long_poll(
    centre: Server, workstations: Opener
) -> None:
    # The engines' own timers are minutes away: only the live channel, or the long poll where
    # the live channel is off, brings the case in time.
    slow = replace(QUICK, poll_fallback=60.0)
    taker = workstations("taker")
    live, polling = workstations("live", slow), workstations("polling", replace(slow, live=False))
    for station in (taker, live, polling):
        station.sync.connect(centre.url, code=enrol_code(centre))
        station.sync.sign_in(centre.user(Role.CALL_TAKER), PASSWORD)
    wait_until(lambda: {s.sync.state().link for s in (live, polling)} == {Link.ONLINE})

    case_id = taker.take_call("来电人反映小区电梯停运，老人上下楼困难。")
    wait_until(lambda: live.holds(case_id) and polling.holds(case_id))
    taker.add_note(case_id, "来电人再次来电催办。")
    wait_until(lambda: len(live.local.cases.detail(case_id).notes) == 1)
    assert any(case_id in arrived.case_ids for arrived in live.arrivals)


def test_a_console_that_keeps_taking_calls_still_receives_the_centres_cases(
    centre: Server, workstations: Opener
) -> None:
    """Its outbox never empties (each push is slower than the calls come), yet each round of
    the sync pulls too: the live channel and the long poll are off and only the pull brings
    another console's case."""
    proxy = FaultProxy(port_of(centre))
    proxy.set(Faults(up=Fault.LATENCY, latency=0.05))
    busy = workstations("busy", replace(QUICK, live=False, poll_fallback=60.0, batch=5))
    other = workstations("other")
    try:
        busy.sync.connect(proxy.url, code=enrol_code(centre))
        other.sync.connect(centre.url, code=enrol_code(centre))
        busy.sync.sign_in(centre.user(Role.CALL_TAKER), PASSWORD)
        other.sync.sign_in(centre.user(Role.CALL_TAKER), PASSWORD)
        wait_until(lambda: busy.sync.state().link is Link.ONLINE)
        theirs = other.take_call("来电人反映楼道灯不亮。")
        deadline = time.monotonic() + 15.0
        while not busy.holds(theirs) and time.monotonic() < deadline:
            busy.take_call("来电人反映小区门口积水。")
        assert busy.holds(theirs)
        assert busy.sync.state().waiting > 0  # it was still sending when the case came
    finally:
        proxy.close()
