"""An outage storm: consoles taking calls while their network fails, the server is killed and
the database restarts, then every case counted on both sides.

Each console is a real sync engine on its own SQLite database, signed in with its own user,
talking through its own fault proxy to one or two server instances on PostgreSQL. While its
call-taker types cases and notes, outages come at random: the link black-holed one way or the
other, connections reset, answers delayed, answers dropped after the server committed. Then
the network heals, and the storm checks what a centre would:

- lost: a case or note a call-taker saw saved that the server does not hold;
- duplicated: a case or note the server holds more than once (by id, by case number);
- every console's ledger contiguous: the server's last number for it is the console's last,
  and every outbox row has its answer;
- every outbox drained within a minute of the last fault;
- then every console's copy of its scope equal to the server's (within four more minutes:
  consoles cut off for long pull many thousands of others' cases once back).

Run a larger storm outside the tests with `python -m tests.sync.storm --help`.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing, contextmanager
from dataclasses import dataclass, field, replace
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from console.domain.clock import utc_now
from console.domain.workflow import Role
from console.store.schema import Case, CaseNoteRow
from console.store.server_schema import Console
from console.sync.api import EnrolRefused, Settings, SignInRefused
from console.workstation.local import DATABASE_FILE
from tests.forms import COMPLAINT, CONSULTATION
from tests.postgres import Cluster
from tests.server.process import PASSWORD, Server, start_server
from tests.sync.engines import Workstation, enrol_code
from tests.sync.faults import Fault, FaultProxy, Faults

# Short enough that a black hole is noticed and a healed link used within a second or two.
STORMY = Settings(
    connect_timeout=1.0, read_timeout=2.0, backoff_first=0.05, backoff_cap=1.0, poll_fallback=1.0
)
CATCH_UP_S = 240.0  # after the outboxes drained, for the copies to converge
SETUP_PATIENCE = 60.0  # seconds a console tries to enrol and sign in before the storm
OUTAGES: tuple[Faults, ...] = (
    Faults(up=Fault.BLACKHOLE),  # the request never arrives
    Faults(down=Fault.BLACKHOLE),  # the server acts, the answer never comes
    Faults(up=Fault.RESET),
    Faults(up=Fault.LATENCY, down=Fault.LATENCY, latency=0.4),
    Faults(down=Fault.DROP),  # the answer dropped after the server committed
    Faults(down=Fault.CUT),  # the answer broken off midway
)


@dataclass(frozen=True)
class Plan:
    consoles: int = 3
    cases: int = 1500  # across all consoles
    outages: int = 30
    seconds: float = 25.0  # how long the call-takers type, the outages spread over it
    note_every: int = 4  # a note after every few cases, on one of the console's own
    kills: int = 1  # server instances killed with SIGKILL (and started again)
    database_restarts: int = 1
    instances: int = 2
    skews: tuple[timedelta, ...] = (timedelta(0),)
    seed: int = 12345
    patience: float = 60.0  # seconds after the last fault for the outboxes to drain
    settings: Settings = field(default_factory=lambda: STORMY)


@dataclass
class Outcome:
    cases: int = 0
    notes: int = 0
    faults: int = 0  # outages of links, server instances killed, database restarts
    kills: int = 0
    database_restarts: int = 0
    dropped: int = 0  # answers dropped after the server acted (ambiguous commits)
    lost: int = 0
    duplicated: int = 0
    renumbered: int = 0  # a saved case the server holds under another number
    conflicts: int = 0
    rejected: int = 0
    broken_ledgers: list[str] = field(default_factory=list)
    diverged: list[str] = field(default_factory=list)
    drain_s: float | None = None  # None: not drained within the limit
    converge_s: float | None = None

    @property
    def ok(self) -> bool:
        return (
            self.lost == 0
            and self.duplicated == 0
            and self.renumbered == 0
            and not self.broken_ledgers
            and not self.diverged
            and self.drain_s is not None
            and self.converge_s is not None
        )

    def summary(self) -> str:
        return (
            f"storm: cases={self.cases} faults={self.faults} lost={self.lost}"
            f" duplicated={self.duplicated} conflicts={self.conflicts}"
            f" converge_s={_seconds(self.converge_s)} drain_s={_seconds(self.drain_s)}"
            f" notes={self.notes} server_kills={self.kills}"
            f" database_restarts={self.database_restarts} answers_dropped={self.dropped}"
            f" renumbered={self.renumbered} rejected={self.rejected}"
            f" ledgers_broken={len(self.broken_ledgers)} diverged={len(self.diverged)}"
        )


def _seconds(value: float | None) -> str:
    return "never" if value is None else f"{value:.1f}"


def port_of(server: Server) -> int:
    return int(server.url.rsplit(":", 1)[1])


class Centre:
    """The server side: PostgreSQL and the server instances the consoles' proxies reach."""

    def __init__(self, cluster: Cluster, database_url: str, folder: Path, instances: int) -> None:
        self.cluster, self.database_url, self.folder = cluster, database_url, folder
        self.proxies: list[FaultProxy] = []
        self.starts = 0
        self.instances = [self._start() for _ in range(instances)]

    def _start(self) -> Server:
        self.starts += 1
        folder = self.folder / f"instance-{self.starts}"
        folder.mkdir(parents=True)
        return start_server(self.database_url, folder)

    @property
    def any(self) -> Server:
        return self.instances[0]

    def proxy(self) -> FaultProxy:
        opened = FaultProxy(*(port_of(s) for s in self.instances))
        self.proxies.append(opened)
        return opened

    def kill(self, which: int) -> None:
        """SIGKILL an instance and start another in its place (on another port)."""
        victim = self.instances[which]
        victim.process.kill()
        victim.process.wait()
        self.instances[which] = self._start()
        for proxy in self.proxies:
            proxy.retarget(*(port_of(s) for s in self.instances))

    def restart_database(self, down_for: float) -> None:
        """PostgreSQL crashes, stays down `down_for` seconds, and recovers."""
        self.cluster.crash()
        time.sleep(down_for)
        self.cluster.start()

    def close(self) -> None:
        for proxy in self.proxies:
            proxy.close()
        for server in self.instances:
            server.stop()


