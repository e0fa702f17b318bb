"""The server benchmark's data: a PostgreSQL cluster kept in `bench-data/pg/` and a database of
synthesised cases in it, made once per size and seed and reused.

The cases are the console generator's (`CaseFactory`: appeal mix, categories, places, Chinese
descriptions, caller skew, status by age), made by one process per core and streamed into
PostgreSQL with COPY. The load runs in one transaction that first truncates the tables: with
`wal_level=minimal` PostgreSQL then writes no WAL for them and COPY FREEZE leaves the rows
frozen, so no vacuum has to rewrite ten million rows afterwards. The secondary indexes and
foreign keys are dropped before the load and built again after it, which is far cheaper than
keeping them up to date row by row.
"""

from __future__ import annotations

import itertools
import json
import multiprocessing
import os
import random
import shutil
import socket
import subprocess
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psutil  # type: ignore[import-untyped]
import psycopg

from console.bench.factory import CASE_COLUMNS, EVENT_COLUMNS, CaseFactory, Row
from console.bench.generate import REFERENCE, _numbered
from console.bench.synth import plan_callers, plan_times
from console.domain.reference import FILES, ReferenceData, parse_reference
from console.store.db import SERVER_HEAD

# Bump when the generator changes what it writes, so older data is made again.
GENERATOR_VERSION = 1
CHUNK = 20_000  # cases a worker makes at a time, and one COPY statement's rows
# What a case takes on disk with its two events, its change row and every index (measured:
# 1.8 GB a million), and the share of it wanted free on top while loading and indexing.
BYTES_PER_CASE = 1_900
DISK_MARGIN = 1.3
_PROGRESS_STEPS = 10
_LOADED = ("cases", "case_events", "change_log")
COPY_CASES = f"COPY cases ({', '.join((*CASE_COLUMNS, 'owner'))}) FROM STDIN WITH (FREEZE)"
COPY_EVENTS = f"COPY case_events ({', '.join(EVENT_COLUMNS)}) FROM STDIN WITH (FREEZE)"
# The feed holds each case's latest change, in the order the changes were made.
FILL_CHANGE_LOG = (
    "INSERT INTO change_log (entity, entity_id, at)"
    " SELECT 'case', id, updated_at FROM cases ORDER BY updated_at, id"
)
# Every seat of the data is an enrolled console whose ledger counts one mutation per case.
FILL_CONSOLES = (
    "INSERT INTO consoles (client_id, seat_code, enrolled_by, enrolled_at, last_mid)"
    " SELECT min(client_id), seat_code, 'admin', min(created_at), count(*)"
    " FROM cases GROUP BY seat_code"
)

Progress = Callable[[str], None]


class NotEnoughDisk(Exception):
    """The database would not fit on the disk: nothing was generated."""


def owner_of(seat: str) -> str:
    """The account name of the call-taker who works at `seat`: the owner of the seat's cases."""
    return f"taker{seat}"


