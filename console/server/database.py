"""The server's engine: PostgreSQL by URL, or a SQLite file for a try-out."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, make_url

from console.store.db import sqlite_engine

RECYCLE_S = 1800


def server_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if not parsed.database:
            raise ValueError("a SQLite database URL needs a file: sqlite:///path/to/file")
        return sqlite_engine(Path(parsed.database))
    # hide_parameters: an error's text must not carry a caller's number or words into the log.
    # No ping before each use (a round trip on every request): a connection the database
    # dropped fails its request with 503 and the pool is emptied, and pool_recycle retires
    # connections before a firewall forgets them.
    return create_engine(
        parsed, pool_size=10, max_overflow=20, pool_recycle=RECYCLE_S, hide_parameters=True
    )


class Statements:
    """How many SQL statements the instance has sent on `engine`, for the operators (see
    /readyz): the database work of the instance, which a console following the live channel
    must not add to."""

    def __init__(self, engine: Engine) -> None:
        self.count = 0
        self._lock = threading.Lock()
        event.listen(engine, "before_cursor_execute", self._one)

    def _one(self, *_: Any) -> None:
        with self._lock:
            self.count += 1
