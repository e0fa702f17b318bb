"""a spent refresh token remembers the token it was exchanged for

Revision ID: s0006
Revises: s0005
Create Date: 2026-12-02

A refresh whose answer was lost is tried again with the spent token; the server answers it
again while the token it gave has not been used. Tokens spent before this revision have no
successor recorded, so shown again they end their session as before.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "s0006"
down_revision = "s0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("spent_refresh_tokens", sa.Column("successor_hash", sa.String(64), nullable=True))


def downgrade() -> None:
    op.drop_column("spent_refresh_tokens", "successor_hash")
