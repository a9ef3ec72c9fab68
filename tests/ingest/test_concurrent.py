"""Several workers loading copies of the same messages at once: no duplicate flights, travellers or persons."""

from __future__ import annotations

import dataclasses
import random
import threading
import time
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy import text as sql
from sqlalchemy.orm import Session, sessionmaker

from gtas import db
from gtas.generator import flight_with, paxlst_writer, pnrgov_writer
from gtas.generator.traffic import GeneratedFlight
from gtas.ingest import process, receive
from gtas.model import Contact, ContactKind, Message, Pnr, PnrVersion
from gtas.parsers.records import Email
from tests.ingest.helpers import CARD_KEY, deliver, dump

WORKERS = 4


def _texts() -> list[str]:
    texts = []
    for seed in (31, 32):
        flight = flight_with(passengers=24, pnrs=10, seed=seed, start=datetime(2026, 7, 1))
        texts += [t for m in flight.api for t in paxlst_writer.write(m, max_travellers_per_part=10)]
        texts.append(pnrgov_writer.write(flight.pnr))
    return texts


def _load(sessions: sessionmaker[Session], data: str) -> int:
    with sessions.begin() as session:
        message_id = receive(session, data.encode(), channel="cli").id
    with sessions.begin() as session:
        process(session, session.get_one(Message, message_id), CARD_KEY, home_country="USA")
    return message_id


def test_workers_at_once_build_the_same_database(session: Session, empty_database_url: str) -> None:
    texts = _texts()
    for text in texts:
        deliver(session, text)
    expected = dump(session)
    engine = db.make_engine(empty_database_url, sqlite_immediate=True)
    db.upgrade(engine)
    sessions = db.make_sessionmaker(engine)
    errors: list[BaseException] = []

    def work(seed: int) -> None:
        order = texts[:]
        random.Random(seed).shuffle(order)
        try:
            for text in order:
                _load(sessions, text)
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with sessions() as check:
        assert dump(check) == expected
        statuses = sorted(str(m.status) for m in check.query(Message).all())
    assert statuses.count("duplicate") == len(texts) * (WORKERS - 1)
    assert "failed_load" not in statuses
    engine.dispose()


def test_an_older_push_committed_last_does_not_become_current(live_sessions: sessionmaker[Session]) -> None:
    """Pushes for two flights carry the same PNR, changed differently. The newer push's load makes its version
    current; the older push's load compares before that is committed, so it too finds itself newest. Waiting for the
    PNR's row, it must see the newer version there and keep its own only as history."""
    if live_sessions.kw["bind"].dialect.name != "postgresql":
        pytest.skip("SQLite has no row locks: its writers take turns (BEGIN IMMEDIATE), one sees the other whole")
    first, second = (flight_with(passengers=6, pnrs=3, seed=seed, start=datetime(2026, 7, 1)) for seed in (41, 42))
    booking = first.pnr.pnrs[0]
    modified = booking.last_modified or datetime(2026, 6, 1)

    def push(flight: GeneratedFlight, email: str, hours: int) -> str:
        changed = dataclasses.replace(booking, emails=[Email(email)], last_modified=modified + timedelta(hours=hours))
        at = (flight.pnr.prepared or modified) + timedelta(hours=hours)
        return pnrgov_writer.write(dataclasses.replace(flight.pnr, pnrs=[changed], interchange_reference=str(hours),
                                                       prepared=at))

    _load(live_sessions, pnrgov_writer.write(first.pnr))
    with live_sessions.begin() as session:
        newer = receive(session, push(second, "newer@example.org", 2).encode(), channel="cli").id
    older: list[int] = []
    with live_sessions.begin() as holder:  # the newer push's load, not committed yet
        process(holder, holder.get_one(Message, newer), CARD_KEY, home_country="USA")
        blocker = holder.scalar(sql("SELECT pg_backend_pid()"))
        loader = threading.Thread(target=lambda: older.append(
            _load(live_sessions, push(first, "older@example.org", 1))))
        loader.start()
        with live_sessions() as probe:
            deadline = time.monotonic() + 30
            while not probe.scalar(sql("SELECT count(*) FROM pg_stat_activity "
                                        "WHERE :blocker = ANY(pg_blocking_pids(pid))"), {"blocker": blocker}):
                assert time.monotonic() < deadline and loader.is_alive(), "the older load never waited for the PNR"
                probe.rollback()
                time.sleep(0.05)
    loader.join(30)

    with live_sessions() as session:
        pnr = session.scalars(select(Pnr).where(Pnr.record_locator == booking.record_locator)).one()
        emails = session.scalars(select(Contact.value).where(Contact.pnr_id == pnr.id,
                                                             Contact.kind == ContactKind.EMAIL)).all()
        versions = session.scalars(select(PnrVersion.message_id).where(PnrVersion.pnr_id == pnr.id)).all()
        statuses = {m.id: m.status for m in session.scalars(select(Message))}
    assert pnr.current_message_id == newer and pnr.last_modified == modified + timedelta(hours=2)
    assert emails == ["newer@example.org"]
    assert set(versions) >= {newer, *older} and len(versions) == 3
    assert {str(status) for status in statuses.values()} == {"loaded"}
