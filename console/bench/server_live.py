"""The data's consoles following the live channel of the server processes while a colleague
saves a case every 0.5 s: how soon each console's stream brings each new case, and how much CPU
the server processes spend per change with 75 and with 750 consoles following.

The consoles are asyncio tasks of this process, each on its own connection, reading the event
stream's chunks as they come; a case is seen when the first event that names it has arrived
whole. The time runs from just before the push is sent to that moment."""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

import httpx
import psutil  # type: ignore[import-untyped]
from sqlalchemy import create_engine

from console.bench.report import Figure, Result, Spec
from console.bench.server_measures import say
from console.bench.server_polling import WRITE_EVERY_S, Fleet, _loop_lag
from console.bench.server_rig import Console, Intakes, MeasureFailed, Servers
from console.central import feed
from console.store.db import session_factory

SEEN_P95 = Spec("a change seen by 750 consoles following two instances", 1000, "ms", "p95")
SEEN_P99 = Spec("a change seen by 750 consoles following two instances", 2000, "ms", "p99")
CPU = Spec("server CPU per change, 750 consoles following", 50, "ms", "median",
           "75 consoles following")  # fmt: skip
LATE_S = 10.0  # a case not seen this long after its push counts as seen then
WINDOW_S = 5.0  # CPU is summed over windows this long, each a sample
CONNECT_S = 60.0  # for the whole fleet to connect


@dataclass(frozen=True)
class Phase:
    """What one run of the fleet found: each console's time to see each case, ms, and the
    servers' CPU ms per change in each window."""

    seen_ms: list[float]
    cpu_ms: list[float]


def live(servers: Servers, fleet: Fleet, seconds: float, small: int, small_seconds: float
         ) -> list[Result]:  # fmt: skip
    """The fleet's first `small` consoles, then all of it, each following for its time."""
    servers.until_idle()
    writer = Console.enrol(servers.urls[-1], servers)
    intakes = Intakes(seed=0)  # any cases will do

    def write(pending: dict[bytes, float]) -> None:
        [case] = intakes.take(writer.seat, 1)
        pending[case["id"].encode()] = time.perf_counter()
        writer.push([case])

    with writer.http:
        few = _run(servers, _part(fleet, small), small_seconds, write)
        say(f"  {small} consoles: seen p95 {Figure.of(few.seen_ms).p95:.0f} ms, "
            f"CPU {Figure.of(few.cpu_ms).median:.1f} ms per change")  # fmt: skip
        servers.until_idle()
        every = _run(servers, fleet, seconds, write)
    seen = Figure.of(every.seen_ms)
    return [Result(SEEN_P95, seen), Result(SEEN_P99, seen),
            Result(CPU, Figure.of(every.cpu_ms), Figure.of(few.cpu_ms))]  # fmt: skip


def _part(fleet: Fleet, count: int) -> Fleet:
    return Fleet(fleet.tokens[:count], fleet.urls[:count])


def _head_cursor(servers: Servers) -> str:
    """Where the feed stands now: the cursor of a console that has pulled everything."""
    engine = create_engine(servers.database_url)
    try:
        with session_factory(engine)() as session:
            return feed.encode(feed.Cursor(feed.head(session).at))
    finally:
        engine.dispose()


def _run(servers: Servers, fleet: Fleet, seconds: float,
         write: Callable[[dict[bytes, float]], None]) -> Phase:  # fmt: skip
    tally = asyncio.run(_follow(servers, fleet, seconds, write))
    failures = ", ".join(f"{what} ×{count}" for what, count in tally.failures.most_common())
    if failures:
        say(f"  failures: {failures}")
    if not tally.seen_ms or not tally.cpu_ms:
        raise MeasureFailed(f"no case was seen; failures: {failures or 'none'}")
    return Phase(tally.seen_ms, tally.cpu_ms)


@dataclass
class _Tally:
    pending: dict[bytes, float] = field(default_factory=dict)  # case id → when pushed
    seen_ms: list[float] = field(default_factory=list)
    cpu_ms: list[float] = field(default_factory=list)
    failures: Counter[str] = field(default_factory=Counter)


async def _follow(servers: Servers, fleet: Fleet, seconds: float,
                  write: Callable[[dict[bytes, float]], None]) -> _Tally:  # fmt: skip
    tally = _Tally()
    cursor = _head_cursor(servers)
    stop = asyncio.Event()
    connected = [asyncio.Event() for _ in fleet.tokens]
    streams = [_Stream(url, token, cursor, tally) for url, token in zip(fleet.urls, fleet.tokens,
                                                                        strict=True)]  # fmt: skip
    tasks = [asyncio.create_task(stream.run(ready, stop))
             for stream, ready in zip(streams, connected, strict=True)]  # fmt: skip
    try:
        async with asyncio.timeout(CONNECT_S):
            await asyncio.gather(*(ready.wait() for ready in connected))
        held = sum(_readyz(url)["live_streams"] for url in servers.urls)
        say(f"  {len(tasks)} consoles connected, the servers hold {held} streams")
        lag = asyncio.create_task(_loop_lag(stop))
        pushed = await _writing(servers, seconds, write, tally)
        await asyncio.sleep(LATE_S)  # the last cases on their way
        stop.set()
        say(f"  {pushed} changes; client event loop lag p99: {await lag:.0f} ms")
    finally:
        stop.set()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    missed = len(fleet.tokens) * pushed - len(tally.seen_ms)
    if missed:
        tally.failures["case not seen within 10 s"] += missed
        tally.seen_ms += [LATE_S * 1000] * missed
    return tally


