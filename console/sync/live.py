"""Following the server's live channel: `GET /v1/sync/live`, server-sent events over `requests`.

    stream = Live(session, base_url, token, cursor, connect_timeout=3.05, read_timeout=45)
    for event in stream:            # blocking: a thread of the sync's own
        if isinstance(event, Changes):
            apply event.page as a pulled page and keep event.cursor, in one local transaction
        else:                       # Behind
            pull from the cursor until has_more is false, then follow again
    # the loop ended: the server ended the stream (the session's access token expired, the
    # server is stopping, the same session connected again): refresh if need be, follow again

Events:
- `Changes(page, cursor, after)`: `page` is a pull page as parsed JSON (`fields`, `changes`,
  `cursor`, `has_more` false, `reset` false) with `after`: apply it with the pull's code.
  `after` is the cursor the events follow on from: the first one's is the cursor given, each
  next one's the previous one's `cursor`. Should one not follow on (never from a sound
  server), the follower yields `Behind("out_of_order")` and ends.
- `Behind(reason)`: the server cannot bring this console up to date from its cursor: "cursor"
  (the cursor is older than where the server's channel stands, or from before a reset, or a
  download is not finished) or "slow" (the console read too slowly and was dropped). Pull, then
  follow again with the new cursor. The iterator ends after it.
- The server's heartbeat comments (after 15 to 20 s without an event) are not yielded: they
  keep `read_timeout` from expiring on a quiet but healthy stream, so `read_timeout` must be
  longer than 20 s (45 s, say).

Errors: `LiveRefused` when the server answers with an error (`status`, the error's `code`,
`retry_after` seconds from Retry-After): 401 the session ended (refresh or sign in), 403 not a
console's role, 422 a cursor the server never gave (a bug: pull from scratch), 503 the
instance is busy (wait `retry_after`). A `requests.RequestException` when the connection cannot
be made, breaks (the server went away) or stays silent for `read_timeout` seconds (a dead
connection). `close()`, from any thread, ends the iteration at once.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import orjson
import requests

PATH = "/v1/sync/live"


@dataclass(frozen=True)
class Changes:
    page: dict[str, Any]  # a pull page, with `after`
    cursor: str
    after: str


@dataclass(frozen=True)
class Behind:
    reason: str  # "cursor", "slow" or "out_of_order"


LiveEvent = Changes | Behind


class LiveRefused(Exception):
    """The server answered the live request with an error status."""

    def __init__(self, status: int, code: str, retry_after: float | None) -> None:
        super().__init__(f"live channel refused: HTTP {status} {code}".strip())
        self.status = status
        self.code = code
        self.retry_after = retry_after


class Live:
    """One live stream from `cursor`: iterate it once for its events (see the module)."""

    def __init__(
        self,
        session: requests.Session,
        base_url: str,
        token: str,
        cursor: str,
        connect_timeout: float,
        read_timeout: float,
    ) -> None:
        self._session = session
        self._url = base_url.rstrip("/") + PATH
        self._token = token
        self._cursor = cursor
        self._timeout = (connect_timeout, read_timeout)
        self._response: requests.Response | None = None
        self._closed = threading.Event()
        self._lock = threading.Lock()

    def __iter__(self) -> Iterator[LiveEvent]:
        headers = {"Authorization": f"Bearer {self._token}", "Accept": "text/event-stream"}
        response = self._session.get(
            self._url,
            params={"cursor": self._cursor},
            headers=headers,
            stream=True,
            timeout=self._timeout,
        )
        with response:
            if response.status_code != 200:
                raise _refused(response)
            with self._lock:
                self._response = response
            try:
                if not self._closed.is_set():
                    yield from self._events(response.iter_content(chunk_size=None))
            except requests.RequestException:
                if not self._closed.is_set():
                    raise  # else: the connection was cut by `close`

    def _events(self, chunks: Iterable[bytes]) -> Iterator[LiveEvent]:
        cursor = self._cursor
        for name, data in parse(chunks):
            if name == "changes":
                page = orjson.loads(data)
                if page.get("after") != cursor:
                    yield Behind("out_of_order")
                    return
                cursor = str(page["cursor"])
                yield Changes(page, cursor, str(page["after"]))
            elif name == "behind":
                yield Behind(str(orjson.loads(data or b"{}").get("reason", "cursor")))
                return
            if self._closed.is_set():
                return

    def close(self) -> None:
        """End the stream now, from any thread: the iteration ends."""
        self._closed.set()
        with self._lock:
            response = self._response
        if response is None:
            return
        connection = getattr(response.raw, "connection", None)
        sock = getattr(connection, "sock", None)
        if isinstance(sock, socket.socket):
            with contextlib.suppress(OSError):  # closed already
                sock.shutdown(socket.SHUT_RDWR)  # wakes the thread reading it


def follow(
    session: requests.Session,
    base_url: str,
    token: str,
    cursor: str,
    connect_timeout: float,
    read_timeout: float,
) -> Iterator[LiveEvent]:
    """The events of a live stream from `cursor` (see the module); `Live` to close it from
    another thread."""
    return iter(Live(session, base_url, token, cursor, connect_timeout, read_timeout))


def parse(chunks: Iterable[bytes]) -> Iterator[tuple[str, bytes]]:
    """Server-sent events from the body's chunks as they come: (event name, data) for each,
    "message" when unnamed. Lines end with LF or CRLF (the server's do). Comments, `id` and
    `retry` are left out."""
    buffer = b""
    name, data = "", list[bytes]()
    for chunk in chunks:
        *lines, buffer = (buffer + chunk).split(b"\n")
        for line in (raw.removesuffix(b"\r") for raw in lines):
            if not line:
                if data:
                    yield name or "message", b"\n".join(data)
                name, data = "", list[bytes]()
                continue
            field, _, value = line.partition(b":")
            value = value.removeprefix(b" ")
            if field == b"event":
                name = value.decode("utf-8", "replace")
            elif field == b"data":
                data.append(value)


def _refused(response: requests.Response) -> LiveRefused:
    try:
        code = str(response.json()["error"]["code"])
    except (ValueError, KeyError, TypeError):
        code = ""
    retry = response.headers.get("Retry-After", "")
    return LiveRefused(response.status_code, code, float(retry) if retry.isdigit() else None)
