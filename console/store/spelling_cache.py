"""The pinyin of the category tree, kept between starts: computing it costs a quarter second."""

from __future__ import annotations

import json
import logging
import os
from dataclasses import astuple
from importlib.metadata import version
from pathlib import Path

from console.domain.category_search import Spelling
from console.paths import write_private

log = logging.getLogger(__name__)
CACHE_FILE = "category-spellings.json"


def _key() -> str:
    return f"pypinyin {version('pypinyin')}"


def load_spellings(data_dir: Path) -> dict[str, Spelling]:
    """Spellings by category path; empty if none were kept or pypinyin changed since."""
    try:
        stored = json.loads((data_dir / CACHE_FILE).read_text(encoding="utf-8"))
        if stored.get("key") != _key():
            return {}
        return {path: Spelling(*parts) for path, parts in stored["spellings"].items()}
    except (OSError, ValueError, TypeError, KeyError) as error:
        if not isinstance(error, FileNotFoundError):
            log.warning("category spellings not reused: %s", error)
        return {}


def save_spellings(data_dir: Path, spellings: dict[str, Spelling]) -> None:
    payload = {"key": _key(), "spellings": {p: astuple(s) for p, s in spellings.items()}}
    staging = data_dir / (CACHE_FILE + ".tmp")
    write_private(staging, json.dumps(payload, ensure_ascii=False))
    os.replace(staging, data_dir / CACHE_FILE)
