"""The figures of one benchmark run: the printed table and the JSON file."""

from __future__ import annotations

import json
import math
import os
import platform
import statistics
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import psutil  # type: ignore[import-untyped]

from console.bench.generate import Dataset

_MAX_REASON = 90


@dataclass(frozen=True)
class Figure:
    """The samples of one timing or size, summarised, in the unit of its measure."""

    median: float
    p95: float
    p99: float
    max: float
    samples: int

    @classmethod
    def of(cls, values: Sequence[float]) -> Figure:
        ordered = sorted(values)
        return cls(statistics.median(ordered), _rank(ordered, 0.95), _rank(ordered, 0.99),
                   ordered[-1], len(ordered))  # fmt: skip


def _rank(ordered: Sequence[float], share: float) -> float:
    """The nearest-rank percentile: a sample taken, never an interpolation."""
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


@dataclass(frozen=True)
class Spec:
    name: str
    budget: float
    unit: str
    statistic: str  # the figure the budget is for: "median", "p99" or "max"
    baseline: str = ""  # what the baseline is, if the measure has one
    at_least: bool = False  # the budget is a floor (a rate), not a ceiling


@dataclass(frozen=True)
class Result:
    spec: Spec
    reached: Figure | None = None
    baseline: Figure | None = None
    error: str = ""

    def value(self, figure: Figure | None) -> float | None:
        return getattr(figure, self.spec.statistic) if figure else None

    @property
    def ratio(self) -> float | None:
        reached, baseline = self.value(self.reached), self.value(self.baseline)
        return reached / baseline if reached is not None and baseline else None

    @property
    def met(self) -> bool | None:
        reached = self.value(self.reached)
        if reached is None:
            return None
        return reached >= self.spec.budget if self.spec.at_least else reached < self.spec.budget


def failed(spec: Spec, error: BaseException) -> Result:
    return Result(spec, error=f"{type(error).__name__}: {error}".strip().rstrip(":"))


@dataclass(frozen=True)
class DataFacts:
    """What the figures were taken on: the console's SQLite data or the server's PostgreSQL."""

    cases: int
    seed: int
    database_bytes: int
    generation_seconds: float
    reused: bool
    database: str = "SQLite"

    @classmethod
    def of(cls, dataset: Dataset) -> DataFacts:
        return cls(dataset.cases, dataset.seed, _database_bytes(dataset),
                   round(dataset.seconds, 1), dataset.reused)  # fmt: skip


def table(results: Sequence[Result], data: Dataset | DataFacts) -> str:
    head = ("measure", "budget", "reached", "baseline", "ratio", "met")
    rows = [head, *(_row(r) for r in results)]
    widths = [max(len(row[i]) for row in rows if len(row) > i) for i in range(len(head))]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=False)).rstrip()
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join([*lines, "", _footer(_facts(data))])


def write_json(path: Path, results: Sequence[Result], data: Dataset | DataFacts) -> None:
    document = {
        "data": asdict(_facts(data)),
        "machine": _machine(),
        "results": [
            {**asdict(r), "ratio": r.ratio, "met": r.met, "value": r.value(r.reached)}
            for r in results
        ],
    }
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _facts(data: Dataset | DataFacts) -> DataFacts:
    return data if isinstance(data, DataFacts) else DataFacts.of(data)


def _row(result: Result) -> tuple[str, ...]:
    spec = result.spec
    budget = f"{'≥' if spec.at_least else '<'} {_number(spec.budget)} {spec.unit}"
    if result.error:
        reason = (
            result.error if len(result.error) <= _MAX_REASON else result.error[:_MAX_REASON] + "…"
        )
        return (spec.name, budget, f"n/a: {reason}")
    baseline = f"{spec.baseline}: {_figure(result, result.baseline)}" if result.baseline else "—"
    ratio = f"{result.ratio:.1f}×" if result.ratio is not None else "—"
    return (spec.name, budget, _figure(result, result.reached), baseline, ratio,
            "yes" if result.met else "no")  # fmt: skip


def _figure(result: Result, figure: Figure | None) -> str:
    if figure is None:
        return "—"
    unit, statistic = result.spec.unit, result.spec.statistic
    if statistic != "median":
        value = _number(getattr(figure, statistic))
        return f"{value} {unit} {statistic} (median {_number(figure.median)})"
    return f"{_number(figure.median)} {unit} median (p95 {_number(figure.p95)})"


def _number(value: float) -> str:
    return f"{value:.3g}" if value < 100 else f"{value:.0f}"


def _footer(data: DataFacts) -> str:
    made = "reused" if data.reused else "generated"
    machine = _machine()
    size_mb = data.database_bytes / 2**20
    return (
        f"data: {data.cases:,} cases in {data.database}, seed {data.seed}, {made} "
        f"(generation took {data.generation_seconds:.0f} s), database {size_mb:,.0f} MB"
        f"\nmachine: {machine['cpus']} CPUs, {machine['memory_gb']} GB RAM, {machine['platform']}, "
        f"Python {machine['python']}"
    )


def _database_bytes(dataset: Dataset) -> int:
    files = (dataset.database, dataset.database.with_name(dataset.database.name + "-wal"))
    return sum(f.stat().st_size for f in files if f.exists())


def _machine() -> dict[str, object]:
    return {
        "cpus": os.cpu_count(),
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "platform": platform.platform(),
        "python": platform.python_version(),
    }
