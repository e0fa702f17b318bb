"""the server's own history: its database keeps no console's outbox or drafts

Revision ID: s0005
Revises: 0004
Create Date: 2026-12-02

Up to 0004 the server's database and the console's shared one history, so the server's
database holds a console's outbox and drafts, always empty there. They go. The split is not
undone: a server's database never goes back to the shared history.
"""

from __future__ import annotations

from alembic import op

revision = "s0005"
down_revision = "0004"
branch_labels = ("server",)
depends_on = None


def upgrade() -> None:
    op.drop_table("outbox")
    op.drop_table("drafts")


def downgrade() -> None:
    raise NotImplementedError("a server's database does not go back to the shared history")
