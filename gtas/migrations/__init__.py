"""Alembic migrations of the GTAS schema; run them with ``gtas init`` (or gtas.db.upgrade)."""
