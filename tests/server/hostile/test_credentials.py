"""Consoles and sign-in, as a hostile client tries them: pushing as another console, using up
the seats, replaying an enrolment code, keeping a retired console's session, locking out an
account's owner, finding out which names exist, filling the failed-login table, and keeping an
access token or a stolen refresh token alive.

Each test that fails logins sends them from a loopback address of its own (Linux routes all of
127/8 to the loopback device): the server counts failures per address, and the module's tests
share one server.
"""

from __future__ import annotations

import statistics
import time
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select, update

from console.central import accounts, enrolment, throttle
from console.central.accounts import LoginAttempt
from console.central.enrolment import Enrolled
from console.domain.clock import utc_now
from console.domain.workflow import Role
from console.store.server_schema import AuthSession, Console, LoginFailures, SpentRefreshToken
from tests.server.process import PASSWORD, Server, start_server
from tests.server.seats import Seats, case_args, ledger

LOGIN = "/v1/auth/login"


def count(server: Server, query: Any) -> int:
    with server.database() as session:
        return int(session.execute(query).scalar_one())


def login(
    http: httpx.Client, username: str, password: str = PASSWORD, **console: str | None
) -> httpx.Response:
    return http.post(LOGIN, json={"username": username, "password": password, **console})


def on(console: Enrolled) -> dict[str, str]:
    """The login fields of a console."""
    return {"client_id": console.client_id, "console_secret": console.secret}


def me(server: Server, token: str) -> int:
    with server.client(token) as http:
        return http.get("/v1/me").status_code


# 1. A console is a credential.


def test_another_user_cannot_log_in_for_a_console_without_its_secret_nor_push_its_numbers(
    server: Server, seats: Seats
) -> None:
    owner = seats.open(server)
    intruder = server.user(Role.CALL_TAKER)
    own_console = server.console()
    with server.client(address="127.0.0.2") as http:
        wrong_password = login(http, intruder, "not the password")
        for secret in (None, "", "guessed", own_console.secret):
            refused = login(http, intruder, client_id=owner.client_id, console_secret=secret)
            assert (refused.status_code, refused.json()) == (401, wrong_password.json())
    mutation = {"mid": 1, "name": "case.create", "args": case_args(owner.seat_code, 1)}
    push = {"client_id": owner.client_id, "mutations": [mutation]}
    for console in (None, own_console):
        with server.client(server.login(intruder, console)) as http:
            taken = http.post("/v1/sync/push", json=push)
        assert (taken.status_code, taken.json()["error"]["code"]) == (403, "not_your_console")
    [result] = owner.push(("case.create", owner.new_case()))
    assert result["status"] == "applied"
    assert ledger(server, owner.client_id) == 1


def test_a_call_taker_or_an_agency_cannot_enrol_nor_use_up_the_seats(server: Server) -> None:
    consoles = select(func.count()).select_from(Console)
    before = count(server, consoles)
    taker = server.login(server.user(Role.CALL_TAKER))
    agency = server.login(server.user(Role.AGENCY, "S110105004"))
    with server.client(taker) as http:
        answers = {http.post("/v1/consoles", json={}).status_code for _ in range(997)}
    with server.client(agency) as http:
        answers.add(http.post("/v1/consoles", json={"seat_code": "001"}).status_code)
    assert answers == {403}
    assert count(server, consoles) == before
    with server.client(server.login(server.user(Role.SUPERVISOR))) as http:
        assert http.post("/v1/consoles", json={}).status_code == 201


def enrolled(answer: httpx.Response) -> Enrolled:
    body = answer.json()
    return Enrolled(body["client_id"], body["seat_code"], body["console_secret"])


def issue_code(server: Server, seat: str | None = None, hours_ago: int = 0) -> str:
    """An enrolment code issued as `enrol-code` does, `hours_ago` hours ago, valid 24 hours."""
    with server.database() as session:
        issued = utc_now() - timedelta(hours=hours_ago)
        code = enrolment.issue_code(session, seat, 24, "test", issued)
        session.commit()
    return code


