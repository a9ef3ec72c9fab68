"""Rules and hits: rules with immutable versions, reference lists, hits, suppressions and traveller risk scores.

Revision ID: 0003
Revises: 0002
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

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

SEVERITIES = ("low", "medium", "high", "critical")


def _enum(values: tuple[str, ...], name: str) -> sa.Enum:
    """A VARCHAR column type with a CHECK constraint, as gtas.model.base.str_enum declares it."""
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=max(map(len, values)))


def upgrade() -> None:
    op.create_table(
        "reference_list",
        sa.Column("id", ID, nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("kind", _enum(("airport", "country", "text"), "reference_kind"), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("items", JSON, nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=True),
        sa.Column("updated_at", UTC_TIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reference_list")),
        sa.UniqueConstraint("name", name=op.f("uq_reference_list_name")),
    )
    op.create_table(
        "rule",
        sa.Column("id", ID, nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("category", sa.String(length=50), nullable=False),
        sa.Column("severity", _enum(SEVERITIES, "rule_severity"), nullable=False),
        sa.Column("weight", sa.Float(), nullable=False),
        sa.Column("handling", sa.Text(), nullable=False),
        sa.Column("valid_from", UTC_TIME, nullable=True),
        sa.Column("valid_until", UTC_TIME, nullable=True),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("author", sa.String(length=100), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.Column("updated_at", UTC_TIME, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rule")),
        sa.UniqueConstraint("key", name=op.f("uq_rule_key")),
    )
    op.create_table(
        "rule_version",
        sa.Column("id", ID, nullable=False),
        sa.Column("rule_id", ID, nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("conditions", JSON, nullable=False),
        sa.Column("details", JSON, nullable=False),
        sa.Column("author", sa.String(length=100), nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.ForeignKeyConstraint(["rule_id"], ["rule.id"], name=op.f("fk_rule_version_rule_id_rule"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rule_version")),
        sa.UniqueConstraint("rule_id", "number", name=op.f("uq_rule_version_rule_id_number")),
    )
    op.create_table(
        "hit",
        sa.Column("id", ID, nullable=False),
        sa.Column("traveller_id", ID, nullable=False),
        sa.Column("kind", _enum(("rule", "watchlist", "link"), "hit_kind"), nullable=False),
        sa.Column("cause_key", sa.String(length=200), nullable=False),
        sa.Column("rule_version_id", ID, nullable=True),
        sa.Column("watchlist_entry_id", ID, nullable=True),
        sa.Column("watchlist_version", sa.Integer(), nullable=True),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("severity", _enum(SEVERITIES, "hit_severity"), nullable=False),
        sa.Column("explanation", JSON, nullable=False),
        sa.Column("message_id", ID, nullable=True),
        sa.Column("status", _enum(("open", "withdrawn"), "hit_status"), nullable=False),
        sa.Column("withdrawn_reason", sa.Text(), nullable=True),
        sa.Column("withdrawn_at", UTC_TIME, nullable=True),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.Column("updated_at", UTC_TIME, nullable=False),
        sa.ForeignKeyConstraint(["message_id"], ["message.id"], name=op.f("fk_hit_message_id_message"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["rule_version_id"], ["rule_version.id"],
                                name=op.f("fk_hit_rule_version_id_rule_version")),
        sa.ForeignKeyConstraint(["traveller_id"], ["traveller.id"], name=op.f("fk_hit_traveller_id_traveller"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["watchlist_entry_id"], ["watchlist_entry.id"],
                                name=op.f("fk_hit_watchlist_entry_id_watchlist_entry")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hit")),
        sa.UniqueConstraint("traveller_id", "cause_key", name=op.f("uq_hit_traveller_id_cause_key")),
    )
    op.create_index(op.f("ix_hit_rule_version_id"), "hit", ["rule_version_id"], unique=False)
    op.create_index(op.f("ix_hit_status_created_at"), "hit", ["status", "created_at"], unique=False)
    op.create_index(op.f("ix_hit_watchlist_entry_id"), "hit", ["watchlist_entry_id"], unique=False)
    op.create_table(
        "hit_suppression",
        sa.Column("id", ID, nullable=False),
        sa.Column("person_id", ID, nullable=False),
        sa.Column("cause_key", sa.String(length=200), nullable=False),
        sa.Column("until", UTC_TIME, nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], name=op.f("fk_hit_suppression_person_id_person"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hit_suppression")),
    )
    op.create_index(op.f("ix_hit_suppression_person_id_cause_key"), "hit_suppression", ["person_id", "cause_key"],
                    unique=False)
    op.create_table(
        "traveller_risk",
        sa.Column("traveller_id", ID, nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("band", _enum(("none", "low", "medium", "high"), "risk_band"), nullable=False),
        sa.Column("assessed_at", UTC_TIME, nullable=False),
        sa.ForeignKeyConstraint(["traveller_id"], ["traveller.id"],
                                name=op.f("fk_traveller_risk_traveller_id_traveller"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("traveller_id", name=op.f("pk_traveller_risk")),
    )


def downgrade() -> None:
    op.drop_table("traveller_risk")
    op.drop_index(op.f("ix_hit_suppression_person_id_cause_key"), table_name="hit_suppression")
    op.drop_table("hit_suppression")
    op.drop_index(op.f("ix_hit_watchlist_entry_id"), table_name="hit")
    op.drop_index(op.f("ix_hit_status_created_at"), table_name="hit")
    op.drop_index(op.f("ix_hit_rule_version_id"), table_name="hit")
    op.drop_table("hit")
    op.drop_table("rule_version")
    op.drop_table("rule")
    op.drop_table("reference_list")
