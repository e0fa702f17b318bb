"""The sync tests' fixtures: a real server process on PostgreSQL, headless consoles on it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from console.sync.api import Settings
from tests.postgres import Cluster
from tests.server.process import Server, start_server
from tests.sync.engines import QUICK, Workstation

Opener = Callable[..., Workstation]


@pytest.fixture(scope="module")
def centre(
    pg_cluster: Cluster, pg_template: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    """The centre's server on PostgreSQL, for the whole module."""
    url = pg_cluster.url(pg_cluster.create_database(template=pg_template))
    running = start_server(url, tmp_path_factory.mktemp("centre"))
    yield running
    running.stop()


@pytest.fixture
def workstations(tmp_path: Path) -> Iterator[Opener]:
    """Opens workstations in folders of their own; closes them after the test."""
    opened: list[Workstation] = []

    def open_one(
        name: str = "console", settings: Settings = QUICK, server_url: str | None = None
    ) -> Workstation:
        station = Workstation(tmp_path / name, settings, server_url)
        opened.append(station)
        return station

    yield open_one
    for station in opened:
        station.close()
