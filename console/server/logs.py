"""Structured logs: one JSON line per event. Requests are logged by route, never by their
actual path or query, which may hold a caller's number."""

from __future__ import annotations

import json
import logging
import sys
import time

from fastapi import FastAPI
from starlette.types import Message, Receive, Scope, Send

from console.server.asgi import HttpMiddleware

log = logging.getLogger("console.server.access")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "at": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update(getattr(record, "fields", {}))
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure(level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)


def install(app: FastAPI) -> None:
    app.add_middleware(AccessLog)


class AccessLog(HttpMiddleware):
    """One line per request: method, route template, status and milliseconds to the end of
    the response."""

    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        began = time.perf_counter()
        status = 500  # if the application fails before it answers

        async def sent(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, sent)
        finally:
            fields = {
                "method": scope["method"],
                "route": getattr(scope.get("route"), "path", "unmatched"),
                "status": status,
                "ms": round((time.perf_counter() - began) * 1000, 1),
            }
            log.info("request", extra={"fields": fields})
