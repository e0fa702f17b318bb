"""The sync's state as the listeners see it: changed from any of the sync's threads, each change
told to every listener, outside the lock."""

from __future__ import annotations

import threading
from dataclasses import replace
from typing import Any

from console.sync.api import ArrivalListener, Arrived, StateListener, SyncState


class Publisher:
    def __init__(self, initial: SyncState) -> None:
        self._state = initial
        self._lock = threading.Lock()
        self._on_state: list[StateListener] = []
        self._on_arrived: list[ArrivalListener] = []

    def subscribe(self, on_state: StateListener, on_arrived: ArrivalListener) -> None:
        with self._lock:
            self._on_state.append(on_state)
            self._on_arrived.append(on_arrived)
            now = self._state
        on_state(now)

    @property
    def state(self) -> SyncState:
        with self._lock:
            return self._state

    def update(self, **changes: Any) -> None:
        with self._lock:
            new = replace(self._state, **changes)
            if new == self._state:
                return
            self._state = new
            listeners = list(self._on_state)
        for listener in listeners:
            listener(new)

    def arrived(self, arrived: Arrived) -> None:
        with self._lock:
            listeners = list(self._on_arrived)
        for listener in listeners:
            listener(arrived)
