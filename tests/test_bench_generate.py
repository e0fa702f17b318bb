"""The benchmark's data generator makes data the figures can be trusted on (no Qt here)."""

from __future__ import annotations

import re
import sqlite3
from collections import Counter
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from console.bench.generate import REFERENCE, Dataset, generate
from console.bench.measures import national
from console.domain.enums import AppealType
from console.domain.phone import parse_phone
from console.workstation.local import open_local

CASES = 2_000
SEED = 7
_HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    return generate(tmp_path_factory.mktemp("bench"), CASES, SEED, progress=lambda _: None)


@pytest.fixture(scope="module")
def db(dataset: Dataset) -> Iterator[sqlite3.Connection]:
    with closing(sqlite3.connect(dataset.database)) as conn:
        yield conn


def test_every_case_has_a_unique_well_formed_number(db: sqlite3.Connection) -> None:
    numbers = [n for (n,) in db.execute("SELECT case_no FROM cases")]
    assert len(numbers) == CASES
    assert len(set(numbers)) == CASES
    assert all(re.fullmatch(r"\d{13}", n) for n in numbers)


def test_every_case_has_its_created_event(db: sqlite3.Connection) -> None:
    query = "SELECT count(DISTINCT case_id) FROM case_events WHERE kind = 'created'"
    assert db.execute(query).fetchone() == (CASES,)


def test_descriptions_are_chinese_and_20_to_500_characters(db: sqlite3.Connection) -> None:
    descriptions = [d for (d,) in db.execute("SELECT description FROM cases")]
    assert all(20 <= len(d) <= 500 for d in descriptions)
    assert all(len(_HAN.findall(d)) > 0.7 * len(d) for d in descriptions)
    assert len(set(descriptions)) > 0.9 * CASES
    assert max(len(d) for d in descriptions) > 200  # a long tail, not one fixed length


def test_callers_are_skewed(db: sqlite3.Connection) -> None:
    per_number = Counter(p for (p,) in db.execute("SELECT caller_phone FROM cases"))
    one_time_cases = sum(1 for n in per_number.values() if n == 1)
    assert 0.6 < one_time_cases / CASES < 0.8
    assert max(per_number.values()) >= 20
    assert all(parse_phone(p) is not None for p in per_number)


def test_consultation_is_the_commonest_appeal(db: sqlite3.Connection) -> None:
    query = "SELECT appeal_type FROM cases GROUP BY appeal_type ORDER BY count(*) DESC"
    assert db.execute(query).fetchone() == (AppealType.CONSULTATION.value,)


def test_closed_cases_are_older_than_open_ones(db: sqlite3.Connection) -> None:
    def mean_created(statuses: str) -> float:
        query = f"SELECT avg(julianday(created_at)) FROM cases WHERE status IN ({statuses})"
        return float(db.execute(query).fetchone()[0])

    assert mean_created("'closed'") < mean_created("'dispatched', 'accepted'") - 30


def test_sample_numbers_have_a_history_through_the_service(dataset: Dataset) -> None:
    local = open_local(dataset.data_dir, REFERENCE)
    try:
        found = [len(local.history.caller_history(national(p)).cases) for p in dataset.samples]
    finally:
        local.close()
    assert all(n >= 1 for n in found)
    assert max(found) > 10 and min(found) == 1  # frequent and one-time callers


def test_same_seed_and_size_reuse_the_data(dataset: Dataset) -> None:
    written = dataset.database.stat().st_mtime_ns
    again = generate(dataset.data_dir, CASES, SEED, progress=lambda _: None)
    assert again.reused
    assert again.samples == dataset.samples
    assert dataset.database.stat().st_mtime_ns == written


def test_another_size_makes_the_data_again(tmp_path: Path) -> None:
    generate(tmp_path, 300, SEED, progress=lambda _: None)
    remade = generate(tmp_path, 400, SEED, progress=lambda _: None)
    assert not remade.reused
    with closing(sqlite3.connect(remade.database)) as conn:
        assert conn.execute("SELECT count(*) FROM cases").fetchone() == (400,)
