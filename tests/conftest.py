"""Shared test settings: Qt runs offscreen, whatever machine runs the suite."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
