"""`python main.py server …` as the centre's IT uses it: accounts, keys, migrations, pruning."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text

from console.central import api_keys
from console.central.enrolment import Enrolled
from console.domain.workflow import Role
from console.store.db import session_factory
from tests.server.process import PASSWORD, ROOT, free_port, start_server


def server_cli(database_url: str, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "main.py", "server", "--database-url", database_url, *args],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_accounts_and_keys_are_made_and_withdrawn_from_the_command_line(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    made = server_cli(
        url,
        "create-user",
        "li.na",
        "--role",
        "supervisor",
        "--name",
        "李娜",
        "--password-stdin",
        stdin=PASSWORD + "\n",
    )
    assert made.returncode == 0, made.stderr
    weak = server_cli(
        url,
        "create-user",
        "wang.wu",
        "--role",
        "call_taker",
        "--name",
        "王五",
        "--password-stdin",
        stdin="123\n",
    )
    assert weak.returncode == 2
    assert "password" in weak.stderr

    server = start_server(url, tmp_path)
    try:
        assert server.login("li.na")
        assert server_cli(url, "disable-user", "li.na").returncode == 0
        with server.client() as http:
            refused = http.post("/v1/auth/login", json={"username": "li.na", "password": PASSWORD})
        assert (refused.status_code, refused.json()["error"]["code"]) == (403, "account_disabled")
    finally:
        server.stop()

    issued = server_cli(url, "issue-api-key", "城市服务平台")
    assert issued.returncode == 0
    lines = dict(line.split(" ", 1) for line in issued.stdout.splitlines() if " " in line)
    key_id, key = lines["key"].removeprefix("id "), lines["api_key"]
    engine = create_engine(url)
    with session_factory(engine)() as session:
        assert api_keys.valid(session, key)
    assert server_cli(url, "revoke-api-key", key_id).returncode == 0
    with session_factory(engine)() as session:
        assert not api_keys.valid(session, key)
    engine.dispose()


def test_migrate_and_prune_run_on_postgresql(pg_url: str) -> None:
    assert server_cli(pg_url, "migrate").returncode == 0
    engine = create_engine(pg_url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO change_log (entity, entity_id, at) VALUES "
                "('case', 'a', now() - interval '40 days'), "
                "('case', 'b', now() - interval '39 days'), ('case', 'c', now())"
            )
        )
    pruned = server_cli(pg_url, "prune-feed", "--keep-days", "30")
    assert pruned.returncode == 0, pruned.stderr
    assert pruned.stdout.startswith("2 change rows")
    with engine.connect() as conn:
        left = conn.execute(text("SELECT entity_id FROM change_log")).scalars().all()
    assert left == ["c"]
    engine.dispose()


def test_the_server_runs_with_its_address_given_without_the_run_command(tmp_path: Path) -> None:
    port = free_port()
    url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    command = [sys.executable, "main.py", "server", "--database-url", url, "--port", str(port)]
    process = subprocess.Popen(command, cwd=ROOT, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while not _answers(f"http://127.0.0.1:{port}/healthz"):
            assert process.poll() is None, "the server stopped"
            assert time.monotonic() < deadline, "the server did not answer on its port"
            time.sleep(0.1)
    finally:
        process.terminate()
        process.wait(timeout=10)


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=1).status_code == 200
    except httpx.TransportError:
        return False


def test_a_workstation_enrols_with_a_one_time_code_and_is_retired_from_the_command_line(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    issued = server_cli(url, "enrol-code", "--seat", "042", "--hours", "2")
    assert issued.returncode == 0, issued.stderr
    code = issued.stdout.split()[2]
    assert "seat 042" in issued.stdout
    assert server_cli(url, "enrol-code", "--seat", "42").returncode == 2
    assert server_cli(url, "enrol-code", "--hours", "0").returncode == 2
    server = start_server(url, tmp_path)
    try:
        name = server.user(Role.CALL_TAKER)
        with server.client() as http:
            enrolled = http.post("/v1/consoles/enrol", json={"code": code})
            assert http.post("/v1/consoles/enrol", json={"code": code}).status_code == 401
        assert (enrolled.status_code, enrolled.json()["seat_code"]) == (201, "042")
        body = enrolled.json()
        console = Enrolled(body["client_id"], body["seat_code"], body["console_secret"])
        token = server.login(name, console)
        retired = server_cli(url, "retire-console", "--seat", "042")
        assert retired.returncode == 0, retired.stderr
        assert console.client_id in retired.stdout
        with server.client(token) as http:
            assert http.get("/v1/me").status_code == 401
            login = {"username": name, "password": PASSWORD, "client_id": console.client_id}
            again = http.post("/v1/auth/login", json={**login, "console_secret": console.secret})
            assert again.status_code == 401
    finally:
        server.stop()
    gone = server_cli(url, "retire-console", "--seat", "042")
    assert (gone.returncode, gone.stderr.strip()) == (2, "seat: no_console_in_service")
    by_id = server_cli(url, "retire-console", "--client-id", console.client_id)
    assert by_id.returncode == 0  # retired already: nothing changes