def test_an_enrolment_code_enrols_once_and_never_after_it_expires(server: Server) -> None:
    code, expired = issue_code(server), issue_code(server, hours_ago=25)
    with server.client() as http:
        first = http.post("/v1/consoles/enrol", json={"code": code.lower().replace("-", "")})
        refusals = [
            http.post("/v1/consoles/enrol", json={"code": again})
            for again in (code, expired, "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF")
        ]
    assert first.status_code == 201
    assert [r.status_code for r in refusals] == [401] * 3
    assert len({r.text for r in refusals}) == 1  # used, expired or unknown: one answer
    assert me(server, server.login(server.user(Role.CALL_TAKER), enrolled(first))) == 200


def test_a_code_sent_again_with_its_enrolment_id_opens_its_console_only_until_it_is_used(
    server: Server,
) -> None:
    """The workstation that spent a code and lost the answer gets the console again, with a
    new secret; another id gets nothing, nor does the same id once the console signed in."""
    consoles = select(func.count()).select_from(Console)
    before = count(server, consoles)
    code, unknown = issue_code(server), "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF"
    mine, theirs = {"code": code, "enrolment_id": str(uuid.uuid4())}, {"code": code}
    with server.client() as http:
        lost, again = (http.post("/v1/consoles/enrol", json=mine) for _ in range(2))
        refusals = [
            http.post("/v1/consoles/enrol", json=body)
            for body in (theirs, {**theirs, "enrolment_id": str(uuid.uuid4())}, {"code": unknown})
        ]
        console = enrolled(again)
        user = server.user(Role.CALL_TAKER)
        assert login(http, user, **on(enrolled(lost))).status_code == 401
        assert login(http, user, **on(console)).status_code == 200
        refusals.append(http.post("/v1/consoles/enrol", json=mine))
    assert (lost.status_code, again.status_code) == (201, 201)
    first = enrolled(lost)
    assert (first.client_id, first.seat_code) == (console.client_id, console.seat_code)
    assert [r.status_code for r in refusals] == [401] * 4
    assert len({r.text for r in refusals}) == 1  # as for any used or unknown code
    assert count(server, consoles) == before + 1


def enrol_again(server: Server, seat: str, how: str) -> httpx.Response:
    """A new console for `seat`, as a supervisor with `replace`, or with a code for it."""
    if how == "code":
        with server.client() as http:
            return http.post("/v1/consoles/enrol", json={"code": issue_code(server, seat)})
    with server.client(server.login(server.user(Role.SUPERVISOR))) as http:
        taken = http.post("/v1/consoles", json={"seat_code": seat})
        assert taken.json()["error"]["fields"] == [{"field": "seat_code", "code": "seat_taken"}]
        return http.post("/v1/consoles", json={"seat_code": seat, "replace": True})


@pytest.mark.parametrize("how", ["replace", "code"])
def test_enrolling_a_seat_again_retires_the_console_that_was_there(
    server: Server, how: str
) -> None:
    old = server.console()
    taker = server.user(Role.CALL_TAKER)
    session = server.login(taker, old)
    answer = enrol_again(server, old.seat_code, how)
    assert answer.status_code == 201
    new = enrolled(answer)
    assert new.seat_code == old.seat_code
    assert me(server, session) == 401
    with server.client(address="127.0.0.3") as http:
        assert login(http, taker, **on(old)).status_code == 401
    assert me(server, server.login(taker, new)) == 200
    serving = select(func.count()).where(
        Console.seat_code == old.seat_code, Console.retired_at.is_(None)
    )
    assert count(server, serving) == 1


def test_an_admin_retires_a_console_which_frees_its_seat(server: Server) -> None:
    console = server.console()
    taker = server.user(Role.CALL_TAKER)
    session = server.login(taker, console)
    retire = f"/v1/consoles/{console.client_id}/retire"
    with server.client(server.login(server.user(Role.SUPERVISOR))) as supervisor:
        assert supervisor.post(retire).status_code == 403
        with server.client(server.login(server.user(Role.ADMIN))) as admin:
            retired = admin.post(retire)
            assert admin.post("/v1/consoles/unknown/retire").status_code == 404
        assert (retired.status_code, retired.json()["seat_code"]) == (200, console.seat_code)
        assert me(server, session) == 401
        with server.client(address="127.0.0.4") as http:
            assert login(http, taker, **on(console)).status_code == 401
        again = supervisor.post("/v1/consoles", json={"seat_code": console.seat_code})
        assert again.status_code == 201


# 8. Login throttling slows the attacker, not the owner.


