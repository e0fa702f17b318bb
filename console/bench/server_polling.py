"""750 consoles following the feed while a colleague saves cases: each console pulls every 5 s,
or long-polls the poke and pulls whenever it answers. They are asyncio tasks of this process,
sharing one HTTP client per server; a request that fails is counted, timed like the others
and tried again, as a console would."""

from __future__ import annotations

import asyncio
import random
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import httpx
import orjson

from console.bench.report import Figure, Result
from console.bench.server_measures import LONG_POLL, POLLING, say
from console.bench.server_rig import PULL_ROUTE, Console, Intakes, MeasureFailed, Servers, login
from console.central.enrolment import Enrolled

POLL_INTERVAL_S = 5.0
POKE_TIMEOUT_S = 25.0
PULL_LIMIT = 500
RETRY_S = 1.0  # after a failed poke
# After a poke, a console pulls at a random moment of the next second, as the console does: the
# pulls of all the consoles woken by one change are spread instead of arriving at once.
PULL_SPREAD_S = 1.0
# The writer: one case every half second, the centre's busiest hour (about 2,500 calls) with
# room for the agencies' work on cases.
WRITE_EVERY_S = 0.5
LOGIN_THREADS = 8


@dataclass(frozen=True)
class Fleet:
    """The data's consoles, logged in: one token per console, and the server each talks to."""

    tokens: list[str]
    urls: list[str]

    @classmethod
    def log_in(cls, servers: Servers, consoles: list[Enrolled]) -> Fleet:
        urls = [servers.urls[i % len(servers.urls)] for i in range(len(consoles))]
        with ThreadPoolExecutor(LOGIN_THREADS) as pool:
            tokens = list(pool.map(login, urls, consoles))
        return cls(tokens, urls)


def polling(servers: Servers, fleet: Fleet, cursor: str, seconds: float, long: bool) -> Result:
    """Every console of the fleet follows the feed from `cursor` for `seconds` while a console
    pushes a case every 0.5 s. Figure: each pull's time as its console saw it; baseline: the
    same pulls as the servers logged them."""
    servers.until_idle()
    since = servers.log_sizes()
    writer = Console.enrol(servers.urls[-1], servers)
    intakes = Intakes(seed=0)  # any cases will do
    with writer.http:
        tally = asyncio.run(
            _follow(fleet, cursor, seconds, long, lambda: writer.push(intakes.take(writer.seat, 1)))
        )
    failures = ", ".join(f"{what} ×{count}" for what, count in tally.failures.most_common())
    if failures:
        say(f"  failed requests: {failures}")
    if not tally.pulls_ms:
        raise MeasureFailed(f"no pull was made; failed requests: {failures or 'none'}")
    server_ms = servers.server_ms(since, PULL_ROUTE)
    say(f"  {len(tally.pulls_ms):,} pulls in {seconds:.0f} s, {len(server_ms):,} answered "
        f"by the servers: {len(server_ms) / seconds:.0f} a second")  # fmt: skip
    spec = LONG_POLL if long else POLLING
    return Result(spec, Figure.of(tally.pulls_ms), Figure.of(server_ms or [0.0]))


@dataclass
class _Tally:
    pulls_ms: list[float] = field(default_factory=list)
    failures: Counter[str] = field(default_factory=Counter)


async def _follow(
    fleet: Fleet, cursor: str, seconds: float, long: bool, write: Callable[[], None]
) -> _Tally:
    tally = _Tally()
    limits = httpx.Limits(max_connections=None, max_keepalive_connections=None)
    async with httpx.AsyncClient(limits=limits, timeout=POKE_TIMEOUT_S + 30) as http:
        consoles = [_Console(http, url, token, cursor, tally)
                    for url, token in zip(fleet.urls, fleet.tokens, strict=True)]  # fmt: skip
        stop = asyncio.Event()
        tasks = [asyncio.create_task(c.long_poll(stop) if long else c.poll(stop))
                 for c in consoles]  # fmt: skip
        lag = asyncio.create_task(_loop_lag(stop))
        try:
            await _writing(write, seconds, tally)
        finally:
            stop.set()
            for task in tasks:
                task.cancel()  # a long poll still waiting for its answer
            await asyncio.gather(*tasks, return_exceptions=True)
        say(f"  client event loop lag p99: {await lag:.0f} ms")
    return tally


async def _writing(write: Callable[[], None], seconds: float, tally: _Tally) -> None:
    """Push a case every WRITE_EVERY_S for `seconds`, off the event loop."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        began = time.monotonic()
        try:
            await asyncio.to_thread(write)
        except (httpx.HTTPError, MeasureFailed) as error:
            tally.failures[f"push: {type(error).__name__}"] += 1
        await asyncio.sleep(max(0.0, WRITE_EVERY_S - (time.monotonic() - began)))


class _Console:
    """One console following the feed, its pulls timed into the tally."""

    def __init__(
        self, http: httpx.AsyncClient, url: str, token: str, cursor: str, tally: _Tally
    ) -> None:
        self._http = http
        self._url = url
        self._headers = {"Authorization": f"Bearer {token}"}
        self._cursor = cursor
        self._tally = tally

    async def poll(self, stop: asyncio.Event) -> None:
        await asyncio.sleep(random.uniform(0, POLL_INTERVAL_S))  # consoles start at any moment
        while not stop.is_set():
            began = time.monotonic()
            await self._pull_all()
            await asyncio.sleep(max(0.0, POLL_INTERVAL_S - (time.monotonic() - began)))

    async def long_poll(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            params = {"cursor": self._cursor, "timeout": POKE_TIMEOUT_S}
            answer = await self._get("/v1/sync/poke", params, "poke")
            if answer is None:
                await asyncio.sleep(RETRY_S)
            elif answer["changed"]:
                await asyncio.sleep(random.uniform(0, PULL_SPREAD_S))
                await self._pull_all()

    async def _pull_all(self) -> None:
        """Pull until nothing is left; a failed pull ends the turn, the cursor unchanged."""
        while True:
            began = time.perf_counter()
            params = {"cursor": self._cursor, "limit": PULL_LIMIT}
            page = await self._get(PULL_ROUTE, params, "pull")
            self._tally.pulls_ms.append((time.perf_counter() - began) * 1000)
            if page is None:
                return
            self._cursor = page["cursor"]
            if not page["has_more"]:
                return

    async def _get(self, path: str, params: dict[str, Any], what: str) -> dict[str, Any] | None:
        """The answer, or None (counted) for an error or a timeout."""
        try:
            response = await self._http.get(self._url + path, params=params, headers=self._headers)
        except httpx.HTTPError as error:
            self._tally.failures[f"{what}: {type(error).__name__}"] += 1
            return None
        if response.status_code != 200:
            self._tally.failures[f"{what}: HTTP {response.status_code}"] += 1
            return None
        answer: dict[str, Any] = orjson.loads(response.content)
        return answer


async def _loop_lag(stop: asyncio.Event) -> float:
    """How late the client's event loop wakes from a 10 ms sleep, p99 in ms: a client too busy
    to read its answers adds that to every pull it times."""
    lags: list[float] = []
    while not stop.is_set():
        began = time.perf_counter()
        await asyncio.sleep(0.01)
        lags.append((time.perf_counter() - began) * 1000 - 10)
    return Figure.of(lags or [0.0]).p99
