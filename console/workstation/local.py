"""Open the console's own database and reference data: the composition of the core."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from console.domain.category_search import CategoryIndex
from console.domain.clock import utc_now
from console.domain.errors import ReferenceProblem
from console.domain.reference import ReferenceData
from console.paths import make_private
from console.store.db import migrate, session_factory, sqlite_engine
from console.store.reference_files import load_reference
from console.store.spelling_cache import load_spellings, save_spellings
from console.store.uow import UnitOfWork
from console.workstation.cases import CaseService
from console.workstation.clock import CentreClock
from console.workstation.context import Clock, Units
from console.workstation.drafts import DraftService
from console.workstation.history import HistoryService
from console.workstation.intake import IntakeService
from console.workstation.replica import ReplicaService
from console.workstation.setup import SetupService

DATABASE_FILE = "console.sqlite3"


@dataclass
class LocalConsole:
    """Every use case of one workstation, on its local database."""

    reference: ReferenceData
    reference_problem: ReferenceProblem | None
    categories: CategoryIndex
    setup: SetupService
    intake: IntakeService
    history: HistoryService
    cases: CaseService
    drafts: DraftService
    replica: ReplicaService
    clock: CentreClock
    _engines: tuple[Engine, Engine]

    def close(self) -> None:
        writer, reader = self._engines
        reader.dispose()
        raw = writer.raw_connection()
        try:
            # Outside any transaction, so the checkpoint can fold the whole WAL back in.
            raw.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # type: ignore[union-attr]
        finally:
            raw.close()
        writer.dispose()


def _category_index(reference: ReferenceData, data_dir: Path) -> CategoryIndex:
    known = load_spellings(data_dir)
    index = CategoryIndex(reference.categories.values(), known)
    if index.spellings() != known:
        save_spellings(data_dir, index.spellings())
    return index


def open_local(data_dir: Path, shipped_reference: Path, clock: Clock = utc_now) -> LocalConsole:
    """Create or upgrade the database in `data_dir` and load the reference data; the use
    cases stamp their work with `clock` put right by the centre's (see CentreClock)."""
    make_private(data_dir)
    path = data_dir / DATABASE_FILE
    # SQLite gives the journal and WAL files the database file's permissions.
    path.touch(mode=0o600, exist_ok=True)
    writer = sqlite_engine(path)
    migrate(writer)
    reader = sqlite_engine(path, writer=False)
    write_sessions, read_sessions = session_factory(writer), session_factory(reader)
    units = Units(lambda: UnitOfWork(write_sessions), lambda: UnitOfWork(read_sessions))
    loaded = load_reference(shipped_reference, data_dir)
    stamps = CentreClock(clock, units)
    return LocalConsole(
        reference=loaded.data,
        reference_problem=loaded.problem,
        categories=_category_index(loaded.data, data_dir),
        setup=SetupService(units),
        intake=IntakeService(units, loaded.data, stamps),
        history=HistoryService(units, stamps),
        cases=CaseService(units, loaded.data, stamps),
        drafts=DraftService(units, stamps),
        replica=ReplicaService(units, loaded.data, stamps),
        clock=stamps,
        _engines=(writer, reader),
    )