def test_the_owner_logs_in_from_another_address_while_an_attackers_is_throttled(
    server: Server,
) -> None:
    name = server.user(Role.CALL_TAKER)
    with server.client(address="127.0.0.5") as attacker:
        for _ in range(throttle.MAX_PER_NAME):
            assert login(attacker, name, "guess").status_code == 401
        stopped = login(attacker, name)
    assert stopped.status_code == 429
    assert 0 < int(stopped.headers["Retry-After"]) <= throttle.WINDOW.total_seconds()
    with server.client(address="127.0.0.6") as owner:
        assert login(owner, name).status_code == 200


def test_one_address_trying_many_names_is_throttled_and_no_other(server: Server) -> None:
    name = server.user(Role.CALL_TAKER)
    with server.client(address="127.0.0.7") as sprayer:
        for i in range(throttle.MAX_PER_ADDRESS):
            # A forwarded-for header of its own choosing does not hide its address: the
            # server trusts that header from the local proxy only.
            spoofed = {"X-Forwarded-For": f"203.0.113.{i}"}
            body = {"username": f"staff{i:03d}", "password": "Summer2026!"}
            assert sprayer.post(LOGIN, json=body, headers=spoofed).status_code == 401
        assert login(sprayer, name).status_code == 429
    with server.client(address="127.0.0.8") as elsewhere:
        assert login(elsewhere, name).status_code == 200


def timed_login(http: httpx.Client, username: str) -> float:
    began = time.perf_counter()
    assert login(http, username, "wrong password").status_code == 401
    return time.perf_counter() - began


def test_unknown_and_disabled_names_take_as_long_as_real_ones(server: Server) -> None:
    real, disabled = server.user(Role.CALL_TAKER), server.user(Role.CALL_TAKER)
    with server.database() as session:
        accounts.set_disabled(session, disabled, disabled=True)
        session.commit()
    times: dict[str, list[float]] = {"real": [], "unknown": [], "disabled": []}
    for i in range(15):  # each round from an address of its own: no round is throttled
        with server.client(address=f"127.0.1.{i + 1}") as http:
            times["real"].append(timed_login(http, real))
            times["unknown"].append(timed_login(http, f"nobody{i:02d}"))
            times["disabled"].append(timed_login(http, disabled))
    medians = {kind: statistics.median(seconds) for kind, seconds in times.items()}
    for kind in ("unknown", "disabled"):
        assert abs(medians[kind] - medians["real"]) <= 0.2 * medians["real"], medians


def test_failed_logins_from_one_address_add_a_bounded_number_of_rows(server: Server) -> None:
    rows = select(func.count()).select_from(LoginFailures)
    before = count(server, rows)
    with server.client(address="127.0.0.9") as http:
        answers = [login(http, f"user{i:03d}", "x").status_code for i in range(200)]
    assert answers.count(401) == throttle.MAX_PER_ADDRESS
    assert count(server, rows) - before <= throttle.MAX_PER_ADDRESS + 1
    # A window later, the next attempt deletes the rows of ended windows (a batch at a time).
    later = utc_now() + throttle.WINDOW + timedelta(minutes=1)
    ended = select(func.count()).where(LoginFailures.window_start <= later - throttle.WINDOW)
    stale = count(server, ended)
    with server.database() as session, pytest.raises(accounts.AuthFailed):
        accounts.login(session, LoginAttempt("someone", "x", "192.0.2.1"), later)
    assert count(server, ended) == max(0, stale - throttle.PRUNE_BATCH) < stale


# 9. An access token never outlives its session; a stolen refresh token ends it.


