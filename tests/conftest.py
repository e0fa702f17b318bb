"""Shared test settings: Qt runs offscreen; a real PostgreSQL server for whoever needs one."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[object]:
    from tests.postgres import Cluster

    cluster = Cluster()
    yield cluster
    cluster.stop()


@pytest.fixture(scope="session")
def pg_template(pg_cluster: object) -> str:
    """A database with the whole schema, copied for each test that asks for one."""
    from sqlalchemy import create_engine

    from console.store.migrations import SERVER, upgrade_to_head
    from tests.postgres import Cluster

    assert isinstance(pg_cluster, Cluster)
    name = pg_cluster.create_database()
    engine = create_engine(pg_cluster.url(name))
    upgrade_to_head(engine, SERVER)
    engine.dispose()
    return name


@pytest.fixture
def pg_url(pg_cluster: object, pg_template: str) -> str:
    """The URL of a fresh, migrated PostgreSQL database of this test's own."""
    from tests.postgres import Cluster

    assert isinstance(pg_cluster, Cluster)
    return pg_cluster.url(pg_cluster.create_database(template=pg_template))
