"""Engines, sessions and migrations on both backends."""

from __future__ import annotations

import os
from datetime import UTC, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, event, inspect, select, text
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from gtas import db
from gtas.model import Base, Country
from gtas.model.base import schema_filter
from tests.conftest import postgresql_admin_url


def test_migrations_have_a_single_head() -> None:
    heads = ScriptDirectory.from_config(db.alembic_config()).get_heads()
    assert heads == [db.head_revision()]


def test_migrated_schema_matches_the_models(engine: Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={
            "compare_type": True, "include_object": schema_filter(connection.dialect.name)})
        assert compare_metadata(context, Base.metadata) == []


def test_upgrade_is_repeatable_and_downgrade_removes_everything(empty_database_url: str) -> None:
    engine = db.make_engine(empty_database_url)
    try:
        assert db.current_revision(engine) is None
        db.upgrade(engine)
        db.upgrade(engine)
        assert db.current_revision(engine) == db.head_revision()
        assert set(inspect(engine).get_table_names()) == {*Base.metadata.tables, "alembic_version"}
        config = db.alembic_config()
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            from alembic import command

            command.downgrade(config, "base")
        assert set(inspect(engine).get_table_names()) == {"alembic_version"}
    finally:
        engine.dispose()


def test_postgresql_urls_use_psycopg_3() -> None:
    assert db.normalise_url("postgresql://u@h/d").drivername == "postgresql+psycopg"
    assert db.normalise_url("postgres://u@h/d").drivername == "postgresql+psycopg"
    assert db.normalise_url("sqlite:///x.db").drivername == "sqlite"


def test_postgresql_sessions_are_in_utc_whatever_the_database_says() -> None:
    """A database whose TimeZone is east of UTC would give times back in its zone, and 9999-12-31T23:59Z in year
    10000, which Python cannot hold; options already in the URL (the tests' search_path) are kept."""
    admin_url = db.normalise_url(postgresql_admin_url())
    name = f"gtas_test_tz_{os.getpid()}"
    admin = db.make_engine(admin_url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {name}"))
        connection.execute(text(f"CREATE DATABASE {name}"))
        connection.execute(text(f"ALTER DATABASE {name} SET TimeZone = 'Asia/Kolkata'"))
    try:
        for url in (admin_url.set(database=name, query={}),
                    admin_url.set(database=name, query={"options": "-csearch_path=pg_catalog"})):
            engine = db.make_engine(url, poolclass=NullPool)
            with engine.connect() as connection:
                assert connection.execute(text("SHOW TimeZone")).scalar_one() == "UTC"
                assert connection.execute(text("SELECT TIMESTAMPTZ '9999-12-31 23:59:59+00'")).scalar_one() == (
                    datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC))
                if "options" in url.query:
                    assert connection.execute(text("SHOW search_path")).scalar_one() == "pg_catalog"
            engine.dispose()
    finally:
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()


def test_sqlite_connections_are_configured(tmp_path: object) -> None:
    engine = db.make_engine(f"sqlite:///{tmp_path}/pragmas.db")
    try:
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == db.SQLITE_BUSY_TIMEOUT_MS
    finally:
        engine.dispose()


def test_a_rolled_back_savepoint_keeps_the_outer_transaction(session: Session) -> None:
    session.add(Country(alpha3="ZZA", alpha2=None, name="Outer"))
    session.flush()
    savepoint = session.begin_nested()
    session.add(Country(alpha3="ZZB", alpha2=None, name="Inner"))
    session.flush()
    savepoint.rollback()
    codes = session.scalars(select(Country.alpha3).where(Country.alpha3.in_(["ZZA", "ZZB"]))).all()
    assert codes == ["ZZA"]


def test_committed_rows_do_not_leak_between_tests(session: Session) -> None:
    session.add(Country(alpha3="ZZC", alpha2=None, name="Committed"))
    session.commit()
    assert session.scalar(select(Country.name).where(Country.alpha3 == "ZZC")) == "Committed"


def test_the_commit_of_the_previous_test_was_rolled_back(session: Session) -> None:
    assert session.scalar(select(Country.name).where(Country.alpha3 == "ZZC")) is None
    assert session.connection().execute(text("SELECT 1")).scalar() == 1


def test_one_connection_commits_each_transaction_and_checks_out_once(engine: Engine) -> None:
    checkouts = []

    def checked_out(*_: object) -> None:
        checkouts.append(1)

    event.listen(engine, "checkout", checked_out)
    try:
        with db.one_connection(db.make_sessionmaker(engine)) as sessions:
            with sessions.begin() as session:
                session.add(Country(alpha3="ZZA", name="First"))
            with pytest.raises(RuntimeError), sessions.begin() as session:
                session.add(Country(alpha3="ZZB", name="Rolled back"))
                raise RuntimeError("the second transaction fails")
            with sessions.begin() as session:
                assert session.get(Country, "ZZA") is not None  # committed, and still readable here
                assert session.get(Country, "ZZB") is None
        with db.make_sessionmaker(engine).begin() as session:  # another connection sees the commit
            assert session.get(Country, "ZZA") is not None
            session.delete(session.get_one(Country, "ZZA"))
    finally:
        event.remove(engine, "checkout", checked_out)
    assert len(checkouts) == 2
