"""PNRs remember the digest of the text their current version was read from (``pnr.raw_digest``), so that a push
repeating a PNR's text unchanged is not read and loaded again. Existing PNRs start without one: their next push is
read in full, as before, and gives it to them.

Revision ID: 0016
Revises: 0015
Created: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("pnr", sa.Column("raw_digest", sa.String(64), nullable=True))


def downgrade() -> None:
    op.drop_column("pnr", "raw_digest")
