"""Alembic environment: migrates the connection gtas.db.upgrade hands over, else GTAS_DATABASE_URL."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from gtas.model import Base
from gtas.model.base import schema_filter


def run_migrations(connection: Connection) -> None:
    """Run the pending revisions on the connection (batch mode on SQLite, which cannot ALTER constraints)."""
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_object=schema_filter(connection.dialect.name),
    )
    with context.begin_transaction():
        context.run_migrations()


def main() -> None:
    """Entry point Alembic calls when it loads this file."""
    connection = context.config.attributes.get("connection")
    if connection is not None:
        run_migrations(connection)
        return
    from gtas import config, db

    engine = db.make_engine(config.database_url())
    try:
        with engine.begin() as own_connection:
            run_migrations(own_connection)
    finally:
        engine.dispose()


main()
