"""Loading speed, continued.

PNRs remember the digest of the text their current version was read from (``pnr.raw_digest``), so that a push
repeating a PNR's text unchanged is not read and loaded again. Existing PNRs start without one: their next push is
read in full, as before, and gives it to them.

On PostgreSQL the raw bytes of messages (tens to hundreds of kilobytes each, stored once, read whole) are compressed
with LZ4, several times faster than the default (pglz). A server built without LZ4 keeps its default.

Itinerary legs and history entries lose their index on the PNR alone: their unique index on (PNR, position) finds a
PNR's rows as well, and every loaded row paid for both.

Revision ID: 0016
Revises: 0015
Created: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from gtas.migrations.compression import set_compression

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

ORDERED_VIEWS = ("itinerary_leg", "history_entry")


def upgrade() -> None:
    op.add_column("pnr", sa.Column("raw_digest", sa.String(64), nullable=True))
    for table in ORDERED_VIEWS:
        op.drop_index(f"ix_{table}_pnr_id", table_name=table)
    set_compression("message", "raw", "lz4")


def downgrade() -> None:
    set_compression("message", "raw", "pglz")
    for table in ORDERED_VIEWS:
        op.create_index(f"ix_{table}_pnr_id", table, ["pnr_id"])
    op.drop_column("pnr", "raw_digest")
