from __future__ import annotations

import phonenumbers
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from console.domain.phone import parse_phone

MOBILE = "+8613800138000"
BEIJING = "+861065123456"
SHANGHAI = "+862162345678"


@pytest.mark.parametrize(
    "typed",
    [
        "13800138000",
        "138 0013 8000",
        "138-0013-8000",
        " 138 0013-8000 ",
        "+86 13800138000",
        "+86 138 0013 8000",
        "8613800138000",
        "008613800138000",
        "１３８００１３８０００",
    ],
)
def test_mobile_numbers_in_any_common_spelling_are_accepted(typed: str) -> None:
    phone = parse_phone(typed)
    assert phone is not None
    assert phone.e164 == MOBILE
    assert phone.is_mobile
    assert phone.display == "138 0013 8000"


@pytest.mark.parametrize(
    "typed", ["010-65123456", "01065123456", "(010) 6512 3456", "+8610 65123456"]
)
def test_beijing_fixed_line_with_area_code(typed: str) -> None:
    phone = parse_phone(typed)
    assert phone is not None
    assert phone.e164 == BEIJING
    assert not phone.is_mobile


@pytest.mark.parametrize("typed", ["65123456", "6512 3456", "6512-3456"])
def test_fixed_line_without_area_code_is_taken_as_beijing(typed: str) -> None:
    phone = parse_phone(typed)
    assert phone is not None
    assert phone.e164 == BEIJING
    assert phone.display == "010 6512 3456"


@pytest.mark.parametrize(
    "typed", ["021-62345678", "02162345678", "021 6234 5678", "+86 21 6234 5678"]
)
def test_other_cities_fixed_lines_keep_their_area_code(typed: str) -> None:
    assert phonenumbers.is_valid_number(phonenumbers.parse(SHANGHAI))
    phone = parse_phone(typed)
    assert phone is not None
    assert phone.e164 == SHANGHAI
    assert not phone.is_mobile


@pytest.mark.parametrize(
    "typed",
    [
        "1380013",
        "13800138",
        "138001380",
        "1380013800",
        "6512345",
        "010-6512345",
        "12345",
    ],
)
def test_incomplete_numbers_are_rejected(typed: str) -> None:
    assert parse_phone(typed) is None


@given(
    st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True).filter(lambda n: parse_phone(n) is not None),
    st.integers(min_value=7, max_value=10),
)
def test_a_mobile_number_typed_halfway_is_not_accepted(mobile: str, length: int) -> None:
    # While the call-taker is still typing a mobile, no prefix may already pass as a number.
    assert parse_phone(mobile[:length]) is None


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "   ",
        "abc",
        "hotline",
        "一三八零零一三八零零零",
        "1380013800O",
        "l3800138000",
    ],
)
def test_letters_and_blanks_are_rejected(typed: str) -> None:
    assert parse_phone(typed) is None


@pytest.mark.parametrize(
    "typed", ["138001380001", "1" * 33, "13800138000" * 3, "+86 138 0013 8000 0"]
)
def test_too_long_numbers_are_rejected(typed: str) -> None:
    assert parse_phone(typed) is None


@pytest.mark.parametrize(
    "typed",
    ["+1 650 253 0000", "+12025550123", "+852 2123 4567", "+44 20 7946 0958", "001 650 253 0000"],
)
def test_numbers_outside_china_are_rejected(typed: str) -> None:
    assert parse_phone(typed) is None


def test_masked_number_hides_the_middle_digits() -> None:
    mobile = parse_phone("13800138000")
    fixed = parse_phone("010-65123456")
    assert mobile is not None
    assert fixed is not None
    assert mobile.masked == "138****8000"
    assert "0013" not in mobile.masked
    assert fixed.masked.endswith("3456")
    assert "6512" not in fixed.masked


@given(
    st.one_of(
        st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True),
        st.from_regex(r"010[2-8][0-9]{7}", fullmatch=True),
        st.from_regex(r"0(21|22|755|571)[2-8][0-9]{7}", fullmatch=True),
    )
)
def test_a_normalised_number_parses_back_to_itself(national: str) -> None:
    number = phonenumbers.parse(national, "CN")
    assume(phonenumbers.is_valid_number(number))
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    phone = parse_phone(e164)
    assert phone is not None
    assert phone.e164 == e164
    assert parse_phone(phone.display) == phone
    assert parse_phone(national) == phone
