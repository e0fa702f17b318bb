"""Open311 GeoReport v2 under /open311/v2/: the format is the path's extension (.json or .xml),
and every error, a refused input included, is answered in the spec's own error format."""

from __future__ import annotations

import hashlib
import json
import logging
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Coroutine, Mapping
from dataclasses import asdict, dataclass, field, is_dataclass
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, Self
from urllib.parse import parse_qsl

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from starlette.routing import Match

from console.central import open311
from console.central.open311 import Open311Error, Receipt, RequestView, ServiceType
from console.domain.numbering import CENTRE_TZ
from console.domain.reference import ReferenceData
from console.domain.text import CONTROL
from console.server.cases_api import in_range
from console.server.config import ServerConfig
from console.server.deps import Db, Now, Reference

log = logging.getLogger(__name__)

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CONTACT = "北京12345市民服务热线：请拨打12345。Beijing 12345 citizen service hotline: call 12345."
KEY_SERVICE = "API keys are issued by the 12345 centre's system administrators on request."
# A list's items are named after the list, in the singular ("services" holds "service").
_ITEM_EXCEPTIONS = {"service_requests": "request"}
# Patterns shared by the OpenAPI schema and the checks: `\s` and `\d` differ between Python,
# JSON Schema and pydantic's regex, so Python's whitespace and the digits are spelt out.
_WS = r"\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_TEXT = rf"^[{_WS}]*[^\x00-\x1f\x7f]*[{_WS}]*$"
_CODE = rf"^[{_WS}]*[0-9]{{6}}[{_WS}]*$"
_EMAIL = rf"^[{_WS}]*([^@\x00-\x20\x7f]+@[^@\x00-\x20\x7f]+)?[{_WS}]*$"
_URL = rf"^[{_WS}]*(https?://[^\x00-\x20\x7f]+)?[{_WS}]*$"
# Text without HTML or control characters; for the schema only (no look-ahead in pydantic).
_PLAIN = rf"^(?![\s\S]*(<[{_WS}]*[a-zA-Z/!?]|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]))[\s\S]*$"
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_HTML = re.compile(rf"<[{_WS}]*[a-zA-Z/!?]")
_W3_DATETIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})"
)
_METHODS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


class Format(StrEnum):
    JSON = "json"
    XML = "xml"


# Form fields carry no null: an absent coordinate is simply not sent.
Latitude = Annotated[
    float | None, WithJsonSchema({"type": "number", "minimum": -90, "maximum": 90})
]
Longitude = Annotated[
    float | None, WithJsonSchema({"type": "number", "minimum": -180, "maximum": 180})
]


@dataclass(frozen=True)
class ErrorOut:
    code: int
    description: str


@dataclass(frozen=True)
class Endpoint:
    specification: str
    url: str
    changeset: str
    type: str
    formats: list[str]


@dataclass(frozen=True)
class Discovery:
    changeset: str
    contact: str
    key_service: str
    endpoints: list[Endpoint]


@dataclass(frozen=True)
class ServiceDefinition:
    service_code: str
    attributes: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class TokenOut:
    service_request_id: str
    token: str


