from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from console.domain.category_search import CategoryIndex, Spelling
from console.domain.reference import ReferenceData
from console.paths import REFERENCE


@pytest.fixture(scope="module")
def index(reference: ReferenceData) -> CategoryIndex:
    return CategoryIndex(reference.categories.values())


def _names(index: CategoryIndex, query: str, limit: int = 20) -> list[str]:
    return [c.level3 for c in index.search(query, limit)]


@pytest.mark.parametrize("query", ["占道", "占道经营", "zhandao", "zhandaojingying", "zdjy", "zd"])
def test_street_vending_is_found_first_by_chinese_pinyin_or_initials(
    index: CategoryIndex, query: str
) -> None:
    results = index.search(query)
    assert results[0].code == "010101"
    assert results[0].level3 == "占道经营"


def test_one_slip_in_the_initials_still_finds_street_vending(index: CategoryIndex) -> None:
    assert _names(index, "zyjy")[0] == "占道经营"


@pytest.mark.parametrize(
    ("query", "exact", "slip"),
    [
        ("dbgz", "电表故障", "电梯故障"),
        ("dtgz", "电梯故障", "电表故障"),
        ("jgqs", "井盖缺失", "价格欺诈"),
    ],
)
def test_an_exact_hit_ranks_above_a_one_slip_hit(
    index: CategoryIndex, query: str, exact: str, slip: str
) -> None:
    assert _names(index, query)[:2] == [exact, slip]


@pytest.mark.parametrize("query", ["停水", "tingshui", "tings"])
def test_water_cut_is_found_first(index: CategoryIndex, query: str) -> None:
    assert _names(index, query)[0] == "停水"


@pytest.mark.parametrize(
    "query",
    ["ZhanDao", "ZHANDAO", " zhan dao ", "Zhan Dao Jing Ying", "ZD JY", "占 道", "\tzdjy\n"],
)
def test_search_ignores_case_and_spaces(index: CategoryIndex, query: str) -> None:
    assert index.search(query) == index.search(query.lower().replace(" ", "").strip())
    assert _names(index, query)[0] == "占道经营"


@pytest.mark.parametrize("query", ["", "   ", "\t"])
def test_empty_query_finds_nothing(index: CategoryIndex, query: str) -> None:
    assert index.search(query) == []


@pytest.mark.parametrize("query", ["xqxqxqxq", "qqqqqq", "火箭发射场", "12345678"])
def test_query_matching_nothing_finds_nothing(index: CategoryIndex, query: str) -> None:
    assert index.search(query) == []


def test_a_first_level_name_finds_its_leaves_up_to_the_limit(
    index: CategoryIndex, reference: ReferenceData
) -> None:
    results = index.search("城市管理", limit=3)
    assert len(results) == 3
    assert all(c.level1 == "城市管理" for c in results)
    assert all(c.code in reference.categories for c in results)
    under = [c for c in reference.categories.values() if c.level1 == "城市管理"]
    assert len(index.search("城市管理", limit=1000)) >= len(under)


def test_a_second_level_name_finds_its_leaves_after_leaf_name_hits(
    index: CategoryIndex, reference: ReferenceData
) -> None:
    water = {c.code for c in reference.categories.values() if c.code.startswith("0301")}
    results = index.search("供水")
    assert results[0].level3 == "供水管道爆裂"
    assert water <= {c.code for c in results}


@settings(max_examples=200)
@given(
    query=st.text(alphabet="abcdefghijklmnopqrstuvwxyz 占道经营停水供暖物业噪声", max_size=8),
    limit=st.integers(min_value=1, max_value=30),
)
def test_results_are_distinct_leaves_within_the_limit(
    index: CategoryIndex, reference: ReferenceData, query: str, limit: int
) -> None:
    results = index.search(query, limit)
    assert len(results) <= limit
    assert len({c.code for c in results}) == len(results)
    assert all(reference.categories[c.code] == c for c in results)
    if not query.strip():
        assert results == []


def test_spellings_are_kept_between_starts_and_recomputed_when_the_tree_changes(
    tmp_path: Path,
) -> None:
    from console.store.spelling_cache import CACHE_FILE, load_spellings, save_spellings
    from console.workstation.local import open_local

    open_local(tmp_path, REFERENCE).close()
    kept = load_spellings(tmp_path)
    path = "城市管理 › 市容环境 › 占道经营"
    assert kept[path].initials == "zdjy"

    # A kept spelling is used as it is: mark one to see that it is not computed again.
    kept[path] = Spelling("marked", "mk", "marked", "mk")
    save_spellings(tmp_path, kept)
    console = open_local(tmp_path, REFERENCE)
    assert [c.level3 for c in console.categories.search("mk")][:1] == ["占道经营"]
    console.close()

    (tmp_path / CACHE_FILE).write_text("not json", encoding="utf-8")
    console = open_local(tmp_path, REFERENCE)
    assert [c.level3 for c in console.categories.search("zdjy")] == ["占道经营"]
    console.close()
