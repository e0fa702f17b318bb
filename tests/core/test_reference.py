from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from console.domain.errors import ReferenceDataError
from console.domain.intake import IntakeForm
from console.domain.reference import SLA_CLASSES, ReferenceData, parse_reference
from console.domain.routing import suggest_agency
from console.store.reference_files import load_reference

if TYPE_CHECKING:
    from conftest import Opener

Texts = dict[str, str]
SANLITUN = "110105004"


def _lines(text: str) -> list[str]:
    return text.split("\n")


def _with_line(texts: Texts, name: str, number: int, line: str) -> Texts:
    """The files with physical line `number` (1-based) of `name` replaced."""
    lines = _lines(texts[name])
    lines[number - 1] = line
    return {**texts, name: "\n".join(lines)}


def _field(texts: Texts, name: str, number: int, column: int, value: str) -> Texts:
    fields = _lines(texts[name])[number - 1].split(",")
    fields[column] = value
    return _with_line(texts, name, number, ",".join(fields))


def _rejected(texts: Texts) -> tuple[str, int, str]:
    with pytest.raises(ReferenceDataError) as raised:
        parse_reference(texts)
    problem = raised.value.problem
    assert str(problem) == f"{problem.file}, line {problem.line}: {problem.reason}"
    assert str(problem) in str(raised.value)
    return problem.file, problem.line, problem.reason


def test_shipped_districts_are_the_sixteen_and_e_town(reference: ReferenceData) -> None:
    assert len(reference.districts) == 17
    assert reference.districts["110400"].name == "北京经济技术开发区"
    assert reference.districts["110105"].name == "朝阳区"
    assert sum(code.startswith("1101") for code in reference.districts) == 16


def test_shipped_streets_are_the_349_of_beijing(reference: ReferenceData) -> None:
    assert len(reference.streets) == 349
    assert all(s.district_code in reference.districts for s in reference.streets.values())
    assert reference.streets_of("110400") == []
    assert reference.streets[SANLITUN].name == "三里屯街道"
    assert {s.district_code for s in reference.streets.values()} == set(reference.districts) - {
        "110400"
    }


def test_shipped_categories_form_a_tree_of_leaves_with_time_limits(
    reference: ReferenceData,
) -> None:
    leaves = reference.categories.values()
    assert len(reference.categories) >= 200
    assert len({c.level1 for c in leaves}) >= 12
    assert {"城市管理", "市场管理", "公共服务", "住房"} <= {c.level1 for c in leaves}
    assert all(c.sla_class in SLA_CLASSES for c in leaves)
    assert {c.sla_class for c in leaves} == set(SLA_CLASSES)
    assert reference.categories["010101"].path == "城市管理 › 市容环境 › 占道经营"
    assert all(len(c.code) == 6 and c.level3 for c in leaves)


def test_shipped_agencies_cover_every_street_and_district(reference: ReferenceData) -> None:
    kinds = Counter(a.kind for a in reference.agencies.values())
    assert set(kinds) == {"city", "district", "street", "utility"}
    assert kinds["street"] == len(reference.streets)
    for street in reference.streets.values():
        office = reference.street_office(street.code)
        assert office is not None
        assert office.kind == "street"
        assert office.district_code == street.district_code
    for district in reference.districts:
        government = reference.district_government(district)
        assert government is not None
        assert government.kind == "district"
    assert len({a.name for a in reference.agencies.values()}) == len(reference.agencies)


def test_shipped_files_parse_when_saved_by_excel_with_bom_and_crlf(
    shipped_texts: Texts, reference: ReferenceData
) -> None:
    excel = {name: "\ufeff" + text.replace("\n", "\r\n") for name, text in shipped_texts.items()}
    assert parse_reference(excel) == reference


Edit = Callable[[Texts], Texts]


