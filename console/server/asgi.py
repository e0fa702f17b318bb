"""Plain ASGI middlewares: a few attribute lookups per request, where Starlette's
`BaseHTTPMiddleware` costs a task and a stream for every one."""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

# An extension of the scope of a live stream's request (`guards.BoundedHttp`), its "write" a
# function that writes a chunk of the response's body at once and says True, or says False and
# writes nothing (the response has not begun or has ended, the connection is closing, or it has
# as much waiting as it takes now): the chunk is then sent as usual, by `send`.
WRITE_NOW = "console.write_now"


class HttpMiddleware:
    """Lets everything but HTTP requests through untouched; a subclass handles those in
    `http`."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            await self.http(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        raise NotImplementedError
