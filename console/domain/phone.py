"""Caller phone numbers: parsed and normalised with `phonenumbers`."""

from __future__ import annotations

from dataclasses import dataclass

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType

# A fixed line typed without its area code belongs to the centre's own city.
CENTRE_AREA_CODE = "010"
_REGION = "CN"
_MAX_INPUT = 32
_LOCAL_LENGTHS = frozenset({7, 8})


@dataclass(frozen=True)
class Phone:
    e164: str
    display: str
    is_mobile: bool

    @property
    def masked(self) -> str:
        """The number as lists and exports show it: middle digits hidden."""
        digits = self.e164.removeprefix("+86")
        return f"{digits[:3]}****{digits[-4:]}" if len(digits) > 7 else "****"


def parse_phone(text: str) -> Phone | None:
    """The caller's number, or None if `text` is not a complete, valid Chinese number."""
    raw = "".join(ch for ch in text if ch.isdigit() or ch == "+")
    if not raw or len(raw) > _MAX_INPUT:
        return None
    candidates = [raw]
    # A Beijing subscriber number never starts with 0 or 1: "13800138" is a mobile half typed.
    if raw.isdigit() and len(raw) in _LOCAL_LENGTHS and raw[0] in "23456789":
        candidates.insert(0, CENTRE_AREA_CODE + raw)
    for candidate in candidates:
        phone = _parse(candidate)
        if phone is not None:
            return phone
    return None


def _parse(candidate: str) -> Phone | None:
    try:
        number = phonenumbers.parse(candidate, _REGION)
    except NumberParseException:
        return None
    if number.country_code != 86 or not phonenumbers.is_valid_number(number):
        return None
    kind = phonenumbers.number_type(number)
    return Phone(
        e164=phonenumbers.format_number(number, PhoneNumberFormat.E164),
        display=phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL),
        is_mobile=kind in (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE),
    )
