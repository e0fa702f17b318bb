"""Read the reference data files: the centre's own copies first, then the shipped ones.

A malformed file never replaces good data: the last set that loaded is kept in the data
folder and used instead, and the problem is reported with its file, line and reason.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from console.domain.errors import ReferenceDataError, ReferenceProblem
from console.domain.reference import FILES, ReferenceData, parse_reference
from console.paths import write_private

log = logging.getLogger(__name__)
OVERRIDE_DIR = "reference"
LAST_GOOD_DIR = "reference-last-good"


@dataclass(frozen=True)
class LoadedReference:
    data: ReferenceData
    problem: ReferenceProblem | None


def _read(paths: dict[str, Path]) -> dict[str, str]:
    texts = {}
    for name, path in paths.items():
        try:
            texts[name] = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as error:
            line = path.read_bytes()[: error.start].count(b"\n") + 1
            problem = ReferenceProblem(name, line, "not UTF-8 text (save the file as UTF-8)")
            raise ReferenceDataError(problem) from error
    return texts


def load_reference(shipped: Path, data_dir: Path) -> LoadedReference:
    """The reference data to use, and the problem that made it fall back, if any."""
    override = data_dir / OVERRIDE_DIR
    paths = {
        name: (override / name if (override / name).is_file() else shipped / name) for name in FILES
    }
    try:
        texts = _read(paths)
        data = parse_reference(texts)
    except ReferenceDataError as error:
        log.error("reference data rejected: %s", error.problem)
        return LoadedReference(_fallback(shipped, data_dir), error.problem)
    _keep_as_last_good(texts, data_dir / LAST_GOOD_DIR)
    return LoadedReference(data, None)


def _fallback(shipped: Path, data_dir: Path) -> ReferenceData:
    last_good = data_dir / LAST_GOOD_DIR
    for folder in (last_good, shipped):
        if all((folder / name).is_file() for name in FILES):
            try:
                return parse_reference(_read({name: folder / name for name in FILES}))
            except ReferenceDataError as error:
                log.error("fallback reference data in %s rejected: %s", folder, error.problem)
    raise ReferenceDataError(ReferenceProblem(str(shipped), 0, "no usable reference data"))


def _keep_as_last_good(texts: dict[str, str], folder: Path) -> None:
    if all(
        (folder / name).is_file() and (folder / name).read_text(encoding="utf-8") == text
        for name, text in texts.items()
    ):
        return
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".reference-", dir=folder.parent))
    for name, text in texts.items():
        write_private(staging / name, text)
    if folder.exists():
        shutil.rmtree(folder)
    os.replace(staging, folder)
