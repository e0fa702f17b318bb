"""Caller history: every earlier case of a number, open ones first."""

from __future__ import annotations

from console.domain.cases import REPEAT_WINDOW, CallerHistory
from console.domain.phone import parse_phone
from console.workstation.context import Clock, Units

PAGE = 100


class HistoryService:
    def __init__(self, units: Units, clock: Clock) -> None:
        self._units = units
        self._clock = clock

    def caller_history(self, phone_text: str, offset: int = 0, limit: int = PAGE) -> CallerHistory:
        """One page of the caller's cases; an empty history for an incomplete number."""
        phone = parse_phone(phone_text)
        if phone is None:
            return CallerHistory("", (), repeat_caller=False)
        with self._units.read() as uow:
            cases = uow.cases.by_caller(phone.e164, offset, limit)
            repeat = uow.cases.called_since(phone.e164, self._clock() - REPEAT_WINDOW)
        return CallerHistory(phone.e164, tuple(cases), repeat)
