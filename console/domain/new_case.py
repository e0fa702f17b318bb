"""A new case as the call-taker saved it: the `case.create` mutation's one payload.

The console makes it from the intake it validated, stores the case it describes and puts it in
the outbox in one transaction. The server takes the payload as sent: `from_args` checks every
argument (an `InvalidArgument` names the first wrong one) and validates the intake with the
console's own rules (`ValidationFailed`). Both store `values`, with what only each knows beside
it (the console its operator; the server the session's account and the time it received the
case). An Open311 request becomes one too.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, fields
from datetime import datetime
from enum import Enum
from typing import Any

from console.domain.arguments import flag_arg, text_arg, time_arg, uuid_arg
from console.domain.enums import AppealType, Handling, Status, Urgency
from console.domain.errors import InvalidArgument, ValidationFailed
from console.domain.intake import IntakeForm, ValidIntake, resolve_location, validate
from console.domain.reference import ReferenceData

CASE_NO = re.compile(r"[0-9]{13}")
MAX_ROUTING_REASON = 300
MAX_DEADLINE_REASON = 200


@dataclass(frozen=True)
class NewCase:
    id: str
    case_no: str
    created_at: datetime  # when the call was taken, by the console's clock
    appeal_type: AppealType
    handling: Handling
    category_code: str
    description: str
    caller_phone: str  # E.164
    urgency: Urgency = Urgency.NORMAL
    district_name: str = ""
    street_name: str = ""
    community: str = ""
    address: str = ""
    answer_text: str = ""  # a direct answer's only
    caller_name: str = ""  # never an anonymous caller's
    callback_phone: str = ""  # E.164
    confidential: bool = False
    anonymous: bool = False
    lead_agency_code: str = ""  # a dispatched case's only
    assisting_agencies: tuple[str, ...] = ()
    routing_reason: str = ""
    deadline_at: datetime | None = None  # a dispatched case's only
    deadline_reason: str = ""

    @classmethod
    def taken(
        cls,
        valid: ValidIntake,
        *,
        id: str,
        case_no: str,
        created_at: datetime,
        routing_reason: str = "",
        deadline_at: datetime | None = None,
        deadline_reason: str = "",
    ) -> NewCase:
        """The case a validated intake makes: text trimmed, numbers in E.164, and what does not
        belong to its handling or its caller left out."""
        form, location = valid.form, valid.location
        dispatch = valid.handling is Handling.DISPATCH
        return cls(
            id=id,
            case_no=case_no,
            created_at=created_at,
            appeal_type=valid.appeal_type,
            handling=valid.handling,
            category_code=form.category_code,
            description=form.description.strip(),
            caller_phone=valid.phone.e164,
            urgency=valid.urgency,
            district_name=location.district_name,
            street_name=location.street_name,
            community=location.community,
            address=location.address,
            answer_text="" if dispatch else form.answer_text.strip(),
            caller_name="" if form.anonymous else form.caller_name.strip(),
            callback_phone=valid.callback.e164 if valid.callback else "",
            confidential=form.confidential,
            anonymous=form.anonymous,
            lead_agency_code=form.lead_agency_code if dispatch else "",
            assisting_agencies=tuple(dict.fromkeys(form.assisting_agency_codes)),
            routing_reason=routing_reason,
            deadline_at=deadline_at if dispatch else None,
            deadline_reason=deadline_reason,
        )

    @classmethod
    def from_args(cls, args: dict[str, Any], ref: ReferenceData, now: datetime) -> NewCase:
        """The case a console sent, checked argument by argument and then as an intake; `now`
        stands for a call time not sent."""
        case_id, case_no = uuid_arg(args, "id"), _case_no(args)
        created_at = time_arg(args, "created_at") or now
        deadline_at = time_arg(args, "deadline_at")
        routing = text_arg(args, "routing_reason", MAX_ROUTING_REASON, required=False)
        deadline_reason = text_arg(args, "deadline_reason", MAX_DEADLINE_REASON, required=False)
        checked = validate(ref, _form(args))
        if isinstance(checked, list):
            raise ValidationFailed(checked)
        return cls.taken(
            checked,
            id=case_id,
            case_no=case_no,
            created_at=created_at,
            routing_reason=routing,
            deadline_at=deadline_at,
            deadline_reason=deadline_reason,
        )

    def to_args(self) -> dict[str, Any]:
        """The payload as JSON values: times in ISO 8601 with their offset."""
        return {f.name: _json(getattr(self, f.name)) for f in fields(self)}

    def form(self) -> IntakeForm:
        """The intake this case was made from."""
        return IntakeForm(
            caller_phone=self.caller_phone,
            appeal_type=self.appeal_type.value,
            category_code=self.category_code,
            district=self.district_name,
            street=self.street_name,
            community=self.community,
            address=self.address,
            description=self.description,
            urgency=self.urgency.value,
            caller_name=self.caller_name,
            callback_phone=self.callback_phone,
            confidential=self.confidential,
            anonymous=self.anonymous,
            handling=self.handling.value,
            answer_text=self.answer_text,
            lead_agency_code=self.lead_agency_code,
            assisting_agency_codes=self.assisting_agencies,
            deadline=self.deadline_at,
        )

    @property
    def status(self) -> Status:
        return Status.DISPATCHED if self.handling is Handling.DISPATCH else Status.ANSWERED

    def values(self, ref: ReferenceData) -> dict[str, Any]:
        """The stored case's columns that follow from it and the reference data: the category's
        path, the codes of the places named, the agency's name. Its assisting agencies are rows
        of their own."""
        own = {k: v for k, v in asdict(self).items() if k != "assisting_agencies"}
        agency = ref.agencies.get(self.lead_agency_code)
        return {
            **own,
            **asdict(resolve_location(ref, self.form())),
            "appeal_type": self.appeal_type.value,
            "handling": self.handling.value,
            "urgency": self.urgency.value,
            "status": self.status.value,
            "version": 1,
            "category_path": ref.categories[self.category_code].path,
            "lead_agency_name": agency.name if agency else "",
        }


def _case_no(args: dict[str, Any]) -> str:
    case_no = args.get("case_no")
    if not isinstance(case_no, str) or not CASE_NO.fullmatch(case_no):
        raise InvalidArgument("case_no")
    return case_no


def _form(args: dict[str, Any]) -> IntakeForm:
    """The intake as sent, each argument of its type; its content is `validate`'s to judge."""

    def text(name: str) -> str:
        value = args.get(name, "")
        if not isinstance(value, str):
            raise InvalidArgument(name)
        return value

    assisting = args.get("assisting_agencies", [])
    if not isinstance(assisting, list) or not all(isinstance(a, str) for a in assisting):
        raise InvalidArgument("assisting_agencies")
    return IntakeForm(
        caller_phone=text("caller_phone"),
        appeal_type=text("appeal_type"),
        category_code=text("category_code"),
        district=text("district_name"),
        street=text("street_name"),
        community=text("community"),
        address=text("address"),
        description=text("description"),
        urgency=text("urgency") or Urgency.NORMAL.value,
        caller_name=text("caller_name"),
        callback_phone=text("callback_phone"),
        confidential=flag_arg(args, "confidential"),
        anonymous=flag_arg(args, "anonymous"),
        handling=text("handling"),
        answer_text=text("answer_text"),
        lead_agency_code=text("lead_agency_code"),
        assisting_agency_codes=tuple(assisting),
    )


def _json(value: object) -> object:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple):
        return list(value)
    return value
