"""Entry point: `python main.py` opens the console, `python main.py server` runs the central
server, `python main.py bench` runs the benchmark."""

from __future__ import annotations

import sys


def main(argv: list[str]) -> int:
    if argv[:1] == ["server"]:
        from console.server.cli import run as run_server

        return run_server(argv[1:])
    if argv[:1] == ["bench"]:
        from console.bench.cli import run as run_bench

        return run_bench(argv[1:])
    from console.ui.app import run

    return run(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
