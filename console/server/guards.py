"""Every request is bounded before it is read: its head by the HTTP protocol (`BoundedHttp`),
its body by `BodyLimits`, before any route runs.

The head (request line and headers): uvicorn keeps a URL, and httptools a header, whole however
long, and waits for a head forever. A URL over 16 KiB is answered 414, a head over 64 KiB 431,
a head not complete `read_timeout_s` after it began (or after the connection opened) 408.

The body: each class of route takes at most its `LIMITS` size, known from the method and path
before routing. A declared Content-Length above it is answered 413 at once, unread; a chunked
body is counted as it comes and refused as soon as it passes. Each read waits at most
`read_timeout_s` and the whole body at most `body_timeout_s`, else 408. Every refusal closes the
connection, so the rest of a body is never read. The body, whole and within its limit, goes on.

A live stream (`/v1/sync/live`) holds its connection for minutes and its console may stop
reading: the kernel may buffer at most LIVE_SEND_BUFFER of it, where it would let the buffer
grow to megabytes (the live channel bounds what waits in the process, see `live`). Its
response may also write a chunk at once, without a coroutine's turn (`asgi.WRITE_NOW`), while
its connection takes more: the live channel sends each change to every stream that way.

Text: a typed route's JSON body holding text no database can store (NUL, a lone surrogate) in
any field is refused 422, naming the field. Push checks each mutation on its own instead
(`mutations.unstorable_text`), Open311 its form fields. A NUL in the URL is refused too.
"""

from __future__ import annotations

import asyncio
import functools
import json
import re
import socket
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol, RequestResponseCycle

from console.central.mutations import unstorable_text
from console.server import open311_api
from console.server.asgi import WRITE_NOW, HttpMiddleware
from console.server.config import ServerConfig
from console.server.errors import error_body

KiB = 1024
MAX_URL = 16 * KiB  # the longest legal one, an Open311 search by 200 ids, is under 4 KiB
MAX_HEAD = 64 * KiB
LIVE_PATH = b"/v1/sync/live"
LIVE_SEND_BUFFER = 128 * KiB  # Linux doubles it for its bookkeeping


@dataclass(frozen=True)
class Limit:
    """A class of routes: the largest body it takes; whether its JSON text is checked here."""

    max_bytes: int
    checks_text: bool = True


# Each sized from the class's largest legal body with every character \u-escaped (an astral one
# as two escapes: 12 bytes) or, for a form, percent-encoded.
LIMITS = (
    # 100 intakes with the longest description and answer: about 5 MB. Its mutations are
    # checked one by one, so that bad text refuses only its own.
    ("POST", re.compile(r"/v1/sync/push"), Limit(6_000_000, checks_text=False)),
    ("POST", re.compile(r"/v1/cases/redispatch"), Limit(64 * KiB)),  # 200 case ids: 45 KB
    ("POST", re.compile(r"/v1/cases/[^/]+/reply"), Limit(64 * KiB)),  # 4000 characters: 48 KB
    # 4000 characters of description: 48 KB. Open311 reads forms and checks their fields.
    ("POST", re.compile(r"/open311/v2/requests\.[a-z]+"), Limit(64 * KiB, checks_text=False)),
    (None, re.compile(r"/open311/.*"), Limit(8 * KiB, checks_text=False)),
)
# Logins, accounts, enrolment, the other actions (a 500-character reason: 6 KB), and the rest.
DEFAULT = Limit(8 * KiB)


def limit_for(method: str, path: str) -> Limit:
    for wanted, route, limit in LIMITS:
        if wanted in (None, method) and route.fullmatch(path):
            return limit
    return DEFAULT


def install(app: FastAPI, config: ServerConfig) -> None:
    app.add_middleware(
        BodyLimits, read_timeout_s=config.read_timeout_s, body_timeout_s=config.body_timeout_s
    )