@dataclass(frozen=True)
class Copy:
    """A case as a console or the server holds it, for comparing the two."""

    case_no: str
    version: int
    status: str
    owner: str
    description: str
    notes: frozenset[str]


class StormConsole(Workstation):
    """A headless workstation behind its own proxy, enrolled, its own user signed in; what its
    call-taker was told was saved.

    The storm's timeouts are short: on a busy machine the server's answer to the enrolment or
    the first sign-in can come too late. The console is then told the centre cannot be
    reached, and is set up as its user would: trying again, with the same code."""

    def __init__(self, centre: Centre, folder: Path, skew: timedelta, settings: Settings) -> None:
        self.proxy = centre.proxy()
        super().__init__(folder, settings, self.proxy.url, lambda: utc_now() + skew)
        code, user = enrol_code(centre.any), centre.any.user(Role.CALL_TAKER)
        deadline = time.monotonic() + SETUP_PATIENCE
        while not self._set_up(code, user, time.monotonic() > deadline):
            time.sleep(settings.backoff_cap)
        self.saved: dict[str, str] = {}  # case id: case number, as the call-taker was told
        self.notes: set[str] = set()

    def _set_up(self, code: str, user: str, last_try: bool) -> bool:
        """Enrolled and signed in; False if the centre did not answer in time."""
        try:
            if self.sync.enrolment is None:
                self.sync.connect(self.proxy.url, code=code)
            self.sync.sign_in(user, PASSWORD)
        except (EnrolRefused, SignInRefused) as refused:
            if last_try or refused.reason not in ("unreachable", "unknown_here_offline"):
                raise
            return False
        return True

    @property
    def client_id(self) -> str:
        enrolment = self.sync.enrolment
        assert enrolment is not None
        return enrolment.client_id

    def call(self, n: int) -> None:
        """The `n`th call: a complaint, or now and then a question answered on the phone."""
        form = COMPLAINT if n % 3 else CONSULTATION
        form = replace(form, description=f"{form.description}（第{n}次来电）")
        saved = self.writer.submit(self.local.intake.submit, form, self.operator).result()
        self.saved[saved.id] = saved.case_no
        self.sync.nudge()

    def note(self, case_id: str, n: int) -> None:
        text = f"来电人第{n}次催办，希望尽快处理。"
        note = self.writer.submit(self.local.cases.add_note, case_id, text, self.operator)
        self.notes.add(note.result().id)
        self.sync.nudge()

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        uri = f"file:{self.folder / DATABASE_FILE}?mode=ro"
        with closing(sqlite3.connect(uri, uri=True)) as db:
            yield db

    def outbox(self) -> tuple[int, int, dict[str, int]]:
        """The last mid, how many are still unanswered, and the answers counted by kind."""
        with self._db() as db:
            [(last,)] = db.execute("SELECT coalesce(max(mid), 0) FROM outbox")
            states = dict(db.execute("SELECT state, count(*) FROM outbox GROUP BY state"))
        return int(last), int(states.pop("pending", 0)), states

    def copy(self) -> dict[str, Copy]:
        with self._db() as db:
            notes: dict[str, set[str]] = {}
            for note_id, case_id in db.execute("SELECT id, case_id FROM case_notes"):
                notes.setdefault(case_id, set()).add(note_id)
            rows = db.execute(
                "SELECT id, case_no, version, status, owner, description FROM cases"
            ).fetchall()
        return {
            r[0]: Copy(r[1], r[2], r[3], r[4], r[5], frozenset(notes.get(r[0], ()))) for r in rows
        }

    def close(self) -> None:
        super().close()
        self.proxy.close()


