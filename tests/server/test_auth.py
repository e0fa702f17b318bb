"""Accounts and sessions, through the real server process."""

from __future__ import annotations

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
            assert login.status_code == 401


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


def test_a_console_enrols_once_and_keeps_its_seat(server: Server) -> None:
    token = server.login(server.user(Role.CALL_TAKER))
    client_id = "0f5b8e2a-6d3c-4b7e-9a1f-2c4d6e8f0a1b"
    with server.client(token) as http:
        first = http.post("/v1/consoles", json={"client_id": client_id})
        again = http.post("/v1/consoles", json={"client_id": client_id})
        assert first.status_code == again.status_code == 200
        assert first.json()["seat_code"] == again.json()["seat_code"]
        taken = http.post(
            "/v1/consoles",
            json={
                "client_id": "1f5b8e2a-6d3c-4b7e-9a1f-2c4d6e8f0a1b",
                "seat_code": first.json()["seat_code"],
            },
        )
        assert taken.status_code == 422
        bad = http.post("/v1/consoles", json={"client_id": "not-a-uuid"})
        assert bad.status_code == 422
