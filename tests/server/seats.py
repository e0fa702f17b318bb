"""Consoles for the server tests: an enrolled console with a user logged in, numbering its
mutations as the outbox does; a valid intake; reading the ledger; pulling and poking."""

from __future__ import annotations

import itertools
import threading
import time
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy import func, select, update

from console.domain.clock import utc_now
from console.domain.ids import new_id
from console.domain.numbering import case_number, centre_day
from console.domain.workflow import Role
from console.server.database import server_engine
from console.store.db import session_factory
from console.store.schema import Case
from console.store.server_schema import Console
from tests.server.process import Server


def case_args(seat_code: str, sequence: int, **changes: Any) -> dict[str, Any]:
    """A complaint as a console's `case.create` carries it."""
    return {
        "id": new_id(),
        "case_no": case_number(centre_day(utc_now()), seat_code, sequence),
        "caller_phone": "13800138000",
        "appeal_type": "complaint",
        "category_code": "010101",
        "district_name": "朝阳区",
        "street_name": "三里屯街道",
        "community": "幸福村社区",
        "address": "三里屯路19号南侧人行道",
        "description": "每天傍晚有商贩在人行道上摆摊卖水果，行人只能走到机动车道上。",
        "caller_name": "张先生",
        "urgency": "normal",
        "handling": "dispatch",
        "lead_agency_code": "S110105004",
        "assisting_agencies": [],
        **changes,
    }


@dataclass
class Seat:
    """An enrolled console with a user logged in on it, numbering its mutations 1, 2, 3…"""

    server: Server
    username: str
    client_id: str
    seat_code: str
    http: httpx.Client
    last_mid: int = 0
    numbers: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    @classmethod
    def open(cls, server: Server, role: Role = Role.CALL_TAKER, username: str = "") -> Seat:
        name = username or server.user(role)
        console = server.console()
        http = server.client(server.login(name, console))
        return cls(server, name, console.client_id, console.seat_code, http)

    def batch(self, *mutations: tuple[str, dict[str, Any]]) -> list[dict[str, Any]]:
        """The next mutations of the outbox, numbered."""
        start = self.last_mid + 1
        self.last_mid += len(mutations)
        return [
            {"mid": start + i, "name": name, "args": args}
            for i, (name, args) in enumerate(mutations)
        ]

    def send(self, batch: list[dict[str, Any]], client_id: str = "") -> httpx.Response:
        body = {"client_id": client_id or self.client_id, "mutations": batch}
        return self.http.post("/v1/sync/push", json=body)

    def push(self, *mutations: tuple[str, dict[str, Any]]) -> list[dict[str, Any]]:
        response = self.send(self.batch(*mutations))
        assert response.status_code == 200, response.text
        return list(response.json()["results"])

    def new_case(self, **changes: Any) -> dict[str, Any]:
        return case_args(self.seat_code, next(self.numbers), **changes)

    def create(self, **changes: Any) -> str:
        args = self.new_case(**changes)
        [result] = self.push(("case.create", args))
        assert result["status"] == "applied", result
        return str(args["id"])


class Seats:
    """Opens consoles for a test and closes their connections afterwards."""

    def __init__(self) -> None:
        self.opened: list[Seat] = []

    def open(self, server: Server, role: Role = Role.CALL_TAKER, username: str = "") -> Seat:
        seat = Seat.open(server, role, username)
        self.opened.append(seat)
        return seat

    def close(self) -> None:
        for seat in self.opened:
            seat.http.close()


@dataclass(frozen=True)
class Crew:
    """Two call-takers and a supervisor, each on a console, shared by a module's tests."""

    taker: Seat
    colleague: Seat
    supervisor: Seat


def enrolled_long_ago(server: Server, *seats: Seat) -> None:
    """Consoles enrolled 41 days ago, to take calls of 40 days ago: a call is never taken before
    its console enrolled."""
    engine = server_engine(server.database_url)
    with session_factory(engine)() as session:
        session.execute(
            update(Console)
            .where(Console.client_id.in_([seat.client_id for seat in seats]))
            .values(enrolled_at=utc_now() - timedelta(days=41))
        )
        session.commit()
    engine.dispose()


def ledger(server: Server, client_id: str) -> int:
    [(last_mid,)] = server.rows(select(Console.last_mid).where(Console.client_id == client_id))
    return int(last_mid)


def cases_numbered(server: Server, case_no: str) -> int:
    [(count,)] = server.rows(select(func.count()).where(Case.case_no == case_no))
    return int(count)


def pull_page(seat: Seat, cursor: str | None, limit: int = 500) -> dict[str, Any]:
    """A page with each upsert's values named by the page's fields, as a console reads it."""
    params: dict[str, Any] = {"limit": limit}
    if cursor:
        params["cursor"] = cursor
    response = seat.http.get("/v1/sync/pull", params=params)
    assert response.status_code == 200, response.text
    return named(response.json())


def named(page: dict[str, Any]) -> dict[str, Any]:
    """A page (pulled or live) with each upsert's values named by the page's fields."""
    page = {**page, "changes": [dict(change) for change in page["changes"]]}
    for change in page["changes"]:
        if change["data"] is not None:
            assert len(change["data"]) == len(page["fields"])
            change["data"] = dict(zip(page["fields"], change["data"], strict=True))
    return page


def pull_all(
    seat: Seat, cursor: str | None = None, limit: int = 500
) -> tuple[list[dict[str, Any]], str, bool]:
    """Every change until `has_more` is false: the changes, the new cursor, whether reset."""
    changes: list[dict[str, Any]] = []
    reset = False
    while True:
        page = pull_page(seat, cursor, limit)
        changes += page["changes"]
        cursor, reset = page["cursor"], reset or page["reset"]
        if not page["has_more"]:
            return changes, str(cursor), reset


def of(changes: list[dict[str, Any]], *case_ids: str) -> list[dict[str, Any]]:
    return [c for c in changes if c["id"] in case_ids]


class Poke(threading.Thread):
    """A poke in flight; `answer` and `answered_at` once it returns."""

    def __init__(self, seat: Seat, cursor: str, timeout: float) -> None:
        super().__init__(daemon=True)
        self.params: dict[str, Any] = {"cursor": cursor, "timeout": timeout}
        self.seat = seat
        self.answer: dict[str, Any] = {}
        self.answered_at = 0.0

    def run(self) -> None:
        response = self.seat.http.get("/v1/sync/poke", params=self.params)
        self.answered_at = time.monotonic()
        self.answer = {"status": response.status_code, **response.json()}

    def waiting(self, others: int = 0) -> bool:
        """Whether the poke is parked on its server (with `others` parked there beside it)."""
        deadline = time.monotonic() + 10
        while self.is_alive() and waiting_pokes(self.seat.server) <= others:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.02)
        return self.is_alive()


def waiting_pokes(server: Server) -> int:
    return int(httpx.get(server.url + "/readyz", timeout=5).json()["waiting_pokes"])
