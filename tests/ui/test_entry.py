"""`python main.py` as a centre's IT would run it: options, pre-configured seat, log, warnings."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from tests.ui.conftest import Starter

ROOT = Path(__file__).resolve().parents[2]


def main_py(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, "main.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_help_lists_the_options() -> None:
    result = main_py("--help")
    assert result.returncode == 0
    for option in ("--data-dir", "--lang", "--seat", "--operator", "bench"):
        assert option in result.stdout


@pytest.mark.slow
def test_a_preconfigured_workstation_opens_ready_without_questions(tmp_path: Path) -> None:
    result = main_py(
        "--data-dir", str(tmp_path), "--seat", "101", "--operator", "刘洋", "--quit-when-ready"
    )
    assert result.returncode == 0, result.stderr
    ready = json.loads(result.stdout.strip().splitlines()[-1])
    assert ready["max_rss_kb"] > 0
    assert (tmp_path / "console.sqlite3").is_file()
    log = (tmp_path / "console.log").read_text(encoding="utf-8")
    assert "intake form ready" in log


def test_a_bad_option_is_refused_with_a_message() -> None:
    result = main_py("--lang", "fr")
    assert result.returncode == 2
    assert "--lang" in result.stderr


def test_a_malformed_reference_file_is_shown_and_the_previous_data_kept(
    qtbot: QtBot, start_console: Starter, tmp_path: Path
) -> None:
    data_dir = tmp_path / "console"
    first = start_console("--seat", "042", "--operator", "王芳", "--lang", "en", data_dir=data_dir)
    assert not first.window.warning.isVisible()
    first.close()

    override = data_dir / "reference"
    override.mkdir()
    (override / "routing_rules.csv").write_text(
        "id,category,district,street,agency,reason\nR001,010101,*,*,C999,不存在的单位\n",
        encoding="utf-8",
    )
    again = start_console("--lang", "en", data_dir=data_dir)
    warning = again.window.warning
    assert warning.isVisible()
    assert "routing_rules.csv" in warning.text()
    assert "line 2" in warning.text()
    assert "C999" in warning.text()
    assert again.console is not None
    assert len(again.console.reference.routing_rules) > 1  # the last good rules, still in use
