"""Fixtures for the core tests: real SQLite files in tmp_path, a clock the test drives."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from console.domain.enums import AppealType, Handling
from console.domain.intake import IntakeForm
from console.domain.reference import FILES, ReferenceData, parse_reference
from console.workstation.context import Operator
from console.workstation.local import DATABASE_FILE, LocalConsole, open_local

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
    """A complete complaint about street vending in Sanlitun, sent to the street office."""
    return IntakeForm(
        caller_phone="13800138000",
        appeal_type=AppealType.COMPLAINT.value,
        category_code="010101",
        district="朝阳区",
        street="三里屯街道",
        community="幸福村社区",
        address="三里屯路19号南侧人行道",
        description="每天傍晚有商贩在人行道上摆摊卖水果，行人只能走到机动车道上。",
        caller_name="张先生",
        handling=Handling.DISPATCH.value,
        lead_agency_code="S110105004",
    )


@pytest.fixture(scope="session")
def consultation() -> IntakeForm:
    """A question the call-taker answers on the phone."""
    return IntakeForm(
        caller_phone="13800138000",
        appeal_type=AppealType.CONSULTATION.value,
        category_code="160301",
        description="想问一下个人所得税专项附加扣除在哪里填报。",
        handling=Handling.DIRECT_ANSWER.value,
        answer_text="可以在个人所得税App的专项附加扣除填报页面填写，也可以通过单位代为填报。",
    )
