"""Open a case, add a note, list the seat's cases."""

from __future__ import annotations

from datetime import datetime

from console.domain.cases import MAX_NOTE, CaseDetail, CaseNote, CaseSummary
from console.domain.edits import checked_edit, derived
from console.domain.enums import EventKind
from console.domain.errors import FieldError, NotFound, ValidationFailed
from console.domain.ids import new_id
from console.domain.numbering import CENTRE_TZ
from console.domain.reference import ReferenceData
from console.domain.text import typed
from console.store.repositories import NewEvent
from console.store.uow import UnitOfWork
from console.workstation.context import Clock, Operator, Units

PAGE = 100


class CaseService:
    def __init__(self, units: Units, reference: ReferenceData, clock: Clock) -> None:
        self._units = units
        self._reference = reference
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
                "case.add_note",
                {"case_id": case_id, "note_id": note.id, "text": text},
                now,
                case_id,
            )
            uow.commit()
        return note

    def edit(self, case_id: str, changes: dict[str, str], operator: Operator) -> None:
        """Change fields of a case after intake, checked as the server checks them, and queue
        the change for the server in the same transaction, based on the version held here."""
        values = {
            name: checked_edit(self._reference, name, typed(v)) for name, v in changes.items()
        }
        errors = [FieldError(name, "invalid") for name, value in values.items() if value is None]
        if errors or not values:
            raise ValidationFailed(errors or [FieldError("set", "required")])
        checked = {name: value for name, value in values.items() if value is not None}
        with self._units.write() as uow:
            queue_edit(uow, case_id, checked, self._reference, operator, self._clock())
            uow.commit()

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


def queue_edit(
    uow: UnitOfWork,
    case_id: str,
    values: dict[str, str],
    reference: ReferenceData,
    operator: Operator,
    now: datetime,
) -> None:
    """Change the case here and queue the change (`case.update`) on top of its version here."""
    changed = {**values, **derived(reference, values)}
    before = uow.replica.fields(case_id, ["version", *changed])
    if before is None:
        raise NotFound(case_id)
    base = before.pop("version")
    uow.replica.set_fields(case_id, changed, now)
    uow.cases.add_event(
        NewEvent(
            new_id(), case_id, now, EventKind.UPDATED, operator.name, operator.seat_code,
            ", ".join(values),
        )
    )  # fmt: skip
    args = {"case_id": case_id, "base_version": base, "set": values}
    uow.outbox.append("case.update", args, now, case_id, before)
