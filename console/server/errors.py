"""One shape for every error the API returns: a code, a message, and the fields at fault."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import Message, Receive, Scope, Send

from console.central.accounts import AuthFailed, TooManyAttempts
from console.domain.errors import NotFound, ValidationFailed
from console.server.asgi import HttpMiddleware

log = logging.getLogger("console.server")


def error_body(
    code: str, message: str, fields: list[dict[str, str]] | None = None
) -> dict[str, Any]:
    body: dict[str, Any] = {"code": code, "message": message}
    if fields:
        body["fields"] = fields
    return {"error": body}


class ApiError(HTTPException):
    """An error with a stable code, raised by the routes."""

    def __init__(self, status: int, code: str, message: str, **headers: str) -> None:
        super().__init__(status, message, headers or None)
        self.code = code


def install(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, error: ApiError) -> JSONResponse:
        return JSONResponse(
            error_body(error.code, str(error.detail)), error.status_code, headers=error.headers
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_request: Request, error: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed"}.get(error.status_code, "http_error")
        return JSONResponse(
            error_body(code, str(error.detail)),
            error.status_code,
            headers=getattr(error, "headers", None),
        )

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, error: RequestValidationError) -> JSONResponse:
        fields = [
            {"field": ".".join(str(p) for p in e["loc"] if p != "body"), "code": e["type"]}
            for e in error.errors()
        ]
        return JSONResponse(error_body("invalid_request", "the request is not valid", fields), 422)

    @app.exception_handler(ValidationFailed)
    async def _refused(_request: Request, error: ValidationFailed) -> JSONResponse:
        fields = [{"field": e.field, "code": e.code} for e in error.errors]
        return JSONResponse(error_body("invalid_request", "the request is not valid", fields), 422)

    @app.exception_handler(NotFound)
    async def _not_found(_request: Request, error: NotFound) -> JSONResponse:
        return JSONResponse(error_body("not_found", "no such record"), 404)

    @app.exception_handler(AuthFailed)
    async def _unauthorised(_request: Request, error: AuthFailed) -> JSONResponse:
        return JSONResponse(
            error_body("unauthorised", str(error)), 401, headers={"WWW-Authenticate": "Bearer"}
        )

    @app.exception_handler(TooManyAttempts)
    async def _throttled(_request: Request, error: TooManyAttempts) -> JSONResponse:
        return JSONResponse(
            error_body("too_many_attempts", str(error)),
            429,
            headers={"Retry-After": str(error.retry_after)},
        )

    @app.exception_handler(OperationalError)
    @app.exception_handler(PoolTimeout)
    async def _database_busy(request: Request, error: Exception) -> JSONResponse:
        # The database is down, a lock waited too long or every pooled connection is in use:
        # worth retrying, not a bug.
        log.warning("database unavailable on %s: %s", _route(request.scope), type(error).__name__)
        return JSONResponse(
            error_body("busy", "database busy or unavailable; retry"),
            503,
            headers={"Retry-After": "1"},
        )

    app.add_middleware(Unexpected)


class Unexpected(HttpMiddleware):
    """Answers an unexpected error 500 and logs it, once. Starlette's own last resort logs it
    and then raises it again, for uvicorn to log a second time; it sees none now."""

    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = False

        async def sending(message: Message) -> None:
            nonlocal started
            started = True
            await send(message)

        try:
            await self.app(scope, receive, sending)
        except Exception as error:
            log.error("unexpected error on %s", _route(scope), exc_info=error)
            if not started:  # else the client sees its answer cut off: nothing else to say
                answer = JSONResponse(error_body("internal_error", "unexpected error"), 500)
                await answer(scope, receive, send)


def _route(scope: Scope) -> str:
    return str(getattr(scope.get("route"), "path", "?"))
