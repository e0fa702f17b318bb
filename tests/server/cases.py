"""Cases for the server tests, set up the way the server itself writes them: through the
mutation engine, with an actor, straight into the database the server process serves."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any

import httpx
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from console.central import changes
from console.central.changes import Actor, Mutation
from console.central.enrolment import Enrolled
from console.domain.clock import utc_now
from console.domain.reference import FILES, ReferenceData, parse_reference
from console.domain.workflow import Role
from console.paths import REFERENCE
from console.server.database import server_engine
from console.store.schema import Case
from console.store.server_schema import AuditRow
from tests.server.process import Server

SEAT = 42  # the first of the seats the test cases are taken at
# Two street offices of Chaoyang: the agency under test and another one; a city commission.
AGENCY = "S110105004"  # 三里屯街道办事处
OTHER_AGENCY = "S110105001"  # 建外街道办事处
CITY_AGENCY = "C001"  # 北京市城市管理委员会
# Every case number of the test run is different, whatever database it goes to.
_sequence = itertools.count(1)
# The actions that bring a freshly dispatched case to each status, and who takes them.
_PATHS: dict[str, tuple[str, ...]] = {
    "dispatched": (),
    "accepted": ("sign",),
    "extension_requested": ("sign", "request_extension"),
    "returned": ("return",),
    "replied": ("sign", "reply"),
    "closed": ("sign", "reply", "follow_up"),
    "void": ("void",),
}


@cache
def reference() -> ReferenceData:
    return parse_reference({name: (REFERENCE / name).read_text("utf-8") for name in FILES})


def phone_number() -> str:
    """A mobile number no other test uses."""
    return f"139{uuid.uuid4().int % 10**8:08d}"


class Cases:
    """Creates cases and moves them along the workflow in `server`'s database."""

    def __init__(self, database_url: str) -> None:
        self.engine: Engine = server_engine(database_url)

    def close(self) -> None:
        self.engine.dispose()

    def create(self, owner: str = "intake", **fields: Any) -> str:
        """A dispatched complaint led by AGENCY unless `fields` say otherwise; its id."""
        case_id, number = str(uuid.uuid4()), next(_sequence)
        seat = f"{SEAT + number // 10000:03d}"  # a seat has 9999 numbers a day
        created = fields.pop("created_at", utc_now())
        args = {
            "id": case_id,
            "case_no": f"{created:%y%m%d}{seat}{number % 10000:04d}",
            "caller_phone": phone_number(),
            "caller_name": "张先生",
            "appeal_type": "complaint",
            "category_code": "010101",
            "district_name": "朝阳区",
            "street_name": "三里屯街道",
            "address": "三里屯路19号南侧人行道",
            "description": "每天傍晚有商贩在人行道上摆摊卖水果，行人只能走到机动车道上。",
            "handling": "dispatch",
            "lead_agency_code": AGENCY,
            "created_at": created.isoformat(),
            "deadline_at": (created + timedelta(days=7)).isoformat(),
            **fields,
        }
        outcome = self.apply(Actor(owner, Role.CALL_TAKER, seat_code=seat), "case.create", args)
        assert outcome.status == "applied", outcome.body
        return case_id

    def in_status(
        self, status: str, agency: str = AGENCY, owner: str = "intake", **fields: Any
    ) -> str:
        """A new case of `agency`, owned by `owner`, brought to `status` by the usual actions."""
        case_id = self.create(owner=owner, lead_agency_code=agency, **fields)
        for action in _PATHS[status]:
            self.act(case_id, action, agency)
        return case_id

    def act(self, case_id: str, action: str, agency: str = AGENCY, **args: Any) -> None:
        """Take `action` as whoever may: the lead agency, a supervisor or a call-taker."""
        defaults = {
            "return": {"reason_code": "wrong_locality"},
            "reply": {"text": "已联系城管执法队清理，商贩已劝离。"},
            "request_extension": {
                "until": (utc_now() + timedelta(days=30)).isoformat(),
                "reason": "需协调多个部门",
            },
            "follow_up": {"solved": "solved", "satisfied": "satisfied"},
            "void": {"reason": "测试作废"},
        }
        values = {"case_id": case_id, **defaults.get(action, {}), **args}
        outcome = self.apply(_actor_for(action, agency), f"case.{action}", values)
        assert outcome.status == "applied", (action, outcome.body)

    def apply(self, actor: Actor, name: str, args: dict[str, Any]) -> changes.Outcome:
        with Session(self.engine) as session:
            outcome = changes.apply(session, actor, Mutation(name, args), utc_now(), reference())
            session.commit()
        return outcome

    def row(self, case_id: str) -> Case:
        with Session(self.engine, expire_on_commit=False) as session:
            found = session.get(Case, case_id)
            assert found is not None
            return found

    def audit_counts(self, case_ids: Iterable[str]) -> dict[str, int]:
        """How many audit rows each case has, in one query."""
        query = (
            select(AuditRow.entity_id, func.count())
            .where(AuditRow.entity_id.in_(list(case_ids)))
            .group_by(AuditRow.entity_id)
        )
        with Session(self.engine) as session:
            return dict(session.execute(query).all())

    def audit(self, case_id: str) -> list[AuditRow]:
        """The case's audit rows, oldest first."""
        with Session(self.engine, expire_on_commit=False) as session:
            query = select(AuditRow).where(AuditRow.entity_id == case_id).order_by(AuditRow.id)
            return list(session.execute(query).scalars())


def _actor_for(action: str, agency: str) -> Actor:
    if action in ("sign", "return", "reply", "request_extension"):
        return Actor("agency-clerk", Role.AGENCY, agency_code=agency)
    if action == "follow_up":
        return Actor("follow-up", Role.CALL_TAKER, seat_code=f"{SEAT:03d}")
    return Actor("duty-supervisor", Role.SUPERVISOR)


def open_cases(server: Server) -> Iterator[Cases]:
    """For a module's fixture: cases in the server's database."""
    made = Cases(server.database_url)
    yield made
    made.close()


@dataclass(frozen=True)
class Person:
    username: str
    token: str

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def open_http(server: Server) -> Iterator[httpx.Client]:
    """For a module's fixture: one client for all its requests (a new one costs ~20 ms)."""
    with server.client() as client:
        yield client


def person(server: Server, role: Role, agency: str = "", console: Enrolled | None = None) -> Person:
    """A new account of `role`, logged in (on `console`, if given)."""
    name = server.user(role, agency)
    return Person(name, server.login(name, console))


def later(days: float) -> datetime:
    """A moment `days` from now (before it, if negative)."""
    return utc_now() + timedelta(days=days)
