"""Watchlist categories become managed category keys: the fixed list of ``watchlist.category`` and
``watchlist_entry.category`` (a CHECK constraint) gives way to any key of ``hit_category``, which migration 0011 seeded
with every value the constraint allowed, so stored values stay as they are.

SQLite cannot drop a constraint, and rebuilding the tables would cascade through their foreign keys: the stored table
definition is edited in place instead, the procedure SQLite documents for removing a CHECK constraint.

Revision ID: 0015
Revises: 0013
Created: 2026-11-24
"""

from __future__ import annotations

import re
from collections.abc import Callable

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0013"
branch_labels = None
depends_on = None

TABLES = ("watchlist", "watchlist_entry")
CATEGORIES = ("terrorism", "narcotics", "immigration", "wanted", "sanctions", "human_trafficking", "smuggling",
              "fraud", "lost_stolen_document", "other")
OLD_LENGTH = max(map(len, CATEGORIES))
NEW_LENGTH = 50


def _constraint(table: str) -> str:
    return f"ck_{table}_watchlist_category"


def _check(table: str) -> str:
    allowed = ", ".join(f"'{category}'" for category in CATEGORIES)
    return f"CONSTRAINT {_constraint(table)} CHECK (category IN ({allowed}))"


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _rewrite_sqlite(lambda table, sql: re.sub(
            rf",\s*{re.escape(_check(table))}", "",
            sql.replace(f"category VARCHAR({OLD_LENGTH})", f"category VARCHAR({NEW_LENGTH})", 1)))
        return
    for table in TABLES:
        op.drop_constraint(op.f(_constraint(table)), table, type_="check")
        op.alter_column(table, "category", type_=sa.String(NEW_LENGTH), existing_type=sa.String(OLD_LENGTH))


def downgrade() -> None:
    """Back to the fixed list: a category outside it becomes ``other`` (entries: their list's category)."""
    allowed = ", ".join(f"'{category}'" for category in CATEGORIES)
    op.execute(f"UPDATE watchlist SET category = 'other' WHERE category NOT IN ({allowed})")
    op.execute(f"UPDATE watchlist_entry SET category = NULL WHERE category NOT IN ({allowed})")
    if op.get_bind().dialect.name == "sqlite":
        _rewrite_sqlite(lambda table, sql: re.sub(
            r"\n\)\s*$", f", \n\t{_check(table)}\n)",
            sql.replace(f"category VARCHAR({NEW_LENGTH})", f"category VARCHAR({OLD_LENGTH})", 1)))
        return
    for table in TABLES:
        op.alter_column(table, "category", type_=sa.String(OLD_LENGTH), existing_type=sa.String(NEW_LENGTH))
        op.create_check_constraint(op.f(_constraint(table)), table, f"category IN ({allowed})")


def _rewrite_sqlite(edit: Callable[[str, str], str]) -> None:
    """Apply ``edit(table, sql)`` to the stored definition of each table (SQLite's writable schema)."""
    connection = op.get_bind()
    version = connection.exec_driver_sql("PRAGMA schema_version").scalar_one()
    connection.exec_driver_sql("PRAGMA writable_schema=ON")
    for table in TABLES:
        sql = connection.execute(sa.text("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = :name"),
                                 {"name": table}).scalar_one()
        connection.execute(sa.text("UPDATE sqlite_master SET sql = :sql WHERE type = 'table' AND name = :name"),
                           {"sql": edit(table, sql), "name": table})
    connection.exec_driver_sql(f"PRAGMA schema_version={int(version) + 1}")
    connection.exec_driver_sql("PRAGMA writable_schema=OFF")
    problems = connection.exec_driver_sql("PRAGMA integrity_check").scalars().all()
    if problems != ["ok"]:
        raise RuntimeError(f"the edited schema is not sound: {problems}")