async def _writing(servers: Servers, seconds: float, write: Callable[[dict[bytes, float]], None],
                   tally: _Tally) -> int:  # fmt: skip
    """Push a case every WRITE_EVERY_S for `seconds`, off the event loop; the servers' CPU per
    change over each WINDOW_S. The number pushed."""
    processes = [psutil.Process(pid) for pid in servers.pids]
    first = [process.cpu_times() for process in processes]
    deadline = time.monotonic() + seconds
    pushed = window_pushed = 0
    window_cpu, window_end = _cpu(processes), time.monotonic() + WINDOW_S
    while time.monotonic() < deadline:
        began = time.monotonic()
        try:
            await asyncio.to_thread(write, tally.pending)
            pushed += 1
            window_pushed += 1
        except (httpx.HTTPError, MeasureFailed) as error:
            tally.failures[f"push: {type(error).__name__}"] += 1
        if time.monotonic() >= window_end and window_pushed:
            now = _cpu(processes)
            tally.cpu_ms.append((now - window_cpu) * 1000 / window_pushed)
            window_cpu, window_pushed, window_end = now, 0, time.monotonic() + WINDOW_S
        await asyncio.sleep(max(0.0, WRITE_EVERY_S - (time.monotonic() - began)))
    last = [process.cpu_times() for process in processes]
    user = sum(b.user - a.user for a, b in zip(first, last, strict=True))
    system = sum(b.system - a.system for a, b in zip(first, last, strict=True))
    per = 1000 / max(pushed, 1)
    say(f"  server CPU per change: {user * per:.1f} ms user, {system * per:.1f} ms system")
    return pushed


def _cpu(processes: list[psutil.Process]) -> float:
    times = [process.cpu_times() for process in processes]
    return float(sum(t.user + t.system for t in times))


def _readyz(url: str) -> dict[str, int]:
    answer: dict[str, int] = httpx.get(url + "/readyz", timeout=30).json()
    return answer


class _Stream:
    """One console's live stream on a connection of its own, chunk by chunk."""

    def __init__(self, url: str, token: str, cursor: str, tally: _Tally) -> None:
        self._address = urlsplit(url)
        self._token = token
        self._cursor = cursor
        self._tally = tally
        self._seen: set[bytes] = set()

    async def run(self, ready: asyncio.Event, stop: asyncio.Event) -> None:
        host, port = self._address.hostname or "", self._address.port or 80
        try:
            reader, writer = await asyncio.open_connection(host, port, limit=2**24)
        except OSError as error:
            self._tally.failures[f"connect: {type(error).__name__}"] += 1
            ready.set()
            return
        try:
            await self._read(reader, writer, host, ready, stop)
        except (OSError, asyncio.IncompleteReadError, ValueError) as error:
            if not stop.is_set():
                self._tally.failures[f"stream: {type(error).__name__}"] += 1
        finally:
            ready.set()
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()

    async def _read(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, host: str,
                    ready: asyncio.Event, stop: asyncio.Event) -> None:  # fmt: skip
        query = urlencode({"cursor": self._cursor})
        writer.write(f"GET /v1/sync/live?{query} HTTP/1.1\r\nHost: {host}\r\n"
                     f"Authorization: Bearer {self._token}\r\n\r\n".encode())  # fmt: skip
        head = await reader.readuntil(b"\r\n\r\n")
        status = head.split(b" ", 2)[1].decode()
        if status != "200":
            self._tally.failures[f"live: HTTP {status}"] += 1
            return
        ready.set()
        while not stop.is_set():
            size = int((await reader.readline()).strip() or b"0", 16)
            if size == 0:
                self._tally.failures["stream ended"] += 1
                return
            chunk = await reader.readexactly(size + 2)
            self._event(chunk, time.perf_counter())

    def _event(self, chunk: bytes, at: float) -> None:
        if chunk.startswith(b"event: behind"):
            self._tally.failures["behind"] += 1
        elif chunk.startswith(b"event: changes"):
            for case_id in _CASE_ID.findall(chunk):
                pushed_at = self._tally.pending.get(case_id)
                if pushed_at is not None and case_id not in self._seen:
                    self._seen.add(case_id)
                    self._tally.seen_ms.append((at - pushed_at) * 1000)


_CASE_ID = re.compile(rb'"entity":"case","id":"([^"]+)"')
