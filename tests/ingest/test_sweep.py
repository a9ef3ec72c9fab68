"""The sweep of messages stored but never processed: picked up after the grace period, processed (or handed to the
queue) exactly once, left alone while fresh, given up when they never finish — on both databases, real RabbitMQ."""

from __future__ import annotations

import threading
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from gtas.ingest.deliveries import STORED_HEADER, Delivery, handle
from gtas.ingest.queue import Publisher
from gtas.ingest.store import receive
from gtas.ingest.sweep import MAX_PICKUPS, SWEPT, Pickup, claim, sweep
from gtas.ingest.tokens import create_token
from gtas.jobs import SWEEP_JOB, make_scheduler
from gtas.model import Channel, Message, MessageStatus, Traveller, TravellerSource
from gtas.model.base import utcnow
from gtas.parsers import parse
from tests.ingest.broker import HANDLING, consume, depth, settled, take_all, traffic_texts

BODY = traffic_texts(flights=1, seed=43)[-1].encode()  # the crew list: one whole message
GARBAGE = b"\x00\xff this is not a message \x80"
GRACE = 300.0


def stored(sessions: sessionmaker[Session], data: bytes, *, age: float, channel: Channel = Channel.FOLDER,
           submitter: str | None = None) -> int:
    """A message stored (committed) ``age`` seconds ago and never processed: what a dead process left behind."""
    with sessions.begin() as session:
        message_id = receive(session, data, channel=channel, submitter=submitter).id
        session.execute(update(Message).where(Message.id == message_id)
                        .values(received_at=utcnow() - timedelta(seconds=age)))
    return message_id


def message(sessions: sessionmaker[Session], message_id: int) -> Message:
    with sessions() as session:
        return session.get_one(Message, message_id)


def sources(sessions: sessionmaker[Session], message_id: int) -> int:
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(TravellerSource)
                              .where(TravellerSource.message_id == message_id)) or 0


def test_stuck_message_is_loaded_and_a_fresh_one_left_alone(live_sessions: sessionmaker[Session],
                                                             caplog: pytest.LogCaptureFixture) -> None:
    old = stored(live_sessions, BODY, age=GRACE + 60)
    fresh = stored(live_sessions, traffic_texts(flights=1, seed=44)[-1].encode(), age=GRACE - 60)

    report = sweep(live_sessions, HANDLING, GRACE)

    assert report.picked_up == [old] and report.statuses == {old: MessageStatus.LOADED}
    assert "swept 1 message(s) stuck in received (processed: loaded 1)" in caplog.messages
    assert message(live_sessions, old).status == MessageStatus.LOADED and sources(live_sessions, old) > 0
    assert message(live_sessions, fresh).status == MessageStatus.RECEIVED
    assert sweep(live_sessions, HANDLING, GRACE).picked_up == []  # loaded: nothing left to pick up


def test_message_from_a_party_is_loaded_in_its_scope(live_sessions: sessionmaker[Session]) -> None:
    with live_sessions.begin() as session:
        create_token(session, "Acme", ["ZZ"])
    outside = stored(live_sessions, BODY, age=GRACE + 60, channel=Channel.HTTP, submitter="Acme")

    assert sweep(live_sessions, HANDLING, GRACE).picked_up == [outside]

    refused = message(live_sessions, outside)
    assert refused.status == MessageStatus.FAILED_LOAD and sources(live_sessions, outside) == 0
    assert refused.errors[0]["message"].startswith("token not allowed for carrier")


def test_garbage_ends_failed_with_its_reason(live_sessions: sessionmaker[Session]) -> None:
    garbage = stored(live_sessions, GARBAGE, age=GRACE + 60)

    assert sweep(live_sessions, HANDLING, GRACE).statuses == {garbage: MessageStatus.FAILED_PARSE}

    failed = message(live_sessions, garbage)
    assert failed.status == MessageStatus.FAILED_PARSE and failed.errors and failed.errors[0]["message"]
    assert sweep(live_sessions, HANDLING, GRACE).picked_up == []


def test_message_whose_processing_never_finishes_is_given_up(live_sessions: sessionmaker[Session]) -> None:
    crashing = stored(live_sessions, BODY, age=0)
    received_at = message(live_sessions, crashing).received_at
    moments = [received_at + timedelta(seconds=GRACE * 2 ** n) for n in range(MAX_PICKUPS + 1)]
    for moment in moments[:MAX_PICKUPS]:  # each pick-up committed, then its process died before processing
        with live_sessions.begin() as session:
            assert claim(session, crashing, GRACE, moment - timedelta(seconds=1), give_up_after=MAX_PICKUPS) \
                == Pickup.SKIPPED  # not due again yet: each pick-up waits twice as long as the one before
            assert claim(session, crashing, GRACE, moment, give_up_after=MAX_PICKUPS) == Pickup.TAKEN
    assert [w["message"].startswith(SWEPT) for w in message(live_sessions, crashing).warnings] == [True] * MAX_PICKUPS

    report = sweep(live_sessions, HANDLING, GRACE, now=moments[-1])

    assert (report.picked_up, report.given_up) == ([], [crashing])
    given_up = message(live_sessions, crashing)
    assert given_up.status == MessageStatus.FAILED_LOAD and sources(live_sessions, crashing) == 0
    assert given_up.errors[0]["message"].startswith(f"picked up by the sweep {MAX_PICKUPS} times without its "
                                                    "processing finishing")


