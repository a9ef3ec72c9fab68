"""Several workers loading copies of the same messages at once: no duplicate flights, travellers or persons."""

from __future__ import annotations

import random
import threading
from datetime import datetime

from sqlalchemy.orm import Session

from gtas import db
from gtas.generator import flight_with, paxlst_writer, pnrgov_writer
from gtas.ingest import process, receive
from gtas.model import Message
from tests.ingest.helpers import CARD_KEY, deliver, dump

WORKERS = 4


def _texts() -> list[str]:
    texts = []
    for seed in (31, 32):
        flight = flight_with(passengers=24, pnrs=10, seed=seed, start=datetime(2026, 7, 1))
        texts += [t for m in flight.api for t in paxlst_writer.write(m, max_travellers_per_part=10)]
        texts.append(pnrgov_writer.write(flight.pnr))
    return texts


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
                with sessions.begin() as worker:
                    message_id = receive(worker, text.encode(), channel="cli").id
                with sessions.begin() as worker:
                    process(worker, worker.get_one(Message, message_id), CARD_KEY, home_country="USA")
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
