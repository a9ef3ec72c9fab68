"""Loading speed: PNR versions kept as JSON text, compressed with LZ4 on PostgreSQL.

A version's snapshot (several kilobytes per booking) is written once, read whole and never searched inside, so
PostgreSQL need not convert it to JSONB; LZ4 compresses it several times faster than the default (pglz). A server
built without LZ4 keeps the default compression. SQLite stores JSON as text already: nothing changes there.

Revision ID: 0013
Revises: 0012
Created: 2026-11-24
"""

from __future__ import annotations

from alembic import op

from gtas.migrations.compression import set_compression

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE pnr_version ALTER COLUMN snapshot TYPE JSON USING snapshot::json")
    set_compression("pnr_version", "snapshot", "lz4")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE pnr_version ALTER COLUMN snapshot TYPE JSONB USING snapshot::jsonb")
    set_compression("pnr_version", "snapshot", "pglz")
