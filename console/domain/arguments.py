"""A mutation's arguments, as decoded JSON: each of the type and form it must have, or an
`InvalidArgument` naming it. Nothing sent is taken on trust."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from console.domain.errors import InvalidArgument

# The years a time a client sends may fall in: anything else is a typing or clock error, and
# the far ends of datetime's range overflow when converted to UTC.
YEARS = range(2000, 2101)
MAX_TIME_TEXT = 40  # "2026-01-15T09:30:00.123456+08:00" and a little more


def text_arg(args: dict[str, Any], name: str, limit: int, required: bool = True) -> str:
    """Text of at most `limit` characters, trimmed; "" if not given and not `required`."""
    value = args.get(name, "")
    if not isinstance(value, str) or len(value) > limit or (required and not value.strip()):
        raise InvalidArgument(name)
    return value.strip()


def flag_arg(args: dict[str, Any], name: str) -> bool:
    value = args.get(name, False)
    if not isinstance(value, bool):
        raise InvalidArgument(name)
    return value


def uuid_arg(args: dict[str, Any], name: str) -> str:
    value = args.get(name)
    try:
        return str(uuid.UUID(value if isinstance(value, str) else ""))
    except ValueError:
        raise InvalidArgument(name) from None


def time_arg(args: dict[str, Any], name: str) -> datetime | None:
    """An ISO 8601 time with its offset, in the years 2000 to 2100; None if not given."""
    value = args.get(name)
    if value is None:
        return None
    try:
        fits = isinstance(value, str) and len(value) <= MAX_TIME_TEXT
        moment = datetime.fromisoformat(value) if fits else None
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None or moment.year not in YEARS:
        raise InvalidArgument(name)
    return moment
