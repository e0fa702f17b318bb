"""Headless consoles with their sync engine, on real local databases, for the sync tests."""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from console.central.enrolment import SEATS, issue_code
from console.domain.clock import utc_now
from console.domain.errors import NotFound
from console.domain.workflow import Role
from console.paths import REFERENCE
from console.store.schema import Case
from console.store.server_schema import Console
from console.sync import open_sync, single_writer
from console.sync.api import Arrived, Enrolment, Settings, SyncState
from console.sync.client import SyncClient
from console.workstation.context import Clock, Operator
from console.workstation.local import LocalConsole, open_local
from tests.forms import COMPLAINT
from tests.server.process import PASSWORD, Server

# Short waits, so that a test about an outage lasts seconds, not minutes.
QUICK = Settings(
    connect_timeout=1.0,
    read_timeout=10.0,
    backoff_first=0.05,
    backoff_cap=0.5,
    poll_fallback=1.0,
)


def wait_until(what: Callable[[], Any], timeout: float = 20.0) -> Any:
    """The first true value of `what()`, asked again until `timeout` seconds have passed."""
    deadline = time.monotonic() + timeout
    while True:
        found = what()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"still not so after {timeout} s: {what}")
        time.sleep(0.05)


def stored(server: Server, ids: list[str]) -> dict[str, int]:
    """How many times the server holds each of the cases `ids`."""
    query = select(Case.id, func.count()).where(Case.id.in_(ids)).group_by(Case.id)
    with server.database() as session:
        counted = {case_id: int(n) for case_id, n in session.execute(query)}
    return {case_id: counted.get(case_id, 0) for case_id in ids}


def crash(server: Server) -> None:
    """The server goes away at once, as on a power cut (start it again with start_again)."""
    server.process.kill()
    server.process.wait()


def enrol_code(server: Server, seat: str | None = None) -> str:
    """A one-time enrolment code for `seat`, else for the first free seat."""
    with server.database() as session:
        code = issue_code(session, seat, 1, "test", utc_now())
        session.commit()
    return code


def unused_seat(server: Server) -> str:
    """A seat no console of the server ever held: no case is numbered with it yet."""
    with server.database() as session:
        held = set(session.execute(select(Console.seat_code)).scalars())
    return next(seat for seat in SEATS if seat not in held)


def enrol_and_sign_in(server: Server, station: Workstation, username: str = "") -> Enrolment:
    """Enrol `station` with `server` on the first free seat and sign `username` in there (a new
    call-taker if none is named); the enrolment."""
    enrolled = station.sync.connect(server.url, code=enrol_code(server))
    station.sync.sign_in(username or server.user(Role.CALL_TAKER), PASSWORD)
    return enrolled


class Workstation:
    """A console as a call-taker's workstation runs it, without its window."""

    def __init__(
        self,
        folder: Path,
        settings: Settings = QUICK,
        server_url: str | None = None,
        clock: Clock = utc_now,
    ):
        self.folder = folder
        self.settings = settings
        self.writer: ThreadPoolExecutor = single_writer()
        self.local: LocalConsole = open_local(folder, REFERENCE, clock)
        self.sync: SyncClient = open_sync(
            self.local, folder, self.writer.submit, settings, server_url
        )
        self.states: list[SyncState] = []
        self.arrivals: list[Arrived] = []
        self.sync.subscribe(self.states.append, self.arrivals.append)

    @property
    def operator(self) -> Operator:
        found = self.local.setup.operator()
        assert found is not None
        return found

    def take_call(self, description: str = COMPLAINT.description, phone: str = "") -> str:
        """Save a complaint, as the intake screen does, and tell the sync; the case's id."""
        form = replace(
            COMPLAINT, description=description, caller_phone=phone or COMPLAINT.caller_phone
        )
        saved = self.writer.submit(lambda: self.local.intake.submit(form, self.operator)).result()
        self.sync.nudge()
        return saved.id

    def add_note(self, case_id: str, text: str) -> None:
        self.writer.submit(lambda: self.local.cases.add_note(case_id, text, self.operator)).result()
        self.sync.nudge()

    def edit(self, case_id: str, **changes: str) -> None:
        """Change fields of a case, as the case window does, and tell the sync."""
        self.writer.submit(lambda: self.local.cases.edit(case_id, changes, self.operator)).result()
        self.sync.nudge()

    def holds(self, case_id: str) -> bool:
        try:
            self.local.cases.detail(case_id)
        except NotFound:
            return False
        return True

    def drained(self) -> bool:
        return self.sync.state().waiting == 0 and not self.sync.waiting()

    def close(self) -> None:
        self.sync.close()
        self.writer.shutdown(wait=True)
        self.local.close()
