"""A console killed with SIGKILL at any moment of its work (inside a save, just after one, while
it sends, while it pulls, while it downloads its scope, while it starts) keeps its local
database whole and every case and note the call-taker was told was saved, and once started
again it sends them all and holds what the server holds of its scope."""

from __future__ import annotations

import random
import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest
from sqlalchemy import select, update

from console.central import feed
from console.domain.clock import utc_now
from console.domain.workflow import Role
from console.store.schema import Case, CaseNoteRow
from console.store.server_schema import Account, ChangeLog
from console.workstation.local import DATABASE_FILE
from console.workstation.replica import CURSOR
from tests.server.process import PASSWORD, Server
from tests.server.seats import Seat
from tests.sync.console_process import QUICK_HASH, Launcher, Order, Run

KILLS = 100
PRELOAD = 1500  # cases on the server before the consoles start: a download of many pages
DOWNLOAD_PAGE = 50  # small pages while killed, so that a download takes many
CONVERGE_PAGE = 1000
SETTLE_TIMEOUT_S = 60.0  # for the server's last transactions to end, before a console converges
TRAFFIC_EVERY_S = 0.1  # another console's calls, so that the killed one always has a pull
PACE_S = 0.005  # between the killed console's calls
SEED = 8


@dataclass
class Tally:
    kills: Counter[str] = field(default_factory=Counter)
    integrity_failures: int = 0
    saved: set[str] = field(default_factory=set)
    noted: set[str] = field(default_factory=set)
    lost: set[str] = field(default_factory=set)


class Traffic(threading.Thread):
    """Another console of the centre taking calls the whole time."""

    def __init__(self, seat: Seat) -> None:
        super().__init__(daemon=True)
        self.seat = seat
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(TRAFFIC_EVERY_S):
            self.seat.push(*(("case.create", self.seat.new_case()) for _ in range(3)))

    def stop(self) -> None:
        self.stopped.set()
        self.join()


@pytest.fixture
def launcher() -> Iterator[Launcher]:
    started = Launcher()
    yield started
    started.close()


def _state(link: str, downloading: bool) -> Callable[[list[str]], bool]:
    def wanted(words: list[str]) -> bool:
        if words[:2] != ["state", link]:
            return False
        sending = words[3] != "0/0"
        return words[4] == "1" if downloading else sending and words[4] == "0"

    return wanted


def _saved(words: list[str]) -> bool:
    return words[0] == "saved"


def _arrived(words: list[str]) -> bool:
    return words[0] == "arrived"


def _quick_to_check(server: Server, *usernames: str) -> None:
    """Their passwords hashed at Argon2's least cost, as the consoles' verifiers are (see
    console_process): every start signs in."""
    hashed = QUICK_HASH.hash(PASSWORD)
    with server.database() as session:
        change = update(Account).where(Account.username.in_(usernames))
        session.execute(change.values(password_hash=hashed))
        session.commit()