class Cluster:
    """A PostgreSQL cluster of the benchmark's own, in `root`, on loopback.

    PostgreSQL refuses to run as root, so when the benchmark runs as root the cluster belongs
    to the `postgres` user (as in the tests). It is tuned for a dedicated 2-core database
    host, durably: fsync and synchronous commit stay on.
    """

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.data = self.root / "data"
        self._as_postgres = os.geteuid() == 0
        self.port = 0

    def start(self) -> bool:
        """Make and start the cluster unless it runs already; whether it was started now."""
        if self._running():
            self.port = self._running_port()
            return False
        if not (self.data / "PG_VERSION").is_file():
            self._init()
        self.port = _free_port()
        self._pg_ctl("-o", self._options(), "-w", "-t", "300", "-l", str(self.root / "log"),
                     "start")  # fmt: skip
        return True

    def stop(self) -> None:
        self._pg_ctl("-m", "fast", "stop")

    def conninfo(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def _init(self) -> None:
        shutil.rmtree(self.data, ignore_errors=True)
        self.root.mkdir(parents=True, exist_ok=True)
        if self._as_postgres:
            shutil.chown(self.root, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                  "--locale=C.UTF-8")  # fmt: skip

    def _options(self) -> str:
        memory_mb = psutil.virtual_memory().total // 2**20
        settings = {
            "listen_addresses": "127.0.0.1",
            "port": str(self.port),
            "unix_socket_directories": str(self.root),
            "max_connections": "300",
            # A quarter of the memory, as for a dedicated host, but at most 4 GB: the server
            # processes and the benchmark's clients share the machine.
            "shared_buffers": f"{min(memory_mb // 4, 4096)}MB",
            "effective_cache_size": f"{memory_mb // 2}MB",
            "random_page_cost": "1.1",  # SSD
            "max_wal_size": "8GB",
            # Lets the load skip WAL (see the module); pushes write WAL as with `replica`.
            "wal_level": "minimal",
            "max_wal_senders": "0",
        }
        return " ".join(f"-c {key}={value}" for key, value in settings.items())

    def _running(self) -> bool:
        if not (self.data / "postmaster.pid").is_file():
            return False
        command = self._command("pg_ctl", "-D", str(self.data), "status")
        return subprocess.run(command, capture_output=True).returncode == 0

    def _running_port(self) -> int:
        # postmaster.pid: pid, data directory, start time, port, …
        return int((self.data / "postmaster.pid").read_text().splitlines()[3])

    def _pg_ctl(self, *args: str) -> None:
        self._run("pg_ctl", "-D", str(self.data), *args)

    def _run(self, tool: str, *args: str) -> None:
        subprocess.run(self._command(tool, *args), check=True, capture_output=True)

    def _command(self, tool: str, *args: str) -> list[str]:
        command = [str(_bindir() / tool), *args]
        return ["runuser", "-u", "postgres", "--", *command] if self._as_postgres else command


def _bindir() -> Path:
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).parent
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    if not candidates:
        raise RuntimeError("PostgreSQL is not installed: ./dev bench installs it")
    return candidates[-1].parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class ServerData:
    """A generated server database, ready to be served."""

    url: str  # SQLAlchemy's, for the server
    conninfo: str  # psycopg's, for the baselines
    cases: int
    seed: int
    samples: tuple[str, ...]  # E.164 numbers: daily, repeat and one-time callers, taking turns
    seconds: float  # how long the generation took
    steps: dict[str, float]  # seconds of its slow steps: the load, each index
    reused: bool


def prepare(
    cluster: Cluster, cases: int, seed: int, progress: Progress, workers: int
) -> ServerData:
    """The database for `cases`/`seed` in the running cluster, made now unless its marker
    (written last, in the cluster's folder) says it is there and complete."""
    database = f"bench_{cases}"
    marker_path = cluster.root / f"{database}.json"
    wanted = {"generator": GENERATOR_VERSION, "cases": cases, "seed": seed}
    marker = _read_marker(marker_path)
    if marker is not None and all(marker.get(k) == v for k, v in wanted.items()):
        return _data(cluster, database, marker, reused=True)
    _check_disk(cluster.root, cases)
    progress(f"generating {cases:,} cases (seed {seed}) in PostgreSQL database {database} …")
    started = time.perf_counter()
    marker_path.unlink(missing_ok=True)  # an interrupted generation must never look complete
    _create_database(cluster, database)
    samples, steps = fill(cluster.conninfo(database), cases, seed, progress, workers)
    record = {**wanted, "samples": list(samples), "seconds": round(time.perf_counter() - started),
              "steps": steps, "schema": SERVER_HEAD,
              "generated_at": datetime.now(UTC).isoformat(timespec="seconds")}  # fmt: skip
    marker_path.write_text(json.dumps(record, indent=2), encoding="utf-8")
    progress(f"generated {cases:,} cases in {record['seconds']} s")
    return _data(cluster, database, record, reused=False)


