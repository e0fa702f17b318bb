"""`python main.py bench`: generate or reuse the data, take every measure, print the table."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

from console.bench import (
    measures,
    server_live,
    server_measures,
    server_polling,
    server_rig,
    ui_measures,
)
from console.bench.generate import REFERENCE, Dataset, generate
from console.bench.measures import HISTORY, MEMORY, SAVE, SEARCH, START
from console.bench.report import DataFacts, Result, Spec, failed, table, write_json
from console.bench.server_data import Cluster, NotEnoughDisk, ServerData, database_bytes, prepare
from console.bench.server_measures import HISTORY as SERVER_HISTORY
from console.bench.server_measures import LONG_POLL, POLLING, PULL, PUSH
from console.bench.sync_measures import SPECS as SYNC_SPECS
from console.bench.sync_measures import sync_client
from console.workstation.local import open_local

FULL_CASES = 1_000_000
QUICK_CASES = 20_000
START_RUNS = 5
QUICK_START_RUNS = 3
SERVER_CASES = 10_000_000
QUICK_SERVER_CASES = 200_000
SERVER_PROCESSES = 2  # one per core
PUSH_CONSOLES = 8
PUSH_BATCHES = 25  # per console: 20,000 cases in all
QUICK_PUSH_BATCHES = 5
POLL_SECONDS = 60.0
QUICK_POLL_SECONDS = 20.0
LIVE_FEW = 75  # consoles following in the live channel's baseline
LIVE_FEW_SECONDS = 20.0
QUICK_LIVE_FEW_SECONDS = 10.0
HISTORY_SAMPLES_PER_REPEAT = 5  # p99 wants more samples than a median
OFFLINE_CASES = 10_000  # taken offline, then sent: the figure, --quick or not
LIVE_SPECS = (server_live.SEEN_P95, server_live.SEEN_P99, server_live.CPU)
SERVER_SPECS = (SERVER_HISTORY, PUSH, PULL, POLLING, LONG_POLL, *LIVE_SPECS, *SYNC_SPECS)


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python main.py bench",
        description="Measure the console against its budgets on a generated Beijing-size "
        "database, each figure beside a baseline taken in the same run.",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"{QUICK_CASES:,} cases instead of {FULL_CASES:,} "
        f"({QUICK_SERVER_CASES:,} instead of {SERVER_CASES:,} with --server)",
    )
    parser.add_argument(
        "--server",
        action="store_true",
        help="measure the central server on PostgreSQL instead of the console",
    )
    parser.add_argument(
        "--live-only",
        action="store_true",
        help="with --server: only the live channel's rows (no download first: with --quick, "
        "a few minutes in all)",
    )
    parser.add_argument(
        "--sync-only",
        action="store_true",
        help="with --server: only the console's sync rows (a first download, the offline "
        "flush, their stalls: with --quick, about a minute)",
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
    if args.server:
        return _run_server(args)
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


def _run_server(args: argparse.Namespace) -> int:
    cases = QUICK_SERVER_CASES if args.quick else SERVER_CASES
    cluster = Cluster(args.data_dir / "pg")
    started = cluster.start()
    try:
        data = prepare(cluster, cases, args.seed, _say, workers=os.cpu_count() or 1)
        results = _server_measures(data, args)
        facts = DataFacts(cases, args.seed, database_bytes(data.conninfo), data.seconds,
                          data.reused, "PostgreSQL")  # fmt: skip
    except NotEnoughDisk as error:
        _say(str(error))
        return 2
    finally:
        if started:  # a cluster that was running already is left running
            cluster.stop()
    print(table(results, facts))
    if args.json:
        write_json(args.json, results, facts)
    return 0


def _server_measures(data: ServerData, args: argparse.Namespace) -> list[Result]:
    """Every server measure, on server processes of their own. What the measures wrote is
    removed after the run, and before it in case an earlier one was interrupted."""
    try:
        server_rig.clean_up(data.conninfo)
        server_rig.ensure_account(data.url)
        with server_rig.servers(data, args.data_dir / "pg-run", SERVER_PROCESSES) as servers:
            if args.live_only:
                return _live(servers, data, args.quick, None)
            if args.sync_only:
                return _sync_client(servers, args)
            return [*_on_servers(servers, data, args), *_sync_client(servers, args)]
    except Exception as error:  # without a server there is nothing to measure
        return [failed(spec, error) for spec in SERVER_SPECS]
    finally:
        server_rig.clean_up(data.conninfo)


def _on_servers(
    servers: server_rig.Servers, data: ServerData, args: argparse.Namespace
) -> list[Result]:
    _say("measuring caller history, push and pull …")
    samples = args.repeat * HISTORY_SAMPLES_PER_REPEAT
    batches = QUICK_PUSH_BATCHES if args.quick else PUSH_BATCHES
    results = [
        _taken(SERVER_HISTORY, lambda: server_measures.history(servers, data, samples)),
        _taken(PUSH, lambda: server_measures.push(servers, data, PUSH_CONSOLES, batches)),
    ]
    try:
        download = server_measures.pull(servers)
    except Exception as error:  # the pollers start where the download ends
        return [*results, failed(PULL, error), *_without(error)]
    seconds = QUICK_POLL_SECONDS if args.quick else POLL_SECONDS
    return [*results, download.result, *_polling(servers, data, download.cursor, seconds)]


def _polling(servers: server_rig.Servers, data: ServerData, cursor: str, seconds: float
             ) -> list[Result]:  # fmt: skip
    _say(f"logging in the data's consoles, then {seconds:.0f} s of polling and long-polling …")
    try:
        fleet = server_polling.Fleet.log_in(servers, server_rig.generated_consoles(data.conninfo))
    except Exception as error:  # neither can run without the consoles logged in
        return _without(error)

    def poll(long: bool) -> Result:
        return server_polling.polling(servers, fleet, cursor, seconds, long)

    polled = [_taken(POLLING, lambda: poll(False)), _taken(LONG_POLL, lambda: poll(True))]
    return polled + _live(servers, data, seconds < POLL_SECONDS, fleet)


def _live(servers: server_rig.Servers, data: ServerData, quick: bool,
          fleet: server_polling.Fleet | None) -> list[Result]:  # fmt: skip
    """The live channel's rows: the data's consoles (logged in now unless `fleet` is given)
    following it, 75 of them and then all."""
    seconds = QUICK_POLL_SECONDS if quick else POLL_SECONDS
    few_seconds = QUICK_LIVE_FEW_SECONDS if quick else LIVE_FEW_SECONDS
    _say(f"the live channel: {LIVE_FEW} consoles for {few_seconds:.0f} s, then all for "
         f"{seconds:.0f} s …")  # fmt: skip
    try:
        if fleet is None:
            consoles = server_rig.generated_consoles(data.conninfo)
            fleet = server_polling.Fleet.log_in(servers, consoles)
        return server_live.live(servers, fleet, seconds, LIVE_FEW, few_seconds)
    except Exception as error:  # one measure failing must not stop the others
        return _live_without(error)


def _sync_client(servers: server_rig.Servers, args: argparse.Namespace) -> list[Result]:
    _say(f"measuring the console's sync: a first download, then {OFFLINE_CASES:,} cases taken "
         "offline sent …")  # fmt: skip
    folder = args.data_dir / "pg-run" / "console"
    shutil.rmtree(folder, ignore_errors=True)  # a new console each run
    try:
        return sync_client(servers, folder, args.seed, OFFLINE_CASES)
    except Exception as error:  # the console's measures fail together, the server's stand
        return [failed(spec, error) for spec in SYNC_SPECS]


def _without(error: Exception) -> list[Result]:
    return [failed(POLLING, error), failed(LONG_POLL, error), *_live_without(error)]


def _live_without(error: Exception) -> list[Result]:
    return [failed(spec, error) for spec in LIVE_SPECS]