def test_two_sweeps_at_once_load_it_exactly_once(live_sessions: sessionmaker[Session]) -> None:
    stuck = stored(live_sessions, BODY, age=GRACE + 60)
    start = threading.Barrier(2)
    picked: list[list[int]] = []

    def run() -> None:
        start.wait()
        picked.append(sweep(live_sessions, HANDLING, GRACE).picked_up)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(picked) == [[], [stuck]]
    loaded = message(live_sessions, stuck)
    assert loaded.status == MessageStatus.LOADED
    with live_sessions() as session:
        assert session.scalar(select(func.count()).select_from(Message)) == 1


def test_sweep_and_a_worker_at_once_load_it_exactly_once(live_sessions: sessionmaker[Session]) -> None:
    stuck = stored(live_sessions, BODY, age=GRACE + 60)
    start = threading.Barrier(2)
    statuses: list[MessageStatus | None] = []

    def worker() -> None:  # the queue hands the stored message to a worker at the moment the sweep runs
        start.wait()
        statuses.append(handle(live_sessions, Delivery(b"", {STORED_HEADER: stuck}), HANDLING).status)

    def sweeper() -> None:
        start.wait()
        statuses.extend(sweep(live_sessions, HANDLING, GRACE).statuses.values())

    threads = [threading.Thread(target=worker), threading.Thread(target=sweeper)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert MessageStatus.LOADED in statuses and message(live_sessions, stuck).status == MessageStatus.LOADED
    with live_sessions() as session:
        assert session.scalar(select(func.count()).select_from(Message)) == 1
        assert session.scalar(select(func.count()).select_from(Traveller)) == len(
            parse(BODY, card_key=HANDLING.card_key).messages[0].travellers)


def test_message_locked_by_a_worker_is_skipped(live_sessions: sessionmaker[Session]) -> None:
    if live_sessions.kw["bind"].dialect.name != "postgresql":
        pytest.skip("SQLite has no row locks: its writers take turns (BEGIN IMMEDIATE)")
    stuck = stored(live_sessions, BODY, age=GRACE + 60)
    with live_sessions.begin() as worker:  # a worker has the message in hand right now
        worker.scalars(select(Message.id).where(Message.id == stuck).with_for_update()).one()
        assert sweep(live_sessions, HANDLING, GRACE).picked_up == []
    assert sweep(live_sessions, HANDLING, GRACE).picked_up == [stuck]
    assert message(live_sessions, stuck).status == MessageStatus.LOADED


def test_scheduled_job_sweeps_after_the_configured_grace(live_sessions: sessionmaker[Session], tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    stuck = stored(live_sessions, BODY, age=120)
    job = make_scheduler(live_sessions, tmp_path / "inbox", HANDLING.card_key, poll_seconds=5,
                         home_country="USA").get_job(SWEEP_JOB)
    assert job.trigger.interval.total_seconds() == 60 and job.max_instances == 1
    monkeypatch.delenv("GTAS_STUCK_MESSAGE_SECONDS", raising=False)
    assert job.func(*job.args, **job.kwargs) == 0  # GTAS_STUCK_MESSAGE_SECONDS: 300 by default
    monkeypatch.setenv("GTAS_STUCK_MESSAGE_SECONDS", "60")
    assert job.func(*job.args, **job.kwargs) == 1
    assert message(live_sessions, stuck).status == MessageStatus.LOADED


def test_with_a_queue_the_id_is_published_again_and_loaded_once(amqp_url: str, queue: str,
                                                                  live_sessions: sessionmaker[Session],
                                                                  tmp_path: Path) -> None:
    stuck = stored(live_sessions, BODY, age=GRACE + 60, channel=Channel.HTTP)
    publisher = Publisher(amqp_url, queue)
    try:
        assert sweep(live_sessions, publisher, GRACE).picked_up == [stuck]
        assert sweep(live_sessions, publisher, GRACE).picked_up == []  # not due again before twice the grace
        later = utcnow() + timedelta(seconds=2 * GRACE)  # still received (a long backlog): published once more
        assert sweep(live_sessions, publisher, GRACE, now=later).picked_up == [stuck]
    finally:
        publisher.close()
    assert message(live_sessions, stuck).status == MessageStatus.RECEIVED  # the workers process it, not the sweep
    assert depth(amqp_url, queue) == 2

    consume(amqp_url, queue, live_sessions, settled(2))

    loaded = message(live_sessions, stuck)
    assert loaded.status == MessageStatus.LOADED and sources(live_sessions, stuck) > 0
    with live_sessions() as session:
        assert session.scalar(select(func.count()).select_from(Message)) == 1
    assert depth(amqp_url, queue) == 0

    job = make_scheduler(live_sessions, tmp_path / "inbox", HANDLING.card_key, poll_seconds=5, home_country="USA",
                         amqp=(amqp_url, queue)).get_job(SWEEP_JOB)
    again = stored(live_sessions, GARBAGE, age=GRACE + 60, channel=Channel.HTTP)
    assert job.func(*job.args, **job.kwargs) == 1
    assert take_all(amqp_url, queue) == [(b"", {STORED_HEADER: again})]


def test_nothing_published_when_the_broker_is_away(live_sessions: sessionmaker[Session]) -> None:
    stuck = stored(live_sessions, BODY, age=GRACE + 60, channel=Channel.HTTP)
    publisher = Publisher("amqp://guest:guest@127.0.0.1:1/%2F", "gtas.nowhere")
    try:
        assert sweep(live_sessions, publisher, GRACE).picked_up == []
    finally:
        publisher.close()
    left = message(live_sessions, stuck)
    assert left.status == MessageStatus.RECEIVED and left.warnings == []  # not counted: picked up next time
