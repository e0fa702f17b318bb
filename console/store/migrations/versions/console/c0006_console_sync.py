"""the console's sync: answers kept on the outbox, the users who signed in at the seat

Revision ID: c0006
Revises: c0005
Create Date: 2026-12-02

Each outbox row keeps the server's answer (its result and when it came), the case it changes
(for the case's badge) and the values it replaced; a conflict or rejection the user dealt with
is marked resolved. The users who signed in at the workstation keep a slow hash of their
password, so they can sign in while the server cannot be reached.
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

from console.store.schema import UTCDateTime

revision = "c0006"
down_revision = "c0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("case_id", sa.String(length=36), server_default="", nullable=False)
        )
        batch_op.add_column(sa.Column("before", sa.Text(), server_default="{}", nullable=False))
        batch_op.add_column(sa.Column("result", sa.Text(), server_default="", nullable=False))
        batch_op.add_column(sa.Column("answered_at", UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("resolved_at", UTCDateTime(), nullable=True))
    _fill_case_ids()
    op.create_index("ix_outbox_case_id_mid", "outbox", ["case_id", "mid"], unique=False)
    op.create_index("ix_outbox_state_mid", "outbox", ["state", "mid"], unique=False)
    op.create_table(
        "seat_users",
        sa.Column("username", sa.String(length=50), nullable=False),
        sa.Column("verifier", sa.String(length=200), nullable=False),
        sa.Column("display_name", sa.String(length=50), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("signed_in_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("username", name=op.f("pk_seat_users")),
    )


def _fill_case_ids() -> None:
    """The case of each mutation made before: a create's own id, else its `case_id`."""
    outbox = sa.table(
        "outbox", sa.column("mid", sa.Integer), sa.column("name"), sa.column("args"),
        sa.column("case_id"),
    )  # fmt: skip
    bind = op.get_bind()
    rows = bind.execute(sa.select(outbox.c.mid, outbox.c.name, outbox.c.args)).all()
    filled = []
    for mid, name, args in rows:
        values = json.loads(args)
        filled.append({"m": mid, "c": values.get("id" if name == "case.create" else "case_id")})
    if filled:
        bind.execute(
            outbox.update()
            .where(outbox.c.mid == sa.bindparam("m"))
            .values(case_id=sa.bindparam("c")),
            filled,
        )


def downgrade() -> None:
    op.drop_table("seat_users")
    op.drop_index("ix_outbox_state_mid", table_name="outbox")
    op.drop_index("ix_outbox_case_id_mid", table_name="outbox")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_column("resolved_at")
        batch_op.drop_column("answered_at")
        batch_op.drop_column("result")
        batch_op.drop_column("before")
        batch_op.drop_column("case_id")
