"""The server under measure: `main.py server run` processes on the benchmark's database, the
benchmark's call-taker account, consoles enrolled and logged in, the cases they push, and the
clean-up of everything the benchmark wrote, so every run measures the same database."""

from __future__ import annotations

import itertools
import json
import random
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import psycopg
from sqlalchemy import create_engine, select

from console.bench.factory import CASE_COLUMNS, CaseFactory
from console.bench.server_data import ServerData
from console.bench.synth import SEATS, plan_callers
from console.central import accounts, enrolment
from console.central.enrolment import Enrolled
from console.domain.clock import utc_now
from console.domain.errors import ValidationFailed
from console.domain.new_case import NewCase
from console.domain.numbering import case_number, centre_day
from console.domain.reference import FILES, ReferenceData, parse_reference
from console.paths import REFERENCE
from console.store.db import session_factory
from console.store.server_schema import Account

ROOT = Path(__file__).resolve().parents[2]
USERNAME = "bench-taker"  # the benchmark's call-taker: every session it opens is this account's
PASSWORD = "bench-password-not-secret"  # a loopback cluster of the benchmark's own
READY_TIMEOUT_S = 120.0
IDLE_TIMEOUT_S = 300.0
IDLE_ANSWER_S = 0.05
HTTP_TIMEOUT_S = 120.0
PULL_ROUTE = "/v1/sync/pull"
CALLERS = 50_000  # calls planned at once for the new cases: the generator's caller mix


class MeasureFailed(Exception):
    """A measure could not be taken; the reason goes into its row of the table."""


@dataclass
class Servers:
    """Running server processes; each writes its JSON access log to its own file."""

    urls: list[str]
    logs: list[Path]
    database_url: str  # where the benchmark's consoles are enrolled
    pids: list[int]  # the server processes, to read their CPU time

    def until_idle(self) -> None:
        """Wait until every server answers at once: requests a measure left queued (its
        clients gave up on them, the server has not) must not weigh on the next one."""
        deadline = time.monotonic() + IDLE_TIMEOUT_S
        for url in self.urls:
            while time.monotonic() < deadline:
                began = time.monotonic()
                httpx.get(f"{url}/healthz", timeout=IDLE_TIMEOUT_S)
                if time.monotonic() - began < IDLE_ANSWER_S:
                    break
                time.sleep(1)

    def log_sizes(self) -> list[int]:
        return [log.stat().st_size for log in self.logs]

    def server_ms(self, since: list[int], route: str) -> list[float]:
        """What the servers logged as the time of each request to `route` since `since`: from
        the request reaching the application to its response, without the client's queueing."""
        times: list[float] = []
        for log, offset in zip(self.logs, since, strict=True):
            with log.open("rb") as file:
                file.seek(offset)
                for line in file:
                    entry = _json(line)
                    if entry.get("route") == route and entry.get("status") == 200:
                        times.append(float(entry["ms"]))
        return times


def _json(line: bytes) -> dict[str, Any]:
    try:
        entry = json.loads(line)
    except ValueError:
        return {}
    return entry if isinstance(entry, dict) else {}


@contextmanager
def servers(data: ServerData, work_dir: Path, count: int) -> Iterator[Servers]:
    """`count` server processes on the benchmark's database, stopped on leaving."""
    work_dir.mkdir(parents=True, exist_ok=True)
    with ExitStack() as stack:
        urls, logs, pids = [], [], []
        for index in range(count):
            log = work_dir / f"server-{index}.log"
            url, pid = stack.enter_context(_server(data.url, work_dir, log))
            urls.append(url)
            logs.append(log)
            pids.append(pid)
        yield Servers(urls, logs, data.url, pids)


