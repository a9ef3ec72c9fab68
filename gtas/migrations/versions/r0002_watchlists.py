"""Watchlists: lists, their entries with documents, and the history of every entry change.

Revision ID: 0002
Revises: 0001
Created: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from gtas.model.base import UtcDateTime

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
UTC_TIME = UtcDateTime(timezone=True)

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

CATEGORIES = ("terrorism", "narcotics", "immigration", "wanted", "sanctions", "human_trafficking", "smuggling",
              "fraud", "lost_stolen_document", "other")
SEVERITIES = ("low", "medium", "high", "critical")


def _enum(values: tuple[str, ...], name: str) -> sa.Enum:
    """A VARCHAR column type with a CHECK constraint, as gtas.model.base.str_enum declares it."""
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=max(map(len, values)))


def upgrade() -> None:
    op.create_table(
        "watchlist",
        sa.Column("id", ID, nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=True),
        sa.Column("category", _enum(CATEGORIES, "watchlist_category"), nullable=False),
        sa.Column("severity", _enum(SEVERITIES, "watchlist_severity"), nullable=False),
        sa.Column("match_threshold", sa.Float(), nullable=False),
        sa.Column("owner", sa.String(length=100), nullable=True),
        sa.Column("valid_from", UTC_TIME, nullable=True),
        sa.Column("valid_until", UTC_TIME, nullable=True),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.Column("updated_at", UTC_TIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_watchlist")),
        sa.UniqueConstraint("name", name=op.f("uq_watchlist_name")),
    )
    op.create_table(
        "watchlist_entry",
        sa.Column("id", ID, nullable=False),
        sa.Column("watchlist_id", ID, nullable=False),
        sa.Column("reference", sa.String(length=64), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=True),
        sa.Column("surname", sa.String(length=100), nullable=True),
        sa.Column("given_names", sa.String(length=100), nullable=True),
        sa.Column("aliases", JSON, nullable=False),
        sa.Column("dates_of_birth", JSON, nullable=False),
        sa.Column("gender", sa.String(length=1), nullable=True),
        sa.Column("nationalities", JSON, nullable=False),
        sa.Column("category", _enum(CATEGORIES, "watchlist_category"), nullable=True),
        sa.Column("severity", _enum(SEVERITIES, "watchlist_severity"), nullable=True),
        sa.Column("valid_from", UTC_TIME, nullable=True),
        sa.Column("valid_until", UTC_TIME, nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("status", _enum(("active", "removed", "expired"), "watchlist_entry_status"), nullable=False),
        sa.Column("added_by", sa.String(length=100), nullable=True),
        sa.Column("added_at", UTC_TIME, nullable=False),
        sa.Column("updated_at", UTC_TIME, nullable=False),
        sa.Column("ended_at", UTC_TIME, nullable=True),
        sa.ForeignKeyConstraint(
            ["watchlist_id"], ["watchlist.id"], name=op.f("fk_watchlist_entry_watchlist_id_watchlist")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_watchlist_entry")),
        sa.UniqueConstraint("watchlist_id", "reference", name=op.f("uq_watchlist_entry_watchlist_id_reference")),
    )
    op.create_index(
        op.f("ix_watchlist_entry_watchlist_id_status"), "watchlist_entry", ["watchlist_id", "status"], unique=False
    )
    op.create_table(
        "watchlist_document",
        sa.Column("id", ID, nullable=False),
        sa.Column("entry_id", ID, nullable=False),
        sa.Column("kind", sa.String(length=3), nullable=False),
        sa.Column("number", sa.String(length=35), nullable=False),
        sa.Column("number_key", sa.String(length=35), nullable=False),
        sa.Column("country", sa.String(length=3), nullable=True),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["watchlist_entry.id"],
            name=op.f("fk_watchlist_document_entry_id_watchlist_entry"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_watchlist_document")),
    )
    op.create_index(op.f("ix_watchlist_document_entry_id"), "watchlist_document", ["entry_id"], unique=False)
    op.create_index(op.f("ix_watchlist_document_number_key"), "watchlist_document", ["number_key"], unique=False)
    op.create_table(
        "watchlist_entry_change",
        sa.Column("id", ID, nullable=False),
        sa.Column("entry_id", ID, nullable=False),
        sa.Column("watchlist_id", ID, nullable=False),
        sa.Column(
            "action", _enum(("added", "changed", "removed", "expired"), "watchlist_entry_action"), nullable=False
        ),
        sa.Column("before", JSON, nullable=True),
        sa.Column("after", JSON, nullable=True),
        sa.Column("changed_by", sa.String(length=100), nullable=True),
        sa.Column("changed_at", UTC_TIME, nullable=False),
        sa.Column("list_version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["entry_id"], ["watchlist_entry.id"], name=op.f("fk_watchlist_entry_change_entry_id_watchlist_entry")
        ),
        sa.ForeignKeyConstraint(
            ["watchlist_id"], ["watchlist.id"], name=op.f("fk_watchlist_entry_change_watchlist_id_watchlist")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_watchlist_entry_change")),
    )
    op.create_index(
        op.f("ix_watchlist_entry_change_entry_id"), "watchlist_entry_change", ["entry_id"], unique=False
    )
    op.create_index(
        op.f("ix_watchlist_entry_change_watchlist_id_list_version"),
        "watchlist_entry_change",
        ["watchlist_id", "list_version"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_watchlist_entry_change_watchlist_id_list_version"), table_name="watchlist_entry_change")
    op.drop_index(op.f("ix_watchlist_entry_change_entry_id"), table_name="watchlist_entry_change")
    op.drop_table("watchlist_entry_change")
    op.drop_index(op.f("ix_watchlist_document_number_key"), table_name="watchlist_document")
    op.drop_index(op.f("ix_watchlist_document_entry_id"), table_name="watchlist_document")
    op.drop_table("watchlist_document")
    op.drop_index(op.f("ix_watchlist_entry_watchlist_id_status"), table_name="watchlist_entry")
    op.drop_table("watchlist_entry")
    op.drop_table("watchlist")
