from __future__ import annotations

import os
import shutil
import sqlite3
import stat
from collections.abc import Iterator
from contextlib import closing
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError

from console.domain.intake import IntakeForm
from console.store.db import CONSOLE_HEAD, SERVER_HEAD, current_revision, migrate, sqlite_engine
from console.store.migrations import (
    CONSOLE,
    SERVER,
    alembic_config,
    for_this_database,
    upgrade_to_head,
)
from console.store.reference_files import LAST_GOOD_DIR
from console.store.schema import Base
from console.store.spelling_cache import CACHE_FILE
from console.workstation.context import Operator
from console.workstation.local import DATABASE_FILE, LocalConsole

if TYPE_CHECKING:
    from conftest import FakeClock, Opener, Query

TABLES = ("cases", "case_events", "case_assisting_agencies", "outbox", "daily_counters", "drafts")
# What a console's database holds: the cases, which the server holds too, and its own work.
CONSOLE_TABLES = {
    *TABLES,
    "case_notes",
    "console_meta",
    "seat_users",
    "sqlite_sequence",
    "alembic_version",
}
# A console's database as the console made it before each program had its own migrations:
# two cases saved and waiting in the outbox, a draft, every table of the server (dumped by
# sqlite3's iterdump).
SHARED_HISTORY_CONSOLE = Path(__file__).parent / "data" / "console-0004.sql"


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = sqlite_engine(tmp_path / DATABASE_FILE)
    yield engine
    engine.dispose()


@pytest.mark.parametrize("writer", [True, False])
def test_connections_use_wal_full_sync_and_foreign_keys(tmp_path: Path, writer: bool) -> None:
    engine = sqlite_engine(tmp_path / DATABASE_FILE, writer=writer)
    try:
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
    finally:
        engine.dispose()


def test_the_database_file_is_in_wal_mode(
    console: LocalConsole, query: Query, data_dir: Path
) -> None:
    assert query(data_dir, "PRAGMA journal_mode") == [("wal",)]


def test_an_event_for_a_missing_case_is_refused(engine: Engine) -> None:
    migrate(engine)
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO case_events (id, case_id, at, kind, actor, seat_code, detail) "
                "VALUES ('e1', 'no-such-case', '2026-11-30 02:00:00', 'created', 'x', '001', '')"
            )
        )


def test_each_program_knows_the_head_of_its_own_branch() -> None:
    scripts = ScriptDirectory.from_config(alembic_config())
    assert scripts.get_revision(f"{CONSOLE}@head").revision == CONSOLE_HEAD
    assert scripts.get_revision(f"{SERVER}@head").revision == SERVER_HEAD


def test_a_new_database_is_migrated_to_head(engine: Engine) -> None:
    assert current_revision(engine) is None
    migrate(engine)
    assert current_revision(engine) == CONSOLE_HEAD


def _tables(data_dir: Path) -> set[str]:
    with closing(sqlite3.connect(data_dir / DATABASE_FILE)) as conn:
        return {
            name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }


def test_a_new_console_database_holds_none_of_the_servers_tables(
    console: LocalConsole, data_dir: Path
) -> None:
    assert _tables(data_dir) == CONSOLE_TABLES


def test_a_console_database_made_before_the_split_keeps_its_work_and_sheds_the_servers_tables(
    open_console: Opener, clock: FakeClock, data_dir: Path, query: Query, complaint: IntakeForm
) -> None:
    data_dir.mkdir(mode=0o700)
    with closing(sqlite3.connect(data_dir / DATABASE_FILE)) as conn:
        conn.executescript(SHARED_HISTORY_CONSOLE.read_text(encoding="utf-8"))
    kept = sorted(CONSOLE_TABLES - {"alembic_version", "seat_users"})
    # The columns the outbox had then: later ones were added to it.
    columns = {"outbox": "mid, name, args, created_at, state"}
    read = {table: f"SELECT {columns.get(table, '*')} FROM {table}" for table in kept}
    before = {table: query(data_dir, sql) for table, sql in read.items()}
    assert query(data_dir, "SELECT version_num FROM alembic_version") == [("0004",)]

    console = open_console(data_dir)

    assert {table: query(data_dir, sql) for table, sql in read.items()} == before
    # Each waiting mutation knows its case, for the case's badge.
    assert query(data_dir, "SELECT case_id FROM outbox ORDER BY mid") == query(
        data_dir, "SELECT id FROM cases ORDER BY case_no"
    )
    assert _tables(data_dir) == CONSOLE_TABLES
    assert query(data_dir, "SELECT version_num FROM alembic_version") == [(CONSOLE_HEAD,)]
    assert query(data_dir, "PRAGMA integrity_check") == [("ok",)]
    # The console carries on where it stopped: its draft, its cases, its numbering, its outbox.
    draft = console.drafts.load()
    assert draft is not None and draft.fields["description"] == "没说完"
    operator = console.setup.operator()
    assert operator is not None and operator.seat_code == "007"
    clock.set(datetime(2026, 12, 1, 3, 0, tzinfo=UTC))
    saved = console.intake.submit(complaint, operator)
    assert saved.case_no == "2612010070003"
    assert [row[0] for row in query(data_dir, "SELECT mid FROM outbox")] == [1, 2, 3]


def test_migrating_twice_is_harmless(engine: Engine) -> None:
    migrate(engine)
    migrate(engine)
    upgrade_to_head(engine, CONSOLE)
    upgrade_to_head(engine, CONSOLE)
    assert current_revision(engine) == CONSOLE_HEAD
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM alembic_version").scalar() == 1


