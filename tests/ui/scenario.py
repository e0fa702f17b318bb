"""Run the real console in this process and drive it, for tests that kill it with SIGKILL.

    python -m tests.ui.scenario save|draft DATA_DIR

Prints one line when the step the test waits for is done (SAVED <case number>, DRAFTED),
then keeps the console running until the test kills it.
"""

from __future__ import annotations

import sys
import time

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from console.ui.app import ConsoleApp, parse_args
from tests.ui.driving import fill_complaint, save, type_text, wait_until

PHONE = "13912345678"
DESCRIPTION = "小区门口早市占道经营，早上六点开始噪声很大，垃圾也没人清理。"


def main(step: str, data_dir: str) -> None:
    qt = QApplication([])
    app = ConsoleApp(
        parse_args(["--data-dir", data_dir, "--seat", "042", "--operator", "王芳", "--lang", "en"]),
        time.time(),
    )
    wait_until(app.window.intake.isEnabled)
    intake = app.window.intake
    if step == "save":
        fill_complaint(intake, PHONE, DESCRIPTION)
        saved: list[str] = []
        intake.case_saved.connect(lambda case: saved.append(case.case_no))
        save(app.window)
        wait_until(lambda: saved)
        print("SAVED", saved[0], flush=True)
    else:
        drafted: list[bool] = []
        intake.draft_saved.connect(lambda: drafted.append(True))
        type_text(intake.widgets.caller_phone, PHONE)
        type_text(intake.widgets.description, DESCRIPTION)
        wait_until(lambda: drafted, timeout=5)
        print("DRAFTED", flush=True)
    QTimer.singleShot(60_000, qt.quit)  # the test kills the process long before this
    qt.exec()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
