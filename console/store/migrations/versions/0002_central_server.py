"""central server

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import console.store.schema

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "accounts",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("username", sa.String(length=50), nullable=False),
        sa.Column("display_name", sa.String(length=50), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("agency_code", sa.String(length=64), server_default="", nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("disabled", sa.Boolean(), server_default=sa.text("(false)"), nullable=False),
        sa.Column("created_at", console.store.schema.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accounts")),
        sa.UniqueConstraint("username", name=op.f("uq_accounts_username")),
    )
    op.create_table(
        "api_keys",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", console.store.schema.UTCDateTime(), nullable=False),
        sa.Column("revoked_at", console.store.schema.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_keys")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_api_keys_key_hash")),
    )
    op.create_table(
        "audit_log",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("at", console.store.schema.UTCDateTime(), nullable=False),
        sa.Column("actor", sa.String(length=50), nullable=False),
        sa.Column("client_id", sa.String(length=64), server_default="", nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("entity", sa.String(length=16), nullable=False),
        sa.Column("entity_id", sa.String(length=36), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_log_entity_id"), ["entity_id"], unique=False)

    op.create_table(
        "change_log",
        sa.Column(
            "seq",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("xid", sa.BigInteger(), nullable=True),
        sa.Column("entity", sa.String(length=16), nullable=False),
        sa.Column("entity_id", sa.String(length=36), nullable=False),
        sa.Column("at", console.store.schema.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_change_log")),
    )
    with op.batch_alter_table("change_log", schema=None) as batch_op:
        batch_op.create_index("ix_change_log_xid_seq", ["xid", "seq"], unique=False)

    op.create_table(
        "conflicts",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("client_id", sa.String(length=36), nullable=False),
        sa.Column("mid", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("field", sa.String(length=40), nullable=False),
        sa.Column("yours", sa.JSON(), nullable=True),
        sa.Column("kept", sa.JSON(), nullable=True),
        sa.Column("kept_by", sa.String(length=64), server_default="", nullable=False),
        sa.Column("at", console.store.schema.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conflicts")),
    )
    with op.batch_alter_table("conflicts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_conflicts_case_id"), ["case_id"], unique=False)

    op.create_table(
        "consoles",
        sa.Column("client_id", sa.String(length=36), nullable=False),
        sa.Column("seat_code", sa.String(length=3), nullable=False),
        sa.Column("enrolled_by", sa.String(length=50), nullable=False),
        sa.Column("enrolled_at", console.store.schema.UTCDateTime(), nullable=False),
        sa.Column("last_mid", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("last_seen", console.store.schema.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("client_id", name=op.f("pk_consoles")),
        sa.UniqueConstraint("seat_code", name=op.f("uq_consoles_seat_code")),
    )
    op.create_table(
        "login_failures",
        sa.Column("username", sa.String(length=50), nullable=False),
        sa.Column("window_start", console.store.schema.UTCDateTime(), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("username", name=op.f("pk_login_failures")),
    )
    op.create_table(
        "open311_tokens",
        sa.Column("token", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("created_at", console.store.schema.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("token", name=op.f("pk_open311_tokens")),
    )
    op.create_table(
        "auth_sessions",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("account_id", sa.String(length=36), nullable=False),
        sa.Column("client_id", sa.String(length=36), nullable=True),
        sa.Column("access_hash", sa.String(length=64), nullable=False),
        sa.Column("access_expires", console.store.schema.UTCDateTime(), nullable=False),
        sa.Column("refresh_hash", sa.String(length=64), nullable=False),
        sa.Column("refresh_expires", console.store.schema.UTCDateTime(), nullable=False),
        sa.Column("created_at", console.store.schema.UTCDateTime(), nullable=False),
        sa.Column("revoked", sa.Boolean(), server_default=sa.text("(false)"), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_auth_sessions_account_id_accounts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_auth_sessions")),
        sa.UniqueConstraint("access_hash", name=op.f("uq_auth_sessions_access_hash")),
        sa.UniqueConstraint("refresh_hash", name=op.f("uq_auth_sessions_refresh_hash")),
    )
    with op.batch_alter_table("auth_sessions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_auth_sessions_account_id"), ["account_id"], unique=False
        )

    op.create_table(
        "mutation_results",
        sa.Column("client_id", sa.String(length=36), nullable=False),
        sa.Column("mid", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.Column("at", console.store.schema.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["consoles.client_id"],
            name=op.f("fk_mutation_results_client_id_consoles"),
        ),
        sa.PrimaryKeyConstraint("client_id", "mid", name=op.f("pk_mutation_results")),
    )
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("owner", sa.String(length=64), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("field_versions", sa.JSON(), server_default=sa.text("'{}'"), nullable=False)
        )
        batch_op.add_column(
            sa.Column("extension_until", console.store.schema.UTCDateTime(), nullable=True)
        )
        batch_op.add_column(
            sa.Column("return_reason", sa.String(length=64), server_default="", nullable=False)
        )
        batch_op.add_column(sa.Column("reply_text", sa.Text(), server_default="", nullable=False))
        batch_op.add_column(
            sa.Column("solved", sa.String(length=64), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("satisfied", sa.String(length=64), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("merged_into", sa.String(length=64), server_default="", nullable=False)
        )
        batch_op.create_index("ix_cases_created_at", ["created_at"], unique=False)
        batch_op.create_index(
            "ix_cases_lead_agency_code_created_at", ["lead_agency_code", "created_at"], unique=False
        )
        batch_op.create_index("ix_cases_owner_created_at", ["owner", "created_at"], unique=False)
        batch_op.create_index(
            "ix_cases_status_deadline_at", ["status", "deadline_at"], unique=False
        )

    if op.get_bind().dialect.name == "postgresql":
        # The feed orders changes by the writing transaction (see ChangeLog).
        op.alter_column(
            "change_log", "xid", server_default=sa.text("(pg_current_xact_id()::text::bigint)")
        )
        # Consoles waiting on a long poll are woken when a transaction that changed cases
        # commits (NOTIFY is delivered at commit, never for a rollback).
        op.execute(
            "CREATE FUNCTION notify_case_changes() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN PERFORM pg_notify('case_changes', ''); RETURN NULL; END $$"
        )
        op.execute(
            "CREATE TRIGGER change_log_notify AFTER INSERT ON change_log "
            "FOR EACH STATEMENT EXECUTE FUNCTION notify_case_changes()"
        )
        # Chinese substring search in descriptions and addresses.
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.create_index(
            "ix_cases_description_trgm",
            "cases",
            ["description"],
            postgresql_using="gin",
            postgresql_ops={"description": "gin_trgm_ops"},
        )
        op.create_index(
            "ix_cases_address_trgm",
            "cases",
            ["address"],
            postgresql_using="gin",
            postgresql_ops={"address": "gin_trgm_ops"},
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER change_log_notify ON change_log")
        op.execute("DROP FUNCTION notify_case_changes()")
        op.drop_index("ix_cases_address_trgm", table_name="cases")
        op.drop_index("ix_cases_description_trgm", table_name="cases")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index("ix_cases_status_deadline_at")
        batch_op.drop_index("ix_cases_owner_created_at")
        batch_op.drop_index("ix_cases_lead_agency_code_created_at")
        batch_op.drop_index("ix_cases_created_at")
        batch_op.drop_column("merged_into")
        batch_op.drop_column("satisfied")
        batch_op.drop_column("solved")
        batch_op.drop_column("reply_text")
        batch_op.drop_column("return_reason")
        batch_op.drop_column("extension_until")
        batch_op.drop_column("field_versions")
        batch_op.drop_column("owner")

    op.drop_table("mutation_results")
    with op.batch_alter_table("auth_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_auth_sessions_account_id"))

    op.drop_table("auth_sessions")
    op.drop_table("open311_tokens")
    op.drop_table("login_failures")
    op.drop_table("consoles")
    with op.batch_alter_table("conflicts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_conflicts_case_id"))

    op.drop_table("conflicts")
    with op.batch_alter_table("change_log", schema=None) as batch_op:
        batch_op.drop_index("ix_change_log_xid_seq")

    op.drop_table("change_log")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_log_entity_id"))

    op.drop_table("audit_log")
    op.drop_table("api_keys")
    op.drop_table("accounts")