def test_reopening_keeps_the_cases(
    open_console: Opener, data_dir: Path, complaint: IntakeForm
) -> None:
    first = open_console(data_dir)
    operator = first.setup.configure("001", "王芳")
    saved = first.intake.submit(complaint, operator)
    first.close()
    engine = sqlite_engine(data_dir / DATABASE_FILE)
    try:
        upgrade_to_head(engine, CONSOLE)
    finally:
        engine.dispose()
    again = open_console(data_dir)
    assert again.cases.detail(saved.id).summary.case_no == saved.case_no


def test_migrated_schema_matches_the_models(engine: Engine) -> None:
    migrate(engine)
    with engine.connect() as conn:
        differences = compare_metadata(
            MigrationContext.configure(
                conn, opts={"include_object": for_this_database(conn.dialect.name, CONSOLE)}
            ),
            Base.metadata,
        )
    assert differences == []


def test_a_closed_database_file_alone_holds_every_saved_case(
    open_console: Opener, clock: FakeClock, tmp_path: Path, data_dir: Path, complaint: IntakeForm
) -> None:
    console = open_console(data_dir)
    operator = console.setup.configure("001", "王芳")
    saved = []
    for _ in range(3):
        clock.advance(minutes=1)
        saved.append(console.intake.submit(complaint, operator))
    console.close()
    # What IT copies when it backs up a workstation: the database file, not its WAL.
    copy = tmp_path / "backup"
    copy.mkdir()
    shutil.copy(data_dir / DATABASE_FILE, copy / DATABASE_FILE)
    restored = open_console(copy)
    assert [c.case_no for c in restored.cases.my_cases(operator)] == [
        s.case_no for s in reversed(saved)
    ]


def _counts(data_dir: Path) -> dict[str, int]:
    with closing(sqlite3.connect(data_dir / DATABASE_FILE)) as conn:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


def _execute(data_dir: Path, sql: str) -> None:
    with closing(sqlite3.connect(data_dir / DATABASE_FILE)) as conn:
        conn.execute(sql)
        conn.commit()


def test_a_counter_behind_the_saved_cases_numbers_the_next_call_after_them(
    console: LocalConsole,
    operator: Operator,
    complaint: IntakeForm,
    query: Query,
    data_dir: Path,
) -> None:
    first = console.intake.submit(complaint, operator)
    assert first.case_no.endswith("0001")
    # The day's counter is behind the cases here, as in a database restored from an older
    # copy whose sync has brought back the cases the seat numbered after the copy was made.
    _execute(data_dir, "UPDATE daily_counters SET last_seq = 0")

    second = console.intake.submit(replace(complaint, assisting_agency_codes=("C002",)), operator)

    assert second.case_no.endswith("0002")
    assert query(data_dir, "SELECT last_seq FROM daily_counters") == [(2,)]
    ids = {c.id for c in console.history.caller_history("13800138000").cases}
    assert ids == {first.id, second.id}


def test_a_save_failing_after_the_case_insert_writes_nothing(
    console: LocalConsole,
    operator: Operator,
    complaint: IntakeForm,
    data_dir: Path,
) -> None:
    console.intake.submit(complaint, operator)
    console.drafts.save({"description": "还没保存的工单"})
    before = _counts(data_dir)
    # The outbox is written last; make that write fail as a full disk would.
    _execute(
        data_dir,
        "CREATE TRIGGER outbox_full BEFORE INSERT ON outbox "
        "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END",
    )

    form = replace(complaint, assisting_agency_codes=("C002", "U001"))
    with pytest.raises(IntegrityError, match="disk is full"):
        console.intake.submit(form, operator)

    assert _counts(data_dir) == before
    assert console.drafts.load() is not None
    _execute(data_dir, "DROP TRIGGER outbox_full")
    # The number the failed save drew was not used up.
    assert console.intake.submit(form, operator).case_no.endswith("0002")
    assert console.drafts.load() is None


def test_the_data_folder_and_database_are_private_to_the_user(
    open_console: Opener, tmp_path: Path
) -> None:
    folder = tmp_path / "new"
    open_console(folder)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    database = folder / DATABASE_FILE
    assert stat.S_IMODE(database.stat().st_mode) == 0o600


def test_every_file_a_console_writes_is_private_whatever_the_umask(
    open_console: Opener, tmp_path: Path
) -> None:
    folder = tmp_path / "new"
    previous = os.umask(0o022)  # a process that leaves files readable by everyone
    try:
        open_console(folder)
    finally:
        os.umask(previous)
    modes = {
        p.relative_to(folder).as_posix(): stat.S_IMODE(p.stat().st_mode) for p in folder.rglob("*")
    }
    assert {CACHE_FILE, DATABASE_FILE, f"{LAST_GOOD_DIR}/categories.csv"} <= set(modes)
    assert {mode for name, mode in modes.items() if (folder / name).is_dir()} == {0o700}
    assert {mode for name, mode in modes.items() if (folder / name).is_file()} == {0o600}


def test_a_folder_made_readable_by_others_is_made_private_again(
    open_console: Opener, tmp_path: Path
) -> None:
    folder = tmp_path / "old"
    open_console(folder)
    folder.chmod(0o755)
    for path in folder.iterdir():
        path.chmod(0o644)
    open_console(folder)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert {stat.S_IMODE(p.stat().st_mode) for p in folder.iterdir() if p.is_file()} == {0o600}
