"""Ids of records, made where the record is made: on a console, offline too."""

from __future__ import annotations

import uuid6


def new_id() -> str:
    """A UUIDv7: unique without asking anyone, and in the order records were made."""
    return str(uuid6.uuid7())
