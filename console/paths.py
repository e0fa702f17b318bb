"""Where the shipped resources live and where a workstation keeps its data."""

from __future__ import annotations

import os
from pathlib import Path

RESOURCES = Path(__file__).resolve().parent.parent / "resources"
REFERENCE = RESOURCES / "reference"
TRANSLATIONS = RESOURCES / "i18n"
STYLES = RESOURCES / "styles"


def default_data_dir() -> Path:
    """The user's data folder for the console (per platform conventions)."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("hotline-console", appauthor=False))


def make_private(folder: Path) -> Path:
    """Create `folder` readable by its user only, with what is in it already.

    A workstation is used by every shift's account, and the local database holds every
    caller's number: the folder is 0700 and its files 0600, including those of a folder made
    before this rule (on Windows the user's own profile folder is private already)."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    if os.name == "posix":
        folder.chmod(0o700)
        for path in folder.rglob("*"):
            if not path.is_symlink():
                path.chmod(0o700 if path.is_dir() else 0o600)
    return folder


def write_private(path: Path, text: str) -> None:
    """Write `text` to `path` (UTF-8) readable by its user only, whatever the process's umask
    and whatever the file's mode was."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    if os.name == "posix":
        os.fchmod(fd, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)
