"""Who is at the seat: asked on first start, or given in advance by the centre's IT."""

from __future__ import annotations

import uuid

from console.domain.errors import FieldError, ValidationFailed
from console.domain.numbering import is_valid_seat_code
from console.services.context import Operator, Units

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