@pytest.mark.parametrize(
    ("edit", "file", "line", "reason"),
    [
        pytest.param(
            lambda t: _with_line(t, "districts.csv", 1, "code,title"),
            "districts.csv",
            1,
            "header",
            id="bad-header",
        ),
        pytest.param(
            lambda t: _with_line(t, "streets.csv", 5, _lines(t["streets.csv"])[4] + ",extra"),
            "streets.csv",
            5,
            "wrong number of columns",
            id="extra-column",
        ),
        pytest.param(
            lambda t: _with_line(
                t, "agencies.csv", 7, _lines(t["agencies.csv"])[6].rsplit(",", 1)[0]
            ),
            "agencies.csv",
            7,
            "wrong number of columns",
            id="missing-column",
        ),
        pytest.param(
            lambda t: _field(t, "streets.csv", 10, 2, "119999"),
            "streets.csv",
            10,
            "unknown district 119999",
            id="street-in-unknown-district",
        ),
        pytest.param(
            lambda t: _field(t, "routing_rules.csv", 3, 4, "X999"),
            "routing_rules.csv",
            3,
            "unknown agency X999",
            id="rule-names-unknown-agency",
        ),
        pytest.param(
            lambda t: _field(t, "routing_rules.csv", 4, 1, "9999"),
            "routing_rules.csv",
            4,
            "unknown category 9999",
            id="rule-names-unknown-category",
        ),
        pytest.param(
            lambda t: _field(t, "sla_rules.csv", 5, 3, "soon"),
            "sla_rules.csv",
            5,
            "duration 'soon'",
            id="duration-soon",
        ),
        pytest.param(
            lambda t: _field(t, "categories.csv", 20, 4, "urgent"),
            "categories.csv",
            20,
            "sla_class",
            id="unknown-sla-class",
        ),
        pytest.param(
            lambda t: _field(t, "agencies.csv", 3, 1, ""),
            "agencies.csv",
            3,
            "empty field",
            id="empty-name",
        ),
        pytest.param(
            lambda t: _field(
                {**t, "streets.csv": t["streets.csv"].replace("\n", "\n\n", 3)},
                "streets.csv",
                30,
                2,
                "119999",
            ),
            "streets.csv",
            30,
            "unknown district",
            id="line-counted-as-an-editor-shows-it",
        ),
    ],
)
def test_malformed_file_is_rejected_with_file_line_and_reason(
    shipped_texts: Texts, edit: Edit, file: str, line: int, reason: str
) -> None:
    got_file, got_line, got_reason = _rejected(edit(shipped_texts))
    assert (got_file, got_line) == (file, line)
    assert reason in got_reason


def test_duplicate_code_is_rejected_at_its_second_occurrence(shipped_texts: Texts) -> None:
    text = shipped_texts["categories.csv"]
    assert text.endswith("\n")
    duplicate = text + "010101,城市管理,市容环境,占道经营,general\n"
    rejected = _rejected({**shipped_texts, "categories.csv": duplicate})
    assert rejected == ("categories.csv", text.count("\n") + 1, "duplicate code 010101")


def test_missing_sla_class_rule_is_rejected(shipped_texts: Texts) -> None:
    lines = _lines(shipped_texts["sla_rules.csv"])
    without_complex = "\n".join(line for line in lines if ",class,complex," not in line)
    file, line, reason = _rejected({**shipped_texts, "sla_rules.csv": without_complex})
    assert file == "sla_rules.csv"
    assert "complex" in reason
    assert 1 <= line <= len(lines)


def test_a_missing_file_is_named(shipped_texts: Texts) -> None:
    texts = {name: text for name, text in shipped_texts.items() if name != "agencies.csv"}
    file, _, reason = _rejected(texts)
    assert (file, reason) == ("agencies.csv", "file missing")


# Loading from a data folder: the centre's override, and the last good set.


def _override(data_dir: Path, name: str, text: str, encoding: str = "utf-8") -> None:
    folder = data_dir / "reference"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding=encoding)


def _street_vending_agency(data: ReferenceData) -> str:
    suggestion = suggest_agency(data, "010101", "110105", SANLITUN)
    assert suggestion is not None
    return suggestion.agency.code


def _routing_to_enforcement(shipped_texts: Texts) -> str:
    """The shipped rules with 占道经营 (R002, line 3) sent to the city enforcement bureau."""
    return _field(shipped_texts, "routing_rules.csv", 3, 4, "C002")["routing_rules.csv"]


def test_without_overrides_the_shipped_data_is_used(
    shipped: Path, tmp_path: Path, reference: ReferenceData
) -> None:
    loaded = load_reference(shipped, tmp_path)
    assert loaded.problem is None
    assert loaded.data == reference


