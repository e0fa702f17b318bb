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
    max: float
    samples: int

    @classmethod
    def of(cls, values: Sequence[float]) -> Figure:
        ordered = sorted(values)
        rank = max(0, math.ceil(0.95 * len(ordered)) - 1)  # nearest rank: no interpolation
        return cls(statistics.median(ordered), ordered[rank], ordered[-1], len(ordered))


@dataclass(frozen=True)
class Spec:
    name: str
    budget: float
    unit: str
    statistic: str  # the figure the budget is for: "median" or "max"
    baseline: str = ""  # what the baseline is, if the measure has one


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
        return reached < self.spec.budget if reached is not None else None


def failed(spec: Spec, error: BaseException) -> Result:
    return Result(spec, error=f"{type(error).__name__}: {error}".strip().rstrip(":"))


def table(results: Sequence[Result], dataset: Dataset) -> str:
    head = ("measure", "budget", "reached", "baseline", "ratio", "met")
    rows = [head, *(_row(r) for r in results)]
    widths = [max(len(row[i]) for row in rows if len(row) > i) for i in range(len(head))]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=False)).rstrip()
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join([*lines, "", _footer(dataset)])


def write_json(path: Path, results: Sequence[Result], dataset: Dataset) -> None:
    document = {
        "data": {
            "cases": dataset.cases,
            "seed": dataset.seed,
            "database_bytes": _database_bytes(dataset),
            "generation_seconds": round(dataset.seconds, 1),
            "reused": dataset.reused,
        },
        "machine": _machine(),
        "results": [
            {**asdict(r), "ratio": r.ratio, "met": r.met, "value": r.value(r.reached)}
            for r in results
        ],
    }
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _row(result: Result) -> tuple[str, ...]:
    spec = result.spec
    budget = f"< {_number(spec.budget)} {spec.unit}"
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
    unit = result.spec.unit
    if result.spec.statistic == "max":
        return f"{_number(figure.max)} {unit} max (median {_number(figure.median)})"
    return f"{_number(figure.median)} {unit} median (p95 {_number(figure.p95)})"


def _number(value: float) -> str:
    return f"{value:.3g}" if value < 100 else f"{value:.0f}"


def _footer(dataset: Dataset) -> str:
    made = "reused" if dataset.reused else "generated"
    machine = _machine()
    size_mb = _database_bytes(dataset) / 2**20
    return (
        f"data: {dataset.cases:,} cases, seed {dataset.seed}, {made} "
        f"(generation took {dataset.seconds:.0f} s), database {size_mb:,.0f} MB"
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
