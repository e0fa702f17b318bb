"""Waking the consoles' long polls when cases change, whichever server instance changed them.

On PostgreSQL a trigger on the change log sends NOTIFY case_changes at commit; each server
instance keeps one LISTEN connection, in a thread, and wakes its waiting polls. On SQLite (one
instance, for a try-out) a thread looks at the head of the change log twice a second instead.
A wake-up only says "look again": the poll then asks the feed itself, so a lost or early
notification costs at most a poll's timeout, never a change.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from pathlib import Path

import psycopg
from sqlalchemy import Engine, func, select
from sqlalchemy.exc import SQLAlchemyError

from console.store.db import sqlite_engine
from console.store.server_schema import ChangeLog

CHANNEL = "case_changes"
LISTEN_TICK_S = 0.5  # how soon the listening thread notices it should stop
POLL_S = 0.5  # SQLite: how often the head of the change log is looked at
RECONNECT_S = 1.0
log = logging.getLogger(__name__)


class Notifier:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._woken = asyncio.Event()
        self.generation = 0  # counts wake-ups: a poll waits for it to move past what it saw

    def start(self) -> None:
        """Start listening; called on the event loop that runs the polls."""
        self._loop = asyncio.get_running_loop()
        postgres = self._engine.dialect.name == "postgresql"
        target: Callable[[], None] = self._listen if postgres else self._poll
        self._thread = threading.Thread(target=target, name="case-changes", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    async def wait(self, seen: int, timeout: float) -> None:
        """Return once woken after `seen`, or after `timeout` seconds."""
        if self.generation != seen or timeout <= 0:
            return
        try:
            await asyncio.wait_for(self._woken.wait(), timeout)
        except TimeoutError:
            return

    def _wake(self) -> None:
        if self._loop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._bump)

    def _bump(self) -> None:
        self.generation += 1
        self._woken.set()
        self._woken = asyncio.Event()

    def _listen(self) -> None:
        args, kwargs = self._engine.dialect.create_connect_args(self._engine.url)
        while not self._stopping.is_set():
            try:
                with psycopg.connect(*args, **kwargs, autocommit=True) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    self._wake()  # whatever committed while nobody listened
                    while not self._stopping.is_set():
                        for _ in conn.notifies(timeout=LISTEN_TICK_S):
                            self._wake()
            except psycopg.Error as error:
                log.warning("listening for case changes failed: %s", type(error).__name__)
                self._stopping.wait(RECONNECT_S)

    def _poll(self) -> None:
        reader = sqlite_engine(Path(self._engine.url.database or ""), writer=False)
        head: int | None = None
        while not self._stopping.wait(POLL_S):
            try:
                with reader.connect() as conn:
                    now = conn.execute(select(func.max(ChangeLog.seq))).scalar()
            except SQLAlchemyError:
                continue  # the writer holds the database; look again next time
            if now != head:
                head = now
                self._wake()
        reader.dispose()
