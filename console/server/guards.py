"""Text no database can store is refused before any route sees it.

PostgreSQL text cannot hold the NUL character; a request carrying one (raw, JSON-escaped or
percent-encoded) gets a 422 (Open311: a 400 in its own error format) instead of failing deep
down.
"""

from __future__ import annotations

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse
from starlette.types import Message, Receive, Scope, Send

from console.server import open311_api
from console.server.asgi import HttpMiddleware
from console.server.errors import error_body

_NUL_FORMS = (b"\x00", b"\\u0000", b"%00")
MESSAGE = "text must not contain NUL characters"


def _carries_nul(data: bytes) -> bool:
    return any(form in data for form in _NUL_FORMS)


def install(app: FastAPI) -> None:
    app.add_middleware(RefuseNul)


class RefuseNul(HttpMiddleware):
    """Reads the request's body once, refuses it if it or the URL carries NUL, and hands the
    application the same body otherwise."""

    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        received = [await receive()]
        while received[-1]["type"] == "http.request" and received[-1].get("more_body"):
            received.append(await receive())
        body = b"".join(m.get("body", b"") for m in received if m["type"] == "http.request")
        raw = scope.get("raw_path", b"") + b"?" + scope.get("query_string", b"")
        if _carries_nul(raw) or _carries_nul(body):
            await _refusal(scope)(scope, receive, send)
            return
        replay = iter(received)

        async def again() -> Message:
            return next(replay, None) or await receive()

        await self.app(scope, again, send)


def _refusal(scope: Scope) -> Response:
    if scope["path"].startswith("/open311/"):
        return open311_api.refusal(Request(scope), 400, MESSAGE)
    return JSONResponse(error_body("invalid_text", MESSAGE), 422)
