"""The console's sync as the GUI thread sees it: its callbacks become queued signals, and every
call that may wait on the centre or the database runs on the task runner's threads."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from PySide6.QtCore import QObject, Qt, Signal, Slot

from console.sync.api import Account, Enrolment, Link, Problem, Stop, Sync, SyncState
from console.ui.tasks import OnError, TaskRunner

T = TypeVar("T")
Waiting = list[tuple[int, str, str, datetime]]


class SyncLink(QObject):
    """Signals:
    state_changed(SyncState): the status bar's state, on the GUI thread.
    arrived(Arrived): what a pulled page or a live message changed in the local copy.
    """

    state_changed = Signal(object)
    arrived = Signal(object)
    _state_from_engine = Signal(object)
    _arrived_from_engine = Signal(object)

    def __init__(self, sync: Sync, tasks: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._sync = sync
        self._tasks = tasks
        self._state = sync.state()
        # Emitted on the engine's threads, delivered on this object's (the GUI) thread.
        queued = Qt.ConnectionType.QueuedConnection
        self._state_from_engine.connect(self._on_engine_state, queued)
        self._arrived_from_engine.connect(self.arrived, queued)
        sync.subscribe(self._state_from_engine.emit, self._arrived_from_engine.emit)

    @property
    def state(self) -> SyncState:
        return self._state

    @property
    def enrolment(self) -> Enrolment | None:
        return self._sync.enrolment

    @property
    def standalone(self) -> bool:
        return self._sync.enrolment is None

    @property
    def may_connect(self) -> bool:
        """Standalone, or retired by the centre: the workstation may be connected (again)."""
        state = self._state
        retired = state.link is Link.STOPPED and state.stopped_reason is Stop.CONSOLE_RETIRED
        return self.standalone or retired

    @Slot(object)
    def _on_engine_state(self, state: SyncState) -> None:
        self._state = state
        self.state_changed.emit(state)

    def _call(
        self, job: Callable[[], T], done: Callable[[T], None], failed: OnError | None
    ) -> None:
        self._tasks.network(job, done, failed)

    def connect_workstation(
        self,
        server_url: str,
        code: str,
        username: str,
        password: str,
        done: Callable[[Enrolment], None],
        failed: OnError,
    ) -> None:
        sync = self._sync
        self._call(lambda: sync.connect(server_url, code, username, password), done, failed)

    def sign_in(
        self, username: str, password: str, done: Callable[[Account], None], failed: OnError
    ) -> None:
        sync = self._sync
        self._call(lambda: sync.sign_in(username, password), done, failed)

    def sign_out(self, done: Callable[[None], None]) -> None:
        self._call(self._sync.sign_out, done, None)

    def waiting(self, done: Callable[[Waiting], None]) -> None:
        self._call(self._sync.waiting, done, None)

    def problems(self, done: Callable[[list[Problem]], None]) -> None:
        self._call(self._sync.problems, done, None)

    def apply_mine_again(self, mid: int, done: Callable[[None], None], failed: OnError) -> None:
        sync = self._sync
        self._call(lambda: sync.apply_mine_again(mid), done, failed)

    def keep_theirs(self, mid: int, done: Callable[[None], None], failed: OnError) -> None:
        sync = self._sync
        self._call(lambda: sync.keep_theirs(mid), done, failed)

    def nudge(self) -> None:
        if self._state.link not in (Link.STANDALONE, Link.SIGNED_OUT):
            self._call(self._sync.nudge, _ignore, None)

    def close(self) -> None:
        self._sync.close()


def _ignore(_result: object) -> None:
    pass