def test_an_access_token_never_outlives_its_session(server: Server) -> None:
    with server.client() as http:
        first = login(http, server.user(Role.CALL_TAKER)).json()
        assert first["expires_in"] <= first["refresh_expires_in"]
        # The shift is nearly over: two seconds left.
        ends = utc_now() + timedelta(seconds=2)
        with server.database() as session:
            session.execute(
                update(AuthSession)
                .where(AuthSession.refresh_hash == accounts.digest(first["refresh_token"]))
                .values(refresh_expires=ends)
            )
            session.commit()
        renewed = http.post("/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert renewed.json()["expires_in"] <= 2
    token = renewed.json()["access_token"]
    assert me(server, token) == 200
    while me(server, token) == 200:  # until the session has ended, and no later
        assert utc_now() < ends + timedelta(seconds=1), "the access token outlived its session"
        time.sleep(0.05)


def refresh(http: httpx.Client, token: str) -> httpx.Response:
    return http.post("/v1/auth/refresh", json={"refresh_token": token})


def test_a_refresh_token_used_twice_ends_the_session_for_thief_and_owner(server: Server) -> None:
    with server.client() as http:
        stolen = login(http, server.user(Role.CALL_TAKER)).json()["refresh_token"]
        first = refresh(http, stolen).json()
        owner = refresh(http, first["refresh_token"]).json()
        assert me(server, owner["access_token"]) == 200
        thief = http.post("/v1/auth/refresh", json={"refresh_token": stolen})
        assert thief.status_code == 401
        assert me(server, owner["access_token"]) == 401
        again = http.post("/v1/auth/refresh", json={"refresh_token": owner["refresh_token"]})
        assert again.status_code == 401


def test_a_token_answered_again_after_a_lost_answer_lets_no_thief_in(server: Server) -> None:
    with server.client() as http:
        # Within the grace, the token spent last is answered again while its successor is
        # unused; the successor given in the lost answer is spent in its place.
        stolen = login(http, server.user(Role.CALL_TAKER)).json()["refresh_token"]
        lost = refresh(http, stolen).json()
        owner = refresh(http, stolen).json()
        assert me(server, owner["access_token"]) == 200
        assert me(server, lost["access_token"]) == 401
        # The owner goes on: the thief showing the old token ends the session for both.
        owner = refresh(http, owner["refresh_token"]).json()
        assert refresh(http, stolen).status_code == 401
        assert me(server, owner["access_token"]) == 401

        # The thief first, within the grace: the owner's next refresh ends the session.
        stolen = login(http, server.user(Role.CALL_TAKER)).json()["refresh_token"]
        owner = refresh(http, stolen).json()
        thief = refresh(http, stolen).json()
        assert refresh(http, owner["refresh_token"]).status_code == 401
        assert me(server, thief["access_token"]) == 401

        # After the grace, a spent token ends the session although its successor is unused.
        stolen = login(http, server.user(Role.CALL_TAKER)).json()["refresh_token"]
        owner = refresh(http, stolen).json()
        with server.database() as session:
            session.execute(
                update(SpentRefreshToken)
                .where(SpentRefreshToken.refresh_hash == accounts.digest(stolen))
                .values(spent_at=utc_now() - accounts.REFRESH_GRACE - timedelta(seconds=1))
            )
            session.commit()
        assert refresh(http, stolen).status_code == 401
        assert me(server, owner["access_token"]) == 401


def test_spent_refresh_tokens_are_forgotten_once_their_sessions_have_ended(
    server: Server,
) -> None:
    name = server.user(Role.CALL_TAKER)
    with server.client() as http:
        spent = login(http, name).json()["refresh_token"]
        assert http.post("/v1/auth/refresh", json={"refresh_token": spent}).status_code == 200
    rows = select(func.count()).select_from(SpentRefreshToken)
    assert count(server, rows) > 0
    later = utc_now() + accounts.REFRESH_LIFETIME + timedelta(minutes=1)
    with server.database() as session:
        accounts.login(session, LoginAttempt(name, PASSWORD, "192.0.2.2"), later)
        session.commit()
    assert count(server, rows) == 0


def test_a_shared_address_is_limited_per_name_only_so_a_shift_is_not_stopped(
    server: Server, tmp_path: Path
) -> None:
    name = server.user(Role.CALL_TAKER)
    gateway = start_server(server.database_url, tmp_path, "--shared-network", "127.0.2.0/24")
    try:
        with gateway.client(address="127.0.2.1") as shift:
            for i in range(throttle.MAX_PER_ADDRESS + 5):  # a shift's typos, one each
                body = {"username": f"colleague{i:03d}", "password": "wrong password"}
                assert shift.post(LOGIN, json=body).status_code == 401
            assert login(shift, name).status_code == 200
            for _ in range(throttle.MAX_PER_NAME):
                assert login(shift, name, "wrong password").status_code == 401
            assert login(shift, name).status_code == 429  # one name is still limited
    finally:
        gateway.stop()
