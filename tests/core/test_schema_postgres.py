"""The schema the console uses is the central server's: the same migrations run on PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, text

from console.store import server_schema  # noqa: F401  (its tables join the metadata)
from console.store.db import SCHEMA_HEAD
from console.store.migrations import for_this_database
from console.store.schema import Base


def test_the_migrations_build_on_postgresql_exactly_the_declared_schema(pg_url: str) -> None:
    engine = create_engine(pg_url)
    with engine.connect() as conn:
        differences = compare_metadata(
            MigrationContext.configure(
                conn, opts={"include_object": for_this_database(conn.dialect.name)}
            ),
            Base.metadata,
        )
        assert differences == []
        version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        assert version == SCHEMA_HEAD
    engine.dispose()


def test_change_rows_carry_their_transaction_id_on_postgresql(pg_url: str) -> None:
    engine = create_engine(pg_url)
    with engine.begin() as conn:
        conn.execute(
            text("INSERT INTO change_log (entity, entity_id, at) VALUES ('case', 'x', now())")
        )
        xid = conn.execute(text("SELECT xid FROM change_log")).scalar()
        current = conn.execute(text("SELECT pg_current_xact_id()::text::bigint")).scalar()
    assert xid == current
    engine.dispose()
