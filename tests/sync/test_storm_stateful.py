"""Consoles, the server and a faulty network as a state machine: whatever the order of calls,
notes, outages, heals and database crashes, the server never holds a case or a note twice,
and once the network heals nothing is lost, every ledger is contiguous and every console holds
the server's copy."""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from tests.postgres import Cluster
from tests.sync.faults import Faults
from tests.sync.storm import OUTAGES, STORMY, Centre, Outcome, StormConsole, count, settle

CONSOLES = 2


@pytest.fixture(scope="module")
def storm_centre(
    pg_cluster: Cluster, pg_template: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Centre]:
    url = pg_cluster.url(pg_cluster.create_database(template=pg_template))
    opened = Centre(pg_cluster, url, tmp_path_factory.mktemp("centre"), instances=1)
    yield opened
    opened.close()


def test_consoles_on_a_faulty_network_keep_every_case_once_and_converge(
    storm_centre: Centre, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    centre = storm_centre
    runs = itertools.count()
    settled: list[Outcome] = []

    class Network(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            run = next(runs)
            self.consoles = [
                StormConsole(centre, tmp_path / f"run-{run}" / f"console-{i}", timedelta(0), STORMY)
                for i in range(CONSOLES)
            ]
            self.calls = itertools.count(1)
            self.faults = 0

        @rule(which=st.integers(0, CONSOLES - 1), calls=st.integers(1, 5))
        def take_calls(self, which: int, calls: int) -> None:
            for _ in range(calls):
                self.consoles[which].call(next(self.calls))

        @precondition(lambda self: any(c.saved for c in self.consoles))
        @rule(which=st.integers(0, CONSOLES - 1), data=st.data())
        def add_note(self, which: int, data: st.DataObject) -> None:
            console = self.consoles[which]
            if console.saved:  # else the rule does nothing: the other console has the cases
                case_id = data.draw(st.sampled_from(sorted(console.saved)))
                console.note(case_id, next(self.calls))

        @rule(which=st.integers(0, CONSOLES - 1), faults=st.sampled_from(OUTAGES))
        def fail(self, which: int, faults: Faults) -> None:
            self.consoles[which].proxy.set(faults)
            self.faults += 1

        @rule(which=st.integers(0, CONSOLES - 1))
        def heal(self, which: int) -> None:
            self.consoles[which].proxy.heal()

        @rule(down_for=st.floats(0.0, 1.0))
        def crash_database(self, down_for: float) -> None:
            centre.restart_database(down_for)
            self.faults += 1

        @invariant()
        def nothing_is_held_twice(self) -> None:
            outcome = Outcome()
            count(centre, self.consoles, outcome)
            assert (outcome.duplicated, outcome.renumbered) == (0, 0)

        def teardown(self) -> None:
            try:
                for console in self.consoles:
                    console.proxy.heal()
                outcome = settle(centre, self.consoles, time.monotonic())
                outcome.faults = self.faults
                settled.append(outcome)
                assert outcome.ok, outcome.summary()
            finally:
                for console in self.consoles:
                    console.close()

    run_state_machine_as_test(
        Network,
        settings=settings(
            max_examples=3,
            stateful_step_count=12,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
        ),
    )
    with capsys.disabled():
        print(
            f"\nstorm machine: examples={len(settled)} cases={sum(o.cases for o in settled)}"
            f" faults={sum(o.faults for o in settled)} lost={sum(o.lost for o in settled)}"
            f" duplicated={sum(o.duplicated for o in settled)}"
            f" conflicts={sum(o.conflicts for o in settled)}"
            f" converge_s={max(o.converge_s or 0 for o in settled):.1f}"
        )
