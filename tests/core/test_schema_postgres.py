"""The server's schema on PostgreSQL: its own migration branch builds exactly its tables."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from console.store import server_schema  # noqa: F401  (its tables join the metadata)
from console.store.db import SERVER_HEAD
from console.store.migrations import SERVER, alembic_config, for_this_database, upgrade_to_head
from console.store.schema import Base
from tests.postgres import Cluster

# Rows of every kind a server's database held before each program had its own migrations.
SHARED_HISTORY_ROWS = {
    "accounts": "INSERT INTO accounts (id, username, display_name, role, password_hash, created_at)"
    " VALUES ('a1', 'wangfang', '王芳', 'call_taker', 'x', now())",
    "consoles": "INSERT INTO consoles (client_id, seat_code, enrolled_by, enrolled_at, last_mid)"
    " VALUES ('c1', '007', 'admin', now(), 2)",
    "cases": "INSERT INTO cases (id, case_no, client_id, seat_code, operator, created_at,"
    " updated_at, version, status, appeal_type, urgency, handling, category_code, category_path,"
    " address, description, answer_text, caller_phone, callback_phone, lead_agency_name,"
    " routing_reason, deadline_reason) VALUES ('k1', '2612010070001', 'c1', '007', '王芳', now(),"
    " now(), 1, 'dispatched', 'complaint', 'normal', 'dispatch', '010101', '城市管理', '三里屯路',"
    " '占道经营', '', '13800138000', '', '', '', '')",
    "change_log": "INSERT INTO change_log (entity, entity_id, at) VALUES ('case', 'k1', now())",
    "console_meta": "INSERT INTO console_meta (key, value) VALUES ('feed_horizon', '{}')",
    "daily_counters": "INSERT INTO daily_counters (day, last_seq) VALUES ('20261201', 1)",
}


def test_the_migrations_build_on_postgresql_exactly_the_declared_schema(pg_url: str) -> None:
    engine = create_engine(pg_url)
    with engine.connect() as conn:
        differences = compare_metadata(
            MigrationContext.configure(
                conn, opts={"include_object": for_this_database(conn.dialect.name, SERVER)}
            ),
            Base.metadata,
        )
        assert differences == []
        version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        assert version == SERVER_HEAD
        tables = set(inspect(conn).get_table_names())
    assert "accounts" in tables and "cases" in tables
    assert not tables & {"outbox", "drafts"}
    engine.dispose()


def test_a_server_database_made_before_the_split_keeps_every_row(pg_cluster: Cluster) -> None:
    engine = create_engine(pg_cluster.url(pg_cluster.create_database()))
    config = alembic_config(SERVER)
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0004")
        for insert in SHARED_HISTORY_ROWS.values():
            conn.execute(text(insert))

    upgrade_to_head(engine, SERVER)

    with engine.connect() as conn:
        for table in SHARED_HISTORY_ROWS:
            assert conn.execute(text(f"SELECT count(*) FROM {table}")).scalar() == 1
        version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        assert not set(inspect(conn).get_table_names()) & {"outbox", "drafts"}
    assert version == SERVER_HEAD
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
