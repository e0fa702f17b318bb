"""Alembic migrations: two histories, one for each program's database.

The console's SQLite and the central server's database shared one history up to revision
0004 (``versions/``): both got every table. From there each has its own branch, whose first
revision drops the other program's tables (a new database passes through the shared history
first, so that every database, old or new, follows one path):

- ``versions/console/`` (branch ``console``): the console's database, applied at start;
- ``versions/server/`` (branch ``server``): the server's database, applied by its migrate
  command.

Where a new migration goes: a table only one program holds (marked ``only_on`` in the
schema) changes in that program's branch alone; a shared table (the cases, their events,
notes and agencies, ``console_meta``, ``daily_counters``) changes in both branches, one
revision in each. Never add to ``versions/``: its revisions are the history databases made
before the split still carry. Make a revision on the head of a branch, e.g.
``command.revision(alembic_config(CONSOLE), "what it does", head="console@head",
version_path=str(LOCATION / "versions" / CONSOLE), rev_id="c0007")``, and bump that branch's
head in ``console.store.db``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

from console.store.schema import Base

LOCATION = Path(__file__).parent

Branch = Literal["console", "server"]
CONSOLE: Branch = "console"
SERVER: Branch = "server"


def for_this_database(dialect: str, branch: Branch) -> Callable[..., bool]:
    """Alembic's `include_object`: leave out the other program's tables and what the schema
    builds only on other databases (the trigram indexes exist on PostgreSQL alone)."""

    def include(obj: Any, _name: str | None, kind: str, _reflected: bool, _other: Any) -> bool:
        table = Base.metadata.tables.get(obj.name if kind == "table" else obj.table.name)
        if table is not None and table.info.get("only_on", branch) != branch:
            return False
        only = getattr(obj, "_ddl_if", None)
        return not (kind == "index" and only is not None and only.dialect not in (None, dialect))

    return include


def alembic_config(branch: Branch | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(LOCATION))
    config.set_main_option("path_separator", "os")
    locations = [
        LOCATION / "versions",
        LOCATION / "versions" / CONSOLE,
        LOCATION / "versions" / SERVER,
    ]
    config.set_main_option("version_locations", ":".join(str(path) for path in locations))
    config.attributes["branch"] = branch
    return config


def upgrade_to_head(engine: Engine, branch: Branch) -> None:
    """Bring a database of the console or of the server to the head of its branch."""
    config = alembic_config(branch)
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, f"{branch}@head")
