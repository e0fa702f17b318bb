"""Take a call: suggestions while typing, and a durable save with a final case number."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from console.domain.cases import SavedCase
from console.domain.enums import EventKind, Handling, Status, Urgency, parse_enum
from console.domain.errors import ValidationFailed
from console.domain.ids import new_id
from console.domain.intake import IntakeForm, ValidIntake, resolve_location, validate
from console.domain.new_case import NewCase
from console.domain.numbering import case_number, centre_day
from console.domain.reference import ReferenceData
from console.domain.routing import AgencySuggestion, suggest_agency
from console.domain.sla import DeadlineSuggestion, suggest_deadline
from console.store.repositories import NewEvent
from console.store.uow import UnitOfWork
from console.workstation.context import Clock, Operator, Units
from console.workstation.drafts import DRAFT_SLOT


@dataclass(frozen=True)
class Suggestions:
    agency: AgencySuggestion | None
    deadline: DeadlineSuggestion


class IntakeService:
    def __init__(self, units: Units, ref: ReferenceData, clock: Clock) -> None:
        self._units = units
        self._ref = ref
        self._clock = clock

    def suggest(self, form: IntakeForm) -> Suggestions:
        """Agency and deadline for what is typed so far; pure and fast enough for each key.

        Without a category there is no agency to suggest, and the deadline is the general one.
        """
        urgency = parse_enum(Urgency, form.urgency) or Urgency.NORMAL
        deadline = suggest_deadline(self._ref, form.category_code, urgency)
        if form.category_code not in self._ref.categories:
            return Suggestions(None, deadline)
        location = resolve_location(self._ref, form)
        agency = suggest_agency(
            self._ref, form.category_code, location.district_code, location.street_code
        )
        return Suggestions(agency, deadline)

    def submit(self, form: IntakeForm, operator: Operator) -> SavedCase:
        """Validate, number and store the case in one durable transaction."""
        form = form.as_typed()
        valid = validate(self._ref, form)
        if isinstance(valid, list):
            raise ValidationFailed(valid)
        now = self._clock()
        unnumbered = self._new_case(valid, now)
        with self._units.write() as uow:
            case_no = _free_number(uow, operator.seat_code, now)
            new = replace(unnumbered, case_no=case_no)
            values = {
                **new.values(self._ref),
                "client_id": operator.client_id,
                "seat_code": operator.seat_code,
                "operator": operator.name,
                "updated_at": now,
            }
            assisting = [(c, self._ref.agencies[c].name) for c in new.assisting_agencies]
            uow.cases.add(values, assisting)
            self._record_events(uow, values, operator, now)
            uow.outbox.append("case.create", new.to_args(), now, new.id)
            uow.drafts.clear(DRAFT_SLOT)
            uow.commit()
        return SavedCase(new.id, new.case_no, new.status, new.deadline_at)

    def _new_case(self, valid: ValidIntake, now: datetime) -> NewCase:
        """The case the intake makes, routed and given its deadline; numbered at the save."""
        form = valid.form
        dispatch = valid.handling is Handling.DISPATCH
        agency = self._ref.agencies.get(form.lead_agency_code) if dispatch else None
        suggestion = self.suggest(form)
        routed = suggestion.agency is not None and agency == suggestion.agency.agency
        sla = suggestion.deadline if dispatch else None
        deadline = form.deadline if dispatch and form.deadline else (sla.due(now) if sla else None)
        return NewCase.taken(
            valid,
            id=new_id(),
            case_no="",
            created_at=now,
            routing_reason=_rule_text(suggestion.agency) if routed else "",
            deadline_at=deadline,
            deadline_reason=sla.rule.label if sla and not form.deadline else "",
        )

    @staticmethod
    def _record_events(
        uow: UnitOfWork, values: dict[str, Any], operator: Operator, now: datetime
    ) -> None:
        dispatched = values["status"] == Status.DISPATCHED.value
        second = EventKind.DISPATCHED if dispatched else EventKind.ANSWERED
        for kind, detail in (
            (EventKind.CREATED, values["case_no"]),
            (second, values["lead_agency_name"]),
        ):
            uow.cases.add_event(
                NewEvent(
                    new_id(), values["id"], now, kind, operator.name, operator.seat_code, detail
                )
            )


def _free_number(uow: UnitOfWork, seat_code: str, now: datetime) -> str:
    """The seat's next number of the day that no case here holds. A database restored from an
    older copy counts on from where the copy was, and its sync may have brought back since the
    cases the seat numbered after that copy was made."""
    day = centre_day(now)
    while True:
        number = case_number(day, seat_code, uow.counters.next(f"{day:%Y%m%d}"))
        if not uow.cases.number_held(number):
            return number


def _rule_text(suggestion: AgencySuggestion | None) -> str:
    if suggestion is None:
        return ""
    rule = suggestion.rule
    return f"{rule.id} · {rule.reason}"