class Refused(Exception):
    """The request is answered here, its connection closed."""

    def __init__(self, status: int, code: str, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.field = field  # the field at fault, if one is


class BodyLimits(HttpMiddleware):
    """Reads a request's body within its route's limits and hands the application the whole
    of it, or answers the request itself."""

    def __init__(self, app: ASGIApp, read_timeout_s: float, body_timeout_s: float) -> None:
        super().__init__(app)
        self.read_timeout_s = read_timeout_s
        self.body_timeout_s = body_timeout_s

    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            body = await self._body(scope, receive)
        except Refused as refused:
            await _refusal(scope, refused)(scope, receive, send)
            return
        await self.app(scope, _replay(body, receive), send)

    async def _body(self, scope: Scope, receive: Receive) -> list[Message]:
        """The body's messages, read within the route's limits (the last may tell that the
        client left); none for a request without a body."""
        raw = scope.get("raw_path", b"") + b"?" + scope.get("query_string", b"")
        if b"\x00" in raw or b"%00" in raw:
            raise Refused(422, "invalid_text", "text must not contain NUL characters")
        declared = _declared(scope)
        if declared is None:
            return []
        limit = limit_for(scope["method"], scope["path"])
        if declared > limit.max_bytes:
            raise _too_large(limit)
        body = await self._read(receive, limit)
        if limit.checks_text and body[-1]["type"] == "http.request":
            _check_text(b"".join(message.get("body", b"") for message in body))
        return body

    async def _read(self, receive: Receive, limit: Limit) -> list[Message]:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.body_timeout_s
        messages: list[Message] = []
        size = 0
        while True:
            try:
                async with asyncio.timeout_at(min(loop.time() + self.read_timeout_s, deadline)):
                    message = await receive()
            except TimeoutError:
                raise Refused(408, "too_slow", "the body came too slowly: send again") from None
            messages.append(message)
            if message["type"] != "http.request":
                return messages  # the client left: the application hears it as usual
            size += len(message.get("body", b""))
            if size > limit.max_bytes:
                raise _too_large(limit)
            if not message.get("more_body", False):
                return messages


def _declared(scope: Scope) -> int | None:
    """The body's declared length: 0 if it comes chunked (counted as it comes), None if the
    request has no body."""
    declared = None
    for name, value in scope["headers"]:
        if name == b"content-length":
            declared = int(value) if value.isdigit() else 0  # the parser refuses others
        elif name == b"transfer-encoding":
            return 0
    return declared


def _too_large(limit: Limit) -> Refused:
    return Refused(413, "too_large", f"the body must be at most {limit.max_bytes} bytes")


def _check_text(body: bytes) -> None:
    try:
        value = json.loads(body)
    except (ValueError, RecursionError):
        return  # not JSON: the route refuses it as it would anyway
    field = unstorable_text(value)
    if field is not None:
        raise Refused(422, "invalid_request", "the request is not valid", field)


def _replay(body: list[Message], receive: Receive) -> Receive:
    if not body:
        return receive
    pending = iter(body)

    async def again() -> Message:
        return next(pending, None) or await receive()

    return again


def _refusal(scope: Scope, refused: Refused) -> Response:
    if scope["path"].startswith("/open311/"):
        status = 400 if refused.status == 422 else refused.status  # the spec's bad input
        response = open311_api.refusal(Request(scope), status, str(refused))
    else:
        fields = (
            None if refused.field is None else [{"field": refused.field, "code": "invalid_text"}]
        )
        body = error_body(refused.code, str(refused), fields)
        response = JSONResponse(body, refused.status)
    response.headers["connection"] = "close"  # what is left of the body is never read
    return response


class BoundedHttp(HttpToolsProtocol):
    """uvicorn's httptools protocol, with bounds on the head (see the module's doc)."""

    head_timeout_s = 10.0
    _head_timer: asyncio.TimerHandle | None = None
    _head_bytes = 0
    _refused = False

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._await_head()

    def connection_lost(self, exc: Exception | None) -> None:
        self._head_done()
        super().connection_lost(exc)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._await_head()

    def on_headers_complete(self) -> None:
        self._head_done()
        size = len(self.url) + sum(len(name) + len(value) for name, value in self.headers)
        if self._refuse_if_over(size):
            raise _HeadRefused  # stops the parser: no application is started
        live = self.url.startswith(LIVE_PATH)
        if live:
            sock = self.transport.get_extra_info("socket")
            if sock is not None:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, LIVE_SEND_BUFFER)
        super().on_headers_complete()
        cycle = self.cycle
        if live and cycle is not None and cycle.scope is self.scope:  # this request's own
            extensions = self.scope.setdefault("extensions", {})
            extensions[WRITE_NOW] = {"write": functools.partial(_write_now, cycle)}

    def data_received(self, data: bytes) -> None:
        if self._refused:
            return  # the connection is closing
        within_head = self._head_timer is not None
        super().data_received(data)
        if within_head and self._head_timer is not None:  # all of it was head
            self._head_bytes += len(data)
            self._refuse_if_over(self._head_bytes)

    def send_400_response(self, msg: str) -> None:
        if not self._refused:  # else answered already
            super().send_400_response(msg)

    def _await_head(self) -> None:
        self._head_done()
        self._head_bytes = 0
        self._head_timer = self.loop.call_later(self.head_timeout_s, self._head_stalled)

    def _head_done(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_stalled(self) -> None:
        self._head_timer = None
        self._refuse(408, "too_slow", "the request came too slowly")

    def _refuse_if_over(self, head_bytes: int) -> bool:
        if len(self.url) > MAX_URL:
            self._refuse(414, "too_large", f"the URL must be at most {MAX_URL} bytes")
        elif head_bytes > MAX_HEAD:
            self._refuse(431, "too_large", f"the headers must be at most {MAX_HEAD} bytes")
        return self._refused

    def _refuse(self, status: int, code: str, message: str) -> None:
        self._refused = True
        self._head_done()
        if self.transport.is_closing():
            return
        # Answered unless a pipelined request's response is being written: then only closed.
        if self.cycle is None or self.cycle.response_complete:
            body = json.dumps(self._error(status, code, message)).encode()
            self.transport.write(_response_head(status, len(body)) + body)
        self.transport.close()

    def _error(self, status: int, code: str, message: str) -> Any:
        """The error in the format of the API the request was for (so far as it came)."""
        url = getattr(self, "url", b"")
        if url.startswith(b"/open311/"):
            return [{"code": status, "description": message}]
        return error_body(code, message)


def _write_now(cycle: RequestResponseCycle, body: bytes) -> bool:
    """`asgi.WRITE_NOW` for a response of `cycle`: its next chunk written at once, if the
    response has begun, is chunked, not complete, and its connection takes more now."""
    if (
        not cycle.response_started
        or cycle.response_complete
        or not cycle.chunked_encoding
        or cycle.disconnected
        or cycle.flow.write_paused
        or cycle.transport.is_closing()
    ):
        return False
    cycle.transport.write(b"%x\r\n%b\r\n" % (len(body), body))
    return True


class _HeadRefused(Exception):
    """Raised from a parser callback to stop parsing a refused head."""


def _response_head(status: int, length: int) -> bytes:
    return (
        f"HTTP/1.1 {status} {HTTPStatus(status).phrase}\r\n"
        f"content-type: application/json\r\ncontent-length: {length}\r\n"
        "connection: close\r\n\r\n"
    ).encode()


def bounded_http(config: ServerConfig) -> type[BoundedHttp]:
    """The protocol class to run uvicorn with, its head timeout the configured one."""

    class Configured(BoundedHttp):
        head_timeout_s = config.read_timeout_s

    return Configured
