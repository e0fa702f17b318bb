"""A headless console in a process of its own, to be killed at any moment: it opens its local
database, signs in, takes calls in a loop (a note now and then) and syncs them, and prints
each case and note once its save has returned, as the intake panel tells the call-taker.

`python -m tests.sync.console_process` is a launcher: it imports what a console needs once,
then forks one console for each order it reads on stdin (a JSON line), so that a start costs
opening the database and signing in, not Python's imports. It runs one console at a time.
Every line printed starts with the console's process id:

    <pid> opened                      the local database is open, sync not yet signed in
    <pid> signed_in
    <pid> saved <case id>             the save's durable commit returned
    <pid> noted <case id> <note id>
    <pid> state <link> <waiting> <n>/<m> <downloading>
    <pid> arrived <cases> <left>      a pulled page or live message was applied
    <pid> synced                      every call taken is acknowledged and the pull caught up
    <pid> failed <error>
    <pid> exited <status>             printed by the launcher, after all the console printed

`Launcher` is the tests' side: it starts the launcher, gives orders and reads the lines.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from argon2 import PasswordHasher

from console.sync import credentials
from console.sync.api import Arrived, SyncState
from tests.sync.engines import QUICK
from tests.sync.headless import HeadlessConsole

ROOT = Path(__file__).resolve().parents[2]
NOTE_EVERY = 4  # calls; a caller who rings again about the call before last gets a note
LINE_TIMEOUT_S = 60.0
QUICK_HASH = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
# What a console imports only once it opens its database: imported before the forks, so that
# no console's start pays for it.
WARM_MODULES = ("pypinyin", "console.store.migrations")


@dataclass(frozen=True)
class Order:
    """One console to run: where its data is, who signs in, how many calls it takes."""

    data_dir: str
    server_url: str
    username: str
    password: str
    calls: int = 0
    pace: float = 0.0  # seconds between calls
    page: int = 1000  # cases a pulled page holds
    enroller: str = ""  # a supervisor who enrols the workstation if it is not yet connected
    live: bool = True


# The console: runs in the forked process.


def _say(*words: object) -> None:
    # One write per line, under the pipe's atomic size: lines of consoles never interleave.
    os.write(1, (" ".join(str(w) for w in (os.getpid(), *words)) + "\n").encode())


def _on_state(state: SyncState) -> None:
    done, total = state.progress or (0, 0)
    _say("state", state.link.value, state.waiting, f"{done}/{total}", int(state.downloading))


def _on_arrived(arrived: Arrived) -> None:
    _say("arrived", len(arrived.case_ids), len(arrived.left))


def _console(order: Order) -> int:
    settings = replace(QUICK, page=order.page, live=order.live)
    console = HeadlessConsole(Path(order.data_dir), settings, order.server_url)
    _say("opened")
    console.sync.subscribe(_on_state, _on_arrived)
    console.sign_in(order.username, order.password, order.enroller)
    _say("signed_in")
    taken: list[str] = []
    for n in range(order.calls):
        case_id = console.take_call(f"第{n + 1}位来电人反映三里屯路人行道有商贩占道经营。")
        _say("saved", case_id)
        taken.append(case_id)
        if n % NOTE_EVERY == NOTE_EVERY - 1:
            _say("noted", taken[-2], console.note(taken[-2], "来电人再次来电催办。"))
        time.sleep(order.pace)
    console.until_synced()
    _say("synced")
    console.close()
    return 0


def _child(order: Order) -> int:
    try:
        return _console(order)
    except BaseException as error:
        _say("failed", repr(error)[:300].replace("\n", " "))
        traceback.print_exc()
        return 1


def main() -> None:
    """Fork a console for each order read, one at a time, and say when each has gone.

    The consoles keep their local verifier of a password at Argon2's least cost: they sign
    in at every start, over a hundred times a test, and the hash's cost is not what the tests
    of killed consoles are about (at full cost it is most of a start on a busy machine)."""
    credentials._HASHER = QUICK_HASH
    for module in WARM_MODULES:
        importlib.import_module(module)
    for line in sys.stdin:
        order = Order(**json.loads(line))
        pid = os.fork()
        if pid == 0:
            os._exit(_child(order))
        _, status = os.waitpid(pid, 0)
        os.write(1, f"{pid} exited {os.waitstatus_to_exitcode(status)}\n".encode())


# The tests' side.


@dataclass
class Run:
    """One console process, as its printed lines tell it."""

    pid: int
    saved: list[str] = field(default_factory=list)
    noted: list[tuple[str, str]] = field(default_factory=list)
    lines: list[list[str]] = field(default_factory=list)
    exit_status: int | None = None


class Launcher:
    """The launcher process, and the console it runs now."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.sync.console_process"],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self._lines: queue.Queue[list[str]] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._lines.put(line.split())

    def start(self, order: Order) -> Run:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(asdict(order)) + "\n")
        self.process.stdin.flush()
        first = self._next()
        run = Run(int(first[0]))
        self._record(run, first)
        return run

    def _next(self, timeout: float = LINE_TIMEOUT_S) -> list[str]:
        try:
            words = self._lines.get(timeout=timeout)
        except queue.Empty:
            raise TimeoutError(f"no line from the console within {timeout:.0f} s") from None
        return words

    def until(
        self, run: Run, wanted: Callable[[list[str]], bool], timeout: float = LINE_TIMEOUT_S
    ) -> bool:
        """Read the console's lines until one (after its pid) is `wanted`; False if the console
        exited first."""
        deadline = time.monotonic() + timeout
        while run.exit_status is None:
            if wanted(self._take(run, deadline - time.monotonic())[1:]):
                return True
        return False

    def _take(self, run: Run, timeout: float) -> list[str]:
        line = self._next(max(timeout, 0.0))
        self._record(run, line)
        return line

    @staticmethod
    def _record(run: Run, line: list[str]) -> None:
        assert int(line[0]) == run.pid, f"a line of another console: {line}"
        run.lines.append(line)
        match line[1:]:
            case ["saved", case_id]:
                run.saved.append(case_id)
            case ["noted", case_id, note_id]:
                run.noted.append((case_id, note_id))
            case ["exited", status]:
                run.exit_status = int(status)

    def kill(self, run: Run) -> None:
        """SIGKILL, then read what it printed before it died."""
        if run.exit_status is None:
            with contextlib.suppress(ProcessLookupError):  # it ended by itself just now
                os.kill(run.pid, signal.SIGKILL)
        self.wait(run)

    def wait(self, run: Run, timeout: float = LINE_TIMEOUT_S) -> int:
        deadline = time.monotonic() + timeout
        while run.exit_status is None:
            self._take(run, deadline - time.monotonic())
        return run.exit_status

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=30)
        self._reader.join()
        assert self.process.stdout is not None
        self.process.stdout.close()


if __name__ == "__main__":
    main()
