"""Sync endpoints: push a console's mutations, pull the changes of its scope, poke to pull now.

Push answers every mutation with a result (applied, conflict or rejected, the last two with a
reason): business refusals are results, never HTTP errors, so they cannot block the console's
queue. HTTP errors mean the request itself is wrong (4xx, nothing applied) or the database is
busy (503 with Retry-After, nothing applied, send the same batch again).
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict
from datetime import datetime
from typing import Annotated, Any, Literal

import orjson
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.orm import Session

from console.central import case_docs, feed, sync_server
from console.central.accounts import ACCESS_LIFETIME, Principal
from console.domain.workflow import Role
from console.server.config import ServerConfig
from console.server.deps import Credentials, Db, Now, Reference, User, actor, in_one_thread, roles
from console.server.errors import ApiError, error_body
from console.server.live import EventStream, Full, Hub
from console.server.notifier import Notifier

router = APIRouter(prefix="/v1/sync", tags=["sync"])
STAFF = (Role.CALL_TAKER, Role.SUPERVISOR, Role.ADMIN)
Staff = Annotated[Principal, Depends(roles(*STAFF))]
MAX_MID = 2**53 - 1  # exact in every JSON reader
MAX_WAIT_S = ServerConfig.poke_timeout_s


def _cursor(description: str) -> Any:
    return Query(
        min_length=1, max_length=feed.MAX_CURSOR, pattern=r"^[A-Za-z0-9_-]+$",
        description=description,
    )  # fmt: skip


CURSOR = _cursor("the cursor of the last page; none for a first pull")
LIVE_CURSOR = _cursor("the cursor of the last page pulled or live event received")


class MutationIn(BaseModel):
    mid: int = Field(strict=True, ge=1, le=MAX_MID, description="the console's number: 1, 2, 3…")
    name: str = Field(
        min_length=1, max_length=40, pattern=r"^[a-z][a-z0-9_.]*$", examples=["case.create"]
    )
    args: dict[str, Any] = Field(
        default_factory=dict, max_length=100, description="the mutation's arguments"
    )


class PushIn(BaseModel):
    client_id: str = Field(
        min_length=1, max_length=36, description="the console the session is bound to"
    )
    mutations: list[MutationIn] = Field(
        min_length=1,
        max_length=sync_server.MAX_BATCH,
        description="consecutive numbers, oldest first; the first at most one past the ledger",
    )


class ResultOut(BaseModel):
    """`mid`, `status`, and the details: `case_id`, `version`, `case_no`, `case_status`,
    `applied`, `conflicts` ({field, yours, kept, by}) or a rejection's `reason`."""

    model_config = ConfigDict(extra="allow")
    mid: int
    status: Literal["applied", "conflict", "rejected"]


class PushOut(BaseModel):
    last_mid: int = Field(description="the last mutation of this console the server applied")
    results: list[ResultOut]


class ErrorDetail(BaseModel):
    code: str
    message: str


class GapOut(BaseModel):
    """`gap`: `expected` is the number the server needs next. `mid_reused`: `mid` was applied
    before with other content (the console's database was restored from an older copy):
    nothing of the batch was applied; take a new enrolment and send the unsent work again."""

    error: ErrorDetail
    expected: int | None = Field(default=None, description="gap: the number needed next")
    mid: int | None = Field(default=None, description="mid_reused: the number used before")


class ChangeOut(BaseModel):
    entity: Literal["case"]
    id: str
    op: Literal["upsert", "remove"]
    version: int
    data: list[Any] | None = Field(
        default=None,
        description="upsert: the case's values in the order of the page's `fields` (its "
        "columns, then `notes`, `events` and `assisting_agencies`, lists of objects); apply "
        "it if `version` is newer than yours. null for a removal",
    )


class DownloadOut(BaseModel):
    cases: int = Field(description="the cases the scope held when the download began")
    sent: int = Field(description="the cases of the download sent so far, this page's included")


class PullOut(BaseModel):
    fields: list[str] = Field(description="the names of the values of each upsert's `data`")
    changes: list[ChangeOut]
    cursor: str = Field(description="give it back to the next pull; opaque")
    has_more: bool = Field(description="pull again at once with the new cursor")
    reset: bool = Field(description="drop every pulled case first: a new download begins")
    download: DownloadOut | None = Field(
        default=None,
        description="a page of a download of the scope (a new console's, after a reset, or "
        "one resumed): how far it is; null for a page of the changes since the cursor",
    )


class PokeOut(BaseModel):
    changed: bool


