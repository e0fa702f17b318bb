"""Accounts and sessions, through the real server process."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

import httpx

from console.central import enrolment
from console.domain.clock import utc_now
from console.domain.workflow import Role
from tests.server.process import PASSWORD, Server


def test_a_login_gives_tokens_that_open_the_api_and_refresh_rotates_them(server: Server) -> None:
    name = server.user(Role.CALL_TAKER)
    with server.client() as http:
        tokens = http.post("/v1/auth/login", json={"username": name, "password": PASSWORD})
        assert tokens.status_code == 200
        body = tokens.json()
        assert body["expires_in"] == 900
        assert body["refresh_expires_in"] == 12 * 3600
        me = http.get("/v1/me", headers={"Authorization": f"Bearer {body['access_token']}"})
        assert me.json()["role"] == "call_taker"
        again = http.post("/v1/auth/refresh", json={"refresh_token": body["refresh_token"]})
        assert again.status_code == 200
        latest = http.post(
            "/v1/auth/refresh", json={"refresh_token": again.json()["refresh_token"]}
        )
        assert latest.status_code == 200
        spent = http.post("/v1/auth/refresh", json={"refresh_token": body["refresh_token"]})
        assert spent.status_code == 401
        old = http.get("/v1/me", headers={"Authorization": f"Bearer {body['access_token']}"})
        assert old.status_code == 401


def test_a_wrong_password_is_refused_and_repeated_failures_are_throttled(server: Server) -> None:
    name = server.user(Role.SUPERVISOR)
    with server.client() as http:
        for _ in range(5):
            wrong = http.post("/v1/auth/login", json={"username": name, "password": "nope"})
            assert wrong.status_code == 401
            assert wrong.json()["error"]["code"] == "unauthorised"
        throttled = http.post("/v1/auth/login", json={"username": name, "password": PASSWORD})
        assert throttled.status_code == 429
        assert int(throttled.headers["Retry-After"]) > 0
        other = server.user(Role.SUPERVISOR)
        fine = http.post("/v1/auth/login", json={"username": other, "password": PASSWORD})
        assert fine.status_code == 200


def test_disabling_an_account_ends_its_sessions_at_once(server: Server) -> None:
    admin = server.login(server.user(Role.ADMIN))
    name = server.user(Role.CALL_TAKER)
    token = server.login(name)
    with server.client(token) as user, server.client(admin) as admin_http:
        assert user.get("/v1/me").status_code == 200
        assert admin_http.post(f"/v1/accounts/{name}/disable").status_code == 204
        assert user.get("/v1/me").status_code == 401
        with server.client() as anyone:
            login = anyone.post("/v1/auth/login", json={"username": name, "password": PASSWORD})
            assert login.status_code == 403
            assert login.json()["error"]["code"] == "account_disabled"
            # Without the right password nothing tells the account is disabled.
            guess = anyone.post("/v1/auth/login", json={"username": name, "password": "nope"})
            assert guess.status_code == 401
            assert guess.json()["error"]["code"] == "unauthorised"


def test_only_an_admin_creates_accounts_and_never_with_a_short_password(server: Server) -> None:
    admin = server.login(server.user(Role.ADMIN))
    supervisor = server.login(server.user(Role.SUPERVISOR))
    account = {
        "username": "zhang.wei",
        "display_name": "张伟",
        "role": "call_taker",
        "password": PASSWORD,
    }
    with server.client(supervisor) as http:
        assert http.post("/v1/accounts", json=account).status_code == 403
    with server.client(admin) as http:
        short = http.post("/v1/accounts", json={**account, "password": "short"})
        assert short.status_code == 422
        assert short.json()["error"]["fields"][0]["field"] == "password"
        assert http.post("/v1/accounts", json=account).status_code == 201
        assert http.post("/v1/accounts", json=account).status_code == 422  # taken


def test_a_supervisor_enrols_a_console_whose_secret_opens_its_sessions(server: Server) -> None:
    supervisor = server.login(server.user(Role.SUPERVISOR))
    with server.client(supervisor) as http:
        enrolled = http.post("/v1/consoles", json={})
        assert enrolled.status_code == 201
        console = enrolled.json()
        assert uuid.UUID(console["client_id"])
        assert len(console["console_secret"]) >= 43  # 256 bits, URL-safe Base64
        taken = http.post("/v1/consoles", json={"seat_code": console["seat_code"]})
        assert taken.status_code == 422
        assert taken.json()["error"]["fields"] == [{"field": "seat_code", "code": "seat_taken"}]
        assert http.post("/v1/consoles", json={"seat_code": "000"}).status_code == 422
    name = server.user(Role.CALL_TAKER)
    login = {"username": name, "password": PASSWORD, "client_id": console["client_id"]}
    with server.client() as http:
        tokens = http.post(
            "/v1/auth/login", json={**login, "console_secret": console["console_secret"]}
        )
        assert tokens.status_code == 200
        me = http.get(
            "/v1/me", headers={"Authorization": f"Bearer {tokens.json()['access_token']}"}
        )
    assert (me.json()["client_id"], me.json()["seat_code"]) == (
        console["client_id"],
        console["seat_code"],
    )


def test_enrolments_at_the_same_moment_never_share_a_seat_nor_fail(server: Server) -> None:
    """Workstations set up together, by a supervisor or with codes for any seat: each gets
    a seat of its own, none is told to try again."""
    supervisor = server.login(server.user(Role.SUPERVISOR))
    with server.database() as session:
        codes = [enrolment.issue_code(session, None, 1, "test", utc_now()) for _ in range(12)]
        session.commit()

    def enrol(n: int) -> httpx.Response:
        if n % 2:
            with server.client(supervisor) as http:
                return http.post("/v1/consoles", json={})
        with server.client() as http:
            return http.post("/v1/consoles/enrol", json={"code": codes[n // 2]})

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(enrol, range(24)))
    assert [a.status_code for a in answers] == [201] * 24
    seats = [a.json()["seat_code"] for a in answers]
    assert len(set(seats)) == len(seats)
