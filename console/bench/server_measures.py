"""The central server's measures, each beside a baseline taken in the same run where the issue
names one. Everything goes over HTTP to real `main.py server run` processes (server_rig)."""

from __future__ import annotations

import functools
import gc
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import orjson
import psycopg

from console.bench.factory import CASE_COLUMNS
from console.bench.measures import national
from console.bench.report import Figure, Result, Spec
from console.bench.server_data import ServerData
from console.bench.server_rig import (
    PULL_ROUTE,
    Console,
    Intakes,
    MeasureFailed,
    Servers,
    client,
    login,
    reference,
)
from console.domain.new_case import NewCase
from console.domain.reference import ReferenceData
from console.store.schema import OPEN_STATUSES

PUSH = Spec("push, batches of 100 case creations", 2000, "cases/s", "median",
            "psycopg executemany", at_least=True)  # fmt: skip
PULL = Spec("pull, a console's first download", 20000, "changes/s", "median", at_least=True)
HISTORY = Spec("caller history over HTTP", 30, "ms", "p99", "raw SQL query")
POLLING = Spec("750 consoles polling every 5 s, per pull", 100, "ms", "p99", "server's own")
LONG_POLL = Spec("750 consoles long-polling, per pull", 100, "ms", "p99", "server's own")
BATCH = 100
PULL_LIMIT = 1000
HISTORY_PAGE = 50  # cases on a page of caller history, as the console asks
_OPEN = ", ".join(f"'{s}'" for s in OPEN_STATUSES)
# The case service's two queries of a caller history (a recent call? one page, open first, of
# whole cases).
HISTORY_REPEAT_SQL = "SELECT id FROM cases WHERE caller_phone = %s AND created_at >= %s LIMIT 1"
HISTORY_PAGE_SQL = (
    "SELECT * FROM cases"
    f" WHERE caller_phone = %s ORDER BY CASE WHEN status IN ({_OPEN}) THEN 0 ELSE 1 END,"
    f" created_at DESC, id DESC LIMIT {HISTORY_PAGE + 1}"
)
_SCRATCH = "bench_push_scratch"
say = functools.partial(print, file=sys.stderr, flush=True)


def push(servers: Servers, data: ServerData, consoles: int, batches: int) -> Result:
    """`consoles` new consoles push `batches` batches each, all at once, spread over the
    server processes: cases/s over successive rounds of batches. Baseline: the same rows
    inserted with executemany, a commit per batch, into a scratch copy of the cases table."""
    crew = [Console.enrol(servers.urls[i % len(servers.urls)], servers) for i in range(consoles)]
    intakes = Intakes(data.seed)
    work = [[intakes.take(c.seat, BATCH) for _ in range(batches)] for c in crew]
    started = time.perf_counter()
    with ThreadPoolExecutor(len(crew)) as pool:
        finished = pool.map(_push_all, crew, work)
        ends = sorted(end for ends in finished for end in ends)
    cases = len(ends) * BATCH
    say(f"  push: {cases:,} cases in {ends[-1] - started:.0f} s, "
        f"{cases / (ends[-1] - started):,.0f} cases/s overall")  # fmt: skip
    rates = _rates([started, *ends], every=len(crew))
    bulk = _bulk_insert(data.conninfo, [batch for batches_ in work for batch in batches_])
    return Result(PUSH, Figure.of(rates), Figure.of(bulk))


def _push_all(console: Console, batches: list[list[dict[str, Any]]]) -> list[float]:
    ends = []
    with console.http:
        for batch in batches:
            console.push(batch)
            ends.append(time.perf_counter())
    return ends


def _rates(moments: list[float], every: int) -> list[float]:
    """Cases per second over each run of `every` batches finished one after the other."""
    return [every * BATCH / (moments[i + every] - moments[i])
            for i in range(0, len(moments) - every, every)]  # fmt: skip


