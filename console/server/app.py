"""The FastAPI application: one factory, stateless, every instance alike."""

from __future__ import annotations

import asyncio
import gc
import socket
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from types import FrameType

import uvicorn
from fastapi import FastAPI

from console.domain.clock import utc_now
from console.server import (
    actions_api,
    auth_api,
    cases_api,
    consoles_api,
    errors,
    guards,
    health_api,
    logs,
    open311_api,
    sync_api,
)
from console.server.config import ServerConfig
from console.server.database import Statements, server_engine
from console.server.live import Hub
from console.server.notifier import Notifier
from console.store.db import session_factory
from console.store.reference_files import load_reference

GC_YOUNG = 50_000


def create_app(config: ServerConfig, clock: Callable[[], datetime] = utc_now) -> FastAPI:
    engine = server_engine(config.database_url)
    statements = Statements(engine)
    sessions = session_factory(engine)
    notifier = Notifier(engine)
    hub = Hub(sessions, clock, config.live_streams, config.live_heartbeat_s)
    notifier.listen(hub.moved)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        notifier.start()
        hub.start()
        # What start-up made lives as long as the process: out of the collector's sight, a
        # full collection walks only what requests leave behind. And a pull page makes some
        # 100,000 short-lived objects: collect every 50,000 allocations, not every 700, or
        # one page sets off a hundred collections and now and then a 30 ms pause.
        gc.freeze()
        gc.set_threshold(GC_YOUNG, *gc.get_threshold()[1:])
        yield
        hub.end_all()
        notifier.stop()
        hub.stop()
        engine.dispose()

    app = FastAPI(
        title="12345 Hotline central server",
        version="1",
        description="Accounts, console enrolment and sync, the case service, agency and "
        "supervisor actions, and Open311 GeoReport v2.",
        lifespan=lifespan,
    )
    config.data_dir.mkdir(parents=True, exist_ok=True)
    loaded = load_reference(config.reference_dir, config.data_dir)
    app.state.engine = engine
    app.state.notifier = notifier
    app.state.hub = hub
    app.state.statements = statements
    app.state.sessions = sessions
    app.state.reference = loaded.data
    app.state.clock = clock
    app.state.config = config
    # Middlewares, the last installed outermost: the guard reads bodies before any route, the
    # access log sees its refusals too, and an unexpected error anywhere is answered once.
    guards.install(app, config)
    logs.install(app)
    errors.install(app)
    routers = (health_api, auth_api, consoles_api, sync_api, cases_api, actions_api, open311_api)
    for module in routers:
        app.include_router(module.router)
    return app


def serve(config: ServerConfig, host: str, port: int) -> None:
    """Serve the application with uvicorn, its requests' heads bounded (`guards`)."""
    logs.configure()
    http = guards.bounded_http(config)
    app = create_app(config)
    settings = uvicorn.Config(app, host=host, port=port, http=http, log_config=None,
                              access_log=False)  # fmt: skip
    _Server(settings, app.state.hub).run()


class _Server(uvicorn.Server):
    """uvicorn's server, which also ends the live streams when asked to stop: it waits for
    every response to end, and a stream would not end by itself."""

    def __init__(self, config: uvicorn.Config, hub: Hub) -> None:
        super().__init__(config)
        self._hub = hub
        self._loop: asyncio.AbstractEventLoop | None = None

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        self._loop = asyncio.get_running_loop()
        await super().startup(sockets)

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        super().handle_exit(sig, frame)
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._hub.end_all)