def test_a_valid_override_takes_effect(shipped: Path, tmp_path: Path, shipped_texts: Texts) -> None:
    _override(tmp_path, "routing_rules.csv", _routing_to_enforcement(shipped_texts))
    loaded = load_reference(shipped, tmp_path)
    assert loaded.problem is None
    assert _street_vending_agency(loaded.data) == "C002"
    # Files that were not replaced stay the shipped ones.
    assert len(loaded.data.streets) == 349


def test_a_broken_override_keeps_the_last_good_rules(
    shipped: Path, tmp_path: Path, shipped_texts: Texts
) -> None:
    good = _routing_to_enforcement(shipped_texts)
    _override(tmp_path, "routing_rules.csv", good)
    assert load_reference(shipped, tmp_path).problem is None

    broken = _with_line({"r": good}, "r", 12, "R011,010502,*,*,{street}")["r"]
    _override(tmp_path, "routing_rules.csv", broken)
    loaded = load_reference(shipped, tmp_path)
    assert loaded.problem is not None
    assert (loaded.problem.file, loaded.problem.line) == ("routing_rules.csv", 12)
    assert _street_vending_agency(loaded.data) == "C002"

    # The next start still has the problem and still the last good rules.
    again = load_reference(shipped, tmp_path)
    assert again.problem == loaded.problem
    assert _street_vending_agency(again.data) == "C002"


def test_a_broken_override_with_no_earlier_good_set_falls_back_to_shipped(
    shipped: Path, tmp_path: Path, shipped_texts: Texts, reference: ReferenceData
) -> None:
    broken = _field(shipped_texts, "routing_rules.csv", 8, 4, "NOPE")["routing_rules.csv"]
    _override(tmp_path, "routing_rules.csv", broken)
    loaded = load_reference(shipped, tmp_path)
    assert loaded.problem is not None
    assert (loaded.problem.file, loaded.problem.line) == ("routing_rules.csv", 8)
    assert "NOPE" in loaded.problem.reason
    assert loaded.data == reference


def test_fixing_the_override_brings_it_into_use(
    shipped: Path, tmp_path: Path, shipped_texts: Texts
) -> None:
    _override(tmp_path, "routing_rules.csv", "id,category\nR001,01\n")
    assert load_reference(shipped, tmp_path).problem is not None
    _override(tmp_path, "routing_rules.csv", _routing_to_enforcement(shipped_texts))
    loaded = load_reference(shipped, tmp_path)
    assert loaded.problem is None
    assert _street_vending_agency(loaded.data) == "C002"


def test_an_override_saved_in_gbk_is_reported_not_fatal(
    shipped: Path, tmp_path: Path, shipped_texts: Texts
) -> None:
    # Excel on a Chinese Windows saves "CSV (comma delimited)" in GBK, not UTF-8.
    good = _routing_to_enforcement(shipped_texts)
    _override(tmp_path, "routing_rules.csv", good)
    assert load_reference(shipped, tmp_path).problem is None
    _override(tmp_path, "routing_rules.csv", good.replace("C002", "C001"), encoding="gbk")
    loaded = load_reference(shipped, tmp_path)
    assert loaded.problem is not None
    assert loaded.problem.file == "routing_rules.csv"
    assert _street_vending_agency(loaded.data) == "C002"


def test_console_reports_the_broken_override_and_suggests_from_last_good(
    open_console: Opener, data_dir: Path, shipped_texts: Texts, complaint: IntakeForm
) -> None:
    _override(data_dir, "routing_rules.csv", _routing_to_enforcement(shipped_texts))
    first = open_console(data_dir)
    assert first.reference_problem is None
    first.close()

    _override(data_dir, "sla_rules.csv", "id,match,value,duration,label\nS1,class,general,soon,x\n")
    console = open_console(data_dir)
    problem = console.reference_problem
    assert problem is not None
    assert (problem.file, problem.line) == ("sla_rules.csv", 2)
    suggestion = console.intake.suggest(complaint)
    assert suggestion.agency is not None
    assert suggestion.agency.agency.code == "C002"
    assert suggestion.deadline.rule.duration.days == 7
