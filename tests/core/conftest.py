"""Fixtures for the core tests: real SQLite files in tmp_path, a clock the test drives."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from console.domain.intake import IntakeForm
from console.domain.reference import FILES, ReferenceData, parse_reference
from console.workstation.context import Operator
from console.workstation.local import DATABASE_FILE, LocalConsole, open_local
from tests.forms import COMPLAINT, CONSULTATION

SHIPPED = Path(__file__).resolve().parents[2] / "resources" / "reference"
# 10:00 in Beijing on 2026-11-30.
START = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)


class FakeClock:
    """A clock that stands still until the test moves it."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def set(self, moment: datetime) -> None:
        self.now = moment

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


Opener = Callable[..., LocalConsole]
Query = Callable[[Path, str], list[tuple[Any, ...]]]


@pytest.fixture(scope="session")
def shipped() -> Path:
    return SHIPPED


@pytest.fixture(scope="session")
def shipped_texts() -> dict[str, str]:
    return {name: (SHIPPED / name).read_text(encoding="utf-8") for name in FILES}


@pytest.fixture(scope="session")
def reference(shipped_texts: dict[str, str]) -> ReferenceData:
    return parse_reference(shipped_texts)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture
def make_clock() -> type[FakeClock]:
    return FakeClock


@pytest.fixture
def open_console(clock: FakeClock) -> Iterator[Opener]:
    """Open a console on a data folder (as the app does); every one is closed afterwards."""
    opened: list[LocalConsole] = []

    def open_(data_dir: Path, clock_: Callable[[], datetime] = clock) -> LocalConsole:
        console = open_local(data_dir, SHIPPED, clock=clock_)
        opened.append(console)
        return console

    yield open_
    for console in opened:
        console.close()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "console"


@pytest.fixture
def console(open_console: Opener, data_dir: Path) -> LocalConsole:
    return open_console(data_dir)


@pytest.fixture
def operator(console: LocalConsole) -> Operator:
    return console.setup.configure("001", "王芳")


@pytest.fixture
def query() -> Query:
    """Rows read straight from a console's database file, bypassing the product's code."""

    def run(data_dir: Path, sql: str) -> list[tuple[Any, ...]]:
        with closing(sqlite3.connect(data_dir / DATABASE_FILE)) as conn:
            return conn.execute(sql).fetchall()

    return run


@pytest.fixture(scope="session")
def complaint() -> IntakeForm:
    return COMPLAINT


@pytest.fixture(scope="session")
def consultation() -> IntakeForm:
    return CONSULTATION
