"""The console's sync against the central server: a new console's first download of its scope,
and the cases it took offline sent when the network is back, each with the longest stall of the
console's Qt event loop meanwhile.

The console is the real one without its window: its local database, the UI's task runner as
the writer thread the sync applies its pages on, the sync engine, and the GUI thread's event
loop running while a timer due every few milliseconds notes how late it fires. Blocking calls
(sign-in) run on a thread of their own, as the UI runs them.
"""

from __future__ import annotations

import os
import random
import sqlite3
import statistics
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import closing, contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication
from sqlalchemy import create_engine

from console.bench.measures import dispatch_form
from console.bench.report import Figure, Result, Spec
from console.bench.server_rig import (
    PASSWORD,
    PULL_ROUTE,
    USERNAME,
    Console,
    Intakes,
    MeasureFailed,
    Servers,
)
from console.central.enrolment import issue_code
from console.domain.clock import utc_now
from console.domain.intake import IntakeForm
from console.paths import REFERENCE
from console.store.db import session_factory
from console.sync import open_sync, single_writer
from console.sync.api import Link, Settings, Sync
from console.ui.memory import settle
from console.ui.tasks import TaskRunner
from console.workstation.local import DATABASE_FILE, LocalConsole, open_local

OFFLINE = Spec("10,000 cases created offline, network back → all acknowledged", 15, "s", "max")
DOWNLOAD = Spec("a new console's first download, applied locally", 20000, "changes/s", "median",
                at_least=True)  # fmt: skip
DOWNLOAD_STALL = Spec("console event loop's longest stall, that download", 50, "ms", "max")
STORM_STALL = Spec("console event loop's longest stall, a storm", 50, "ms", "max")
SPECS = (OFFLINE, DOWNLOAD, DOWNLOAD_STALL, STORM_STALL)
OFFLINE_CASES = 10_000
TICK_MS = 5
TIMEOUT_S = 600.0
STORM_BATCH = 10  # cases another console sends every STORM_EVERY_S during the flush
STORM_EVERY_S = 0.1
WATCH_EVERY_S = 0.05
_app: list[QApplication] = []  # the one QApplication of this process, kept alive


@dataclass
class StallMeter:
    """How late a timer due every TICK_MS fired, the worst time, in ms: what the user would
    have felt as a frozen window."""

    worst_ms: float = 0.0
    _last: float = 0.0

    def tick(self) -> None:
        now = time.perf_counter()
        self.worst_ms = max(self.worst_ms, (now - self._last) * 1000 - TICK_MS)
        self._last = now

    @contextmanager
    def watching(self) -> Iterator[StallMeter]:
        timer = QTimer()
        timer.setInterval(TICK_MS)
        timer.timeout.connect(self.tick)
        self._last = time.perf_counter()
        timer.start()
        try:
            yield self
        finally:
            timer.stop()


def _until(done: Callable[[], bool], what: str) -> float:
    """Run the GUI thread's event loop until `done()`; the seconds it took."""
    loop = QEventLoop()
    check = QTimer()
    check.setInterval(TICK_MS)
    began = time.perf_counter()

    def look() -> None:
        if done() or time.perf_counter() - began > TIMEOUT_S:
            loop.quit()

    check.timeout.connect(look)
    check.start()
    loop.exec()
    check.stop()
    if not done():
        raise MeasureFailed(f"{what}: not done within {TIMEOUT_S:.0f} s")
    return time.perf_counter() - began


@dataclass
class Workstation:
    """A console of the measure, with no window."""

    local: LocalConsole
    write: Callable[[Callable[[], Any]], Future[Any]]  # its writer thread
    sync: Sync
    calls: ThreadPoolExecutor  # the sync's blocking calls, off the GUI thread
    folder: Path

    @classmethod
    def connected(
        cls, folder: Path, servers: Servers, write: Callable[[Callable[[], Any]], Future[Any]]
    ) -> Workstation:
        """A new console in `folder`, connected with a code the benchmark's account issued."""
        folder.mkdir(parents=True, exist_ok=True)
        local = open_local(folder, REFERENCE)
        sync = open_sync(local, folder, write, Settings(), servers.urls[0])
        station = cls(local, write, sync, ThreadPoolExecutor(1, "sync-call"), folder)
        sync.connect(servers.urls[0], code=_enrolment_code(servers))
        return station

    def sign_in(self) -> Future[object]:
        return self.calls.submit(self.sync.sign_in, USERNAME, PASSWORD)

    def cases(self) -> int:
        return self._count("SELECT count(*) FROM cases")

    def unanswered(self) -> int:
        """Mutations of the outbox the server has not answered yet, as the database holds them
        (the sync's state counts them again only at the end of a round)."""
        return self._count("SELECT count(*) FROM outbox WHERE state = 'pending'")

    def _count(self, sql: str) -> int:
        with closing(sqlite3.connect(self.folder / DATABASE_FILE)) as db:
            return int(db.execute(sql).fetchone()[0])

    def take_calls(self, forms: list[IntakeForm]) -> None:
        """Save the calls on the writer thread, as the intake panel does, one after another."""
        operator = self.local.setup.operator()
        if operator is None:
            raise MeasureFailed("nobody at the console after signing in")
        saved = [self.write(partial(self.local.intake.submit, form, operator)) for form in forms]
        for future in saved:
            future.result()

    def close(self) -> None:
        self.sync.close()
        self.calls.shutdown(wait=True)


