from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from console.domain.enums import Urgency
from console.domain.reference import ReferenceData
from console.domain.routing import AgencySuggestion, suggest_agency
from console.domain.sla import suggest_deadline

STREET_VENDING = "010101"  # 占道经营
WATER_CUT = "030101"  # 停水
CERTIFICATE = "040201"  # 房产证办理, complex
GAS_LEAK = "030302"  # 燃气泄漏, emergency
CHAOYANG = "110105"
ETOWN = "110400"


def _suggest(
    ref: ReferenceData, category: str, district: str = "", street: str = ""
) -> AgencySuggestion:
    suggestion = suggest_agency(ref, category, district, street)
    assert suggestion is not None
    return suggestion


def test_street_vending_in_a_chaoyang_street_goes_to_that_street_office(
    reference: ReferenceData,
) -> None:
    for street in reference.streets_of(CHAOYANG):
        suggestion = _suggest(reference, STREET_VENDING, CHAOYANG, street.code)
        assert suggestion.agency.code == "S" + street.code
        assert suggestion.agency.kind == "street"
        assert suggestion.rule.id == "R002"
        assert "占道经营" in suggestion.rule.reason


def test_a_street_alone_is_enough_to_find_its_district_and_office(
    reference: ReferenceData,
) -> None:
    suggestion = _suggest(reference, STREET_VENDING, street="110105004")
    assert suggestion.agency.name == "三里屯街道办事处"


def test_street_vending_without_a_street_goes_to_the_district_government(
    reference: ReferenceData,
) -> None:
    suggestion = _suggest(reference, STREET_VENDING, CHAOYANG)
    assert (suggestion.agency.code, suggestion.agency.name) == ("D110105", "朝阳区人民政府")
    assert suggestion.rule.id == "R118"


def test_without_any_location_the_12345_bureau_coordinates(reference: ReferenceData) -> None:
    suggestion = _suggest(reference, STREET_VENDING)
    assert (suggestion.agency.code, suggestion.rule.id) == ("C024", "R119")


def test_e_town_cases_go_to_the_e_town_committee(reference: ReferenceData) -> None:
    for category in (STREET_VENDING, "010103", "040401"):
        suggestion = _suggest(reference, category, ETOWN)
        assert suggestion.agency.code == "D110400"
        assert suggestion.agency.name == "北京经济技术开发区管委会"


@pytest.mark.parametrize(
    ("category", "agency"),
    [
        (WATER_CUT, "U001"),  # 自来水集团
        ("030201", "U002"),  # 停电: 电力公司
        ("030301", "U003"),  # 燃气停气: 燃气集团
        ("030401", "U004"),  # 供暖不热: 热力集团
        ("010401", "U012"),  # 污水外溢: 排水集团
    ],
)
def test_utility_faults_go_to_the_utility_within_24_hours(
    reference: ReferenceData, category: str, agency: str
) -> None:
    for district in ("", CHAOYANG, "110108"):
        assert _suggest(reference, category, district).agency.code == agency
    assert reference.agencies[agency].kind == "utility"
    deadline = suggest_deadline(reference, category, Urgency.NORMAL)
    assert deadline.rule.duration == timedelta(hours=24)


def test_water_cut_in_huairou_goes_to_the_district(reference: ReferenceData) -> None:
    suggestion = _suggest(reference, WATER_CUT, "110116")
    assert suggestion.agency.code == "D110116"
    assert suggestion.rule.id == "R022"


def test_gas_leak_in_chaoyang_goes_to_the_street_elsewhere_to_the_gas_company(
    reference: ReferenceData,
) -> None:
    assert _suggest(reference, GAS_LEAK, CHAOYANG, "110105004").agency.code == "S110105004"
    assert _suggest(reference, GAS_LEAK, "110108", "110108001").agency.code == "U003"


def test_deadline_is_counted_from_the_given_start(reference: ReferenceData) -> None:
    start = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)
    due = suggest_deadline(reference, WATER_CUT, Urgency.NORMAL).due(start)
    assert due == datetime(2026, 12, 1, 2, 0, tzinfo=UTC)


def test_emergency_urgency_gives_two_hours_whatever_the_category(
    reference: ReferenceData,
) -> None:
    for code in reference.categories:
        deadline = suggest_deadline(reference, code, Urgency.EMERGENCY)
        assert deadline.rule.duration == timedelta(hours=2), code


def test_emergency_categories_give_two_hours_at_normal_urgency(reference: ReferenceData) -> None:
    assert suggest_deadline(reference, GAS_LEAK, Urgency.NORMAL).rule.duration == timedelta(hours=2)


def test_complex_category_gives_fifteen_days(reference: ReferenceData) -> None:
    deadline = suggest_deadline(reference, CERTIFICATE, Urgency.NORMAL)
    assert deadline.rule.duration == timedelta(days=15)
    assert "15天" in deadline.rule.label


@pytest.mark.parametrize("urgency", [Urgency.NORMAL, Urgency.URGENT])
def test_general_category_gives_seven_days(reference: ReferenceData, urgency: Urgency) -> None:
    deadline = suggest_deadline(reference, STREET_VENDING, urgency)
    assert deadline.rule.duration == timedelta(days=7)


def test_each_category_gets_the_limit_of_its_class(reference: ReferenceData) -> None:
    limits = {
        "emergency": timedelta(hours=2),
        "utility": timedelta(hours=24),
        "general": timedelta(days=7),
        "complex": timedelta(days=15),
    }
    for category in reference.categories.values():
        deadline = suggest_deadline(reference, category.code, Urgency.NORMAL)
        assert deadline.rule.duration == limits[category.sla_class], category.code


def test_every_category_without_location_gets_an_agency(reference: ReferenceData) -> None:
    for code in reference.categories:
        suggestion = suggest_agency(reference, code, "", "")
        assert suggestion is not None, code
        assert suggestion.agency.code in reference.agencies


def test_every_category_in_every_district_gets_an_agency(reference: ReferenceData) -> None:
    for district in reference.districts:
        for code in reference.categories:
            suggestion = suggest_agency(reference, code, district, "")
            assert suggestion is not None, (code, district)
            agency = suggestion.agency
            # A territorial suggestion never crosses into another district.
            assert agency.district_code in ("", district), (code, district, agency.code)


@settings(max_examples=300)
@given(st.data())
def test_any_category_in_any_street_gets_an_agency_of_that_place(
    reference: ReferenceData, data: st.DataObject
) -> None:
    code = data.draw(st.sampled_from(sorted(reference.categories)))
    street = reference.streets[data.draw(st.sampled_from(sorted(reference.streets)))]
    suggestion = suggest_agency(reference, code, "", street.code)
    assert suggestion is not None
    agency = suggestion.agency
    if agency.kind == "street":
        assert agency.street_code == street.code
    if agency.kind == "district" and agency.code != "D110400":
        assert agency.district_code == street.district_code
