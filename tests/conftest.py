"""Shared fixtures: the real-world corpus beside the project (../shared/corpus, or $GTAS_CORPUS), and databases."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

ROOT = Path(__file__).resolve().parent.parent


def pytest_sessionstart(session: pytest.Session) -> None:
    """Refuse to test compiled parsers that are older than their sources (they would shadow the edits)."""
    stale = [
        str(so.relative_to(ROOT))
        for so in (ROOT / "gtas").rglob("*.so")
        if (source := so.with_name(so.name.split(".")[0] + ".py")).exists()
        and source.stat().st_mtime > so.stat().st_mtime
    ]
    if stale:
        raise pytest.UsageError(f"compiled modules older than their sources: {', '.join(stale)}; "
                                "rebuild with `python3 dev.py test` (or `pip install -e .`)")


def corpus_dir() -> Path | None:
    """The corpus folder, or None when this machine does not have it."""
    path = Path(os.environ.get("GTAS_CORPUS", ROOT.parent / "shared" / "corpus"))
    return path if path.is_dir() else None


@pytest.fixture(scope="session")
def corpus() -> Path:
    """Path of the corpus; the test is skipped cleanly when it is absent."""
    path = corpus_dir()
    if path is None:
        pytest.skip("corpus not found (set GTAS_CORPUS)")
    return path


def corpus_files(*folders: str) -> list[str]:
    """Relative names of the corpus messages in the given folders, for parametrize (empty without corpus)."""
    path = corpus_dir()
    if path is None:
        return []
    return sorted(
        f"{folder}/{p.name}" for folder in folders for p in (path / folder).iterdir()
        if p.is_file() and not p.name.endswith(".expected.xml")
    )


# --- Databases: every model test runs on SQLite and, when GTAS_TEST_DATABASE_URL is set, on PostgreSQL. ---

def postgresql_admin_url() -> str:
    """The PostgreSQL server for tests (GTAS_TEST_DATABASE_URL); the test is skipped cleanly when unset."""
    url = os.environ.get("GTAS_TEST_DATABASE_URL")
    if not url:
        pytest.skip("PostgreSQL tests need GTAS_TEST_DATABASE_URL, e.g. postgresql://postgres@127.0.0.1:5432/test")
    return url


@contextmanager
def _postgresql_schema(label: str) -> Iterator[str]:
    """A fresh schema of our own on the test server (one per xdist worker and purpose), dropped afterwards."""
    from sqlalchemy import text

    from gtas.db import make_engine, normalise_url

    admin_url = postgresql_admin_url()
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    schema = f"gtas_test_{worker}_{os.getpid()}_{label}"
    admin = make_engine(admin_url, poolclass=NullPool)
    try:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        yield normalise_url(admin_url).update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
            hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An empty database per backend for this test session: a temporary SQLite file, or a PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'gtas.db'}"
    else:
        with _postgresql_schema("session") as url:
            yield url


@pytest.fixture
def empty_database_url(request: pytest.FixtureRequest, database_url: str, tmp_path: Path) -> Iterator[str]:
    """A further empty database on the same backend as ``database_url``, for tests that build their own schema."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'empty.db'}"
    else:
        with _postgresql_schema(f"t{abs(hash(request.node.nodeid)) % 10**8}") as url:
            yield url


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    """The engine of the session's database, its schema built by the Alembic migrations (which tests them too)."""
    from gtas.db import make_engine, upgrade

    engine = make_engine(database_url)
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def connection(engine: Engine) -> Iterator[Connection]:
    """A connection inside an outer transaction that is rolled back after the test (commits included)."""
    with engine.connect() as connection:
        outer = connection.begin()
        yield connection
        outer.rollback()


@pytest.fixture
def session(connection: Connection) -> Iterator[Session]:
    """An ORM session joined to the test's outer transaction: its commits become savepoints (STYLE.md §14)."""
    with Session(bind=connection, join_transaction_mode="create_savepoint") as session:
        yield session


@pytest.fixture
def database(empty_database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A migrated empty database that ``gtas`` commands run in this test use (GTAS_HOME and GTAS_DATABASE_URL set)."""
    from gtas import db

    monkeypatch.setenv("GTAS_HOME", str(tmp_path / "instance"))
    monkeypatch.setenv("GTAS_DATABASE_URL", empty_database_url)
    engine = db.make_engine(empty_database_url)
    db.upgrade(engine)
    engine.dispose()
    return empty_database_url


@pytest.fixture
def cli_session(database: str) -> Iterator[Session]:
    """A session of its own on the database ``gtas`` commands use, to check what they did (roll back first to see
    what they committed since)."""
    from gtas import db

    engine = db.make_engine(database)
    try:
        with db.make_sessionmaker(engine)() as session:
            yield session
    finally:
        engine.dispose()