def server_copy(server: Server) -> dict[str, Copy]:
    notes: dict[str, set[str]] = {}
    columns = (Case.id, Case.case_no, Case.version, Case.status, Case.owner, Case.description)
    with server.database() as session:
        for note_id, case_id in session.execute(select(CaseNoteRow.id, CaseNoteRow.case_id)):
            notes.setdefault(case_id, set()).add(note_id)
        rows = session.execute(select(*columns)).all()
    return {r[0]: Copy(r[1], r[2], r[3], r[4], r[5], frozenset(notes.get(r[0], ()))) for r in rows}


class Chaos(threading.Thread):
    """Outages at random over the consoles' links, and the planned server-side faults."""

    def __init__(self, plan: Plan, centre: Centre, consoles: list[StormConsole]) -> None:
        super().__init__(name="chaos", daemon=True)
        self.plan, self.centre, self.consoles = plan, centre, consoles
        self.random = random.Random(plan.seed)
        self.faults = self.kills = self.database_restarts = 0
        self.cut_off = threading.Event()  # the last outage began: the last calls may come
        self.typed = threading.Event()  # the call-takers are done
        self.halt = threading.Event()  # the storm failed or was interrupted: stop now
        self.last_healed = time.monotonic()
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self._storm()
        except BaseException as error:  # reported by the storm, which then fails
            self.error = error
        finally:
            self.cut_off.set()  # (when it failed, so that nobody waits for it)
            self.typed.set()
            for console in self.consoles:
                console.proxy.heal()
            self.last_healed = time.monotonic()
            self.faults += self.kills + self.database_restarts

    def _storm(self) -> None:
        plan, pick = self.plan, self.random
        slot = plan.seconds / max(plan.outages, 1)
        server_faults = sorted(
            pick.sample(range(plan.outages), min(plan.outages, plan.kills + plan.database_restarts))
        )
        kills_at = set(server_faults[: plan.kills])
        for n in range(plan.outages):
            if self.halt.is_set():
                return
            hit = pick.sample(self.consoles, pick.randint(1, len(self.consoles)))
            faults = pick.choice(OUTAGES)
            for console in hit:
                console.proxy.set(faults)
            self.faults += 1
            time.sleep(pick.uniform(0.3, 0.8) * slot)
            if n in kills_at:
                self.centre.kill(pick.randrange(len(self.centre.instances)))
                self.kills += 1
            elif n in server_faults:
                self.centre.restart_database(pick.uniform(0.5, 2.0))
                self.database_restarts += 1
            for console in hit:
                console.proxy.heal()
            time.sleep(pick.uniform(0.2, 0.7) * slot)
        # The last outage cuts the whole centre off while the last calls are taken, so the
        # consoles have work waiting when the network comes back.
        for console in self.consoles:
            console.proxy.set(Faults(up=Fault.BLACKHOLE))
        self.faults += 1
        self.cut_off.set()
        self.typed.wait()


