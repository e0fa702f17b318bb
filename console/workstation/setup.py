"""Who is at the seat: asked on first start, or given in advance by the centre's IT."""

from __future__ import annotations

import uuid

from console.domain.errors import FieldError, ValidationFailed
from console.domain.numbering import is_valid_seat_code, sequence_of
from console.workstation.context import Operator, Units

MAX_NAME = 50


class SetupService:
    def __init__(self, units: Units) -> None:
        self._units = units

    def operator(self) -> Operator | None:
        with self._units.read() as uow:
            seat, name, client = (uow.meta.get(k) for k in ("seat_code", "operator", "client_id"))
        if seat and name and client:
            return Operator(seat, name, client)
        return None

    def configure(self, seat_code: str, name: str) -> Operator:
        seat_code, name = seat_code.strip(), name.strip()
        errors = []
        if not is_valid_seat_code(seat_code):
            errors.append(FieldError("seat_code", "invalid_seat"))
        if not name:
            errors.append(FieldError("operator", "required"))
        elif len(name) > MAX_NAME:
            errors.append(FieldError("operator", "too_long"))
        if errors:
            raise ValidationFailed(errors)
        with self._units.write() as uow:
            client_id = uow.meta.get("client_id") or str(uuid.uuid4())
            uow.meta.set("client_id", client_id)
            uow.meta.set("seat_code", seat_code)
            uow.meta.set("operator", name)
            uow.commit()
        return Operator(seat_code, name, client_id)

    def adopt_enrolment(self, client_id: str, seat_code: str, last_case_no: str = "") -> int:
        """Work on as the console the centre enrolled: its id and seat from now on.

        After the server refused a mutation number as used before (the database was restored
        from an older copy), the unsent mutations are numbered again from 1 for the new
        enrolment and the seat's numbering goes on after `last_case_no`, the last case number
        the server holds for the seat. The number of mutations to send again."""
        if not is_valid_seat_code(seat_code):
            raise ValidationFailed([FieldError("seat_code", "invalid_seat")])
        taken = sequence_of(last_case_no)
        with self._units.write() as uow:
            uow.meta.set("client_id", client_id)
            uow.meta.set("seat_code", seat_code)
            if taken is not None and taken[1] == seat_code:
                uow.counters.at_least(f"{taken[0]:%Y%m%d}", taken[2])
            pending = uow.outbox.restart_numbering()
            uow.commit()
        return pending