def _check_disk(root: Path, cases: int) -> None:
    wanted = cases * BYTES_PER_CASE * DISK_MARGIN
    free = shutil.disk_usage(root).free
    if free < wanted:
        raise NotEnoughDisk(
            f"{cases:,} cases need about {wanted / 2**30:.0f} GB free in {root}, "
            f"there are {free / 2**30:.0f} GB: free some or use --quick"
        )


def _read_marker(path: Path) -> dict[str, Any] | None:
    try:
        marker = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return marker if isinstance(marker, dict) else None


def _data(cluster: Cluster, database: str, marker: dict[str, Any], reused: bool) -> ServerData:
    return ServerData(
        cluster.url(database), cluster.conninfo(database), marker["cases"], marker["seed"],
        tuple(marker["samples"]), float(marker["seconds"]), marker["steps"], reused,
    )  # fmt: skip


def _create_database(cluster: Cluster, database: str) -> None:
    from sqlalchemy import create_engine

    from console.store.migrations import SERVER, upgrade_to_head

    with psycopg.connect(cluster.conninfo(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{database}"')
    engine = create_engine(cluster.url(database))
    upgrade_to_head(engine, SERVER)
    engine.dispose()


def fill(
    conninfo: str,
    cases: int,
    seed: int,
    progress: Progress,
    workers: int = 1,
    now: datetime | None = None,
) -> tuple[tuple[str, ...], dict[str, float]]:
    """Fill a migrated, empty database with the cases of `seed` up to `now`; the sample
    callers and the seconds of each slow step."""
    now = now or datetime.now(UTC)
    rng = random.Random(seed)
    callers = plan_callers(rng, cases)
    calls = zip(_numbered(rng, plan_times(rng, cases, now)), callers.phones, strict=True)
    tasks = ((seed, now, index, chunk) for index, chunk in enumerate(_chunks(calls)))
    steps = _Steps({}, progress)
    with psycopg.connect(conninfo) as conn:
        _load(conn, tasks, cases, workers, steps)
        conn.commit()
    with psycopg.connect(conninfo, autocommit=True) as conn, steps.timed("vacuum"):
        conn.execute("VACUUM ANALYZE")
    return callers.samples, steps.seconds


def _load(
    conn: psycopg.Connection[Any],
    tasks: Iterator[tuple[Any, ...]],
    cases: int,
    workers: int,
    steps: _Steps,
) -> None:
    """Load and index in the transaction of `conn`, which the truncation opens (see module)."""
    conn.execute("SET maintenance_work_mem = '2GB'")  # the trigram indexes are built in it
    conn.execute("SET work_mem = '1GB'")
    rebuild = _drop_indexes(conn)
    conn.execute(f"TRUNCATE {', '.join(_LOADED)} CASCADE")
    with steps.timed("load"), _makers(workers) as make:
        _copy(conn, make(tasks), cases, steps.progress)
    with steps.timed("change_log"):
        conn.execute(FILL_CHANGE_LOG)
    conn.execute(FILL_CONSOLES)
    for name, sql in rebuild:
        with steps.timed(name):
            conn.execute(sql)


def _chunks(calls: Iterable[Any]) -> Iterator[list[Any]]:
    iterator = iter(calls)
    while chunk := list(itertools.islice(iterator, CHUNK)):
        yield chunk


@dataclass(frozen=True)
class _Steps:
    """The seconds of each slow step, said as each ends."""

    seconds: dict[str, float]
    progress: Progress

    @contextmanager
    def timed(self, name: str) -> Iterator[None]:
        began = time.perf_counter()
        yield
        self.seconds[name] = round(time.perf_counter() - began, 1)
        self.progress(f"  {name}: {self.seconds[name]:.0f} s")


def _drop_indexes(conn: psycopg.Connection[Any]) -> list[tuple[str, str]]:
    """Drop the loaded tables' secondary indexes, unique constraints and foreign keys; the
    statements that make them again, unique constraints first and foreign keys last."""
    tables = ", ".join(f"'{t}'::regclass" for t in _LOADED)
    constraints = conn.execute(
        f"SELECT conname, conrelid::regclass::text, pg_get_constraintdef(oid) FROM pg_constraint"
        f" WHERE contype IN ('u', 'f') AND conrelid IN ({tables}) ORDER BY conname"
    ).fetchall()
    indexes = conn.execute(
        f"SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index"
        f" WHERE indrelid IN ({tables}) AND NOT indisprimary AND NOT EXISTS"
        " (SELECT 1 FROM pg_constraint WHERE conindid = indexrelid) ORDER BY 1"
    ).fetchall()
    for name, table, _ in constraints:
        conn.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _ in indexes:
        conn.execute(f'DROP INDEX "{name}"')
    unique = [(n, f'ALTER TABLE {t} ADD CONSTRAINT "{n}" {d}') for n, t, d in constraints
              if d.startswith("UNIQUE")]  # fmt: skip
    foreign = [(n, f'ALTER TABLE {t} ADD CONSTRAINT "{n}" {d}') for n, t, d in constraints
               if not d.startswith("UNIQUE")]  # fmt: skip
    return [*unique, *indexes, *foreign]


def _copy(
    conn: psycopg.Connection[Any],
    chunks: Iterator[tuple[list[Row], list[Row]]],
    cases: int,
    progress: Progress,
) -> None:
    started = time.perf_counter()
    done = 0
    with conn.cursor() as cur:
        for rows, events in chunks:
            for sql, data in ((COPY_CASES, rows), (COPY_EVENTS, events)):
                with cur.copy(sql) as copy:
                    for row in data:
                        copy.write_row(row)
            done += len(rows)
            if done % (cases // _PROGRESS_STEPS or 1) < CHUNK or done == cases:
                seconds = time.perf_counter() - started
                progress(f"  {done:,} / {cases:,} cases ({seconds:.0f} s)")


@contextmanager
def _makers(
    workers: int,
) -> Iterator[Callable[[Iterable[tuple[Any, ...]]], Iterator[tuple[list[Row], list[Row]]]]]:
    """Something that makes the chunks in order: here, or in `workers` processes."""
    if workers <= 1:
        yield lambda tasks: (_make(*task) for task in tasks)
        return
    with multiprocessing.get_context("spawn").Pool(workers) as pool:
        yield lambda tasks: _in_order(pool, tasks, ahead=2 * workers)


def _in_order(
    pool: Any, tasks: Iterable[tuple[Any, ...]], ahead: int
) -> Iterator[tuple[list[Row], list[Row]]]:
    """The pool's results in task order, with at most `ahead` chunks made and not yet taken:
    memory stays bounded when COPY is slower than the workers."""
    pending: deque[Any] = deque()
    for task in tasks:
        pending.append(pool.apply_async(_make, task))
        if len(pending) >= ahead:
            yield pending.popleft().get()
    while pending:
        yield pending.popleft().get()


# A worker's factory, made on its first chunk: the same seed everywhere gives every worker the
# same category ranking and the same operator per seat.
_factories: dict[tuple[int, datetime], tuple[CaseFactory, random.Random]] = {}


def _make(seed: int, now: datetime, index: int, calls: list[Any]) -> tuple[list[Row], list[Row]]:
    """The case rows and event rows of one chunk, drawn from a generator seeded for the chunk:
    the data depends on the seed alone, not on which process made which chunk."""
    if (seed, now) not in _factories:
        rng = random.Random(seed)
        _factories[seed, now] = CaseFactory(_reference(), rng, now), rng
    factory, rng = _factories[seed, now]
    rng.seed(f"{seed}/{index}")
    rows: list[Row] = []
    events: list[Row] = []
    for (moment, seat, number), phone in calls:
        row, created, handled = factory.case(moment, phone, seat, number)
        rows.append((*row, owner_of(seat)))
        events += (created, handled)
    return rows, events


def _reference() -> ReferenceData:
    return parse_reference({name: (REFERENCE / name).read_text("utf-8") for name in FILES})


def database_bytes(conninfo: str) -> int:
    with psycopg.connect(conninfo) as conn:
        row = conn.execute("SELECT pg_database_size(current_database())").fetchone()
    return int(row[0]) if row else 0
