"""kill -9 loses nothing the call-taker was told was saved, and at most a second of typing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from console.paths import REFERENCE
from console.workstation.local import open_local
from tests.ui.conftest import Starter
from tests.ui.scenario import DESCRIPTION, PHONE

ROOT = Path(__file__).resolve().parents[2]


def run_until(step: str, data_dir: Path, expect: str) -> str:
    """Run the scenario in its own process until it prints `expect`, then SIGKILL it."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    with subprocess.Popen(
        [sys.executable, "-m", "tests.ui.scenario", step, str(data_dir)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    ) as process:
        try:
            assert process.stdout is not None
            line = process.stdout.readline().strip()
        finally:
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=10)
    assert line.startswith(expect), f"scenario printed {line!r}"
    assert process.returncode == -signal.SIGKILL
    return line


@pytest.mark.slow
def test_a_saved_case_survives_kill_9_right_after_the_number_is_shown(tmp_path: Path) -> None:
    line = run_until("save", tmp_path, "SAVED")
    case_no = line.split()[1]

    console = open_local(tmp_path, REFERENCE)
    try:
        history = console.history.caller_history(PHONE)
        assert [c.case_no for c in history.cases] == [case_no]
        assert history.cases[0].description == DESCRIPTION
        assert console.drafts.load() is None
    finally:
        console.close()


@pytest.mark.slow
def test_typing_survives_kill_9_and_comes_back_as_a_draft(
    qtbot: QtBot, start_console: Starter, tmp_path: Path
) -> None:
    run_until("draft", tmp_path, "DRAFTED")

    app = start_console("--lang", "en", data_dir=tmp_path)
    intake = app.window.intake
    qtbot.waitUntil(lambda: intake.widgets.description.toPlainText() == DESCRIPTION)
    assert intake.widgets.caller_phone.text() == PHONE
    banner = intake.findChild(QLabel, "intake.banner_text")
    assert "Restored" in banner.text()
    assert intake.saved_case is None
