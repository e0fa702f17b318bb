"""The Qt binding the console runs on must not leak references through signals.

PySide6 6.12.0 drops a reference to True on every Signal.emit(); after a few thousand signals
(a morning of typing) the interpreter aborts. pyproject.toml keeps that release out.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    changed = Signal(str)


def test_emitting_a_signal_keeps_the_reference_counts_of_true_and_false() -> None:
    emitter = _Emitter()
    emitter.changed.connect(lambda _text: None)
    before = sys.getrefcount(True), sys.getrefcount(False)
    for _ in range(200):
        emitter.changed.emit("x")
    assert (sys.getrefcount(True), sys.getrefcount(False)) == before
