"""The server tests' fixtures: a real server process on PostgreSQL and on SQLite, consoles on it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from console.domain.workflow import Role
from tests.postgres import Cluster
from tests.server.listening import Listener
from tests.server.process import Server, start_server
from tests.server.seats import Crew, Seats
from tests.server.workstation import Workstation


@pytest.fixture(scope="module")
def pg_database_url(pg_cluster: Cluster, pg_template: str) -> str:
    return pg_cluster.url(pg_cluster.create_database(template=pg_template))


@pytest.fixture(scope="module", params=["postgresql", "sqlite"])
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    """The server process, once on PostgreSQL and once on SQLite, for the whole module."""
    folder = tmp_path_factory.mktemp(f"server-{request.param}")
    if request.param == "postgresql":
        url = request.getfixturevalue("pg_database_url")
    else:
        url = f"sqlite:///{folder / 'server.sqlite3'}"
    running = start_server(url, folder)
    yield running
    running.stop()


@pytest.fixture(scope="module")
def pg_server(pg_database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The server process on PostgreSQL only, for what SQLite cannot show."""
    running = start_server(pg_database_url, tmp_path_factory.mktemp("server-pg"))
    yield running
    running.stop()


@pytest.fixture(scope="module")
def pair(
    pg_database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Server, Server]]:
    """Two server processes on one PostgreSQL database, for the whole module."""
    first = start_server(pg_database_url, tmp_path_factory.mktemp("instance-a"))
    second = start_server(pg_database_url, tmp_path_factory.mktemp("instance-b"))
    yield first, second
    first.stop()
    second.stop()


@pytest.fixture
def seats() -> Iterator[Seats]:
    opened = Seats()
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def taker(server: Server) -> str:
    """A call-taker's account, for tests that need a fresh console but not a new user."""
    return server.user(Role.CALL_TAKER)


@pytest.fixture(scope="module")
def crew(server: Server) -> Iterator[Crew]:
    opened = Seats()
    yield Crew(opened.open(server), opened.open(server), opened.open(server, Role.SUPERVISOR))
    opened.close()


@pytest.fixture
def workstation(server: Server, tmp_path: Path) -> Iterator[Workstation]:
    """A console enrolled on `server`, with a call-taker signed in, on its own database."""
    opened = Workstation(server, tmp_path / "console", server.user(Role.CALL_TAKER))
    yield opened
    opened.close()


@pytest.fixture
def listeners() -> Iterator[list[Listener]]:
    """Live streams a test opens, closed after it."""
    opened: list[Listener] = []
    yield opened
    for listener in opened:
        listener.close()
