"""Alembic migrations, applied by the console at start and by the server's migrate command."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

LOCATION = Path(__file__).parent


def for_this_database(dialect: str) -> Callable[..., bool]:
    """Alembic's `include_object`: leave out what the schema builds only on other databases
    (the trigram indexes exist on PostgreSQL alone)."""

    def include(obj: Any, _name: str | None, kind: str, _reflected: bool, _other: Any) -> bool:
        only = getattr(obj, "_ddl_if", None)
        return not (kind == "index" and only is not None and only.dialect not in (None, dialect))

    return include


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(LOCATION))
    return config


def upgrade_to_head(engine: Engine) -> None:
    config = alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
