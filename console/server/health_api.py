"""Liveness and readiness, for the load balancer."""

from __future__ import annotations

from fastapi import APIRouter, Request
from sqlalchemy import text

from console.server.errors import ApiError
from console.store.db import SERVER_HEAD

router = APIRouter(tags=["operation"])


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """The process answers."""
    return {"status": "ok"}


@router.get("/readyz")
def readyz(request: Request) -> dict[str, str | int]:
    """The database answers and carries the schema this server expects; `waiting_pokes`:
    the consoles' long polls parked on this instance now; `live_streams`: its live streams
    open now, `live_following` those of them following the feed (the others are ending: a
    console dropped as too slow, say); `sql_statements`: the SQL statements it has sent since
    it started."""
    try:
        with request.app.state.engine.connect() as conn:
            version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except Exception as error:  # any database failure means: not ready
        raise ApiError(503, "not_ready", "database unavailable") from error
    if version != SERVER_HEAD:
        raise ApiError(503, "not_ready", f"schema {version}, expected {SERVER_HEAD}")
    state = request.app.state
    return {
        "status": "ready",
        "schema": version,
        "waiting_pokes": state.notifier.waiting,
        "live_streams": state.hub.open,
        "live_following": state.hub.following,
        "sql_statements": state.statements.count,
    }