class TimedWrites:
    """A writer thread's submitter that keeps how long each job ran."""

    def __init__(self, submit: Callable[[Callable[[], Any]], Future[Any]]) -> None:
        self._submit = submit
        self.seconds: list[float] = []

    def __call__(self, job: Callable[[], Any]) -> Future[Any]:
        def timed() -> Any:
            began = time.perf_counter()
            try:
                return job()
            finally:
                self.seconds.append(time.perf_counter() - began)

        return self._submit(timed)


def _spread(ms: list[float]) -> str:
    """Median and max of times in ms, as the download's line prints them."""
    if not ms:
        return "n/a"
    return f"median {statistics.median(ms):.0f}, max {max(ms):.0f}"


def _caught_up(sync: Sync, signed: Future[object], since: float) -> bool:
    state = sync.state()
    synced_at = state.last_synced_at.timestamp() if state.last_synced_at else 0.0
    idle = state.link is Link.ONLINE and not state.waiting and not state.downloading
    return signed.done() and idle and synced_at >= since


def sync_client(servers: Servers, folder: Path, seed: int, offline_cases: int) -> list[Result]:
    """The download on a new console, then the flush of `offline_cases` taken after an outage
    on it and on a second console (a console numbers at most 9,999 cases a day)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if not _app:
        _app.append(QApplication([]))
    tasks, writer = TaskRunner(), single_writer()
    stations: list[Workstation] = []
    try:
        timed = TimedWrites(tasks.submit_write)
        stations.append(Workstation.connected(folder / "measured", servers, timed))
        stations.append(Workstation.connected(folder / "second", servers, writer.submit))
        settle()  # as the console does once its window and database are open
        download, download_stall = _download(stations[0], servers, timed)
        offline, storm_stall = _offline(stations, servers, seed, offline_cases)
        return [offline, download, download_stall, storm_stall]
    finally:
        for station in stations:
            station.close()
        tasks.shutdown()
        writer.shutdown(wait=True)
        for station in stations:
            station.local.close()


def _enrolment_code(servers: Servers) -> str:
    engine = create_engine(servers.database_url)
    with session_factory(engine)() as session:
        code = issue_code(session, None, 1, USERNAME, utc_now())
        session.commit()
    engine.dispose()
    return code


def _download(station: Workstation, servers: Servers, writes: TimedWrites) -> tuple[Result, Result]:
    """From signing in on a new console to its scope in the local database: changes/s."""
    logs = servers.log_sizes()
    writes.seconds.clear()
    with StallMeter().watching() as meter:
        since = time.time()
        signed = station.sign_in()
        seconds = _until(partial(_caught_up, station.sync, signed, since), "the download")
    signed.result()
    cases = station.cases()
    pages = servers.server_ms(logs, PULL_ROUTE)
    stored = [s * 1000 for s in writes.seconds]
    print(f"  download: {cases:,} cases in {seconds:.1f} s; {len(pages)} pages, the server "
          f"{_spread(pages)} ms a page; {len(stored)} writer transactions, {_spread(stored)} ms "
          f"each, {sum(stored) / 1000:.1f} s in all", flush=True)  # fmt: skip
    return (
        Result(DOWNLOAD, Figure.of([cases / seconds])),
        Result(DOWNLOAD_STALL, Figure.of([meter.worst_ms])),
    )


def _offline(
    stations: list[Workstation], servers: Servers, seed: int, count: int
) -> tuple[Result, Result]:
    """Cases taken while the consoles were signed out of the centre, as in an outage, then the
    time from signing in again to the last acknowledged, while another console sends cases the
    whole time (which these pull)."""
    second = stations[1]
    second.sign_in().result()  # once, for who is at the seat; its download waits for the flush
    for station in stations:
        station.sync.sign_out()
    rng = random.Random(seed)
    share = count // len(stations)
    with ThreadPoolExecutor(len(stations)) as pool:
        forms = [[dispatch_form(s.local, rng) for _ in range(share)] for s in stations]
        list(pool.map(Workstation.take_calls, stations, forms))
    flushed = threading.Event()

    def watch() -> None:  # reads the databases off the GUI thread, as the UI would
        while any(station.unanswered() for station in stations):
            time.sleep(WATCH_EVERY_S)
        flushed.set()

    with _storm(servers, seed), StallMeter().watching() as meter:
        signed = [station.sign_in() for station in stations]
        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        seconds = _until(flushed.is_set, "the flush")
    for future in signed:
        future.result()
    return Result(OFFLINE, Figure.of([seconds])), Result(STORM_STALL, Figure.of([meter.worst_ms]))


@contextmanager
def _storm(servers: Servers, seed: int) -> Iterator[None]:
    """Another console of the centre sending cases meanwhile."""
    other = Console.enrol(servers.urls[-1], servers)
    intakes = Intakes(seed + 1)
    stop = threading.Event()

    def send() -> None:
        while not stop.wait(STORM_EVERY_S):
            other.push(intakes.take(other.seat, STORM_BATCH))

    sender = threading.Thread(target=send, daemon=True)
    sender.start()
    try:
        yield
    finally:
        stop.set()
        sender.join()
        other.http.close()
