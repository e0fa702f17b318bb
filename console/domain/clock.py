"""The time, always aware and in UTC: shown in the centre's time, stored in UTC."""

from __future__ import annotations

from datetime import UTC, datetime


def utc_now() -> datetime:
    return datetime.now(UTC)