class NewRequest(BaseModel):
    """POST Service Request, as the form fields arrive; an empty field counts as absent."""

    model_config = ConfigDict(
        extra="ignore",
        str_strip_whitespace=True,
        json_schema_extra={
            "dependentRequired": {"lat": ["long"], "long": ["lat"]},
            "anyOf": [
                {
                    "required": ["address_string"],
                    "properties": {"address_string": {"pattern": f"[^{_WS}]"}},
                },
                {"required": ["lat", "long"]},
            ],
        },
    )

    api_key: str = Field(min_length=1, max_length=100)
    jurisdiction_id: str = Field("", max_length=100, pattern=_TEXT, description="ignored")
    service_code: str = Field(max_length=20, pattern=_CODE)
    lat: Latitude = Field(None, ge=-90, le=90, allow_inf_nan=False)
    long: Longitude = Field(None, ge=-180, le=180, allow_inf_nan=False)
    address_string: str = Field("", max_length=150, pattern=_TEXT)
    address_id: str = Field("", max_length=100, pattern=_TEXT, description="not supported")
    email: str = Field("", max_length=100, pattern=_EMAIL)
    device_id: str = Field("", max_length=100, pattern=_TEXT)
    account_id: str = Field("", max_length=100, pattern=_TEXT)
    first_name: str = Field("", max_length=24, pattern=_TEXT)
    last_name: str = Field("", max_length=24, pattern=_TEXT)
    phone: str = Field("", max_length=32, pattern=_TEXT)
    description: str = Field(
        "",
        max_length=4000,
        description="plain text, no HTML",
        json_schema_extra={"pattern": _PLAIN},
    )
    media_url: str = Field("", max_length=500, pattern=_URL)

    @model_validator(mode="before")
    @classmethod
    def _blank_is_absent(cls, data: Any) -> Any:
        if not isinstance(data, Mapping):
            return data
        return {k: v for k, v in data.items() if not (isinstance(v, str) and not v.strip())}

    @field_validator("description", mode="after")
    @classmethod
    def _plain_text(cls, value: str) -> str:
        if CONTROL.search(value) or _HTML.search(value):
            raise ValueError("must be plain text, without HTML or control characters")
        return value

    @model_validator(mode="after")
    def _located(self) -> Self:
        if (self.lat is None) != (self.long is None):
            raise ValueError("lat and long must be sent together")
        if not self.address_string and self.lat is None:
            raise ValueError(
                "a location is required: address_string, or lat and long "
                "(address_id is not supported)"
            )
        return self

    def submission(self) -> open311.Submission:
        return open311.Submission(**self.model_dump(exclude=_NOT_KEPT))


_NOT_KEPT = {"api_key", "jurisdiction_id", "address_id"}


class Open311Route(APIRoute):
    """Answers refusals, bad input and failures in the spec's error format, not the /v1 one."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handle = super().get_route_handler()

        async def answer(request: Request) -> Response:
            try:
                return await handle(request)
            except Open311Error as error:
                return _errors(_format_of(request), error.status, error.descriptions)
            except (RequestValidationError, ValidationError) as error:
                return _invalid(request, error.errors())
            except Exception as error:  # the client still gets the spec's format
                log.error("open311 failure", extra={"fields": {"error": type(error).__name__}})
                log.debug("open311 failure", exc_info=error)
                return _errors(_format_of(request), 500, ("internal error; please call 12345",))

        return answer


def _jurisdiction(
    jurisdiction_id: Annotated[
        str, Query(max_length=100, description="ignored: this endpoint serves one jurisdiction")
    ] = "",
) -> None:
    """Accepted so that clients that always send it work."""


router = APIRouter(
    prefix="/open311/v2",
    tags=["open311"],
    route_class=Open311Route,
    dependencies=[Depends(_jurisdiction)],
)
Fmt = Annotated[Format, Path(description="the response format: json or xml")]


def _moment(value: Any) -> datetime | None:
    """The spec's w3 date-time, timezone required; an empty parameter counts as absent."""
    if value == "" or value is None:
        return None
    if not isinstance(value, str) or not _W3_DATETIME.fullmatch(value):
        raise ValueError("must look like 2024-05-01T08:00:00+08:00 (a timezone is required)")
    return in_range(datetime.fromisoformat(value.upper()))


# An empty parameter counts as an absent one (the spec's "optional"), and the schema says so.
Moment = Annotated[
    datetime | None,
    BeforeValidator(_moment),
    WithJsonSchema({"anyOf": [{"type": "string", "format": "date-time"}, {"const": ""}]}),
    Query(description="w3 date-time; of a span over 90 days the last 90 are searched"),
]


def _listing(item: str, limit: int, note: str = "") -> Any:
    """A comma list query parameter, spaces allowed around the commas."""
    pattern = rf"^( *({item}) *(, *({item}) *)*)?$"
    return Query(max_length=limit, pattern=pattern, description=f"comma list. {note}".strip())


def _listed(text: str) -> tuple[str, ...]:
    return tuple(item.strip() for item in text.split(",") if item.strip())


Ids = Annotated[str, _listing("[0-9]{13}", 1400, "Overrides every other filter.")]
Codes = Annotated[str, _listing("[0-9]{6}", 2000)]
Statuses = Annotated[str, _listing("open|closed", 20, "Both when absent.")]


