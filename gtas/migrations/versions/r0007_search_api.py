"""Personal API tokens of users, for the JSON API (only their hashes are stored).

Revision ID: 0007
Revises: 0006
Created: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from gtas.model.base import UtcDateTime

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
UTC_TIME = UtcDateTime(timezone=True)

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "user_token",
        sa.Column("id", ID, nullable=False),
        sa.Column("user_id", ID, nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.Column("expires_at", UTC_TIME, nullable=False),
        sa.Column("revoked_at", UTC_TIME, nullable=True),
        sa.Column("last_used_at", UTC_TIME, nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"], name=op.f("fk_user_token_user_id_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_token")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_user_token_token_hash")),
    )
    op.create_index(op.f("ix_user_token_user_id"), "user_token", ["user_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_user_token_user_id"), table_name="user_token")
    op.drop_table("user_token")
