"""a spent enrolment code remembers the workstation's enrolment id

Revision ID: s0007
Revises: s0006
Create Date: 2026-12-02

A workstation that sent an enrolment code and never got the answer sends it again with the
same enrolment id; the server answers it again, with a new secret for the console the code
made, while that console has not been used. Codes spent before this revision have no id
recorded, so sent again they are refused as before.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "s0007"
down_revision = "s0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "enrol_codes",
        sa.Column("enrolment_id", sa.String(36), nullable=False, server_default=""),
    )


def downgrade() -> None:
    op.drop_column("enrol_codes", "enrolment_id")
