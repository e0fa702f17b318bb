"""Text no database can store is refused before any route sees it.

PostgreSQL text cannot hold the NUL character; a request carrying one (raw, JSON-escaped or
percent-encoded) gets a 422 (Open311: a 400 in its own error format) instead of failing deep
down.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse

from console.server import open311_api
from console.server.errors import error_body

_NUL_FORMS = (b"\x00", b"\\u0000", b"%00")
MESSAGE = "text must not contain NUL characters"


def _carries_nul(data: bytes) -> bool:
    return any(form in data for form in _NUL_FORMS)


def install(app: FastAPI) -> None:
    @app.middleware("http")
    async def _refuse_nul(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        raw = request.scope.get("raw_path", b"") + b"?" + request.scope.get("query_string", b"")
        if _carries_nul(raw) or _carries_nul(await request.body()):
            if request.url.path.startswith("/open311/"):
                return open311_api.refusal(request, 400, MESSAGE)
            return JSONResponse(error_body("invalid_text", MESSAGE), 422)
        return await call_next(request)