@contextmanager
def _server(database_url: str, work_dir: Path, log: Path) -> Iterator[tuple[str, int]]:
    port = _free_port()
    command = [sys.executable, str(ROOT / "main.py"), "server", "--database-url", database_url,
               "--data-dir", str(work_dir / "server-data"), "run", "--port", str(port)]  # fmt: skip
    with log.open("wb") as errors:
        process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=errors)
    url = f"http://127.0.0.1:{port}"
    try:
        _until_ready(url, process, log)
        yield url, process.pid
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _until_ready(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            last = (log.read_text(errors="replace").strip().splitlines() or ["no output"])[-1]
            raise MeasureFailed(f"server exited {process.returncode}: {last[:200]}")
        try:
            if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise MeasureFailed(f"server not ready within {READY_TIMEOUT_S:.0f} s")


def ensure_account(database_url: str) -> None:
    """The benchmark's call-taker, created through the accounts service unless it exists."""
    engine = create_engine(database_url)
    with session_factory(engine)() as session:
        if session.execute(select(Account.id).where(Account.username == USERNAME)).first():
            return
        accounts.create_account(session, reference(), USERNAME, "压测话务员", "call_taker",
                                PASSWORD, now=utc_now())  # fmt: skip
        session.commit()
    engine.dispose()


def reference() -> ReferenceData:
    return parse_reference({name: (REFERENCE / name).read_text("utf-8") for name in FILES})


def login(url: str, console: Enrolled | None = None) -> str:
    """An access token of the benchmark's account, bound to `console` if given."""
    body = {"username": USERNAME, "password": PASSWORD}
    if console is not None:
        body.update(client_id=console.client_id, console_secret=console.secret)
    response = httpx.post(f"{url}/v1/auth/login", json=body, timeout=HTTP_TIMEOUT_S)
    _check(response, "login")
    return str(response.json()["access_token"])


def _check(response: httpx.Response, what: str) -> None:
    if response.status_code != 200:
        raise MeasureFailed(f"{what}: HTTP {response.status_code} {response.text[:120]}")


def client(url: str, token: str) -> httpx.Client:
    headers = {"Authorization": f"Bearer {token}"}
    return httpx.Client(base_url=url, headers=headers, timeout=HTTP_TIMEOUT_S)


@dataclass
class Console:
    """A console of the benchmark's, enrolled and logged in, numbering its mutations."""

    http: httpx.Client
    enrolled: Enrolled
    last_mid: int = 0

    @classmethod
    def enrol(cls, url: str, servers: Servers) -> Console:
        """A new console, enrolled at the next free seat as a supervisor would, logged in for.
        Enrolled as the benchmark's account, so that the clean-up finds it."""
        engine = create_engine(servers.database_url)
        with session_factory(engine)() as session:
            enrolled = enrolment.enrol(session, None, False, USERNAME, utc_now())
            session.commit()
        engine.dispose()
        return cls(client(url, login(url, enrolled)), enrolled)

    @property
    def client_id(self) -> str:
        return self.enrolled.client_id

    @property
    def seat(self) -> str:
        return self.enrolled.seat_code

    def push(self, creates: list[dict[str, Any]]) -> None:
        """Push case creations as one batch; every one of them must be applied."""
        mutations = [{"mid": self.last_mid + 1 + i, "name": "case.create", "args": args}
                     for i, args in enumerate(creates)]  # fmt: skip
        response = self.http.post(
            "/v1/sync/push", json={"client_id": self.client_id, "mutations": mutations}
        )
        _check(response, "push")
        refused = [r for r in response.json()["results"] if r["status"] != "applied"]
        if refused:
            raise MeasureFailed(f"push: {len(refused)} not applied, first: {refused[0]}")
        self.last_mid += len(creates)


def generated_consoles(conninfo: str) -> list[Enrolled]:
    """The data's own consoles, one per seat of the centre, given a secret for this run."""
    secret = secrets.token_urlsafe(32)
    with psycopg.connect(conninfo) as conn:
        rows = conn.execute(
            "UPDATE consoles SET secret_hash = %s WHERE seat_code = ANY(%s)"
            " AND retired_at IS NULL RETURNING client_id, seat_code",
            (accounts.digest(secret), list(SEATS)),
        ).fetchall()
    return sorted((Enrolled(c, seat, secret) for c, seat in rows), key=lambda e: e.seat_code)


class Intakes:
    """New cases as consoles push them: the generator's cases, taken now at a seat, numbered
    by the seat's daily sequence; ones the console would not have saved are left out."""

    def __init__(self, seed: int) -> None:
        self._ref = reference()
        self._rng = random.Random(seed)
        self._factory = CaseFactory(self._ref, self._rng, datetime.now(UTC))
        self._sequences: dict[str, int] = {}
        self._phones = itertools.cycle(plan_callers(self._rng, CALLERS).phones)

    def take(self, seat: str, count: int) -> list[dict[str, Any]]:
        made: list[dict[str, Any]] = []
        while len(made) < count:
            now = datetime.now(UTC)
            row, _, _ = self._factory.case(now, next(self._phones), SEATS[0], "")
            values = dict(zip(CASE_COLUMNS, row, strict=True))
            sequence = self._sequences.get(seat, 0) + 1
            sent = {
                **values,
                "case_no": case_number(centre_day(now), seat, sequence),
                "created_at": now.isoformat(),
                "deadline_at": _iso(values["deadline_at"]),
                "confidential": bool(values["confidential"]),
                "anonymous": bool(values["anonymous"]),
            }
            try:
                new = NewCase.from_args(sent, self._ref, now)
            except ValidationFailed:
                continue
            self._sequences[seat] = sequence
            made.append(new.to_args())
        return made


def _iso(db_time: object) -> str | None:
    """The factory's naive UTC text as the aware ISO text a console sends."""
    if not isinstance(db_time, str) or not db_time:
        return None
    return datetime.fromisoformat(db_time).replace(tzinfo=UTC).isoformat()


# What the benchmark wrote: the cases of the consoles it enrolled (itself or with a code it
# issued), with everything the server wrote about them, those consoles, and the sessions of its
# account.
_CLEAN_UP = (
    "CREATE TEMP TABLE bench_cases ON COMMIT DROP AS SELECT id FROM cases WHERE client_id IN"
    " (SELECT client_id FROM consoles WHERE enrolled_by IN (%(user)s, %(by_code)s))",
    "DELETE FROM change_log WHERE entity_id IN (SELECT id FROM bench_cases)",
    "DELETE FROM audit_log WHERE entity_id IN (SELECT id FROM bench_cases)",
    "DELETE FROM conflicts WHERE case_id IN (SELECT id FROM bench_cases)",
    "DELETE FROM case_events WHERE case_id IN (SELECT id FROM bench_cases)",
    "DELETE FROM case_notes WHERE case_id IN (SELECT id FROM bench_cases)",
    "DELETE FROM case_assisting_agencies WHERE case_id IN (SELECT id FROM bench_cases)",
    "DELETE FROM cases WHERE id IN (SELECT id FROM bench_cases)",
    "DELETE FROM mutation_results WHERE client_id IN"
    " (SELECT client_id FROM consoles WHERE enrolled_by IN (%(user)s, %(by_code)s))",
    "DELETE FROM consoles WHERE enrolled_by IN (%(user)s, %(by_code)s)",
    "DELETE FROM enrol_codes WHERE created_by = %(user)s",
    "DELETE FROM spent_refresh_tokens WHERE session_id IN (SELECT id FROM auth_sessions"
    " WHERE account_id IN (SELECT id FROM accounts WHERE username = %(user)s))",
    "DELETE FROM auth_sessions WHERE account_id IN"
    " (SELECT id FROM accounts WHERE username = %(user)s)",
)


def clean_up(conninfo: str) -> None:
    """Remove what earlier measures wrote, so the next run finds the data as generated."""
    with psycopg.connect(conninfo) as conn:
        for sql in _CLEAN_UP:
            conn.execute(sql, {"user": USERNAME, "by_code": f"code of {USERNAME}"})
