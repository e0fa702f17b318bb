"""Find a category by typing Chinese, full pinyin or pinyin initials (占道 / zhandao / zd)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from console.domain.reference import Category

_FUZZY_CUTOFF = 80.0
_MIN_TYPO_LENGTH = 4


@dataclass(frozen=True)
class Spelling:
    """How a category is typed in pinyin: the leaf's and the whole path's, full and initials."""

    pinyin: str
    initials: str
    path_pinyin: str
    path_initials: str


def spell(category: Category) -> Spelling:
    """The category's pinyin. Costs the import of pypinyin's dictionaries (0.15 s) once."""
    from pypinyin import Style, lazy_pinyin

    def letters(text: str) -> tuple[str, str]:
        full = lazy_pinyin(text, errors="ignore")
        initials = lazy_pinyin(text, style=Style.FIRST_LETTER, errors="ignore")
        return "".join(full).lower(), "".join(initials).lower()

    leaf = letters(category.level3)
    path = letters(category.level1 + category.level2 + category.level3)
    return Spelling(*leaf, *path)


@dataclass(frozen=True)
class _Entry:
    category: Category
    path: str
    spelling: Spelling


class CategoryIndex:
    """An in-memory index over the category leaves; a query takes well under a millisecond.

    `known` spellings (kept from an earlier start, by category path) spare computing them again.
    """

    def __init__(
        self, categories: Iterable[Category], known: Mapping[str, Spelling] | None = None
    ) -> None:
        known = known or {}
        self._entries = [
            _Entry(c, c.level1 + c.level2 + c.level3, known.get(c.path) or spell(c))
            for c in categories
        ]

    def spellings(self) -> dict[str, Spelling]:
        """Every leaf's spelling by its path, to be kept for the next start."""
        return {e.category.path: e.spelling for e in self._entries}

    def search(self, query: str, limit: int = 20) -> list[Category]:
        """Leaves ranked: leaf-name hits first, then hits anywhere in the path, then fuzzy."""
        text = "".join(query.split()).lower()
        if not text:
            return []
        scored = [(score, i) for i, e in enumerate(self._entries) if (score := _score(e, text))]
        scored.sort(key=lambda pair: (-pair[0], pair[1]))
        return [self._entries[i].category for _, i in scored[:limit]]


def _score(entry: _Entry, text: str) -> float:
    leaf, spelling = entry.category.level3, entry.spelling
    if leaf.startswith(text) or spelling.initials.startswith(text):
        return 400.0
    if spelling.pinyin.startswith(text):
        return 390.0
    if text in leaf or text in spelling.pinyin or text in spelling.initials:
        return 300.0
    if text in entry.path or text in spelling.path_pinyin or text in spelling.path_initials:
        return 200.0
    if text.isascii() and len(text) >= _MIN_TYPO_LENGTH:
        # Initials with one slip (zyjy for zdjy) still find the leaf, below every exact hit.
        slips = Levenshtein.distance(text, spelling.initials, score_cutoff=1)
        if slips <= 1:
            return 150.0
    if len(text) >= 2:
        ratio = fuzz.partial_ratio(text, leaf if not text.isascii() else spelling.pinyin)
        if ratio >= _FUZZY_CUTOFF:
            return ratio
    return 0.0
