"""Rule administration (reserved slot: filled by the work on it, removed if unused).

Revision ID: 0010
Revises: 0009
Created: 2026-11-24
"""

from __future__ import annotations

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
