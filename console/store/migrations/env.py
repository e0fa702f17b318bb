"""Alembic environment: runs on the connection the caller hands over, for one branch."""

from __future__ import annotations

from alembic import context

from console.store import server_schema  # noqa: F401  (its tables join Base.metadata)
from console.store.migrations import for_this_database
from console.store.schema import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    include_object=for_this_database(connection.dialect.name, context.config.attributes["branch"]),
)
with context.begin_transaction():
    context.run_migrations()
