"""Where the shipped resources live and where a workstation keeps its data."""

from __future__ import annotations

from pathlib import Path

RESOURCES = Path(__file__).resolve().parent.parent / "resources"
REFERENCE = RESOURCES / "reference"
TRANSLATIONS = RESOURCES / "i18n"
STYLES = RESOURCES / "styles"


def default_data_dir() -> Path:
    """The user's data folder for the console (per platform conventions)."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("hotline-console", appauthor=False))
