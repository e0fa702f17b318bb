"""Reading cases: one case with its timeline, a caller's history, search.

Who reads what and which caller details each sees is the case service's policy
(`console.central.case_queries`): an agency reads only the cases it leads (any other is a
404), lists mask the caller's number, and the caller of a confidential case is shown only to
the case's owner, supervisors and admins (a caller's history still finds it by the number).
A phone number is only ever a query parameter: the access log records route templates, so it
never reaches the log.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query
from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field
from pydantic_core import PydanticCustomError

from console.central import case_queries
from console.central.accounts import Principal
from console.central.case_queries import CallerHistory, CaseFilter, CaseList, CaseView
from console.domain.enums import Status
from console.domain.phone import parse_phone
from console.domain.workflow import Role
from console.server.deps import Db, Now, User, roles

router = APIRouter(prefix="/v1", tags=["cases"])
Staff = Annotated[Principal, Depends(roles(Role.CALL_TAKER, Role.SUPERVISOR, Role.ADMIN))]
CaseId = Annotated[uuid.UUID, Path(description="the case's id (a UUID)")]
# What a person types may hold anything but control characters (tab and line breaks aside):
# none belongs in a case, and PostgreSQL refuses NUL in text.
PLAIN_TEXT = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"
CODE = r"^[A-Za-z0-9]+$"  # agency codes
USERNAME = r"^[a-z0-9][a-z0-9_.-]*$"
MAX_LIMIT = 100
MAX_OFFSET = 10_000  # deeper pages: narrow the search instead
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)  # what the API takes, in UTC
LATEST = datetime(2100, 1, 1, tzinfo=UTC)
READ_ERRORS: dict[int | str, dict[str, str]] = {
    401: {"description": "no valid access token"},
    403: {"description": "the role may not use this endpoint"},
    422: {"description": "invalid parameters; `error.fields` names each one"},
}


def in_range(moment: datetime) -> datetime:
    """`moment`, if it falls within the years the service holds; else a refusal naming the
    field: further out, converting or querying a time can overflow."""
    try:
        fits = EARLIEST <= moment.astimezone(UTC) < LATEST
    except OverflowError:  # e.g. the year 1 east of Greenwich
        fits = False
    if not fits:
        raise PydanticCustomError("date_out_of_range", "must fall in the years 2000 to 2099")
    return moment


Moment = Annotated[AwareDatetime, AfterValidator(in_range)]


def _complete_phone(text: str) -> str:
    if parse_phone(text) is None:
        raise PydanticCustomError("invalid_phone", "not a complete Chinese phone number")
    return text


def _search_text(text: str) -> str:
    text = text.strip()
    if len(text) == 1:
        raise PydanticCustomError("text_too_short", "search at least 2 characters")
    return text


class Paging(BaseModel):
    model_config = ConfigDict(extra="forbid")

    offset: int = Field(default=0, ge=0, le=MAX_OFFSET, description="rows to skip")
    limit: int = Field(default=50, ge=1, le=MAX_LIMIT, description="rows per page")


class HistoryQuery(Paging):
    phone: Annotated[str, AfterValidator(_complete_phone)] = Field(
        min_length=3,
        max_length=32,
        pattern=r"^\+?[0-9 ()-]+$",
        description="the caller's number as typed: mobile, Beijing landline with or without "
        "010, or +86…",
    )


class SearchQuery(Paging):
    number: str = Field(
        default="", max_length=13, pattern=r"^[0-9]*$", description="case number or its start"
    )
    text: Annotated[str, AfterValidator(_search_text)] = Field(
        default="",
        max_length=100,
        pattern=PLAIN_TEXT,
        description="a substring of the description or the address (Chinese or not); "
        "at least 2 characters, 3 or more use the trigram index",
    )
    status: list[Status] = Field(default=[], description="any of these statuses")
    overdue: bool | None = Field(
        default=None,
        description="true: past the deadline and not yet replied (dispatched, accepted, "
        "returned, reopened); false: all others",
    )
    agency: str = Field(
        default="", max_length=64, pattern=f"{CODE}|^$", description="lead agency code"
    )
    owner: str = Field(
        default="", max_length=50, pattern=f"{USERNAME}|^$", description="owner's user name"
    )
    category: str = Field(
        default="",
        pattern=r"^([0-9]{2}){0,3}$",
        description="category code of any level: 2, 4 or 6 digits",
    )
    district: str = Field(default="", pattern=r"^([0-9]{6})?$", description="district code")
    created_from: Moment | None = Field(default=None, description="created at or after")
    created_to: Moment | None = Field(default=None, description="created before")

    def criteria(self) -> CaseFilter:
        return CaseFilter(
            number=self.number,
            text=self.text,
            statuses=tuple(self.status),
            overdue=self.overdue,
            agency=self.agency,
            owner=self.owner,
            category=self.category,
            district=self.district,
            created_from=self.created_from,
            created_to=self.created_to,
        )


@router.get("/cases/{case_id}", responses={**READ_ERRORS, 404: {"description": "no such case"}})
def get_case(case_id: CaseId, user: User, db: Db, at: Now) -> CaseView:
    """One case with its timeline and notes.

    Any staff role reads any case; an agency only the cases it leads (others: 404).
    `caller` holds the full numbers and name, except on a confidential case for anyone but
    its owner, supervisors and admins, where it is null. `received_at`: when the server got
    the case; `created_at`: when the call was taken.
    """
    return case_queries.get_case(db, user, str(case_id), at)


@router.get("/caller-history", responses=READ_ERRORS)
def caller_history(
    query: Annotated[HistoryQuery, Query()], user: Staff, db: Db, at: Now
) -> CallerHistory:
    """A caller's cases, open ones first, newest first; numbers masked.

    Staff only: an agency looking a number up could learn who called in a confidential case.
    """
    phone = parse_phone(query.phone)
    assert phone is not None  # checked by HistoryQuery
    return case_queries.caller_history(db, user, phone, at, query.offset, query.limit)


@router.get("/cases", responses=READ_ERRORS)
def search_cases(query: Annotated[SearchQuery, Query()], user: User, db: Db, at: Now) -> CaseList:
    """Search cases, newest first, one page at a time; every given criterion must match.

    An agency finds only the cases it leads. Caller numbers are masked (null for an agency on
    a confidential case).
    """
    return case_queries.search(db, user, query.criteria(), at, query.offset, query.limit)
