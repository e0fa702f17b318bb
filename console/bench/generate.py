"""The benchmark's data: a console database of synthesised cases, made once per seed and size.

The schema and reference data come from `open_local`, exactly as the console makes them; the
rows are then bulk-inserted with plain sqlite3, which is what makes a million cases take
minutes rather than hours.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from console.bench.factory import CASE_COLUMNS, EVENT_COLUMNS, CaseFactory, Row
from console.bench.synth import SEATS, plan_callers, plan_times
from console.domain.numbering import case_number
from console.domain.reference import ReferenceData
from console.workstation.local import DATABASE_FILE, open_local

REFERENCE = Path(__file__).resolve().parents[2] / "resources" / "reference"
MARKER_FILE = "bench-data.json"
# Bump when the generator changes what it writes, so older data is made again.
GENERATOR_VERSION = 1
# The seat of the benchmark's own console: its daily counters carry on from the data, so the
# cases it saves get the next free numbers.
CONSOLE_SEAT = "001"
BATCH = 20_000
_PROGRESS_STEPS = 10

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Dataset:
    data_dir: Path
    cases: int
    seed: int
    samples: tuple[str, ...]  # E.164 numbers: daily, repeat and one-time callers, taking turns
    seconds: float  # how long the generation took
    reused: bool

    @property
    def database(self) -> Path:
        return self.data_dir / DATABASE_FILE


def generate(data_dir: Path, cases: int, seed: int, progress: Progress = print) -> Dataset:
    """The data in `data_dir`, made now unless the marker says it is there for `cases`/`seed`."""
    marker = _read_marker(data_dir)
    wanted = {"generator": GENERATOR_VERSION, "cases": cases, "seed": seed}
    if marker is not None and all(marker.get(k) == v for k, v in wanted.items()):
        samples, seconds = tuple(marker["samples"]), float(marker["seconds"])
        return Dataset(data_dir, cases, seed, samples, seconds, reused=True)
    progress(f"generating {cases:,} cases (seed {seed}) in {data_dir} …")
    started = time.perf_counter()
    _remove(data_dir)
    reference = _create(data_dir)
    samples = _fill(data_dir / DATABASE_FILE, reference, cases, seed, progress)
    seconds = time.perf_counter() - started
    record = {**wanted, "samples": list(samples), "seconds": round(seconds, 1),
              "generated_at": datetime.now(UTC).isoformat(timespec="seconds")}  # fmt: skip
    (data_dir / MARKER_FILE).write_text(json.dumps(record, indent=2), encoding="utf-8")
    progress(f"generated {cases:,} cases in {seconds:.0f} s")
    return Dataset(data_dir, cases, seed, samples, seconds, reused=False)


def _read_marker(data_dir: Path) -> dict[str, Any] | None:
    path = data_dir / MARKER_FILE
    if not path.is_file() or not (data_dir / DATABASE_FILE).is_file():
        return None
    try:
        marker = json.loads(path.read_text(encoding="utf-8"))
    except ValueError:
        return None
    return marker if isinstance(marker, dict) else None


def _remove(data_dir: Path) -> None:
    # The marker goes first: an interrupted generation must never look complete.
    for name in (MARKER_FILE, DATABASE_FILE, DATABASE_FILE + "-wal", DATABASE_FILE + "-shm"):
        (data_dir / name).unlink(missing_ok=True)


def _create(data_dir: Path) -> ReferenceData:
    local = open_local(data_dir, REFERENCE)
    local.close()
    return local.reference


def _fill(
    path: Path, reference: ReferenceData, cases: int, seed: int, progress: Progress
) -> tuple[str, ...]:
    started = time.perf_counter()
    rng = random.Random(seed)
    now = datetime.now(UTC)
    callers = plan_callers(rng, cases)
    numbered = _numbered(rng, plan_times(rng, cases, now))
    factory = CaseFactory(reference, rng, now)
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        indexes = _bulk_mode(conn)
        for done in _insert(conn, factory, zip(numbered, callers.phones, strict=True)):
            if done % (cases // _PROGRESS_STEPS or 1) < BATCH or done == cases:
                progress(f"  {done:,} / {cases:,} cases ({time.perf_counter() - started:.0f} s)")
        progress("  indexing …")
        _normal_mode(conn, indexes)
    # Written without syncing: flush it now rather than have the kernel's write-back of a
    # gigabyte land in the middle of the measures.
    with path.open("rb+") as file:
        os.fsync(file.fileno())
    return callers.samples


def _numbered(
    rng: random.Random, moments: Iterable[datetime]
) -> Iterator[tuple[datetime, str, str]]:
    """Each moment with a seat and its case number, the seat's sequence restarting each day."""
    sequences: dict[str, int] = {}
    day: date | None = None
    for moment in moments:
        if moment.date() != day:
            day, sequences = moment.date(), {}
        seat = rng.choice(SEATS)
        sequences[seat] = sequences.get(seat, 0) + 1
        yield moment, seat, case_number(moment.date(), seat, sequences[seat])


def _insert(
    conn: sqlite3.Connection,
    factory: CaseFactory,
    calls: Iterator[tuple[tuple[datetime, str, str], str]],
) -> Iterator[int]:
    """Insert the cases and their events in transactions of `BATCH`; yield the count so far."""
    insert_case = _insert_sql("cases", CASE_COLUMNS)
    insert_event = _insert_sql("case_events", EVENT_COLUMNS)
    done = 0
    while batch := list(itertools.islice(calls, BATCH)):
        rows: list[Row] = []
        events: list[Row] = []
        for (moment, seat, number), phone in batch:
            row, created, handled = factory.case(moment, phone, seat, number)
            rows.append(row)
            events += (created, handled)
        conn.execute("BEGIN")
        conn.executemany(insert_case, rows)
        conn.executemany(insert_event, events)
        conn.execute("COMMIT")
        done += len(batch)
        yield done


def _insert_sql(table: str, columns: tuple[str, ...]) -> str:
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"


def _bulk_mode(conn: sqlite3.Connection) -> list[str]:
    """No syncing, no WAL and no secondary indexes while loading; returns the indexes' SQL.

    Safe because a load that fails half-way has no marker and is started again from nothing.
    """
    conn.execute("PRAGMA journal_mode=MEMORY")
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA cache_size=-262144")
    conn.execute("PRAGMA temp_store=MEMORY")
    indexes = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
        " AND tbl_name IN ('cases', 'case_events')"
    ).fetchall()
    for name, _ in indexes:
        conn.execute(f'DROP INDEX "{name}"')
    return [sql for _, sql in indexes]


def _normal_mode(conn: sqlite3.Connection, indexes: list[str]) -> None:
    for sql in indexes:
        conn.execute(sql)
    conn.execute(
        "INSERT INTO daily_counters (day, last_seq)"
        " SELECT '20' || substr(case_no, 1, 6), max(CAST(substr(case_no, 10) AS INTEGER))"
        " FROM cases WHERE seat_code = ? GROUP BY substr(case_no, 1, 6)",
        (CONSOLE_SEAT,),
    )
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
