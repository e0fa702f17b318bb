"""the console's own history: its database keeps the console's tables only

Revision ID: c0005
Revises: 0004
Create Date: 2026-12-02

Up to 0004 the console's database and the server's shared one history, so a console's
database holds the server's tables, always empty there. They go; the cases, the outbox, the
drafts and the console's settings stay. The split is not undone: a console's database never
goes back to the shared history.
"""

from __future__ import annotations

from alembic import op

revision = "c0005"
down_revision = "0004"
branch_labels = ("console",)
depends_on = None

# Children before the tables their foreign keys name.
SERVER_TABLES = (
    "spent_refresh_tokens",
    "auth_sessions",
    "accounts",
    "mutation_results",
    "consoles",
    "enrol_codes",
    "login_failures",
    "api_keys",
    "open311_tokens",
    "audit_log",
    "change_log",
    "conflicts",
)


def upgrade() -> None:
    for table in SERVER_TABLES:
        op.drop_table(table)


def downgrade() -> None:
    raise NotImplementedError("a console's database does not go back to the shared history")
