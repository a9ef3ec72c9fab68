"""The web application on the test database: every request's commits are rolled back after the test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Connection
from sqlalchemy.orm import Session, sessionmaker

from gtas.ingest.tokens import create_token
from gtas.web import create_app

CARD_KEY = b"test-card-key"
MAX_BYTES = 16 * 1024 * 1024


@pytest.fixture
def app(database_url: str, connection: Connection) -> Iterator[Flask]:
    """The application, its sessions joined to the test's outer transaction."""
    app = create_app({"TESTING": True, "DATABASE_URL": database_url, "CARD_KEY": CARD_KEY, "HOME_COUNTRY": "USA",
                      "MAX_CONTENT_LENGTH": MAX_BYTES, "RATE_LIMIT_PER_MINUTE": 600})
    app.extensions["gtas.sessionmaker"] = sessionmaker(bind=connection, join_transaction_mode="create_savepoint",
                                                       expire_on_commit=False)
    yield app
    app.extensions["gtas.engine"].dispose()


@pytest.fixture
def sessions(app: Flask) -> sessionmaker[Session]:
    """The application's session factory, for arranging and checking the database."""
    factory: sessionmaker[Session] = app.extensions["gtas.sessionmaker"]
    return factory


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def issue(sessions: sessionmaker[Session], party: str, carriers: list[str]) -> str:
    """A new token for the party."""
    with sessions.begin() as session:
        return create_token(session, party, carriers)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