class Killer:
    """Starts consoles and kills each at a random point of its work."""

    def __init__(self, launcher: Launcher, server: Server, folder: Path, supervisor: str) -> None:
        self.launcher, self.server, self.folder = launcher, server, folder
        self.taker = server.user(Role.CALL_TAKER)
        self.supervisor = supervisor
        _quick_to_check(server, self.taker, supervisor)
        self.rng = random.Random(SEED)
        self.tally = Tally()
        self.busy = folder / "busy"  # takes calls all the time
        self.fresh = folder / "fresh-0"  # a new workstation, downloading its scope
        self.fresh_count = 0

    def order(self, data_dir: Path, calls: int) -> Order:
        return Order(
            str(data_dir),
            self.server.url,
            self.taker,
            PASSWORD,
            calls=calls,
            pace=PACE_S,
            page=DOWNLOAD_PAGE,
            enroller=self.supervisor,
        )

    def round(self, point: str) -> None:
        downloading = point == "download"
        data_dir = self.fresh if downloading else self.busy
        run = self.launcher.start(self.order(data_dir, 0 if downloading else 1_000_000))
        if self._reached(run, point):
            self.launcher.kill(run)
        else:
            self.launcher.wait(run)
        self._take_in(run, data_dir, point)
        if run.exit_status == 0 and downloading:  # its download finished: a new one next time
            self.fresh_count += 1
            self.fresh = self.folder / f"fresh-{self.fresh_count}"

    def _reached(self, run: Run, point: str) -> bool:
        """Wait for the point, with a random delay for those that last a while."""
        until, rng = self.launcher.until, self.rng
        match point:
            case "start":
                time.sleep(rng.uniform(0, 0.6))
                return True
            case "transaction":
                reached = until(run, _saved) and until(run, _saved)
                time.sleep(rng.uniform(0, 0.004))
                return reached
            case "commit":
                return until(run, _saved) and until(run, _saved)
            case "push":
                reached = until(run, _state("syncing", downloading=False))
                time.sleep(rng.uniform(0, 0.03))
                return reached
            case "pull":
                reached = until(run, _arrived)
                time.sleep(rng.uniform(0, 0.02))
                return reached
            case _:  # a download begun, or one that goes on after a kill: pages arriving
                reached = until(run, lambda w: _arrived(w) or _state("syncing", True)(w))
                time.sleep(rng.uniform(0, 0.3))
                return reached

    def _take_in(self, run: Run, data_dir: Path, point: str) -> None:
        tally = self.tally
        if run.exit_status == -9:
            tally.kills[point] += 1
        else:
            assert run.exit_status == 0, f"the console failed: {run.lines[-3:]}"
        tally.saved.update(run.saved)
        tally.noted.update(note for _, note in run.noted)
        if not (data_dir / DATABASE_FILE).exists():  # killed before it made its database
            return
        with closing(sqlite3.connect(data_dir / DATABASE_FILE)) as db:
            if db.execute("PRAGMA integrity_check").fetchall() != [("ok",)]:
                tally.integrity_failures += 1
            if data_dir == self.busy:
                cases = {r[0] for r in db.execute("SELECT id FROM cases")}
                notes = {r[0] for r in db.execute("SELECT id FROM case_notes")}
                tally.lost |= (tally.saved - cases) | (tally.noted - notes)

    def converge(self, data_dir: Path) -> None:
        """Start the console once more and let it sync to the end, once every change the
        server committed can be pulled: a pull stops short of a change written by a
        transaction that began after one still running (a request of a console killed
        meanwhile, say), and the console would only take it with its next pull."""
        _settled(self.server)
        run = self.launcher.start(replace(self.order(data_dir, 0), page=CONVERGE_PAGE))
        assert self.launcher.wait(run) == 0, f"the console did not converge: {run.lines[-3:]}"


POINTS = ("start", "transaction", "commit", "push", "pull", "download")


