"""Background work with one-line calls; results come back on the GUI thread.

One thread owns every local write, so writes keep their order; reads run on another thread
with their own connection (WAL lets them proceed while a write commits). Calls that talk to
the centre have threads of their own, so a slow server never delays a local save.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal, Slot

log = logging.getLogger(__name__)
T = TypeVar("T")
OnError = Callable[[BaseException], None]
WriteSubmitter = Callable[[Callable[[], Any]], "Future[Any]"]


class TaskRunner(QObject):
    _completed = Signal(object)
    failed = Signal(object)  # an exception no caller handled

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="db-write")
        self._reader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="db-read")
        self._network = ThreadPoolExecutor(max_workers=2, thread_name_prefix="network")
        self._pending = 0
        self._completed.connect(self._on_completed)

    def write(
        self, job: Callable[[], T], on_done: Callable[[T], None], on_error: OnError | None = None
    ) -> None:
        self._submit(self._writer, job, on_done, on_error)

    def read(
        self, job: Callable[[], T], on_done: Callable[[T], None], on_error: OnError | None = None
    ) -> None:
        self._submit(self._reader, job, on_done, on_error)

    def network(
        self, job: Callable[[], T], on_done: Callable[[T], None], on_error: OnError | None = None
    ) -> None:
        """A call that may wait on the centre (or on the sync's own use of the database)."""
        self._submit(self._network, job, on_done, on_error)

    def submit_write(self, job: Callable[[], T]) -> Future[T]:
        """The writer thread for the sync: its pulled pages queue with the user's saves."""
        return self._writer.submit(job)

    @property
    def idle(self) -> bool:
        return self._pending == 0

    def shutdown(self) -> None:
        """Let queued writes finish: a draft or a note the user saw as saved must land."""
        self._network.shutdown(wait=True, cancel_futures=True)
        self._writer.shutdown(wait=True)
        self._reader.shutdown(wait=True, cancel_futures=True)

    def _submit(
        self,
        pool: ThreadPoolExecutor,
        job: Callable[[], T],
        on_done: Callable[[T], None],
        on_error: OnError | None,
    ) -> None:
        self._pending += 1
        future = pool.submit(job)

        def finish(done: Future[T]) -> None:
            # Runs on the worker thread: hand a closure to the GUI thread by queued signal.
            self._completed.emit(lambda: self._deliver(done, on_done, on_error))

        future.add_done_callback(finish)

    def _deliver(
        self, done: Future[Any], on_done: Callable[[Any], None], on_error: OnError | None
    ) -> None:
        self._pending -= 1
        if done.cancelled():  # a read or a call dropped at shutdown: nobody waits for it any more
            return
        error = done.exception()
        if error is None:
            on_done(done.result())
        elif on_error is not None:
            on_error(error)
        else:
            log.error("background task failed", exc_info=error)
            self.failed.emit(error)

    @Slot(object)
    def _on_completed(self, closure: Callable[[], None]) -> None:
        closure()
