"""What every use case needs: the clock, the units of work and who is at the seat."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from console.store.uow import UnitOfWork

Clock = Callable[[], datetime]


@dataclass(frozen=True)
class Operator:
    """The person at the seat and the console they use."""

    seat_code: str
    name: str
    client_id: str


@dataclass(frozen=True)
class Units:
    """Units of work on the writer connection and on the reader connection."""

    write: Callable[[], UnitOfWork]
    read: Callable[[], UnitOfWork]
