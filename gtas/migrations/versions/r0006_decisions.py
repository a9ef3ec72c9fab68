"""Decisions: dispositions of hits, who works on each hit, and the outcomes of inspections.

Revision ID: 0006
Revises: 0005
Created: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from gtas.model.base import UtcDateTime

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
UTC_TIME = UtcDateTime(timezone=True)

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

DISPOSITIONS = ("confirmed", "false_match", "cleared", "refer_secondary", "deny_boarding_recommended", "no_action")
OUTCOMES = ("seizure", "arrest", "refused_entry", "nothing_found", "not_inspected", "no_show")
SEIZURES = ("narcotics", "currency", "weapons", "documents", "other")


def _enum(values: tuple[str, ...], name: str) -> sa.Enum:
    """A VARCHAR column type with a CHECK constraint, as gtas.model.base.str_enum declares it."""
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=max(map(len, values)))


def upgrade() -> None:
    op.create_table(
        "disposition",
        sa.Column("id", ID, nullable=False),
        sa.Column("hit_id", ID, nullable=False),
        sa.Column("kind", _enum(DISPOSITIONS, "disposition_kind"), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("user_id", ID, nullable=False),
        sa.Column("decided_at", UTC_TIME, nullable=False),
        sa.Column("suppression_id", ID, nullable=True),
        sa.ForeignKeyConstraint(["hit_id"], ["hit.id"], name=op.f("fk_disposition_hit_id_hit"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["suppression_id"], ["hit_suppression.id"],
                                name=op.f("fk_disposition_suppression_id_hit_suppression"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"], name=op.f("fk_disposition_user_id_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_disposition")),
    )
    op.create_index(op.f("ix_disposition_hit_id_decided_at"), "disposition", ["hit_id", "decided_at"])
    op.create_index(op.f("ix_disposition_user_id"), "disposition", ["user_id"])
    op.create_table(
        "hit_work",
        sa.Column("hit_id", ID, nullable=False),
        sa.Column("claimed_by", ID, nullable=True),
        sa.Column("claimed_at", UTC_TIME, nullable=True),
        sa.Column("assigned_to", ID, nullable=True),
        sa.Column("assigned_by", ID, nullable=True),
        sa.Column("assigned_at", UTC_TIME, nullable=True),
        sa.ForeignKeyConstraint(["assigned_by"], ["app_user.id"], name=op.f("fk_hit_work_assigned_by_app_user")),
        sa.ForeignKeyConstraint(["assigned_to"], ["app_user.id"], name=op.f("fk_hit_work_assigned_to_app_user")),
        sa.ForeignKeyConstraint(["claimed_by"], ["app_user.id"], name=op.f("fk_hit_work_claimed_by_app_user")),
        sa.ForeignKeyConstraint(["hit_id"], ["hit.id"], name=op.f("fk_hit_work_hit_id_hit"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("hit_id", name=op.f("pk_hit_work")),
    )
    op.create_index(op.f("ix_hit_work_assigned_to"), "hit_work", ["assigned_to"])
    op.create_index(op.f("ix_hit_work_claimed_by"), "hit_work", ["claimed_by"])
    op.create_table(
        "outcome",
        sa.Column("id", ID, nullable=False),
        sa.Column("traveller_id", ID, nullable=False),
        sa.Column("kind", _enum(OUTCOMES, "outcome_kind"), nullable=False),
        sa.Column("seizure", _enum(SEIZURES, "seizure_kind"), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("user_id", ID, nullable=False),
        sa.Column("recorded_at", UTC_TIME, nullable=False),
        sa.ForeignKeyConstraint(["traveller_id"], ["traveller.id"], name=op.f("fk_outcome_traveller_id_traveller"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"], name=op.f("fk_outcome_user_id_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outcome")),
    )
    op.create_index(op.f("ix_outcome_traveller_id_recorded_at"), "outcome", ["traveller_id", "recorded_at"])
    op.create_index(op.f("ix_outcome_user_id"), "outcome", ["user_id"])


def downgrade() -> None:
    op.drop_table("outcome")
    op.drop_table("hit_work")
    op.drop_table("disposition")
