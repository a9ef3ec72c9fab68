"""Re-screening runs (progress of re-assessing travellers after a rule or watchlist change).

Revision ID: 0005
Revises: 0004
Created: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from gtas.model.base import UtcDateTime

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
UTC_TIME = UtcDateTime(timezone=True)

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rescreen",
        sa.Column("id", ID, nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("requested_by", sa.String(100)),
        sa.Column("requested_at", UTC_TIME, nullable=False),
        sa.Column("since", UTC_TIME),
        sa.Column("started_at", UTC_TIME),
        sa.Column("finished_at", UTC_TIME),
        sa.Column("covered_by", ID),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("last_traveller_id", ID, nullable=False),
        sa.Column("opened", sa.Integer(), nullable=False),
        sa.Column("updated", sa.Integer(), nullable=False),
        sa.Column("withdrawn", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["covered_by"], ["rescreen.id"], name=op.f("fk_rescreen_covered_by_rescreen")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rescreen")),
    )
    op.create_index(op.f("ix_rescreen_finished_at_id"), "rescreen", ["finished_at", "id"])


def downgrade() -> None:
    op.drop_table("rescreen")
