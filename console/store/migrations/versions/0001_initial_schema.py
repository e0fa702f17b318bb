"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import console.store.schema

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cases",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("case_no", sa.String(length=16), nullable=False),
        sa.Column("client_id", sa.String(length=36), nullable=False),
        sa.Column("seat_code", sa.String(length=3), nullable=False),
        sa.Column("operator", sa.String(length=50), nullable=False),
        sa.Column("created_at", console.store.schema.UTCDateTime(), nullable=False),
        sa.Column("updated_at", console.store.schema.UTCDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("appeal_type", sa.String(length=16), nullable=False),
        sa.Column("urgency", sa.String(length=16), nullable=False),
        sa.Column("handling", sa.String(length=16), nullable=False),
        sa.Column("category_code", sa.String(length=6), nullable=False),
        sa.Column("category_path", sa.String(length=200), nullable=False),
        sa.Column("district_code", sa.String(length=64), server_default="", nullable=False),
        sa.Column("district_name", sa.String(length=64), server_default="", nullable=False),
        sa.Column("street_code", sa.String(length=64), server_default="", nullable=False),
        sa.Column("street_name", sa.String(length=64), server_default="", nullable=False),
        sa.Column("community", sa.String(length=64), server_default="", nullable=False),
        sa.Column("address", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("answer_text", sa.Text(), nullable=False),
        sa.Column("caller_phone", sa.String(length=20), nullable=False),
        sa.Column("caller_name", sa.String(length=64), server_default="", nullable=False),
        sa.Column("callback_phone", sa.String(length=20), nullable=False),
        sa.Column("confidential", sa.Boolean(), server_default=sa.text("(false)"), nullable=False),
        sa.Column("anonymous", sa.Boolean(), server_default=sa.text("(false)"), nullable=False),
        sa.Column("lead_agency_code", sa.String(length=64), server_default="", nullable=False),
        sa.Column("lead_agency_name", sa.String(length=100), nullable=False),
        sa.Column("routing_reason", sa.String(length=300), nullable=False),
        sa.Column("deadline_at", console.store.schema.UTCDateTime(), nullable=True),
        sa.Column("deadline_reason", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cases")),
        sa.UniqueConstraint("case_no", name=op.f("uq_cases_case_no")),
    )
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.create_index(
            "ix_cases_caller_phone_created_at", ["caller_phone", "created_at"], unique=False
        )
        batch_op.create_index(
            "ix_cases_open_by_seat",
            ["seat_code", "created_at"],
            unique=False,
            sqlite_where=sa.text(
                "status IN ('dispatched', 'accepted', 'returned', 'replied', 'reopened')"
            ),
            postgresql_where=sa.text(
                "status IN ('dispatched', 'accepted', 'returned', 'replied', 'reopened')"
            ),
        )
        batch_op.create_index(
            "ix_cases_seat_code_created_at", ["seat_code", "created_at"], unique=False
        )

    op.create_table(
        "console_meta",
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_console_meta")),
    )
    op.create_table(
        "daily_counters",
        sa.Column("day", sa.String(length=8), nullable=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_daily_counters")),
    )
    op.create_table(
        "drafts",
        sa.Column("slot", sa.String(length=40), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("updated_at", console.store.schema.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("slot", name=op.f("pk_drafts")),
    )
    op.create_table(
        "outbox",
        sa.Column("mid", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("args", sa.Text(), nullable=False),
        sa.Column("created_at", console.store.schema.UTCDateTime(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.PrimaryKeyConstraint("mid", name=op.f("pk_outbox")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "case_assisting_agencies",
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("agency_code", sa.String(length=64), nullable=False),
        sa.Column("agency_name", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_assisting_agencies_case_id_cases")
        ),
        sa.PrimaryKeyConstraint("case_id", "agency_code", name=op.f("pk_case_assisting_agencies")),
    )
    op.create_table(
        "case_events",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("at", console.store.schema.UTCDateTime(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("actor", sa.String(length=50), nullable=False),
        sa.Column("seat_code", sa.String(length=3), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_events_case_id_cases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_events")),
    )
    with op.batch_alter_table("case_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_events_case_id"), ["case_id"], unique=False)

    op.create_table(
        "case_notes",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("at", console.store.schema.UTCDateTime(), nullable=False),
        sa.Column("author", sa.String(length=50), nullable=False),
        sa.Column("seat_code", sa.String(length=3), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_notes_case_id_cases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_notes")),
    )
    with op.batch_alter_table("case_notes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_notes_case_id"), ["case_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("case_notes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_notes_case_id"))

    op.drop_table("case_notes")
    with op.batch_alter_table("case_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_events_case_id"))

    op.drop_table("case_events")
    op.drop_table("case_assisting_agencies")
    op.drop_table("outbox")
    op.drop_table("drafts")
    op.drop_table("daily_counters")
    op.drop_table("console_meta")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index("ix_cases_seat_code_created_at")
        batch_op.drop_index(
            "ix_cases_open_by_seat",
            sqlite_where=sa.text(
                "status IN ('dispatched', 'accepted', 'returned', 'replied', 'reopened')"
            ),
            postgresql_where=sa.text(
                "status IN ('dispatched', 'accepted', 'returned', 'replied', 'reopened')"
            ),
        )
        batch_op.drop_index("ix_cases_caller_phone_created_at")

    op.drop_table("cases")
