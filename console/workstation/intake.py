"""Take a call: suggestions while typing, and a durable save with a final case number."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from console.domain.cases import SavedCase
from console.domain.enums import EventKind, Handling, Status, Urgency, parse_enum
from console.domain.errors import ValidationFailed
from console.domain.ids import new_id
from console.domain.intake import IntakeForm, ValidIntake, resolve_location, validate
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
        values = self._case_values(valid, operator, now)
        assisting = [(c, self._ref.agencies[c].name) for c in form.assisting_agency_codes]
        with self._units.write() as uow:
            values["case_no"] = case_number(
                centre_day(now), operator.seat_code, uow.counters.next(f"{centre_day(now):%Y%m%d}")
            )
            uow.cases.add(values, assisting)
            self._record_events(uow, values, operator, now)
            uow.outbox.append("case.create", _mutation_args(values, assisting), now, values["id"])
            uow.drafts.clear(DRAFT_SLOT)
            uow.commit()
        return SavedCase(
            values["id"], values["case_no"], Status(values["status"]), values["deadline_at"]
        )

    def _case_values(self, valid: ValidIntake, operator: Operator, now: datetime) -> dict[str, Any]:
        form, location = valid.form, valid.location
        category = self._ref.categories[form.category_code]
        dispatch = valid.handling is Handling.DISPATCH
        agency = self._ref.agencies.get(form.lead_agency_code) if dispatch else None
        suggestion = self.suggest(form)
        routed = suggestion.agency is not None and agency == suggestion.agency.agency
        sla = suggestion.deadline if dispatch else None
        deadline = form.deadline if dispatch and form.deadline else (sla.due(now) if sla else None)
        return {
            "id": new_id(),
            "client_id": operator.client_id,
            "seat_code": operator.seat_code,
            "operator": operator.name,
            "created_at": now,
            "updated_at": now,
            "version": 1,
            "status": (Status.DISPATCHED if dispatch else Status.ANSWERED).value,
            "appeal_type": valid.appeal_type.value,
            "urgency": valid.urgency.value,
            "handling": valid.handling.value,
            "category_code": category.code,
            "category_path": category.path,
            **asdict(location),
            "description": form.description.strip(),
            "answer_text": form.answer_text.strip() if not dispatch else "",
            "caller_phone": valid.phone.e164,
            "caller_name": "" if form.anonymous else form.caller_name.strip(),
            "callback_phone": valid.callback.e164 if valid.callback else "",
            "confidential": form.confidential,
            "anonymous": form.anonymous,
            "lead_agency_code": agency.code if agency else "",
            "lead_agency_name": agency.name if agency else "",
            "routing_reason": _rule_text(suggestion.agency) if routed else "",
            "deadline_at": deadline,
            "deadline_reason": sla.rule.label if sla and not form.deadline else "",
        }

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


def _rule_text(suggestion: AgencySuggestion | None) -> str:
    if suggestion is None:
        return ""
    rule = suggestion.rule
    return f"{rule.id} · {rule.reason}"


def _mutation_args(values: dict[str, Any], assisting: list[tuple[str, str]]) -> dict[str, Any]:
    args = {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in values.items()}
    args["assisting_agencies"] = [code for code, _ in assisting]
    return args
