from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from console.domain.errors import NumberingExhausted, ValidationFailed
from console.domain.numbering import case_number, centre_day, is_valid_seat_code, spoken_form
from console.workstation.local import LocalConsole

DAY = date(2026, 11, 30)

days = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))
seats = st.integers(min_value=1, max_value=999).map(lambda n: f"{n:03d}")
sequences = st.integers(min_value=1, max_value=9999)


def test_case_number_is_date_seat_and_sequence() -> None:
    assert case_number(DAY, "042", 7) == "2611300420007"


@given(days, seats, sequences)
def test_case_number_is_thirteen_ascii_digits(day: date, seat: str, seq: int) -> None:
    number = case_number(day, seat, seq)
    assert re.fullmatch(r"[0-9]{13}", number)
    assert number[:6] == day.strftime("%y%m%d")
    assert number[6:9] == seat
    assert int(number[9:]) == seq


def test_spoken_form_reads_date_seat_and_sequence_apart() -> None:
    assert spoken_form("2611300420007") == "261130 042 0007"


def test_spoken_form_leaves_other_text_alone() -> None:
    assert spoken_form("12345") == "12345"


@pytest.mark.parametrize("seat", ["000", "12", "1234", "abc", "", " 01", "0a1"])
def test_invalid_seat_codes_are_rejected(seat: str) -> None:
    assert not is_valid_seat_code(seat)
    with pytest.raises(ValueError, match="seat"):
        case_number(DAY, seat, 1)


@pytest.mark.parametrize("seat", ["００１", "٠٠١"])
def test_seat_code_must_be_three_ascii_digits(seat: str) -> None:
    # A seat code typed with a Chinese input method (full-width digits) would give case
    # numbers that read the same as seat 001's but are different strings.
    assert not is_valid_seat_code(seat)


def test_first_start_refuses_a_full_width_seat_code(console: LocalConsole) -> None:
    with pytest.raises(ValidationFailed) as refused:
        console.setup.configure("０４２", "王芳")
    assert [e.field for e in refused.value.errors] == ["seat_code"]
    assert console.setup.operator() is None


def test_first_start_keeps_the_seat_code_and_operator(console: LocalConsole) -> None:
    configured = console.setup.configure(" 042 ", " 王芳 ")
    assert (configured.seat_code, configured.name) == ("042", "王芳")
    assert console.setup.operator() == configured


def test_first_start_refuses_seat_000(console: LocalConsole) -> None:
    with pytest.raises(ValidationFailed):
        console.setup.configure("000", "王芳")
    assert console.setup.operator() is None


@pytest.mark.parametrize("seat", ["001", "042", "999"])
def test_valid_seat_codes_are_accepted(seat: str) -> None:
    assert is_valid_seat_code(seat)


def test_last_number_of_the_day_is_9999() -> None:
    assert case_number(DAY, "001", 9999) == "2611300019999"


def test_sequence_10000_is_exhausted() -> None:
    with pytest.raises(NumberingExhausted):
        case_number(DAY, "001", 10000)


def test_sequence_starts_at_one() -> None:
    with pytest.raises(ValueError):
        case_number(DAY, "001", 0)


@pytest.mark.parametrize(
    ("moment", "day"),
    [
        (datetime(2026, 11, 29, 20, 0, tzinfo=UTC), date(2026, 11, 30)),
        (datetime(2026, 11, 29, 15, 59, 59, tzinfo=UTC), date(2026, 11, 29)),
        (datetime(2026, 11, 29, 16, 0, tzinfo=UTC), date(2026, 11, 30)),
        (datetime(2026, 12, 31, 16, 0, tzinfo=UTC), date(2027, 1, 1)),
        (datetime(2026, 11, 30, 12, 0, tzinfo=timezone(timedelta(hours=-5))), date(2026, 12, 1)),
    ],
)
def test_centre_day_is_the_day_in_beijing(moment: datetime, day: date) -> None:
    assert centre_day(moment) == day


@given(st.lists(st.tuples(days, seats, sequences), min_size=2, max_size=60, unique=True))
def test_different_day_seat_or_sequence_give_different_numbers(
    triples: list[tuple[date, str, int]],
) -> None:
    numbers = [case_number(*t) for t in triples]
    assert len(set(numbers)) == len(triples)
