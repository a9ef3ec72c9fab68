"""Watchlist administration: the versions of each list with the re-screening each asked for, the hits every
re-screening opened or withdrew, and uploaded import files waiting for their confirmation.

Revision ID: 0009
Revises: 0008
Created: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from gtas.model.base import UtcDateTime

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
UTC_TIME = UtcDateTime(timezone=True)

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

EFFECTS = ("opened", "withdrawn")


def upgrade() -> None:
    op.create_table(
        "rescreen_hit",
        sa.Column("rescreen_id", ID, nullable=False),
        sa.Column("hit_id", ID, nullable=False),
        sa.Column("effect", sa.Enum(*EFFECTS, name="rescreen_effect", native_enum=False, create_constraint=True,
                                    length=max(map(len, EFFECTS))), nullable=False),
        sa.ForeignKeyConstraint(["rescreen_id"], ["rescreen.id"], name=op.f("fk_rescreen_hit_rescreen_id_rescreen"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["hit_id"], ["hit.id"], name=op.f("fk_rescreen_hit_hit_id_hit"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("rescreen_id", "hit_id", name=op.f("pk_rescreen_hit")),
    )
    op.create_index(op.f("ix_rescreen_hit_hit_id"), "rescreen_hit", ["hit_id"])
    op.create_table(
        "watchlist_version",
        sa.Column("watchlist_id", ID, nullable=False),
        sa.Column("version", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("summary", sa.String(length=200), nullable=False),
        sa.Column("changed_by", sa.String(length=100), nullable=True),
        sa.Column("changed_at", UTC_TIME, nullable=False),
        sa.Column("rescreen_id", ID, nullable=True),
        sa.ForeignKeyConstraint(["watchlist_id"], ["watchlist.id"],
                                name=op.f("fk_watchlist_version_watchlist_id_watchlist")),
        sa.ForeignKeyConstraint(["rescreen_id"], ["rescreen.id"],
                                name=op.f("fk_watchlist_version_rescreen_id_rescreen"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("watchlist_id", "version", name=op.f("pk_watchlist_version")),
    )
    op.create_index(op.f("ix_watchlist_version_rescreen_id"), "watchlist_version", ["rescreen_id"])
    op.create_table(
        "watchlist_upload",
        sa.Column("id", ID, nullable=False),
        sa.Column("watchlist_id", ID, nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("plan_digest", sa.String(length=64), nullable=False),
        sa.Column("uploaded_by", sa.String(length=100), nullable=False),
        sa.Column("uploaded_at", UTC_TIME, nullable=False),
        sa.ForeignKeyConstraint(["watchlist_id"], ["watchlist.id"],
                                name=op.f("fk_watchlist_upload_watchlist_id_watchlist"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_watchlist_upload")),
    )
    op.create_index(op.f("ix_watchlist_upload_watchlist_id"), "watchlist_upload", ["watchlist_id"])
    op.create_index(op.f("ix_watchlist_upload_uploaded_at"), "watchlist_upload", ["uploaded_at"])


def downgrade() -> None:
    op.drop_table("watchlist_upload")
    op.drop_table("watchlist_version")
    op.drop_table("rescreen_hit")