def _doc(model: Any) -> dict[int | str, dict[str, Any]]:
    xml = {"text/xml": {"schema": {"type": "string"}}}
    errors = "the spec's errors: 400 bad input, 403 bad api_key, 404 not found"
    return {
        200: {"model": model, "content": xml},
        "4XX": {"model": list[ErrorOut], "content": xml, "description": errors},
    }


@router.get("/discovery.{fmt}", responses=_doc(Discovery))
def discovery(fmt: Fmt, request: Request, ref: Reference) -> Response:
    """Service discovery: where the endpoint is and which formats it speaks."""
    changeset = _changeset(ref)
    endpoint = Endpoint(
        specification=SPECIFICATION,
        url=str(request.base_url) + "open311/v2",
        changeset=changeset,
        type="production",
        formats=["text/xml", "application/json"],
    )
    return _respond(fmt, "discovery", Discovery(changeset, CONTACT, KEY_SERVICE, [endpoint]))


def _changeset(ref: ReferenceData) -> str:
    """Changes whenever the service list does: a digest of the categories."""
    paths = "\n".join(f"{c.code} {c.path}" for c in ref.categories.values())
    return hashlib.sha256(paths.encode()).hexdigest()[:16]


@router.get("/services.{fmt}", responses=_doc(list[ServiceType]))
def service_list(fmt: Fmt, ref: Reference) -> Response:
    """Every leaf category, as a service."""
    return _respond(fmt, "services", open311.services(ref))


@router.get("/services/{service_code}.{fmt}", responses=_doc(ServiceDefinition))
def service_definition(
    service_code: Annotated[str, Path(max_length=20)], fmt: Fmt, ref: Reference
) -> Response:
    """No service asks for attributes (metadata is false): the definition lists none."""
    found = open311.service(ref, service_code)
    return _respond(fmt, "service_definition", ServiceDefinition(found.service_code))


async def _form(request: Request) -> dict[str, str]:
    """The URL-encoded form, read here: no multipart parser is installed, and none is needed."""
    if request.headers.get("content-type", "").lower().startswith("multipart/"):
        raise Open311Error(400, "send the form as application/x-www-form-urlencoded")
    body = await request.body()  # its size is bounded before any route (`guards`)
    try:
        pairs = parse_qsl(
            body.decode(), keep_blank_values=True, errors="strict", max_num_fields=200
        )
    except ValueError as error:  # UnicodeDecodeError included
        raise Open311Error(400, "the form is not URL-encoded UTF-8") from error
    # Strict UTF-8 lets no lone surrogate through, but %00 decodes to a NUL: no database
    # stores one.
    for name, value in pairs:
        if "\x00" in name + value:
            raise Open311Error(400, f"{name}: must not contain NUL characters")
    # attribute[code] fields are ignored: no service has attributes.
    return {name: value for name, value in pairs if "[" not in name}


_FORM_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/x-www-form-urlencoded": {"schema": NewRequest.model_json_schema()}
        },
    }
}


@router.post("/requests.{fmt}", responses=_doc(list[Receipt]), openapi_extra=_FORM_BODY)
def post_request(
    fmt: Fmt,
    fields: Annotated[dict[str, str], Depends(_form)],
    db: Db,
    ref: Reference,
    at: Now,
) -> Response:
    """Take in a request: it becomes a dispatched case; its id is the case number."""
    open311.authorise(db, fields.get("api_key", ""))
    posted = NewRequest.model_validate(fields).submission()
    receipt = open311.submit(db, ref, at, posted)
    db.commit()
    return _respond(fmt, "service_requests", [receipt])


def _descriptions(request: Request) -> bool:
    """Whether the centre publishes descriptions (`--open311-descriptions`)."""
    config: ServerConfig = request.app.state.config
    return config.open311_descriptions


Descriptions = Annotated[bool, Depends(_descriptions)]


