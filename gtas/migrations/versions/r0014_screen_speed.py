"""Screening speed (reserved slot: filled by the work on it, removed if unused).

Revision ID: 0014
Revises: 0013
Created: 2026-11-24
"""

from __future__ import annotations

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
