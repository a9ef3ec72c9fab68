"""The web application on the test database: every request's commits are rolled back after the test."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Connection, select
from sqlalchemy.orm import Session, sessionmaker

from gtas.demo import stage
from gtas.generator import generate_traffic
from gtas.ingest.tokens import create_token
from gtas.model import Flight
from gtas.web import create_app
from tests.web.auth_helpers import install_clock

CARD_KEY = b"test-card-key"
MAX_BYTES = 16 * 1024 * 1024
NOW = datetime(2030, 1, 1, tzinfo=UTC)  # the clock of tests on generated traffic


@pytest.fixture
def app(database_url: str, connection: Connection) -> Iterator[Flask]:
    """The application, its sessions joined to the test's outer transaction."""
    app = create_app({"TESTING": True, "DATABASE_URL": database_url, "CARD_KEY": CARD_KEY, "HOME_COUNTRY": "USA",
                      "MAX_CONTENT_LENGTH": MAX_BYTES, "RATE_LIMIT_PER_MINUTE": 600, "SECRET_KEY": "test"})
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


@pytest.fixture(autouse=True)
def cheap_password_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2id at its cheapest cost, so that signing in takes no time (the real cost: tests/test_user_cli.py)."""
    from argon2 import PasswordHasher, profiles

    from gtas.web.auth import passwords

    monkeypatch.setattr(passwords, "HASHER", PasswordHasher.from_parameters(profiles.CHEAPEST))


@pytest.fixture
def traffic(app: Flask, sessions: sessionmaker[Session]) -> list[Flight]:
    """Two inbound and two outbound flights of 30 passengers on 1 January 2030, loaded through the real intake and
    assessed with the demo's watchlist and rules; the clock stands at midnight before them."""
    flights = generate_traffic(4, 2, datetime(2030, 1, 1), passengers=30, pnrs=12, outbound_share=0.3).flights
    summary = stage(sessions, flights, 2, card_key=CARD_KEY, home_country="USA")
    assert summary.intake.failed == 0 and summary.open_hits > 0
    install_clock(app).now = NOW
    with sessions() as session:
        return list(session.scalars(select(Flight).order_by(Flight.arrival_utc)))
