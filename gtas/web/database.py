"""One engine and session factory per application, one session per request (closed on teardown)."""

from __future__ import annotations

from typing import Any, TypeVar

from flask import Flask, abort, current_app, g
from sqlalchemy.orm import Session, sessionmaker

from gtas.db import make_engine, make_sessionmaker
from gtas.model.base import Base

M = TypeVar("M", bound=Base)


def init_app(app: Flask) -> None:
    """Open the engine of DATABASE_URL (connections are made on first use) and close sessions after requests."""
    # On SQLite a view that reads and then writes (an audit event) takes the write lock first: it waits for a
    # background job holding it (busy timeout) instead of failing half-way.
    engine = make_engine(app.config["DATABASE_URL"], sqlite_immediate=True)
    app.extensions["gtas.engine"] = engine
    app.extensions["gtas.sessionmaker"] = make_sessionmaker(engine)
    app.teardown_appcontext(close_session)


def sessions() -> sessionmaker[Session]:
    """The application's session factory."""
    factory: sessionmaker[Session] = current_app.extensions["gtas.sessionmaker"]
    return factory


def get_session() -> Session:
    """The session of the current request, opened on first use."""
    if "db_session" not in g:
        g.db_session = sessions()()
    session: Session = g.db_session
    return session


def row_or_404(model: type[M], key: Any) -> M:
    """The row of ``model`` with this primary key, read in the request's session.

    :raise 404: no such row.
    """
    row = get_session().get(model, key)
    if row is None:
        abort(404)
    return row


def close_session(_exc: BaseException | None = None) -> None:
    """Close the request's session, if one was opened."""
    if (session := g.pop("db_session", None)) is not None:
        session.close()