@router.get("/requests.{fmt}", responses=_doc(list[RequestView]))
def list_requests(
    fmt: Fmt,
    db: Db,
    ref: Reference,
    at: Now,
    descriptions: Descriptions,
    service_request_id: Ids = "",
    service_code: Codes = "",
    start_date: Moment = None,
    end_date: Moment = None,
    status: Statuses = "",
) -> Response:
    """Newest first, at most 1000, within 90 days (by default the last 90)."""
    filters = open311.Filters(
        _listed(service_request_id),
        _listed(service_code),
        start_date,
        end_date,
        frozenset(_listed(status)) or frozenset(open311.STATUSES),
    )
    found = open311.search(db, ref, at, filters, descriptions=descriptions)
    return _respond(fmt, "service_requests", found)


@router.get("/requests/{service_request_id}.{fmt}", responses=_doc(list[RequestView]))
def one_request(
    service_request_id: Annotated[str, Path(max_length=64)],
    fmt: Fmt,
    db: Db,
    ref: Reference,
    descriptions: Descriptions,
) -> Response:
    found = open311.one(db, ref, service_request_id, descriptions=descriptions)
    return _respond(fmt, "service_requests", [found])


@router.get("/tokens/{token}.{fmt}", responses=_doc(list[TokenOut]))
def token(token: Annotated[str, Path(max_length=64)], fmt: Fmt, db: Db) -> Response:
    """The service_request_id a POST's token stands for."""
    return _respond(fmt, "service_requests", [TokenOut(open311.token(db, token), token)])


@router.api_route("/{path:path}", methods=sorted(_METHODS), include_in_schema=False)
def elsewhere(request: Request) -> Response:
    """No such resource (404), or not with this method (405, with the methods that are)."""
    allowed = sorted(
        method
        for route in router.routes
        if isinstance(route, APIRoute) and route.endpoint is not elsewhere
        if route.matches(request.scope)[0] is not Match.NONE
        for method in route.methods or ()
    )
    if not allowed:
        raise Open311Error(404, "no such resource")
    response = _errors(_format_of(request), 405, (f"use {', '.join(allowed)}",))
    response.headers["Allow"] = ", ".join(allowed)
    return response


def _format_of(request: Request) -> Format:
    return Format.JSON if request.url.path.endswith(".json") else Format.XML


def _invalid(request: Request, problems: Any) -> Response:
    """Bad path parameters name nothing that exists (404); bad input is a 400."""
    locations = [tuple(p["loc"]) for p in problems]
    if any(loc[:1] == ("path",) for loc in locations):
        return _errors(_format_of(request), 404, ("no such resource",))
    descriptions = []
    for problem in problems:
        names = [str(part) for part in problem["loc"] if part not in ("query", "body")]
        message = str(problem["msg"]).removeprefix("Value error, ")
        descriptions.append(f"{names[-1]}: {message}" if names else message)
    return _errors(_format_of(request), 400, tuple(descriptions))


def refusal(request: Request, status: int, description: str) -> Response:
    """An error in the spec's format, in the format the request's path asks for."""
    return _errors(_format_of(request), status, (description,))


def _errors(fmt: Format, status: int, descriptions: tuple[str, ...]) -> Response:
    return _respond(fmt, "errors", [ErrorOut(status, d) for d in descriptions], status)


def _respond(fmt: Format, root: str, body: Any, status: int = 200) -> Response:
    data = _plain(body)
    if fmt is Format.JSON:
        text = json.dumps(data, ensure_ascii=False)
        return Response(text, status, media_type="application/json; charset=utf-8")
    element = ET.Element(root)
    _fill(element, data)
    text = '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(element, encoding="unicode")
    return Response(text, status, media_type="text/xml; charset=utf-8")


def _plain(value: Any) -> Any:
    """Dataclasses as dicts and times in the centre's zone, ready for either format."""
    if is_dataclass(value) and not isinstance(value, type):
        return _plain(asdict(value))
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, datetime):
        return value.astimezone(CENTRE_TZ).isoformat(timespec="seconds")
    return value


def _fill(element: ET.Element, value: Any) -> None:
    """The Spark convention backwards: JSON-ready data as XML elements."""
    if isinstance(value, dict):
        for name, item in value.items():
            _fill(ET.SubElement(element, name), item)
    elif isinstance(value, list):
        for item in value:
            tag = _ITEM_EXCEPTIONS.get(element.tag, element.tag.removesuffix("s"))
            _fill(ET.SubElement(element, tag), item)
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:
        element.text = _XML_ILLEGAL.sub("", str(value))