@pytest.mark.slow
def test_a_console_killed_at_any_moment_loses_nothing_saved_and_converges(
    centre: Server, launcher: Launcher, tmp_path: Path
) -> None:
    supervisor = centre.user(Role.SUPERVISOR)
    others = Seat.open(centre, Role.SUPERVISOR, supervisor)
    for _ in range(PRELOAD // 100):
        others.push(*(("case.create", others.new_case()) for _ in range(100)))
    killer = Killer(launcher, centre, tmp_path, supervisor)
    traffic = Traffic(others)
    traffic.start()
    began = time.monotonic()
    try:
        while killer.tally.kills.total() < KILLS:
            killer.round(killer.rng.choice(POINTS))
    finally:
        traffic.stop()
        others.http.close()
    killed_s = time.monotonic() - began
    killer.converge(killer.busy)
    killer.converge(killer.fresh)
    tally = killer.tally

    on_server = {r[0] for r in centre.rows(select(Case.id).where(Case.id.in_(tally.saved)))}
    notes = select(CaseNoteRow.id).where(CaseNoteRow.id.in_(tally.noted))
    noted_on_server = {r[0] for r in centre.rows(notes)}
    tally.lost |= (tally.saved - on_server) | (tally.noted - noted_on_server)
    points = ",".join(f"{p}:{tally.kills[p]}" for p in POINTS)
    print(
        f"client-kills: kills={tally.kills.total()} integrity_failures={tally.integrity_failures}"
        f" lost={len(tally.lost)} saved={len(tally.saved)} notes={len(tally.noted)}"
        f" points={points} kill_s={killed_s:.0f}"
    )
    assert tally.integrity_failures == 0
    assert not tally.lost
    for data_dir in (killer.busy, killer.fresh):
        assert _pending(data_dir) == 0
        local, scope = _local_copy(data_dir), _server_copy(centre, killer.taker, data_dir)
        assert local == scope, _differences(centre, data_dir, local, scope, killer, others)


def _settled(server: Server) -> None:
    deadline = time.monotonic() + SETTLE_TIMEOUT_S
    while True:
        with server.database() as session:
            if not feed.head(session).pending:
                return
        assert time.monotonic() < deadline, "the server's changes stayed out of a pull's sight"
        time.sleep(0.05)


def _local_copy(data_dir: Path) -> set[tuple[str, int]]:
    with closing(sqlite3.connect(data_dir / DATABASE_FILE)) as db:
        return set(db.execute("SELECT id, version FROM cases"))


def _server_copy(server: Server, username: str, data_dir: Path) -> set[tuple[str, int]]:
    """(id, version) of the server's cases in the scope of the user at the console's seat: the
    server also holds cases no console of this test may keep (another test's case closed long
    ago, say), which its pulls rightly leave out."""
    viewer = feed.Viewer(username, _meta(data_dir, "seat_code") or "")
    query = select(Case.id, Case.version).where(feed.in_scope(viewer, utc_now()))
    return {(case_id, version) for case_id, version in server.rows(query)}


def _differences(
    server: Server,
    data_dir: Path,
    local: set[tuple[str, int]],
    scope: set[tuple[str, int]],
    killer: Killer,
    traffic: Seat,
) -> str:
    """Each case the console's copy and the server's scope hold differently: its versions on
    either side, which console created it, and its change rows."""
    here, there = dict(local), dict(scope)
    ids = sorted({case_id for case_id, _ in local ^ scope})
    cursor = _meta(data_dir, CURSOR)
    shown = feed.decode(cursor) if cursor else None
    lines = [f"{data_dir.name}'s copy differs from the server's in {len(ids)} case(s);"
             f" its cursor: {shown}"]  # fmt: skip
    found = select(Case.id, Case.client_id, Case.owner, Case.status, Case.created_at)
    cases = {row.id: row for row in server.rows(found.where(Case.id.in_(ids)))}
    rows = select(ChangeLog.entity_id, ChangeLog.xid, ChangeLog.seq).order_by(ChangeLog.seq)
    changes: dict[str, list[tuple[int | None, int]]] = {}
    for case_id, xid, seq in server.rows(rows.where(ChangeLog.entity_id.in_(ids))):
        changes.setdefault(case_id, []).append((xid, seq))
    for case_id in ids:
        case = cases.get(case_id)
        if case_id in killer.tally.saved:
            by = "the killed console"
        elif case is not None and case.client_id == traffic.client_id:
            by = "the other console of the centre"
        elif case is not None:
            by = f"{case.owner} on console {case.client_id}"
        else:
            by = "nobody: not on the server"
        state = f" {case.status}, created {case.created_at:%Y-%m-%d}" if case else ""
        lines.append(
            f"  {case_id}: here v{here.get(case_id)}, in the server's scope"
            f" v{there.get(case_id)}{state}, created by {by};"
            f" change rows (xid, seq) {changes.get(case_id, [])}"
        )
    return "\n".join(lines)


def _meta(data_dir: Path, key: str) -> str | None:
    with closing(sqlite3.connect(data_dir / DATABASE_FILE)) as db:
        row = db.execute("SELECT value FROM console_meta WHERE key = ?", (key,)).fetchone()
    return str(row[0]) if row else None


def _pending(data_dir: Path) -> int:
    with closing(sqlite3.connect(data_dir / DATABASE_FILE)) as db:
        [(count,)] = db.execute("SELECT count(*) FROM outbox WHERE state = 'pending'")
        return int(count)
