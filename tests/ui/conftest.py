"""Fixtures that start the real console on a fresh data folder and drive it by keyboard."""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from console.sync.api import Settings
from console.ui.app import ConsoleApp, parse_args

Starter = Callable[..., ConsoleApp]


@pytest.fixture
def start_console(qtbot: QtBot, tmp_path: Path) -> Iterator[Starter]:
    """Start the console as `python main.py` would, and close it after the test."""
    started: list[ConsoleApp] = []

    def start(
        *extra: str,
        data_dir: Path | None = None,
        wait_ready: bool = True,
        sync_settings: Settings | None = None,
    ) -> ConsoleApp:
        args: argparse.Namespace = parse_args(
            ["--data-dir", str(data_dir or tmp_path / "console"), *extra]
        )
        app = ConsoleApp(args, time.time(), sync_settings)
        started.append(app)
        if wait_ready:
            qtbot.waitUntil(app.window.intake.isEnabled, timeout=10_000)
        return app

    yield start
    for app in started:
        app.close()


@pytest.fixture
def console(start_console: Starter) -> ConsoleApp:
    return start_console("--seat", "042", "--operator", "王芳", "--lang", "en")
