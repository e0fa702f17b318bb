"""Open a case, add a note, list the seat's cases."""

from __future__ import annotations

from datetime import datetime

from console.domain.cases import MAX_NOTE, CaseDetail, CaseNote, CaseSummary
from console.domain.enums import EventKind
from console.domain.errors import FieldError, NotFound, ValidationFailed
from console.domain.ids import new_id
from console.domain.numbering import CENTRE_TZ
from console.domain.text import typed
from console.store.repositories import NewEvent
from console.workstation.context import Clock, Operator, Units

PAGE = 100


class CaseService:
    def __init__(self, units: Units, clock: Clock) -> None:
        self._units = units
        self._clock = clock

    def detail(self, case_id: str) -> CaseDetail:
        with self._units.read() as uow:
            return uow.cases.detail(case_id)

    def add_note(self, case_id: str, text: str, operator: Operator) -> CaseNote:
        text = typed(text).strip()
        if not text:
            raise ValidationFailed([FieldError("note", "required")])
        if len(text) > MAX_NOTE:
            raise ValidationFailed([FieldError("note", "too_long")])
        now = self._clock()
        note = CaseNote(new_id(), now, operator.name, text)
        with self._units.write() as uow:
            if not uow.cases.exists(case_id):
                raise NotFound(case_id)
            uow.cases.add_note(note, case_id, operator.seat_code)
            uow.cases.add_event(
                NewEvent(
                    new_id(), case_id, now, EventKind.NOTE_ADDED, operator.name, operator.seat_code
                )
            )
            uow.outbox.append(
                "case.add_note", {"case_id": case_id, "note_id": note.id, "text": text}, now
            )
            uow.commit()
        return note

    def my_cases(self, operator: Operator, offset: int = 0, limit: int = PAGE) -> list[CaseSummary]:
        """The seat's cases of today (centre time) and all its open ones."""
        with self._units.read() as uow:
            return uow.cases.of_seat(operator.seat_code, self._start_of_today(), offset, limit)

    def communities(self, street_code: str) -> list[str]:
        with self._units.read() as uow:
            return uow.cases.communities(street_code)

    def _start_of_today(self) -> datetime:
        local = self._clock().astimezone(CENTRE_TZ)
        return local.replace(hour=0, minute=0, second=0, microsecond=0)
