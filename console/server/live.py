"""The live channel: the changed cases themselves, sent to the consoles following the feed as
server-sent events (`GET /v1/sync/live`, see SYNC.md).

Each server instance has one `Hub`. When the feed's head moves (the `Notifier` hears of it), the
hub reads the change rows after its position once, builds the cases' documents once (reusing
case_docs' kept ones) and writes each change once in each of its three forms: whole, with a
confidential caller withheld, and as a removal. Then, in memory, for each stream it picks per
change the form its console may see (feed.scope_test, case_docs.shows_caller: once per viewer
and place in the batch) and sends it one event; streams that pick the same forms share the
event's bytes. So a change costs an instance the same few queries however many consoles listen,
and each console little more than the write to its socket: the event is written at once, in
the hub's turn, when the stream's response waits for one and its connection takes more
(`asgi.WRITE_NOW`); only otherwise is it queued, for the response to send with whatever else
waits, in one write.

A stream starts where its console's cursor stands. One behind the hub's position (its console
missed changes, or its cursor is from before a reset) is sent `behind` at once: the console
pulls and connects again. One ahead of it (its pull saw a change the hub has not read yet)
waits for the hub and is sent only what comes after its cursor. Memory is bounded: a stream
holds at most QUEUE events (QUEUE_BYTES), and a console that reads too slowly for that is sent
`behind` and dropped (the kernel's share is bounded too, see `guards`); an instance holds at
most `ServerConfig.live_streams` streams (503 beyond), a session at most PER_SESSION (a new one
ends the oldest: its console has connected again, the old connection is most likely dead).

One timer serves every stream: it sends a heartbeat comment to those that have sent nothing for
`ServerConfig.live_heartbeat_s`, by which both ends notice a dead connection, and ends those
whose session's access token has expired (the console connects again with a fresh one, which
checks the session anew).
"""

from __future__ import annotations

import asyncio
import bisect
import logging
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime

import orjson
from sqlalchemy import true
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from console.central import case_docs, feed
from console.server.asgi import WRITE_NOW

QUEUE = 16  # events waiting for one console; a console further behind is dropped
QUEUE_BYTES = 1_000_000  # and their size; one event alone may be larger (STEP long cases)
PER_SESSION = 2  # streams of one session; a new one ends the oldest
STEP = 500  # change rows read at a time, as a pull page
RETRY_S = 1.0  # after the database failed a read
TICKS = 3  # looks per heartbeat interval for the streams that need one
log = logging.getLogger(__name__)

# A change in the forms a console may see it: removed (out of its scope), the caller withheld,
# whole.
REMOVED, WITHHELD, WHOLE = 0, 1, 2
_PAGE_START = b'{"fields":' + orjson.dumps(case_docs.FIELDS) + b',"changes":['
BEHIND = b'event: behind\ndata: {"reason":"%s"}\n\n'
HEARTBEAT = b": heartbeat\n\n"
OPENING = b"retry: 2000\n\n"  # an EventSource waits 2 s before it connects again


class Full(Exception):
    """The instance holds as many streams as it may, or is stopping."""


@dataclass(eq=False)
class Stream:
    """One console's live stream: where it stands and the events waiting to be sent."""

    viewer: feed.Viewer
    session_id: str
    at: feed.Position
    cursor: str  # `at` as the console holds it: the next event's `after`
    ends_at: float  # event loop time: when its session's access token expires
    events: deque[bytes] = field(default_factory=deque)
    queued: int = 0  # bytes in `events`
    sent_at: float = 0.0  # event loop time of the last event or heartbeat sent
    ended: bool = False  # no event is added any more; the stream ends once `events` are sent
    write: Callable[[bytes], bool] | None = None  # its response's asgi.WRITE_NOW, if it has one
    _waiter: asyncio.Future[None] | None = None

    def put(self, event: bytes, now: float) -> bool:
        """Send an event: at once if the response waits for one and its connection takes it
        now, else queued; False if the console has QUEUE events or QUEUE_BYTES waiting."""
        if self.events:
            if len(self.events) >= QUEUE or self.queued + len(event) > QUEUE_BYTES:
                return False
        elif self._idle() and self.write is not None and self.write(event):
            self.sent_at = now
            return True
        self.events.append(event)
        self.queued += len(event)
        self._wake()
        return True

    def end(self, last: bytes = b"") -> None:
        """End the stream after `last`; events not sent yet are dropped."""
        self.events.clear()
        if last:
            self.events.append(last)
        self.queued = len(last)
        self.ended = True
        self._wake()

    async def next(self) -> bytes:
        """The events waiting to be sent, as one; empty once the stream has ended."""
        while not self.events:
            if self.ended:
                return b""
            self._waiter = asyncio.get_running_loop().create_future()
            await self._waiter
        events = self.events[0] if len(self.events) == 1 else b"".join(self.events)
        self.events.clear()
        self.queued = 0
        return events

    def _idle(self) -> bool:
        """Whether the response waits for an event (it is sending none)."""
        return self._waiter is not None and not self._waiter.done()

    def _wake(self) -> None:
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)


