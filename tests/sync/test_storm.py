"""The outage storm of the CI tier: three consoles, 1,500 cases and their notes, outages on every
link, a server instance killed and PostgreSQL crashed on the way; nothing lost, nothing doubled,
every ledger contiguous, every console's copy the server's, every outbox drained after the last
fault. And consoles whose clocks are hours off change no outcome."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest

from console.sync.api import Link
from tests.postgres import Cluster
from tests.sync.engines import wait_until
from tests.sync.faults import Fault, Faults
from tests.sync.storm import STORMY, Centre, Outcome, Plan, StormConsole, settle, storm

Storm = Callable[..., Outcome]  # (plan, label="")


@pytest.fixture
def run_storm(
    pg_cluster: Cluster, pg_template: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> Storm:
    """Runs a storm on a database of its own and prints its summary line."""

    def run(plan: Plan, label: str = "") -> Outcome:
        url = pg_cluster.url(pg_cluster.create_database(template=pg_template))
        outcome = storm(plan, pg_cluster, url, tmp_path)
        with capsys.disabled():
            print(f"\n{label}{outcome.summary()}")
        return outcome

    return run


def test_an_outage_storm_loses_nothing_doubles_nothing_and_every_console_converges(
    run_storm: Storm,
) -> None:
    plan = Plan()
    outcome = run_storm(plan)
    assert outcome.cases >= plan.cases
    assert (outcome.lost, outcome.duplicated, outcome.renumbered) == (0, 0, 0)
    assert outcome.broken_ledgers == []
    assert outcome.diverged == []
    assert outcome.drain_s is not None, "an outbox still held mutations a minute after healing"
    assert outcome.converge_s is not None
    # Only new cases and notes: nothing for the server to refuse or to weigh.
    assert (outcome.conflicts, outcome.rejected) == (0, 0)


def test_consoles_whose_clocks_are_hours_off_change_no_outcome(run_storm: Storm) -> None:
    skews = (timedelta(days=-1), timedelta(hours=-2), timedelta(hours=2))
    plan = Plan(cases=150, outages=3, seconds=4, kills=0, database_restarts=0, instances=1,
                skews=skews, patience=10)  # fmt: skip
    outcome = run_storm(plan, "clocks off: ")
    # What the same storm gives with every clock right: every case applied as it was saved.
    assert outcome.ok, outcome.summary()
    assert (outcome.conflicts, outcome.rejected) == (0, 0)


def test_answers_broken_off_midway_leave_the_console_retrying_not_stopped(
    pg_cluster: Cluster, pg_template: str, tmp_path: Path
) -> None:
    url = pg_cluster.url(pg_cluster.create_database(template=pg_template))
    centre = Centre(pg_cluster, url, tmp_path / "centre", instances=1)
    console = StormConsole(centre, tmp_path / "console", timedelta(0), STORMY)
    try:
        with console.proxy.outage(Faults(down=Fault.CUT)):
            for n in range(1, 4):
                console.call(n)
            wait_until(lambda: console.proxy.accepted > 3)  # sent, and cut off, more than once
            assert console.sync.state().link is not Link.STOPPED
        outcome = settle(centre, [console], time.monotonic(), 20)
        assert outcome.ok, outcome.summary()
    finally:
        console.close()
        centre.close()