def _bulk_insert(conninfo: str, batches: list[list[dict[str, Any]]]) -> list[float]:
    columns = (*CASE_COLUMNS, "owner")
    insert = (f"INSERT INTO {_SCRATCH} ({', '.join(columns)})"
              f" VALUES ({', '.join(['%s'] * len(columns))})")  # fmt: skip
    rates, ref = [], reference()
    with psycopg.connect(conninfo) as conn:
        conn.execute(f"DROP TABLE IF EXISTS {_SCRATCH}")  # left by an interrupted run
        conn.execute(f"CREATE TABLE {_SCRATCH} (LIKE cases INCLUDING DEFAULTS INCLUDING INDEXES)")
        conn.commit()
        try:
            for batch in batches:
                rows = [[row.get(c, "") for c in columns] for row in (_row(a, ref) for a in batch)]
                began = time.perf_counter()
                with conn.cursor() as cur:
                    cur.executemany(insert, rows)
                conn.commit()
                rates.append(len(rows) / (time.perf_counter() - began))
        finally:
            conn.rollback()
            conn.execute(f"DROP TABLE {_SCRATCH}")
            conn.commit()
    return rates


def _row(args: dict[str, Any], ref: ReferenceData) -> dict[str, Any]:
    """The case row a `case.create` payload makes, as the server builds it."""
    values = NewCase.from_args(args, ref, datetime.now(UTC)).values(ref)
    return {**values, "updated_at": values["created_at"]}


@dataclass(frozen=True)
class Download:
    result: Result
    cursor: str  # where the feed stands after the download: the pollers start from it


def pull(servers: Servers) -> Download:
    """A new console's first pull, page by page until nothing is left: changes/s per page."""
    # The benchmark's own objects (the planned callers, the other measures' data) stay out of
    # the collector's way: a console's process does not hold them while it pulls.
    gc.collect()
    gc.freeze()
    url = servers.urls[0]
    console = Console.enrol(url, servers)
    counts: list[int] = []
    seconds: list[float] = []
    params: dict[str, Any] = {"limit": PULL_LIMIT}
    more = True
    with console.http as http:
        while more:
            began = time.perf_counter()
            response = http.get(PULL_ROUTE, params=params)
            if response.status_code == 401:  # the access token lapsed (15 min): log in again
                http.headers["Authorization"] = f"Bearer {login(url, console.enrolled)}"
                continue
            page = _page(response)
            seconds.append(time.perf_counter() - began)
            counts.append(len(page["changes"]))
            params["cursor"], more = page["cursor"], page["has_more"]
    say(f"  pull: {sum(counts):,} changes in {sum(seconds):.0f} s, "
        f"{sum(counts) / sum(seconds):,.0f} changes/s overall")  # fmt: skip
    rates = [count / took for count, took in zip(counts, seconds, strict=True)]
    return Download(Result(PULL, Figure.of(rates)), str(params["cursor"]))


def _page(response: httpx.Response) -> dict[str, Any]:
    if response.status_code != 200:
        raise MeasureFailed(f"pull: HTTP {response.status_code} {response.text[:120]}")
    page: dict[str, Any] = orjson.loads(response.content)  # as a console reads a page
    return page


def history(servers: Servers, data: ServerData, samples: int) -> Result:
    """The caller history of daily, repeat and one-time callers in turn, over HTTP and as the
    service's raw SQL on psycopg, alternating sample by sample, after one warm-up round."""
    over_http: list[float] = []
    raw: list[float] = []
    url = servers.urls[0]
    with client(url, login(url)) as http, psycopg.connect(data.conninfo) as conn:
        for i in range(-len(data.samples), samples):
            number = data.samples[i % len(data.samples)]
            began = time.perf_counter()
            shown = _history_page(http, number)
            http_ms = (time.perf_counter() - began) * 1000
            began = time.perf_counter()
            since = datetime.now(UTC) - timedelta(days=30)
            conn.execute(HISTORY_REPEAT_SQL, (number, since)).fetchall()
            rows = conn.execute(HISTORY_PAGE_SQL, (number,)).fetchall()
            raw_ms = (time.perf_counter() - began) * 1000
            if shown != min(len(rows), HISTORY_PAGE):
                raise MeasureFailed(f"{number}: {shown} cases over HTTP, {len(rows)} by query")
            if i >= 0:
                over_http.append(http_ms)
                raw.append(raw_ms)
    return Result(HISTORY, Figure.of(over_http), Figure.of(raw))


def _history_page(http: httpx.Client, e164: str) -> int:
    """The number of cases on the first page of the caller's history, as the server sends it."""
    params: dict[str, str | int] = {"phone": national(e164), "limit": HISTORY_PAGE}
    response = http.get("/v1/caller-history", params=params)
    if response.status_code != 200:
        raise MeasureFailed(f"HTTP {response.status_code} {response.text[:120]}")
    return len(response.json()["cases"]["items"])
