"""Engines: SQLite with the durability settings a call-taker's "Saved" relies on."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.orm import Session, sessionmaker

# The head of each program's migration branch: bump with a new migration (the tests check they
# are Alembic's), so the console can skip loading Alembic at start when its database is current
# and a server instance can tell a database it cannot serve.
CONSOLE_HEAD = "c0006"
SERVER_HEAD = "s0007"


def sqlite_engine(path: Path, *, writer: bool = True) -> Engine:
    """An engine on a SQLite file in WAL mode, synchronous=FULL, foreign keys on.

    The writer's transactions take the write lock at BEGIN; a reader's take a snapshot and
    never wait for the writer (WAL).
    """
    # hide_parameters: an error's text must not carry a caller's number or words into the log.
    engine = create_engine(
        f"sqlite+pysqlite:///{path}", pool_size=2, max_overflow=2, hide_parameters=True
    )
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _begin_immediate if writer else _begin_deferred)
    return engine


def _on_connect(dbapi_conn: Any, _record: Any) -> None:
    # Leave transaction control to SQLAlchemy; pysqlite's implicit BEGIN would defer the lock.
    dbapi_conn.isolation_level = None
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _begin_deferred(conn: Any) -> None:
    conn.exec_driver_sql("BEGIN")


def _begin_immediate(conn: Any) -> None:
    # Take the write lock up front: a deferred transaction that upgrades to a write does not
    # wait on busy_timeout and fails at once if another connection holds the lock.
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        exists = conn.execute(
            text("SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'")
        ).first()
        if not exists:
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def migrate(engine: Engine) -> None:
    """Bring a console's database to the newest schema (Alembic), skipping Alembic if already
    there."""
    if current_revision(engine) == CONSOLE_HEAD:
        return
    from console.store.migrations import CONSOLE, upgrade_to_head

    upgrade_to_head(engine, CONSOLE)
