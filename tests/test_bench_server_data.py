"""The server benchmark's generator fills PostgreSQL with data the figures can be trusted on: the
cases, their events, the feed and the consoles, with every index and constraint back after the
load, and the same data whether one process or several made it."""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime
from typing import Any

import psycopg
import pytest

from console.bench import server_data

CASES = 3_000
SEED = 7
NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
_SCHEMA_OBJECTS = (
    "SELECT conname FROM pg_constraint WHERE conrelid IN"
    " ('cases'::regclass, 'case_events'::regclass, 'change_log'::regclass)"
    " UNION SELECT indexname FROM pg_indexes WHERE tablename IN ('cases', 'case_events',"
    " 'change_log')"
)


def _conninfo(cluster: Any, template: str) -> str:
    return str(cluster.url(cluster.create_database(template=template), driver="postgresql"))


@pytest.fixture(scope="module")
def filled(pg_cluster: Any, pg_template: str) -> tuple[str, tuple[str, ...], set[str]]:
    """A migrated database filled in one process, in chunks of 1,000: its conninfo, the
    sample callers and the indexes and constraints it had before."""
    conninfo = _conninfo(pg_cluster, pg_template)
    with psycopg.connect(conninfo) as conn:
        before = {name for (name,) in conn.execute(_SCHEMA_OBJECTS)}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(server_data, "CHUNK", 1_000)
        samples, _ = server_data.fill(conninfo, CASES, SEED, lambda _: None, now=NOW)
    return conninfo, samples, before


def _rows(conninfo: str, sql: str) -> list[tuple[Any, ...]]:
    with psycopg.connect(conninfo) as conn:
        return conn.execute(sql).fetchall()  # type: ignore[arg-type]


def test_every_case_is_loaded_with_its_events_and_one_change_row(filled: Any) -> None:
    conninfo, _, _ = filled
    [(cases, numbers)] = _rows(conninfo, "SELECT count(*), count(DISTINCT case_no) FROM cases")
    assert cases == numbers == CASES
    created = "SELECT count(DISTINCT case_id) FROM case_events WHERE kind = 'created'"
    assert _rows(conninfo, created) == [(CASES,)]
    assert _rows(conninfo, "SELECT count(*) FROM case_events") == [(2 * CASES,)]
    feed = _rows(conninfo, "SELECT at, entity_id FROM change_log ORDER BY seq")
    assert len({case_id for _, case_id in feed}) == CASES
    assert [at for at, _ in feed] == sorted(at for at, _ in feed)  # the order changes were made


def test_cases_are_owned_by_their_seats_call_taker_and_each_seat_is_enrolled(filled: Any) -> None:
    conninfo, _, _ = filled
    owners = _rows(conninfo, "SELECT DISTINCT seat_code, owner FROM cases")
    assert all(owner == server_data.owner_of(seat) for seat, owner in owners)
    consoles = _rows(conninfo, "SELECT seat_code, last_mid FROM consoles ORDER BY seat_code")
    per_seat = Counter(seat for (seat,) in _rows(conninfo, "SELECT seat_code FROM cases"))
    assert consoles == sorted(per_seat.items())
    numbers = _rows(conninfo, "SELECT seat_code, case_no FROM cases")
    assert all(re.fullmatch(r"\d{6}" + seat + r"\d{4}", number) for seat, number in numbers)


def test_indexes_and_constraints_are_all_back_after_the_load(filled: Any) -> None:
    conninfo, _, before = filled
    assert {name for (name,) in _rows(conninfo, _SCHEMA_OBJECTS)} == before
    trigram = "SELECT 1 FROM pg_indexes WHERE indexname = 'ix_cases_description_trgm'"
    assert _rows(conninfo, trigram)


def test_the_sample_callers_include_a_frequent_one(filled: Any) -> None:
    conninfo, samples, _ = filled
    counts = dict(_rows(conninfo, "SELECT caller_phone, count(*) FROM cases GROUP BY 1"))
    assert all(number in counts for number in samples)
    assert max(counts[number] for number in samples) >= 5


def test_worker_processes_make_the_same_data(
    filled: Any, pg_cluster: Any, pg_template: str
) -> None:
    conninfo, _, _ = filled
    other = _conninfo(pg_cluster, pg_template)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(server_data, "CHUNK", 1_000)
        server_data.fill(other, CASES, SEED, lambda _: None, workers=2, now=NOW)
    everything = "SELECT * FROM cases ORDER BY id"
    assert _rows(other, everything) == _rows(conninfo, everything)
