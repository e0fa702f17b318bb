"""Waking the consoles' long polls when cases change, whichever server instance changed them.

On PostgreSQL a trigger on the change log sends NOTIFY case_changes at commit; each server
instance keeps one LISTEN connection, in a thread, and on each notification reads where the
feed stands (its head) once, for every poll it holds: the polls compare their cursors with it
in memory, so a change costs an instance two small queries however many consoles wait. While
rows are committed behind a transaction still running, the head is read again every 0.1 s.
On SQLite (one instance, for a try-out) the thread reads the head twice a second instead. A
lost notification delays a poll until the next one or its timeout, never loses a change: the
pull itself reads the feed.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from pathlib import Path

import psycopg
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from console.central import feed
from console.store.db import sqlite_engine

CHANNEL = "case_changes"
LISTEN_TICK_S = 0.5  # how soon the listening thread notices it should stop
PENDING_RECHECK_S = 0.1  # a change waits only for an older transaction to end: look soon
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
        self.generation = 0  # counts moves of the head: a poll waits for it to pass what it saw
        self.head: feed.Head | None = None  # None until first read
        self.waiting = 0  # polls parked now, for the operators (see /readyz)
        self._listeners: list[Callable[[feed.Head], None]] = []

    def listen(self, listener: Callable[[feed.Head], None]) -> None:
        """Call `listener` on the event loop with the feed's head each time it moves (the live
        channel follows it)."""
        self._listeners.append(listener)

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
        self.waiting += 1
        try:
            await asyncio.wait_for(self._woken.wait(), timeout)
        except TimeoutError:
            return
        finally:
            self.waiting -= 1

    def _read_head(self, engine: Engine) -> None:
        """Read where the feed stands and, if it moved, wake the polls."""
        try:
            with Session(engine) as session:
                now = feed.head(session)
        except SQLAlchemyError as error:
            log.warning("reading the feed's head failed: %s", type(error).__name__)
            return
        if now != self.head and self._loop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._moved, now)

    def _moved(self, now: feed.Head) -> None:
        self.head = now
        self.generation += 1
        self._woken.set()
        self._woken = asyncio.Event()
        for listener in self._listeners:
            listener(now)

    def _listen(self) -> None:
        args, kwargs = self._engine.dialect.create_connect_args(self._engine.url)
        while not self._stopping.is_set():
            try:
                with psycopg.connect(*args, **kwargs, autocommit=True) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    self._read_head(self._engine)  # whatever committed while nobody listened
                    while not self._stopping.is_set():
                        pending = self.head is not None and self.head.pending
                        tick = PENDING_RECHECK_S if pending else LISTEN_TICK_S
                        notified = any(True for _ in conn.notifies(timeout=tick, stop_after=1))
                        if notified or pending:
                            self._read_head(self._engine)
            except psycopg.Error as error:
                log.warning("listening for case changes failed: %s", type(error).__name__)
                self._stopping.wait(RECONNECT_S)

    def _poll(self) -> None:
        reader = sqlite_engine(Path(self._engine.url.database or ""), writer=False)
        self._read_head(reader)
        while not self._stopping.wait(POLL_S):
            self._read_head(reader)
        reader.dispose()