@router.post(
    "/push",
    response_model=PushOut,
    responses={400: {}, 401: {}, 403: {}, 409: {"model": GapOut}, 413: {}, 422: {}, 503: {}},
)
def push(body: PushIn, user: User, db: Db, at: Now, ref: Reference) -> Response:
    """Apply the console's mutations in order, each exactly once.

    A mutation already applied gets its stored result again. A batch that starts after a
    missing mutation is refused with 409 `gap` and the number expected; one that reuses a
    number for other content, with 409 `mid_reused` and that number. The session must have been
    opened for this console (login with its `client_id`), else 403.
    """
    mutations = [sync_server.Pushed(m.mid, m.name, m.args) for m in body.mutations]
    try:
        result = sync_server.push(db, actor(user), body.client_id, mutations, at, ref)
        # Written before the commit: were the answer impossible to write (orjson refuses what
        # JSON cannot hold), nothing would be committed, rather than a batch that answers 500
        # to every resend.
        answer = orjson.dumps({"last_mid": result.last_mid, "results": result.results})
        db.commit()
    except sync_server.NotYourConsole as refusal:
        raise ApiError(403, "not_your_console", str(refusal)) from refusal
    except sync_server.Gap as gap:
        return JSONResponse({**error_body("gap", str(gap)), "expected": gap.expected}, 409)
    except sync_server.MidReused as reused:
        return JSONResponse({**error_body("mid_reused", str(reused)), "mid": reused.mid}, 409)
    except (OperationalError, InterfaceError) as error:
        db.rollback()
        raise ApiError(
            503, "busy", "the database is busy: send again", **{"Retry-After": "1"}
        ) from error
    return Response(answer, media_type="application/json")


_FIELDS = b'{"fields":' + json.dumps(case_docs.FIELDS).encode()  # every page's first member


@router.get("/pull", response_model=PullOut, responses={401: {}, 403: {}, 422: {}})
async def pull(
    request: Request,
    credentials: Credentials,
    cursor: Annotated[str | None, CURSOR] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 500,
) -> Response:
    """The changes of the console's scope since `cursor`, each case as it is now.

    Scope: open cases of the centre, cases of the last 30 days, and the user's own (owner) or
    created at the console's seat. A case that left the scope comes as `remove`. A
    confidential caller's number, name and callback number come empty unless the session's
    user owns the case.
    """

    def read(db: Session, user: Principal, at: datetime) -> feed.Page:
        return feed.pull(db, feed.Viewer(user.username, user.seat_code), cursor, limit, at)

    page = await in_one_thread(request, credentials, STAFF, read)
    # The changes come written as JSON already: placed as they are.
    download = asdict(page.download) if page.download is not None else None
    rest = json.dumps(
        {
            "cursor": page.cursor,
            "has_more": page.has_more,
            "reset": page.reset,
            "download": download,
        }
    )
    body = _FIELDS + b',"changes":' + page.changes + b"," + rest[1:].encode()
    return Response(body, media_type="application/json")


@router.get("/poke", responses={401: {}, 403: {}, 422: {}})
async def poke(
    request: Request,
    _user: Staff,
    cursor: Annotated[str | None, CURSOR] = None,
    timeout: Annotated[
        float, Query(ge=0, le=MAX_WAIT_S, description="seconds to wait")
    ] = MAX_WAIT_S,
) -> PokeOut:
    """`changed: true` as soon as a pull from `cursor` would bring something, else `false`
    after `timeout` seconds."""
    since = feed.decode(cursor) if cursor else None
    notifier: Notifier = request.app.state.notifier
    deadline = time.monotonic() + timeout
    while True:
        seen, now = notifier.generation, notifier.head
        if now is None or feed.behind(since, now):
            return PokeOut(changed=True)
        left = deadline - time.monotonic()
        if left <= 0:
            return PokeOut(changed=False)
        await notifier.wait(seen, left)


@router.get(
    "/live",
    response_class=Response,
    responses={
        200: {"content": {"text/event-stream": {}}, "description": "the stream (SYNC.md)"},
        401: {},
        403: {},
        422: {},
        503: {},
    },
)
async def live(
    request: Request, credentials: Credentials, cursor: Annotated[str, LIVE_CURSOR]
) -> Response:
    """The changes of the console's scope after `cursor`, as they happen: server-sent events.

    `event: changes`: data is a pull page (fields, changes, cursor) and `after`, the cursor it
    follows on from; apply it like a page and keep its cursor. `event: behind`: pull from your
    cursor, then connect again with the new one. A comment line after 15 s without an event
    keeps the connection alive. The stream ends when the session's access token expires, or
    the server stops: connect again. 503 with Retry-After: this instance holds as many streams
    as it may.
    """

    def who(_db: Session, user: Principal, at: datetime) -> tuple[Principal, datetime]:
        return user, at

    user, at = await in_one_thread(request, credentials, STAFF, who)
    state = request.app.state
    hub: Hub = state.hub
    config: ServerConfig = state.config
    viewer = feed.Viewer(user.username, user.seat_code)
    lifetime = ((user.expires_at or at + ACCESS_LIFETIME) - at).total_seconds()
    try:
        stream = hub.connect(viewer, user.session_id, cursor, lifetime)
    except Full as full:
        raise ApiError(
            503, "busy", "no live stream to be had here now: try again", **{"Retry-After": "5"}
        ) from full
    return EventStream(hub, stream, send_timeout_s=2 * config.live_heartbeat_s)
