"""A real server process on loopback, on PostgreSQL or on SQLite, and helpers to talk to it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import Row, Select, create_engine
from sqlalchemy.orm import Session

from console.central import accounts
from console.central.enrolment import Enrolled, enrol
from console.domain.clock import utc_now
from console.domain.workflow import Role
from console.paths import REFERENCE
from console.store.db import session_factory
from console.store.migrations import SERVER, upgrade_to_head
from console.store.reference_files import load_reference

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery staple"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    """A running `python main.py server run` and the database it serves."""

    url: str
    database_url: str
    process: subprocess.Popen[bytes]
    log: Path
    options: tuple[str, ...] = ()

    def client(self, token: str | None = None, address: str | None = None) -> httpx.Client:
        """A client, sending from the loopback `address` (such as 127.0.0.2) if given: the
        server sees another source address."""
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        transport = httpx.HTTPTransport(local_address=address) if address else None
        return httpx.Client(base_url=self.url, headers=headers, timeout=30, transport=transport)

    def user(self, role: Role, agency_code: str = "", username: str = "") -> str:
        """A new account of `role`, created in the database; its user name."""
        name = username or f"{role.value.replace('_', '')}{uuid.uuid4().hex[:8]}"
        engine = create_engine(self.database_url)
        with session_factory(engine)() as session:
            reference = load_reference(REFERENCE, self.log.parent / "data").data
            accounts.create_account(
                session, reference, name, name, role.value, PASSWORD, agency_code, utc_now()
            )
            session.commit()
        engine.dispose()
        return name

    def console(self, seat_code: str | None = None) -> Enrolled:
        """A newly enrolled console (at `seat_code`, else the first free seat)."""
        engine = create_engine(self.database_url)
        with session_factory(engine)() as session:
            enrolled = enrol(session, seat_code, False, "test", utc_now())
            session.commit()
        engine.dispose()
        return enrolled

    @contextmanager
    def database(self) -> Iterator[Session]:
        """A session on the database the server process serves."""
        engine = create_engine(self.database_url)
        try:
            with session_factory(engine)() as session:
                yield session
        finally:
            engine.dispose()

    def rows(self, query: Select[Any]) -> list[Row[Any]]:
        """What `query` reads from the server's database."""
        with self.database() as session:
            return list(session.execute(query).all())

    def login(self, username: str, console: Enrolled | None = None) -> str:
        """An access token of `username`, for `console` if given."""
        body = {"username": username, "password": PASSWORD}
        if console is not None:
            body.update(client_id=console.client_id, console_secret=console.secret)
        with self.client() as http:
            response = http.post("/v1/auth/login", json=body)
        response.raise_for_status()
        return str(response.json()["access_token"])

    def start_again(self) -> None:
        """Start the stopped server again, on the same port and database."""
        port = int(self.url.rsplit(":", 1)[1])
        self.process = start_server(
            self.database_url, self.log.parent, *self.options, port=port
        ).process

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start_server(database_url: str, folder: Path, *options: str, port: int | None = None) -> Server:
    """`python main.py server … run` on `port` (else a free one), with the server `options`
    given. A free port that another process took before the server could listen on it is
    given up for another one: the server answering is always the one started here."""
    engine = create_engine(database_url)
    upgrade_to_head(engine, SERVER)
    engine.dispose()
    server = _launched(database_url, folder, options, port or free_port())
    while port is None and server.process.poll() is not None and _port_taken(server):
        server = _launched(database_url, folder, options, free_port())
    if server.process.poll() is not None:
        raise RuntimeError("server did not start:\n" + server.log.read_text(errors="replace"))
    return server


def _launched(database_url: str, folder: Path, options: tuple[str, ...], port: int) -> Server:
    """The server process on `port`, once it answers there, or once it has ended."""
    log = folder / "server.log"
    command = [
        sys.executable,
        "main.py",
        "server",
        "--database-url",
        database_url,
        "--data-dir",
        str(folder / "data"),
        *options,
        "run",
        "--port",
        str(port),
    ]
    with log.open("wb") as out:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
    server = Server(f"http://127.0.0.1:{port}", database_url, process, log, options)
    deadline = time.monotonic() + 30
    while process.poll() is None:
        if _listening(server) and _ready(server):
            return server
        if time.monotonic() > deadline:
            server.stop()
            raise RuntimeError("server did not start:\n" + log.read_text(errors="replace"))
        time.sleep(0.1)
    return server


def _listening(server: Server) -> bool:
    """Whether the server process itself has bound its port (not another process on it)."""
    return f"running on {server.url} " in server.log.read_text(errors="replace")


def _port_taken(server: Server) -> bool:
    return "address already in use" in server.log.read_text(errors="replace")


def _ready(server: Server) -> bool:
    try:
        return httpx.get(server.url + "/readyz", timeout=1).status_code == 200
    except httpx.TransportError:
        return False
