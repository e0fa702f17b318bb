"""The measures of the issue's budgets, each beside a baseline taken in the same run.

Timings of the console and of its baseline alternate sample by sample, so that a disk or CPU
hiccup lands on both rather than on one.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import TypeVar

from console.bench.describe import Describer, Place
from console.bench.generate import CONSOLE_SEAT
from console.bench.report import Figure, Result, Spec
from console.domain.category_search import CategoryIndex
from console.domain.enums import AppealType
from console.domain.intake import IntakeForm
from console.domain.reference import ReferenceData
from console.workstation.local import LocalConsole

ROOT = Path(__file__).resolve().parents[2]
START = Spec("start to a ready intake form", 1.0, "s", "median", "bare PySide6 window")
HISTORY = Spec(
    "caller history, number to rows in the model", 10.0, "ms", "median", "raw indexed query"
)
SAVE = Spec("save, key to durable commit", 10.0, "ms", "median", "bare durable commit")
SEARCH = Spec("category search per keystroke", 10.0, "ms", "max")
MEMORY = Spec("console memory", 250.0, "MB", "max", "bare PySide6 window")
START_TIMEOUT_S = 60.0
T = TypeVar("T")

_BARE_WINDOW = """
import json, resource, time
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
window = QMainWindow()
window.show()
app.processEvents()
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"ready_at": time.time(), "max_rss_kb": rss}), flush=True)
"""
# Linux carries the launching process's peak RSS over fork and exec into the child's own
# getrusage figure, and this process has held a whole generated dataset: so a fresh, small
# Python launches each child, noting the time just before it does.
_LAUNCHER = """
import json, subprocess, sys, time
print(json.dumps({"launched_at": time.time()}), flush=True)
sys.exit(subprocess.call(sys.argv[1:]))
"""
HISTORY_SQL = (
    "SELECT id, case_no, created_at, status, appeal_type, category_path, lead_agency_name,"
    " deadline_at, description FROM cases WHERE caller_phone = ?"
    " ORDER BY created_at DESC LIMIT 100"
)
# What call-takers type into the category field: Chinese, full pinyin and pinyin initials.
QUERIES = (
    "占道经营", "zhandaojingying", "zdjy", "停水", "tingshui", "gongnuan", "wy", "物业服务",
    "wuyefuwu", "噪声", "zaosheng", "违章停车", "wztc", "拖欠工资", "tuoqiangongzi", "供暖不热",
    "gnbr", "电梯", "dianti", "入学", "ruxue", "医保报销", "ybbx", "群租房", "qunzufang",
)  # fmt: skip
_SCRATCH = "bench_commit"  # the bare commits' table, dropped again after the measure
# Categories the saved cases are about: common ones that go to an agency.
SAVE_CATEGORIES = ("010101", "030101", "030401", "040103", "070101", "110102", "130103")


class MeasureFailed(Exception):
    """A measure could not be taken; the reason goes into its row of the table."""


def start_and_memory(data_dir: Path, runs: int) -> tuple[Result, Result]:
    """Start the console until its intake form is ready, `runs` times, and a bare window too."""
    console = [sys.executable, str(ROOT / "main.py"), "--data-dir", str(data_dir),
               "--seat", CONSOLE_SEAT, "--operator", "bench", "--lang", "zh_CN",
               "--quit-when-ready"]  # fmt: skip
    bare = [sys.executable, "-c", _BARE_WINDOW]
    starts: tuple[list[float], list[float]] = ([], [])
    memory: tuple[list[float], list[float]] = ([], [])
    for _ in range(runs):
        for i, command in enumerate((console, bare)):
            seconds, rss_mb = _until_ready(command)
            starts[i].append(seconds)
            memory[i].append(rss_mb)
    return (
        Result(START, Figure.of(starts[0]), Figure.of(starts[1])),
        Result(MEMORY, Figure.of(memory[0]), Figure.of(memory[1])),
    )


def _until_ready(command: list[str]) -> tuple[float, float]:
    """Seconds from launch to the ready line, and the peak RSS in MB the process reported."""
    launcher = [sys.executable, "-c", _LAUNCHER, *command]
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    pipe = subprocess.PIPE
    with subprocess.Popen(
        launcher, cwd=ROOT, env=env, stdout=pipe, stderr=pipe, text=True, start_new_session=True
    ) as process:
        try:
            out, err = process.communicate(timeout=START_TIMEOUT_S)
        except subprocess.TimeoutExpired as error:
            os.killpg(process.pid, signal.SIGKILL)  # the launcher and the child it started
            raise MeasureFailed(f"not ready within {START_TIMEOUT_S:.0f} s") from error
    lines = {key: value for line in out.splitlines() if line.startswith("{")
             for key, value in json.loads(line).items()}  # fmt: skip
    if process.returncode != 0 or "ready_at" not in lines:
        last = (err.strip().splitlines() or ["no ready line printed"])[-1]
        raise MeasureFailed(f"exit {process.returncode}: {last}")
    return lines["ready_at"] - lines["launched_at"], lines["max_rss_kb"] / 1024


def raw_history(conn: sqlite3.Connection, e164: str) -> list[tuple[object, ...]]:
    return conn.execute(HISTORY_SQL, (e164,)).fetchall()


def national(e164: str) -> str:
    """The number as a caller would say it: 13812345678, or 010 and eight digits."""
    digits = e164.removeprefix("+86")
    return digits if len(digits) == 11 else "0" + digits


@contextmanager
def scratch_table(database: Path) -> Iterator[sqlite3.Connection]:
    """A plain durable connection to the database with a table for bare commits, dropped after."""
    with closing(sqlite3.connect(database, isolation_level=None)) as conn:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute(
            f"CREATE TABLE IF NOT EXISTS {_SCRATCH} (id INTEGER PRIMARY KEY, at REAL, text TEXT)"
        )
        try:
            yield conn
        finally:
            conn.execute(f"DROP TABLE {_SCRATCH}")


def dispatch_form(local: LocalConsole, rng: random.Random) -> IntakeForm:
    """A help request as a call-taker completes it, with the suggested lead agency."""
    ref = local.reference
    category = ref.categories[rng.choice(SAVE_CATEGORIES)]
    street = rng.choice(list(ref.streets.values()))
    district = ref.districts[street.district_code]
    place = Place(district.name, street.name, "")
    text = Describer(rng).describe(AppealType.HELP, category, place, datetime.now(UTC).date())
    form = IntakeForm(caller_phone=f"139{rng.randrange(10**8):08d}", appeal_type="help",
                      category_code=category.code, district=district.name, street=street.name,
                      description=text, caller_name="王女士")  # fmt: skip
    agency = local.intake.suggest(form).agency
    if agency is None:
        raise MeasureFailed(f"no agency suggested for {category.code} in {street.name}")
    return replace(form, lead_agency_code=agency.agency.code)


def bare_commit(conn: sqlite3.Connection, payload: str) -> None:
    conn.execute("BEGIN IMMEDIATE")
    conn.execute(f"INSERT INTO {_SCRATCH} (at, text) VALUES (?, ?)", (time.time(), payload))
    conn.execute("COMMIT")


def category_search(reference: ReferenceData, repeat: int) -> Result:
    """Every prefix of every query, as typed key by key, at least once."""
    index = CategoryIndex(reference.categories.values())
    keystrokes = [query[:n] for query in QUERIES for n in range(1, len(query) + 1)]
    times: list[float] = []
    for i in range(max(repeat, len(keystrokes))):
        timed(times, partial(index.search, keystrokes[i % len(keystrokes)]))
    return Result(SEARCH, Figure.of(times))


def timed(into: list[float], call: Callable[[], T]) -> T:
    """`call()`, its wall time in milliseconds appended to `into`."""
    began = time.perf_counter_ns()
    value = call()
    into.append((time.perf_counter_ns() - began) / 1e6)
    return value
