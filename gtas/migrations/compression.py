"""A migration step shared by several revisions: how PostgreSQL compresses a large column."""

from __future__ import annotations

from alembic import op

_SET_COMPRESSION = """
DO $$
BEGIN
    ALTER TABLE {table} ALTER COLUMN {column} SET COMPRESSION {method};
EXCEPTION WHEN feature_not_supported OR invalid_parameter_value THEN
    NULL;  -- a server built without LZ4 keeps its default compression
END $$
"""


def set_compression(table: str, column: str, method: str) -> None:
    """Compress a column's new values with ``lz4`` or ``pglz`` (PostgreSQL only; elsewhere nothing happens)."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_SET_COMPRESSION.format(table=table, column=column, method=method))
