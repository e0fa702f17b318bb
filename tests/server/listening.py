"""Consoles following the live channel in the server tests, with the console's own follower."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import httpx
import requests

from console.sync.live import Behind, Changes, Live, LiveEvent
from tests.server.process import Server
from tests.server.seats import Seat, named, pull_all


class Listener(threading.Thread):
    """A console's live stream from `cursor`, read by `console.sync.live` in a thread."""

    def __init__(self, server: Server, token: str, cursor: str, read_timeout: float = 30.0) -> None:
        super().__init__(daemon=True)
        self.cursor = cursor
        self.session = requests.Session()
        self.live = Live(self.session, server.url, token, cursor, 5.0, read_timeout)
        self.events: list[LiveEvent] = []
        self.error: Exception | None = None
        self.ended_at = 0.0

    @classmethod
    def of(cls, seat: Seat, server: Server | None = None) -> Listener:
        """`seat`'s console, caught up by pull, following the channel of `server` (its own by
        default), connected."""
        _, cursor, _ = pull_all(seat)
        listener = cls(server or seat.server, token(seat), cursor)
        listener.start()
        return listener

    def run(self) -> None:
        try:
            for event in self.live:
                self.events.append(event)
        except Exception as error:  # what the console's engine would see
            self.error = error
        finally:
            self.ended_at = time.monotonic()
            self.session.close()

    def changes(self) -> list[dict[str, Any]]:
        """Every change received, each upsert's values named."""
        return [c for e in self.events if isinstance(e, Changes) for c in named(e.page)["changes"]]

    def of_case(self, case_id: str) -> list[dict[str, Any]]:
        return [c for c in self.changes() if c["id"] == case_id]

    def receives(self, *case_ids: str) -> bool:
        """Whether a change of each of the cases comes within 10 s."""
        return self.until(lambda: all(self.of_case(case_id) for case_id in case_ids))

    def behind(self) -> list[str]:
        return [e.reason for e in self.events if isinstance(e, Behind)]

    def until(self, condition: Callable[[], object], timeout: float = 10.0) -> bool:
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                return False
            time.sleep(0.02)
        return True

    def close(self) -> None:
        self.live.close()
        self.join(5)


def token(seat: Seat) -> str:
    return str(seat.http.headers["Authorization"]).split()[1]


def readyz(server: Server) -> dict[str, Any]:
    answer: dict[str, Any] = httpx.get(server.url + "/readyz", timeout=5).json()
    return answer


def streams_reach(server: Server, count: int) -> bool:
    """Whether the server holds `count` live streams within 10 s."""
    deadline = time.monotonic() + 10
    while readyz(server)["live_streams"] != count:
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True
