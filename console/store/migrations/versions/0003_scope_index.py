"""the scope of a console's download, read from one index

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29

A console's first download pages through the cases of its scope in id order. Most of a year's
cases are closed and older than 30 days, outside every scope; with the fields that decide the
scope in the index, those are passed over without reading the table (an index-only scan).
PostgreSQL only: SQLite has no included columns, and a console holds its own cases only.
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

SCOPE_FIELDS = ["status", "created_at", "owner", "seat_code"]


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.create_index("ix_cases_scope", "cases", ["id"], postgresql_include=SCOPE_FIELDS)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_cases_scope", table_name="cases")
