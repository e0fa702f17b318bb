"""Case numbers: final at save, unique across the centre without asking the server.

A number is the centre's local date (YYMMDD), the console's three-digit seat code and a
four-digit per-console daily sequence: 13 digits, read aloud in three groups.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

from console.domain.errors import NumberingExhausted

CENTRE_TZ = timezone(timedelta(hours=8), "Asia/Shanghai")
MAX_DAILY = 9999
_SEAT = re.compile(r"[0-9]{3}")  # ASCII only: a full-width ０４２ would make another number
_NUMBER = re.compile(r"^(\d{6})(\d{3})(\d{4})$")


def is_valid_seat_code(code: str) -> bool:
    return bool(_SEAT.fullmatch(code)) and code != "000"


def centre_day(moment: datetime) -> date:
    """The centre's calendar day of an aware timestamp."""
    return moment.astimezone(CENTRE_TZ).date()


def case_number(day: date, seat_code: str, sequence: int) -> str:
    if not is_valid_seat_code(seat_code):
        raise ValueError(f"invalid seat code {seat_code!r}")
    if sequence > MAX_DAILY:
        raise NumberingExhausted(f"seat {seat_code} used all {MAX_DAILY} numbers of {day}")
    if sequence < 1:
        raise ValueError("sequence starts at 1")
    return f"{day:%y%m%d}{seat_code}{sequence:04d}"


def sequence_of(number: str) -> tuple[date, str, int] | None:
    """The day, seat and daily sequence of a case number; None if it is not one."""
    match = _NUMBER.match(number)
    if match is None:
        return None
    day, seat, sequence = match.groups()
    try:
        return datetime.strptime(day, "%y%m%d").date(), seat, int(sequence)
    except ValueError:
        return None


def spoken_form(number: str) -> str:
    """The number grouped for reading aloud: date, seat, sequence."""
    match = _NUMBER.match(number)
    return " ".join(match.groups()) if match else number