def type_calls(plan: Plan, console: StormConsole, count: int, seed: int, chaos: Chaos) -> None:
    """A call-taker: `count` cases over the storm, a note now and then; the last few once the
    centre is cut off."""
    pick = random.Random(seed)
    pace = plan.seconds / max(count, 1)
    last_few = count - max(1, count // 20)
    started = time.monotonic()
    for n in range(1, count + 1):
        if n == last_few:
            chaos.cut_off.wait()
        if chaos.halt.is_set():
            return
        console.call(n)
        if n % plan.note_every == 0:
            console.note(pick.choice(list(console.saved)), n)
        ahead = started + n * pace - time.monotonic()
        if ahead > 0:
            time.sleep(ahead)


def storm(plan: Plan, cluster: Cluster, database_url: str, folder: Path) -> Outcome:
    centre = Centre(cluster, database_url, folder, plan.instances)
    consoles: list[StormConsole] = []
    try:
        for i in range(plan.consoles):
            skew = plan.skews[i % len(plan.skews)]
            consoles.append(StormConsole(centre, folder / f"console-{i}", skew, plan.settings))
        chaos = Chaos(plan, centre, consoles)
        per_console = [plan.cases // plan.consoles] * plan.consoles
        per_console[0] += plan.cases - sum(per_console)
        with ThreadPoolExecutor(plan.consoles, thread_name_prefix="call-taker") as typists:
            chaos.start()
            typed = [
                typists.submit(type_calls, plan, c, n, plan.seed + i, chaos)
                for i, (c, n) in enumerate(zip(consoles, per_console, strict=True))
            ]
            try:
                for done in typed:
                    done.result()
            except BaseException:
                chaos.halt.set()
                raise
            finally:
                chaos.typed.set()
        chaos.join()
        if chaos.error is not None:
            raise chaos.error
        outcome = settle(centre, consoles, chaos.last_healed, plan.patience)
        outcome.faults, outcome.kills = chaos.faults, chaos.kills
        outcome.database_restarts = chaos.database_restarts
        outcome.dropped = sum(c.proxy.dropped for c in consoles)
        return outcome
    finally:
        for console in consoles:
            console.close()
        centre.close()


def settle(
    centre: Centre, consoles: list[StormConsole], healed: float, limit: float = 60.0
) -> Outcome:
    """Wait for the outboxes to drain, within `limit` seconds of `healed`, and the copies to
    converge, within CATCH_UP_S more: a console cut off for long has thousands of others'
    cases to pull once it has sent its own. Then count."""
    outcome = Outcome()
    deadline = healed + limit
    while time.monotonic() < deadline:
        if outcome.drain_s is None and all(c.outbox()[1] == 0 for c in consoles):
            outcome.drain_s = time.monotonic() - healed
            deadline = healed + limit + CATCH_UP_S
        if outcome.drain_s is not None:
            held = server_copy(centre.any)
            if all(c.copy() == held for c in consoles):
                outcome.converge_s = time.monotonic() - healed
                break
        time.sleep(0.25)
    count(centre, consoles, outcome)
    return outcome


def count(centre: Centre, consoles: list[StormConsole], outcome: Outcome) -> None:
    """Lost and duplicated, by id and by case number, among the storm consoles' cases; their
    ledgers; their copies against the server's."""
    held = server_copy(centre.any)
    ours = {c.client_id for c in consoles}
    with centre.any.database() as session:
        cases = session.execute(select(Case.id, Case.client_id))
        theirs = {i for i, by in cases if by in ours and i in held}  # (held: read just before)
        ledgers = {
            by: int(last)
            for by, last in session.execute(select(Console.client_id, Console.last_mid))
        }
    saved = {case_id: no for c in consoles for case_id, no in c.saved.items()}
    notes = set().union(*(c.notes for c in consoles))
    held_notes = [n for case_id in theirs for n in held[case_id].notes]
    outcome.cases, outcome.notes = len(saved), len(notes)
    outcome.lost = len(set(saved) - theirs) + len(notes - set(held_notes))
    outcome.duplicated = len(theirs - set(saved)) + len(held_notes) - len(set(held_notes) & notes)
    outcome.renumbered = sum(1 for i, no in saved.items() if i in held and held[i].case_no != no)
    for console in consoles:
        last, pending, answers = console.outbox()
        outcome.conflicts += answers.get("conflict", 0)
        outcome.rejected += answers.get("rejected", 0)
        if pending or ledgers.get(console.client_id) != last:
            outcome.broken_ledgers.append(
                f"{console.client_id}: console last={last} pending={pending},"
                f" server last={ledgers.get(console.client_id)}"
            )
        mine = console.copy()
        if mine != held:
            both = set(held) & set(mine)
            outcome.diverged.append(
                f"{console.client_id}: {len(set(held) - set(mine))} missing,"
                f" {sum(1 for k in both if held[k] != mine[k])} differ,"
                f" {len(set(mine) - set(held))} not on the server"
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.sync.storm",
        description="An outage storm on a PostgreSQL cluster of its own; prints one summary line.",
    )
    parser.add_argument("--consoles", type=int, default=10)
    parser.add_argument("--cases", type=int, default=50_000)
    parser.add_argument("--outages", type=int, default=500)
    parser.add_argument("--seconds", type=float, default=600.0, help="how long typing lasts")
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--database-restarts", type=int, default=2)
    parser.add_argument("--seed", type=int, default=12345)
    parser.add_argument(
        "--keep", type=Path, help="keep the consoles' folders and the server logs here"
    )
    args = parser.parse_args(argv)
    plan = Plan(
        consoles=args.consoles,
        cases=args.cases,
        outages=args.outages,
        seconds=args.seconds,
        kills=args.kills,
        database_restarts=args.database_restarts,
        seed=args.seed,
    )
    cluster = Cluster()
    try:
        url = cluster.url(cluster.create_database())
        if args.keep:
            outcome = storm(plan, cluster, url, args.keep)
        else:
            with tempfile.TemporaryDirectory(prefix="storm-") as folder:
                outcome = storm(plan, cluster, url, Path(folder))
    finally:
        cluster.stop()
    print(outcome.summary())
    for line in outcome.broken_ledgers + outcome.diverged:
        print("  " + line)
    return 0 if outcome.ok else 1


if __name__ == "__main__":
    sys.exit(main())
