"""Fixtures for queue tests: the real RabbitMQ (GTAS_TEST_AMQP_URL; skipped cleanly without it), own queues."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session, sessionmaker

from gtas import db
from gtas.ingest.queue import dead_letter_queue, open_channel


@pytest.fixture
def amqp_url() -> str:
    url = os.environ.get("GTAS_TEST_AMQP_URL")
    if not url:
        pytest.skip("queue tests need GTAS_TEST_AMQP_URL, e.g. amqp://guest:guest@127.0.0.1:5672/%2F")
    return url


@pytest.fixture
def queue(amqp_url: str) -> Iterator[str]:
    """A queue of this test's own (and its dead-letter queue), deleted afterwards."""
    name = f"gtas.test.{uuid.uuid4().hex[:12]}"
    yield name
    connection, channel = open_channel(amqp_url, name)
    for queue_name in (name, dead_letter_queue(name)):
        channel.queue_delete(queue_name)
    connection.close()


@pytest.fixture
def live_sessions(empty_database_url: str) -> Iterator[sessionmaker[Session]]:
    """Sessions on an empty, migrated database of the test's own (consumers commit for real)."""
    engine = db.make_engine(empty_database_url, sqlite_immediate=True)
    db.upgrade(engine)
    yield db.make_sessionmaker(engine)
    engine.dispose()
