"""The sync tests' fixtures: a real server process on PostgreSQL, headless consoles on it."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from console.domain.clock import utc_now
from console.paths import REFERENCE
from console.sync.api import Settings
from console.workstation.context import Clock
from console.workstation.local import open_local
from tests.postgres import Cluster
from tests.server.process import Server, start_server
from tests.sync.engines import QUICK, Workstation

Opener = Callable[..., Workstation]


@pytest.fixture(scope="session")
def centre(
    pg_cluster: Cluster, pg_template: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    """The centre's server on PostgreSQL, one for every sync test: each test works with
    workstations and users of its own."""
    url = pg_cluster.url(pg_cluster.create_database(template=pg_template))
    running = start_server(url, tmp_path_factory.mktemp("centre"))
    yield running
    running.stop()


@pytest.fixture(scope="session")
def new_console(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The data folder of a console opened once and closed: copied, it opens at once."""
    folder = tmp_path_factory.mktemp("new-console")
    open_local(folder, REFERENCE).close()
    return folder


@pytest.fixture
def workstations(tmp_path: Path, new_console: Path) -> Iterator[Opener]:
    """Opens workstations in folders of their own (a folder used before is opened again as
    it is); closes them after the test."""
    opened: list[Workstation] = []

    def open_one(
        name: str = "console",
        settings: Settings = QUICK,
        server_url: str | None = None,
        clock: Clock = utc_now,
    ) -> Workstation:
        if not (tmp_path / name).exists():
            shutil.copytree(new_console, tmp_path / name)
        station = Workstation(tmp_path / name, settings, server_url, clock)
        opened.append(station)
        return station

    yield open_one
    for station in opened:
        station.close()