@dataclass(frozen=True)
class _Change:
    """A case changed in a batch, written once in each of the forms a console may see."""

    case_id: str
    doc: case_docs.Document | None  # None: the case no longer exists
    forms: tuple[bytes, bytes, bytes]  # REMOVED, WITHHELD, WHOLE


@dataclass(frozen=True)
class _Batch:
    """The change rows after a position, read once: each case once, at the place of its last
    row (as a pull lists them), the documents as they are now."""

    changes: list[_Change]
    positions: list[feed.Position]  # of each change's last row, ascending
    end: feed.Position
    cursor: str
    now: datetime


class Hub:
    """The live streams of one server instance and the feed's changes read for them."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        clock: Callable[[], datetime],
        capacity: int,
        heartbeat_s: float,
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self.capacity = capacity
        self.heartbeat_s = heartbeat_s
        self.position: feed.Position | None = None  # read up to here; None until first told
        self._target = feed.Position()  # the newest head heard of
        self._streams: dict[Stream, None] = {}  # following the feed, in order of arrival
        self._by_session: dict[str, list[Stream]] = {}
        self.open = 0  # streams whose response is running, following or not
        self._reader = ThreadPoolExecutor(1, thread_name_prefix="live")
        self._running: asyncio.Task[None] | None = None
        self._ticking: asyncio.Task[None] | None = None
        self._stopping = False

    def start(self) -> None:
        """Start the heartbeats; called on the event loop that runs the streams."""
        self._ticking = asyncio.get_running_loop().create_task(self._tick())

    def connect(
        self, viewer: feed.Viewer, session_id: str, cursor: str, lifetime_s: float
    ) -> Stream:
        """A stream for a console standing at `cursor` (valid: see feed.decode) that ends after
        `lifetime_s`, or Full."""
        if self.open >= self.capacity or self._stopping:
            raise Full
        since = feed.decode(cursor)
        now = asyncio.get_running_loop().time()
        stream = Stream(viewer, session_id, since.at, cursor, now + lifetime_s, sent_at=now)
        self.open += 1
        if since.after_case is not None or (self.position is not None and since.at < self.position):
            stream.end(BEHIND % b"cursor")
            return stream
        self._streams[stream] = None
        mine = self._by_session.setdefault(session_id, [])
        mine.append(stream)
        if len(mine) > PER_SESSION:
            self._drop(mine[0])
        return stream

    def closed(self, stream: Stream) -> None:
        """The stream's response has ended."""
        self.open -= 1
        if stream in self._streams:
            self._drop(stream)

    def end_all(self) -> None:
        """End every stream and open no more (the server is stopping): each console connects
        again elsewhere."""
        self._stopping = True
        for stream in list(self._streams):
            self._drop(stream)

    def stop(self) -> None:
        if self._ticking is not None:
            self._ticking.cancel()
        self._reader.shutdown(wait=False, cancel_futures=True)

    async def _tick(self) -> None:
        """A heartbeat to each stream that has sent nothing for `heartbeat_s`, and the end of
        those whose session's token has expired: one timer for every stream, not one each."""
        loop = asyncio.get_running_loop()
        while True:
            await asyncio.sleep(self.heartbeat_s / TICKS)
            now = loop.time()
            for stream in list(self._streams):
                if now >= stream.ends_at:
                    self._drop(stream)
                elif not stream.events and now - stream.sent_at >= self.heartbeat_s:
                    stream.put(HEARTBEAT, now)

    @property
    def following(self) -> int:
        return len(self._streams)

    def moved(self, head: feed.Head) -> None:
        """The feed's head moved (called by the Notifier on the event loop)."""
        self._target = max(self._target, head.at)
        if self.position is None:
            self.position = head.at
            for stream in [s for s in self._streams if s.at < head.at]:
                self._drop(stream, BEHIND % b"cursor")
        elif not self._streams:
            self.position = max(self.position, head.at)  # nobody to read for
        elif self._running is None and self._target > self.position:
            self._running = asyncio.get_running_loop().create_task(self._catch_up())

    def _drop(self, stream: Stream, last: bytes = b"") -> None:
        stream.end(last)
        self._streams.pop(stream, None)
        mine = self._by_session.get(stream.session_id, [])
        if stream in mine:
            mine.remove(stream)
        if not mine:
            self._by_session.pop(stream.session_id, None)

    async def _catch_up(self) -> None:
        loop = asyncio.get_running_loop()
        try:
            while self._streams and self.position is not None and self._target > self.position:
                after = self.position
                batch = await loop.run_in_executor(self._reader, self._read, after)
                if batch is None:  # the rows are not visible to a reader yet
                    break
                if self.position == after:  # else it moved on while nobody listened
                    self._send(batch)
        except SQLAlchemyError as error:
            log.warning("reading the feed for the live channel failed: %s", type(error).__name__)
            loop.call_later(RETRY_S, self._retry)
        finally:
            self._running = None

    def _retry(self) -> None:
        self.moved(feed.Head(self._target, False))

    def _read(self, after: feed.Position) -> _Batch | None:
        """The next change rows after `after` and their cases, read once for every stream."""
        with self._sessions() as db:
            rows = feed.read_changes(db, after, STEP)
            if not rows:
                return None
            last = {row.entity_id: feed.Position(row.x, row.s) for row in rows}
            ids = sorted(last, key=last.__getitem__)
            docs = case_docs.current(db, ids, true())
        changes = []
        for case_id in (i for i in ids if i in docs):
            version, doc = docs[case_id]
            removed = case_docs.written(case_id, version, None, with_caller=False)
            if doc is None:
                forms = (removed, removed, removed)
            else:
                whole = case_docs.written(case_id, version, doc, with_caller=True)
                withheld = case_docs.written(case_id, version, doc, with_caller=False)
                forms = (removed, withheld, whole)
            changes.append(_Change(case_id, doc, forms))
        end = feed.Position(rows[-1].x, rows[-1].s)
        positions = [last[c.case_id] for c in changes]
        return _Batch(changes, positions, end, feed.encode(feed.Cursor(end)), self._clock())

    def _send(self, batch: _Batch) -> None:
        """Send the batch's event to every stream it concerns, each in its console's forms.
        What is the same for many streams is worked out once: where a position falls in the
        batch (the streams that kept up share one `at`), a viewer's forms, an event's bytes."""
        now = asyncio.get_running_loop().time()
        forms_of: dict[tuple[int, feed.Viewer], tuple[int, ...]] = {}
        written: dict[tuple[str, int, tuple[int, ...]], bytes] = {}
        at: feed.Position | None = None
        first, ahead = 0, False
        for stream in list(self._streams):
            if stream.at is not at:
                at = stream.at
                ahead = at >= batch.end  # it has seen all of these
                first = bisect.bisect_right(batch.positions, at)
            if ahead:
                continue
            seen = (first, stream.viewer)
            forms = forms_of.get(seen)
            if forms is None:
                forms = forms_of[seen] = _forms(batch.changes[first:], stream.viewer, batch.now)
            key = (stream.cursor, first, forms)
            event = written.get(key)
            if event is None:
                parts = [c.forms[f] for c, f in zip(batch.changes[first:], forms, strict=True)]
                event = written[key] = _event(parts, batch.cursor, stream.cursor)
            if stream.put(event, now):
                stream.at, stream.cursor = batch.end, batch.cursor
            else:
                self._drop(stream, BEHIND % b"slow")
        self.position = batch.end


