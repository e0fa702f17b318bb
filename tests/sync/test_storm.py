"""The outage storm of the CI tier: three consoles, 1,500 cases and their notes, outages on every
link, a server instance killed and PostgreSQL crashed on the way; nothing lost, nothing doubled,
every ledger contiguous, every console's copy the server's, every outbox drained after the last
fault. Two of the consoles' clocks are hours off: that changes no outcome either."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.postgres import Cluster
from tests.sync.storm import Plan, storm


def test_an_outage_storm_loses_nothing_doubles_nothing_and_every_console_converges(
    pg_cluster: Cluster, pg_template: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = Plan()
    outcome = storm(
        plan, pg_cluster, pg_cluster.url(pg_cluster.create_database(template=pg_template)), tmp_path
    )
    with capsys.disabled():
        print("\n" + outcome.summary())
    assert outcome.cases >= plan.cases
    assert (outcome.lost, outcome.duplicated, outcome.renumbered) == (0, 0, 0)
    assert outcome.broken_ledgers == []
    assert outcome.diverged == []
    assert outcome.drain_s is not None, "an outbox still held mutations a minute after healing"
    assert outcome.converge_s is not None
    # Only new cases and notes: nothing for the server to refuse or to weigh, clocks or not.
    assert (outcome.conflicts, outcome.rejected) == (0, 0)
