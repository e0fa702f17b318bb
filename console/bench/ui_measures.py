"""The two measures taken through the real Qt widgets: what the call-taker waits for.

Caller history: from the complete number to the rows in the history panel's item model (the
query runs on the reader thread, the rows come back by queued signal). Save: from the save key
to the intake panel hearing that the case is durably committed (on the writer thread).
"""

from __future__ import annotations

import os
import random
import sqlite3
import time
from collections.abc import Callable, Sequence
from contextlib import closing
from dataclasses import asdict
from functools import partial
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer, SignalInstance
from PySide6.QtWidgets import QApplication

from console.bench import measures
from console.bench.generate import CONSOLE_SEAT
from console.bench.measures import HISTORY, SAVE, MeasureFailed
from console.bench.report import Figure, Result
from console.ui.case_views import HistoryPanel
from console.ui.context import UiContext
from console.ui.form_state import write_form
from console.ui.intake_panel import IntakePanel
from console.ui.tasks import TaskRunner
from console.workstation.context import Operator
from console.workstation.local import LocalConsole

SIGNAL_TIMEOUT_MS = 10_000
_app: list[QApplication] = []  # the one QApplication of this process, kept alive


def history_to_model(
    local: LocalConsole, database: Path, samples: Sequence[str], repeat: int
) -> Result:
    """The history panel filling its model, against the bare query it rests on."""
    ctx = _context(local)
    panel = HistoryPanel()
    panel.attach(ctx)
    model: list[float] = []
    raw: list[float] = []
    with closing(sqlite3.connect(database)) as conn:
        for i in range(repeat):
            e164 = samples[i % len(samples)]
            panel.show_caller("")
            number = measures.national(e164)
            _until(panel.history_loaded, partial(panel.show_caller, number), model)
            rows = measures.timed(raw, partial(measures.raw_history, conn, e164))
            if panel.table.case_model.rowCount() != len(rows):
                found = panel.table.case_model.rowCount()
                raise MeasureFailed(f"{e164}: {found} rows in the model, {len(rows)} by query")
    ctx.tasks.shutdown()
    return Result(HISTORY, Figure.of(model), Figure.of(raw))


def save_by_key(local: LocalConsole, database: Path, repeat: int, seed: int) -> Result:
    """Save on a filled intake form, against one bare durable commit.

    The saved cases stay in the benchmark's database, at most `repeat` a run from new numbers:
    copying a million cases first would take longer than the measure itself.
    """
    ctx = _context(local)
    panel = IntakePanel()
    panel.attach(ctx)
    rng = random.Random(seed)
    keyed: list[float] = []
    bare: list[float] = []
    with measures.scratch_table(database) as conn:
        for _ in range(repeat):
            form = measures.dispatch_form(local, rng)
            write_form(panel.widgets, asdict(form), local.reference)
            _until(panel.case_saved, panel.save, keyed)
            if panel.saved_case is None:
                raise MeasureFailed("the form was not saved")
            panel.new_call()
            measures.timed(bare, partial(measures.bare_commit, conn, form.description))
    ctx.tasks.shutdown()
    return Result(SAVE, Figure.of(keyed), Figure.of(bare))


def _context(local: LocalConsole) -> UiContext:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if not _app:
        _app.append(QApplication([]))
    return UiContext(local, Operator(CONSOLE_SEAT, "bench", "bench"), TaskRunner())


def _until(signal: SignalInstance, start: Callable[[], object], into: list[float]) -> None:
    """Milliseconds from `start()` to `signal`, the GUI thread's event loop running meanwhile."""
    loop = QEventLoop()
    signal.connect(loop.quit)
    QTimer.singleShot(SIGNAL_TIMEOUT_MS, loop.quit)
    began = time.perf_counter_ns()
    start()
    loop.exec()
    into.append((time.perf_counter_ns() - began) / 1e6)
    signal.disconnect(loop.quit)