def _forms(changes: list[_Change], viewer: feed.Viewer, now: datetime) -> tuple[int, ...]:
    in_scope = feed.scope_test(viewer, now)
    return tuple(
        REMOVED
        if c.doc is None or not in_scope(c.doc)
        else WHOLE
        if case_docs.shows_caller(c.doc, viewer.username)
        else WITHHELD
        for c in changes
    )


def _event(parts: list[bytes], cursor: str, after: str) -> bytes:
    """An `event: changes` whose data is a pull page of `parts` with `cursor` and `after`."""
    end = b'],"cursor":"%s","has_more":false,"reset":false,"after":"%s"}\n\n' % (
        cursor.encode(),
        after.encode(),
    )
    return b"event: changes\ndata: " + _PAGE_START + b",".join(parts) + end


class EventStream(Response):
    """The response of a live stream: its events and heartbeats as they come, until the
    stream ends, the console goes away or stops reading for `send_timeout_s`."""

    def __init__(self, hub: Hub, stream: Stream, send_timeout_s: float) -> None:
        super().__init__()
        self.raw_headers = list(_HEADERS)
        self.hub = hub
        self.stream = stream
        self.send_timeout_s = send_timeout_s

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        loop = asyncio.get_running_loop()
        watch = loop.create_task(self._until_gone(receive))
        try:
            start = {"type": "http.response.start", "status": 200, "headers": self.raw_headers}
            await send(start)
            self.stream.write = scope.get("extensions", {}).get(WRITE_NOW, {}).get("write")
            event = OPENING
            while event:
                async with asyncio.timeout(self.send_timeout_s):
                    await send({"type": "http.response.body", "body": event, "more_body": True})
                self.stream.sent_at = loop.time()
                event = await self.stream.next()
            await send({"type": "http.response.body", "body": b"", "more_body": False})
        except (TimeoutError, OSError):
            pass  # the console stopped reading, or left: the connection is closed
        finally:
            watch.cancel()
            self.hub.closed(self.stream)

    async def _until_gone(self, receive: Receive) -> None:
        """End the stream when the console closes its connection."""
        while (await receive())["type"] != "http.disconnect":
            pass
        self.stream.end()


_HEADERS = [
    (b"content-type", b"text/event-stream; charset=utf-8"),
    (b"cache-control", b"no-store"),
    (b"x-accel-buffering", b"no"),  # nginx: pass each event on at once
]
