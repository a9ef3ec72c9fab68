"""Database engines, sessions and schema migrations for SQLite (embedded) and PostgreSQL (production)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import (
    URL,
    ColumnElement,
    Engine,
    String,
    Table,
    bindparam,
    create_engine,
    event,
    func,
    make_url,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 30_000


def normalise_url(url: str | URL) -> URL:
    """The URL to connect with: ``postgresql://`` and ``postgres://`` use psycopg 3."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def make_sqlite_folder(url: URL) -> None:
    """Create the folder of a SQLite database file (nothing for an in-memory database or another backend)."""
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)


def make_engine(url: str | URL, *, sqlite_immediate: bool = False, **options: Any) -> Engine:
    """An engine for the URL; SQLite gets WAL, foreign keys, a busy timeout and working SAVEPOINTs.

    ``sqlite_immediate`` starts every SQLite transaction with ``BEGIN IMMEDIATE`` (take the write lock at once), which
    concurrent writers need: a deferred transaction that later writes fails at once when another one committed first.
    """
    parsed = normalise_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(parsed, **options)
        _configure_sqlite(engine, "BEGIN IMMEDIATE" if sqlite_immediate else "BEGIN")
        return engine
    options.setdefault("pool_pre_ping", True)
    return create_engine(_in_utc(parsed), **options)


def _in_utc(url: URL) -> URL:
    """PostgreSQL sessions in UTC, whatever the server's or database's TimeZone (the URL's own choice stands): times
    come back and are truncated to hours in UTC, and 9999-12-31T23:59Z stays in a year Python can hold."""
    given = url.query.get("options", "")
    if not isinstance(given, str) or "timezone" in given.lower():
        return url
    return url.update_query_dict({"options": f"{given} -c TimeZone=UTC".strip()})


def _configure_sqlite(engine: Engine, begin: str) -> None:
    """Take transaction control away from pysqlite so that SAVEPOINT and transactional DDL work (STYLE.md §11)."""

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA synchronous=NORMAL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection: Any) -> None:
        connection.exec_driver_sql(begin)


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    """The session factory of an engine; objects stay readable after commit."""
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def one_connection(sessions: sessionmaker[Session]) -> Iterator[sessionmaker[Session]]:
    """Sessions like these that all run on one connection, taken from the pool (and pinged) once.

    For a unit of work of several short transactions, such as storing a delivery and then processing it: each
    checkout costs PostgreSQL three round trips for its ping. Each transaction still commits on its own.
    """
    engine = sessions.kw["bind"]
    assert isinstance(engine, Engine)
    with engine.connect() as connection:
        yield sessionmaker(connection, **{name: value for name, value in sessions.kw.items() if name != "bind"})


def dialect_insert(dialect_name: str, table: Table) -> sqlite.Insert | postgresql.Insert:
    """An INSERT with ``on_conflict_do_nothing`` / ``on_conflict_do_update`` for the backend in use."""
    if dialect_name == "postgresql":
        return postgresql.insert(table)
    if dialect_name == "sqlite":
        return sqlite.insert(table)
    raise ValueError(f"unsupported database backend {dialect_name}")


def alembic_config() -> Config:
    """Alembic's configuration, built in code: no alembic.ini needed, so an installed ``gtas`` finds its migrations."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str:
    """The newest schema revision this code knows."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:
        raise RuntimeError("no migration found in gtas/migrations/versions")
    return head


def current_revision(engine: Engine) -> str | None:
    """The schema revision of the database, or None when it has no GTAS schema yet."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Migrate the database to the revision (default: the newest), in one transaction where the backend allows."""
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def advisory_key(name: str | ColumnElement[str]) -> ColumnElement[int]:
    """The PostgreSQL advisory-lock key of a named lock.

    Scoped by schema: databases that share a server and a database but not a schema do not block each other.
    """
    key: ColumnElement[int] = func.hashtextextended(func.current_schema() + ":" + name, 0)
    return key


_ADVISORY_LOCK = select(func.pg_advisory_xact_lock(advisory_key(bindparam("name", type_=String))))  # built once


def advisory_lock(session: Session, name: str) -> None:
    """Hold a named lock until the transaction ends (PostgreSQL; SQLite's write lock already serialises writers)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    session.execute(_ADVISORY_LOCK, {"name": name})
