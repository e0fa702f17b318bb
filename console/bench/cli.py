"""`python main.py bench`: generate or reuse the data, take every measure, print the table."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from console.bench import measures, ui_measures
from console.bench.generate import REFERENCE, Dataset, generate
from console.bench.measures import HISTORY, MEMORY, SAVE, SEARCH, START
from console.bench.report import Result, Spec, failed, table, write_json
from console.services.local import open_local

FULL_CASES = 1_000_000
QUICK_CASES = 20_000
START_RUNS = 5
QUICK_START_RUNS = 3


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python main.py bench",
        description="Measure the console against its budgets on a generated Beijing-size "
        "database, each figure beside a baseline taken in the same run.",
    )
    parser.add_argument(
        "--quick", action="store_true", help=f"{QUICK_CASES:,} cases instead of {FULL_CASES:,}"
    )
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the figures here")
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=Path("bench-data"),
        metavar="DIR",
        help="where the generated data is kept, one folder per size (default: bench-data/)",
    )
    parser.add_argument(
        "--seed", type=int, default=12345, help="seed of the data generator (default: 12345)"
    )
    parser.add_argument(
        "--repeat",
        type=_positive,
        default=200,
        metavar="N",
        help="samples per measure (default: 200)",
    )
    return parser.parse_args(argv)


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def run(argv: list[str]) -> int:
    args = parse_args(argv)
    cases = QUICK_CASES if args.quick else FULL_CASES
    dataset = generate(args.data_dir / f"{cases}-cases", cases, args.seed, progress=_say)
    history, save, search = _in_process(dataset, args.repeat, args.seed)
    start, memory = _start_and_memory(dataset, QUICK_START_RUNS if args.quick else START_RUNS)
    results = [start, history, save, search, memory]
    print(table(results, dataset))
    if args.json:
        write_json(args.json, results, dataset)
    return 0


def _in_process(dataset: Dataset, repeat: int, seed: int) -> tuple[Result, Result, Result]:
    """The measures taken on the services in this process."""
    _say("measuring caller history, save and category search …")
    local = open_local(dataset.data_dir, REFERENCE)
    db, samples = dataset.database, dataset.samples
    try:
        return (
            _taken(HISTORY, lambda: ui_measures.history_to_model(local, db, samples, repeat)),
            _taken(SAVE, lambda: ui_measures.save_by_key(local, db, repeat, seed)),
            _taken(SEARCH, lambda: measures.category_search(local.reference, repeat)),
        )
    finally:
        local.close()


def _start_and_memory(dataset: Dataset, runs: int) -> tuple[Result, Result]:
    _say(f"starting the console and a bare window {runs} times each …")
    try:
        return measures.start_and_memory(dataset.data_dir, runs)
    except Exception as error:  # one measure failing must not stop the others
        return failed(START, error), failed(MEMORY, error)


def _taken(spec: Spec, take: Callable[[], Result]) -> Result:
    try:
        return take()
    except Exception as error:  # one measure failing must not stop the others
        return failed(spec, error)


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
