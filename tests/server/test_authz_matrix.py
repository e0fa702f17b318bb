"""The access policy, as a table: for each request, the status each caller gets.

Columns: no token, an unknown token, and one account of each role. `{own}` is a case that
belongs to the caller where that can mean something (led by the agency, owned by the
call-taker); `{other}` belongs to another agency and another call-taker; `{unknown}` does
not exist. Supervisors and admins work on every case alike. A refused request changes nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from console.domain.workflow import Role
from tests.server.cases import (
    AGENCY,
    CITY_AGENCY,
    OTHER_AGENCY,
    Cases,
    open_cases,
    open_http,
    phone_number,
)
from tests.server.process import PASSWORD, Server

POLICY = """
request                                        none invalid call_taker supervisor admin agency
GET  /v1/me                                     401  401     200        200        200   200
POST /v1/accounts                               401  401     403        403        201   403
POST /v1/accounts/{account}/disable             401  401     403        403        204   403
POST /v1/accounts/{account}/enable              401  401     403        403        204   403
POST /v1/consoles                               401  401     403        201        201   403
POST /v1/consoles/{console}/retire              401  401     403        403        200   403
POST /v1/consoles/renew                         401  401     403        403        403   403
GET  /v1/cases                                  401  401     200        200        200   200
GET  /v1/caller-history                         401  401     200        200        200   403
GET  /v1/cases/{own}                            401  401     200        200        200   200
GET  /v1/cases/{other}                          401  401     200        200        200   404
GET  /v1/cases/{unknown}                        401  401     404        404        404   404
POST /v1/cases/{own}/sign                       401  401     403        403        403   200
POST /v1/cases/{other}/sign                     401  401     403        403        403   404
POST /v1/cases/{unknown}/sign                   401  401     403        403        403   404
POST /v1/cases/{own}/return                     401  401     403        403        403   200
POST /v1/cases/{other}/return                   401  401     403        403        403   404
POST /v1/cases/{own}/reply                      401  401     403        403        403   200
POST /v1/cases/{other}/reply                    401  401     403        403        403   404
POST /v1/cases/{own}/request_extension          401  401     403        403        403   200
POST /v1/cases/{other}/request_extension        401  401     403        403        403   404
POST /v1/cases/{own}/approve_extension          401  401     403        200        200   403
POST /v1/cases/{other}/approve_extension        401  401     403        200        200   403
POST /v1/cases/{own}/refuse_extension           401  401     403        200        200   403
POST /v1/cases/{other}/refuse_extension         401  401     403        200        200   403
POST /v1/cases/{own}/redispatch                 401  401     403        200        200   403
POST /v1/cases/{other}/redispatch               401  401     403        200        200   403
POST /v1/cases/{unknown}/redispatch             401  401     403        404        404   403
POST /v1/cases/{own}/reassign                   401  401     403        200        200   403
POST /v1/cases/{other}/reassign                 401  401     403        200        200   403
POST /v1/cases/{own}/void                       401  401     403        200        200   403
POST /v1/cases/{other}/void                     401  401     403        200        200   403
POST /v1/cases/{own}/merge                      401  401     403        200        200   403
POST /v1/cases/{other}/merge                    401  401     403        200        200   403
POST /v1/cases/{own}/follow_up                  401  401     200        200        200   403
POST /v1/cases/{other}/follow_up                401  401     200        200        200   403
POST /v1/cases/redispatch                       401  401     403        200        200   403
"""

# What each action needs to succeed: the status its case starts from and its body.
ACTIONS: dict[str, tuple[str, dict[str, Any] | None]] = {
    "sign": ("dispatched", None),
    "return": ("dispatched", {"reason_code": "not_our_duty"}),
    "reply": ("accepted", {"text": "已处理完毕"}),
    "request_extension": ("accepted", {"until": "2099-01-01T00:00:00+08:00", "reason": "协调中"}),
    "approve_extension": ("extension_requested", None),
    "refuse_extension": ("extension_requested", None),
    "redispatch": ("returned", {"agency_code": CITY_AGENCY}),
    "reassign": ("dispatched", {"owner": "<call_taker>"}),
    "void": ("dispatched", {"reason": "无效来电"}),
    "merge": ("dispatched", {"into_case_id": "<target>"}),
    "follow_up": ("replied", {"solved": "solved", "satisfied": "satisfied"}),
}


def _cells() -> Iterator[tuple[str, str, int]]:
    header, *rows = POLICY.strip().splitlines()
    columns = header.split()[1:]
    for row in rows:
        method, path, *codes = row.split()
        assert len(codes) == len(columns), row
        for caller, code in zip(columns, codes, strict=True):
            yield f"{method} {path}", caller, int(code)


CELLS = list(_cells())


class World:
    """The callers, and the cases and accounts the requests name.

    A case the request may change is made for its cell alone; every other cell reuses one
    case of each kind and status, and checks that the refused request left no audit row.
    """

    def __init__(self, server: Server, cases: Cases) -> None:
        self.server, self.cases = server, cases
        self.call_taker = server.user(Role.CALL_TAKER)  # the owner of `{own}` cases
        names = {role.value: server.user(role) for role in (Role.SUPERVISOR, Role.ADMIN)}
        names.update(call_taker=self.call_taker, agency=server.user(Role.AGENCY, AGENCY))
        self.tokens: dict[str, str | None] = {k: server.login(v) for k, v in names.items()}
        self.tokens.update(none=None, invalid="not-a-token-" + uuid.uuid4().hex)
        self.account = server.user(Role.CALL_TAKER)  # disabled and enabled again and again
        self._shared: dict[tuple[str, str], str] = {}

    def case(self, kind: str, status: str, changes: bool) -> str:
        if kind == "unknown":
            return str(uuid.uuid4())
        if changes:
            return self._new_case(kind, status)
        if (kind, status) not in self._shared:
            self._shared[kind, status] = self._new_case(kind, status)
        return self._shared[kind, status]

    def _new_case(self, kind: str, status: str) -> str:
        own = kind == "own"
        return self.cases.in_status(
            status,
            agency=AGENCY if own else OTHER_AGENCY,
            owner=self.call_taker if own else "someone.else",
        )

    def request(self, request: str, changes: bool) -> tuple[str, str, dict[str, Any]]:
        method, path = request.split()
        if "{account}" in path:
            return method, path.format(account=self.account), {}
        if "{console}" in path:
            return method, path.format(console=self.server.console().client_id), {}
        if path == "/v1/cases/redispatch":
            case_id = self.case("own", "dispatched", changes)
            return method, path, {"json": {"case_ids": [case_id], "agency_code": CITY_AGENCY}}
        if "{" in path:
            return self._case_request(method, path, changes)
        return method, path, _plain_request(path)

    def _case_request(
        self, method: str, path: str, changes: bool
    ) -> tuple[str, str, dict[str, Any]]:
        kind = path.split("{")[1].split("}")[0]
        action = path.rsplit("/", 1)[1] if path.endswith(tuple(ACTIONS)) else ""
        status, body = ACTIONS.get(action, ("dispatched", None))
        url = path.replace(f"{{{kind}}}", self.case(kind, status, changes))
        if body is None:
            return method, url, {}
        return method, url, {"json": {k: self._filled(v, changes) for k, v in body.items()}}

    def _filled(self, value: Any, changes: bool) -> Any:
        if value == "<call_taker>":
            return self.call_taker
        return self.case("other", "dispatched", changes) if value == "<target>" else value

    def audited(self) -> dict[str, int]:
        """How many audit rows each shared case has."""
        return self.cases.audit_counts(self._shared.values())


@pytest.fixture(scope="module")
def world(server: Server) -> Iterator[World]:
    for cases in open_cases(server):
        yield World(server, cases)


@pytest.fixture(scope="module")
def http(server: Server) -> Iterator[httpx.Client]:
    yield from open_http(server)


def _plain_request(path: str) -> dict[str, Any]:
    if path == "/v1/accounts":
        name = "new." + uuid.uuid4().hex[:10]
        account = {"username": name, "display_name": "新坐席", "role": "call_taker"}
        return {"json": {**account, "password": PASSWORD}}
    if path == "/v1/consoles":
        return {"json": {}}
    if path == "/v1/caller-history":
        return {"params": {"phone": phone_number()}}
    return {}


@pytest.mark.parametrize(
    ("request_", "caller", "expected"), CELLS, ids=[f"{r} as {c}" for r, c, _ in CELLS]
)
def test_access_policy(
    http: httpx.Client, world: World, request_: str, caller: str, expected: int
) -> None:
    changes = request_.startswith("POST /v1/cases") and expected < 300
    method, url, options = world.request(request_, changes)
    before = world.audited()
    token = world.tokens[caller]
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = http.request(method, url, headers=headers, **options)
    assert response.status_code == expected, response.text
    assert world.audited() == before
    if expected >= 300:
        assert set(response.json()) == {"error"}
