"""consoles as credentials, enrolment codes, mutation digests, throttling by address

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02

A console logs in with a secret kept here as a digest; a retired console frees its seat, so a
seat is unique among the consoles in service only. Enrolment codes are one-time and expire.
Each stored mutation result keeps a digest of what was sent under its number. Failed logins
are counted per (name, address) and per address; refresh tokens already exchanged are kept to
notice a stolen one. A case keeps the time the server received it beside the time it was
taken.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from console.store.schema import UTCDateTime

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("consoles", schema=None) as batch_op:
        batch_op.drop_constraint("uq_consoles_seat_code", type_="unique")
        batch_op.add_column(sa.Column("secret_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("retired_at", UTCDateTime(), nullable=True))
    op.create_index(
        "ux_consoles_seat_in_service",
        "consoles",
        ["seat_code"],
        unique=True,
        sqlite_where=sa.text("retired_at IS NULL"),
        postgresql_where=sa.text("retired_at IS NULL"),
    )
    op.create_table(
        "enrol_codes",
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("seat_code", sa.String(length=3), server_default="", nullable=False),
        sa.Column("created_by", sa.String(length=50), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.Column("used_at", UTCDateTime(), nullable=True),
        sa.Column("used_by", sa.String(length=36), server_default="", nullable=False),
        sa.PrimaryKeyConstraint("code_hash", name=op.f("pk_enrol_codes")),
    )
    with op.batch_alter_table("mutation_results", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("digest", sa.String(length=64), server_default="", nullable=False)
        )
    op.drop_table("login_failures")
    op.create_table(
        "login_failures",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("window_start", UTCDateTime(), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_login_failures")),
    )
    op.create_index(
        op.f("ix_login_failures_window_start"), "login_failures", ["window_start"], unique=False
    )
    op.create_table(
        "spent_refresh_tokens",
        sa.Column("refresh_hash", sa.String(length=64), nullable=False),
        sa.Column("session_id", sa.String(length=36), nullable=False),
        sa.Column("spent_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["auth_sessions.id"],
            name=op.f("fk_spent_refresh_tokens_session_id_auth_sessions"),
        ),
        sa.PrimaryKeyConstraint("refresh_hash", name=op.f("pk_spent_refresh_tokens")),
    )
    op.create_index(
        op.f("ix_spent_refresh_tokens_session_id"),
        "spent_refresh_tokens",
        ["session_id"],
        unique=False,
    )
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("received_at", UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_column("received_at")
    op.drop_index(op.f("ix_spent_refresh_tokens_session_id"), table_name="spent_refresh_tokens")
    op.drop_table("spent_refresh_tokens")
    op.drop_index(op.f("ix_login_failures_window_start"), table_name="login_failures")
    op.drop_table("login_failures")
    op.create_table(
        "login_failures",
        sa.Column("username", sa.String(length=50), nullable=False),
        sa.Column("window_start", UTCDateTime(), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("username", name=op.f("pk_login_failures")),
    )
    with op.batch_alter_table("mutation_results", schema=None) as batch_op:
        batch_op.drop_column("digest")
    op.drop_table("enrol_codes")
    op.drop_index("ux_consoles_seat_in_service", table_name="consoles")
    with op.batch_alter_table("consoles", schema=None) as batch_op:
        batch_op.drop_column("retired_at")
        batch_op.drop_column("secret_hash")
        batch_op.create_unique_constraint("uq_consoles_seat_code", ["seat_code"])
