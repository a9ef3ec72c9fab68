"""Whole processes: every channel at once, four ``gtas worker`` processes, a worker killed with SIGKILL mid-batch."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from gtas import db
from gtas.cli import cli
from gtas.ingest.batch import IngestSummary, ingest_file
from gtas.ingest.folder import poll_folder
from gtas.ingest.tokens import create_token
from gtas.model import Channel, Message, MessageStatus, Person, Traveller
from gtas.parsers import parse
from gtas.web import create_app
from gtas.worker import run_consumer
from tests.ingest.broker import consume, depth, publish, settled, take_all, traffic_texts
from tests.ingest.helpers import CARD_KEY, deliver, dump

GTAS = Path(sys.executable).with_name("gtas")
TEXTS = traffic_texts(flights=3, seed=43)
BATCH = traffic_texts(flights=8, seed=44)  # enough that the kill lands with most of the batch unacknowledged
CHANNELS = ("http", "folder", "amqp", "cli")


def delivered_once(session: Session, texts: list[str]) -> dict[str, object]:
    """The database after each message was delivered once, in order, on the CLI channel."""
    for text in texts:
        deliver(session, text)
    return dump(session)


@pytest.fixture
def expected(session: Session) -> dict[str, object]:
    return delivered_once(session, TEXTS)


def carriers() -> list[str]:
    return sorted({leg.carrier for text in TEXTS for m in parse(text.encode()).messages for leg in m.flights
                   if leg.carrier})


def test_each_message_three_times_over_every_channel_builds_the_same_database(
        expected: dict[str, object], amqp_url: str, queue: str, live_sessions: sessionmaker[Session],
        empty_database_url: str, tmp_path: Path) -> None:
    deliveries = [(text, random.Random(n).choice(CHANNELS)) for n, text in enumerate(TEXTS * 3)]
    random.Random(7).shuffle(deliveries)
    with live_sessions.begin() as session:
        token = create_token(session, "Acme", carriers())
    app = create_app({"TESTING": True, "DATABASE_URL": empty_database_url, "CARD_KEY": CARD_KEY,
                      "HOME_COUNTRY": "USA", "AMQP_URL": "", "SECRET_KEY": "test"})
    client, inbox = app.test_client(), tmp_path / "inbox"
    inbox.mkdir()
    for n, (text, channel) in enumerate(deliveries):
        if channel == "http":
            response = client.post("/api/v1/messages", data=text, content_type="text/plain",
                                   headers={"Authorization": f"Bearer {token}"})
            assert response.status_code == 202
        elif channel == "folder":
            path = inbox / f"m{n}.edi"
            path.write_text(text)
            os.utime(path, (time.time() - 60, time.time() - 60))
            assert poll_folder(live_sessions, inbox, CARD_KEY, home_country="USA").failed == []
        elif channel == "amqp":
            publish(amqp_url, queue, [text.encode()])
            consume(amqp_url, queue, live_sessions, settled(1))
        else:
            path = tmp_path / f"m{n}.edi"
            path.write_text(text)
            ingest_file(live_sessions, path, CARD_KEY, "USA", IngestSummary(), max_bytes=10**6)
    app.extensions["gtas.engine"].dispose()
    assert {channel for _, channel in deliveries} == set(CHANNELS)
    with live_sessions() as session:
        assert dump(session) == expected
        statuses = list(session.scalars(select(Message.status)))
    assert statuses.count(MessageStatus.DUPLICATE) == 2 * len(TEXTS)
    assert not {MessageStatus.RECEIVED, MessageStatus.FAILED_LOAD, MessageStatus.FAILED_PARSE} & set(statuses)


@pytest.fixture
def queue_env(amqp_url: str, queue: str, tmp_path: Path) -> dict[str, str]:
    """The environment of ``gtas`` commands on this test's queue."""
    return {**os.environ, "GTAS_HOME": str(tmp_path / "home"), "GTAS_AMQP_URL": amqp_url, "GTAS_AMQP_QUEUE": queue,
            "GTAS_CARD_KEY": CARD_KEY.decode(), "GTAS_HOME_COUNTRY": "USA", "GTAS_POLL_SECONDS": "0.2"}


@pytest.fixture
def worker_env(queue_env: dict[str, str], live_sessions: sessionmaker[Session],
               empty_database_url: str) -> dict[str, str]:
    """The environment of ``gtas worker`` processes on this test's database and queue."""
    return {**queue_env, "GTAS_DATABASE_URL": empty_database_url}


@pytest.fixture
def workers(worker_env: dict[str, str]) -> Iterator[Callable[[int], subprocess.Popen[bytes]]]:
    """Start ``gtas worker`` commands (each in a process group of its own); any still running is killed after."""
    started: list[subprocess.Popen[bytes]] = []

    def start(count: int) -> subprocess.Popen[bytes]:
        process = subprocess.Popen([str(GTAS), "worker"], env={**worker_env, "GTAS_WORKERS": str(count)},
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        if process.stdout is not None and not process.stdout.closed:
            process.communicate()


@pytest.fixture
def readers(live_sessions: sessionmaker[Session], empty_database_url: str) -> Iterator[sessionmaker[Session]]:
    """Sessions that only look (on SQLite without taking the write lock, so they never hold up a worker)."""
    engine = db.make_engine(empty_database_url)
    yield db.make_sessionmaker(engine)
    engine.dispose()


def wait_for(sessions: sessionmaker[Session], done: Callable[[Session], bool], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        with sessions() as session:
            if done(session):
                return
        assert time.monotonic() < deadline, "the workers did not finish in time"
        time.sleep(0.02)


def settled_messages(count: int) -> Callable[[Session], bool]:
    """Whether ``count`` messages are stored and none is waiting to be processed."""
    def done(session: Session) -> bool:
        total = session.scalar(select(func.count()).select_from(Message))
        waiting = session.scalar(select(func.count()).where(Message.status == MessageStatus.RECEIVED))
        return total == count and waiting == 0
    return done


def loaded_once(session: Session, bodies: list[bytes]) -> bool:
    """Whether every body is stored and processed, and nothing waits to be processed."""
    rows = session.execute(select(Message.raw, Message.status)).all()
    return (MessageStatus.RECEIVED not in {status for _, status in rows}
            and {raw for raw, status in rows if status != MessageStatus.DUPLICATE} >= set(bodies))


def stop(process: subprocess.Popen[bytes]) -> str:
    """SIGTERM, then the output; the command must end cleanly."""
    process.send_signal(signal.SIGTERM)
    output, _ = process.communicate(timeout=30)
    assert process.returncode == 0, output.decode()
    return output.decode()


def test_four_worker_processes_load_interleaved_pushes_exactly_once(
        expected: dict[str, object], amqp_url: str, queue: str, live_sessions: sessionmaker[Session],
        workers: Callable[[int], subprocess.Popen[bytes]], worker_env: dict[str, str],
        readers: sessionmaker[Session]) -> None:
    bodies = [text.encode() for text in TEXTS] * 2  # every message twice: the second copy is a duplicate
    random.Random(3).shuffle(bodies)
    publish(amqp_url, queue, bodies)
    inbox = Path(worker_env["GTAS_HOME"]) / "inbox"  # and a third copy of one in the drop folder, for the leader
    inbox.mkdir(parents=True)
    (inbox / "copy.edi").write_bytes(bodies[0])
    os.utime(inbox / "copy.edi", (time.time() - 60, time.time() - 60))
    commands = [workers(2), workers(2)]  # four worker processes in all
    wait_for(readers, settled_messages(len(bodies) + 1))
    output = "".join(stop(command) for command in commands)
    assert output.count("leads: running the scheduled jobs") == 1, output
    assert output.count(f"consuming {queue}") >= 4 * 2, output  # two consumer threads in each process
    assert (inbox / "processed" / "copy.edi").exists()
    with live_sessions() as session:
        assert dump(session) == expected
        statuses = list(session.scalars(select(Message.status)))
        assert session.scalar(select(func.count()).where(Message.channel == Channel.FOLDER)) == 1
        travellers = session.scalar(select(func.count()).select_from(Traveller))
        persons = session.scalar(select(func.count()).select_from(Person))
    assert statuses.count(MessageStatus.DUPLICATE) == len(TEXTS) + 1
    assert MessageStatus.FAILED_LOAD not in statuses
    assert len(expected["flights"]) == 3  # type: ignore[arg-type]
    assert travellers == len(expected["travellers"]) and persons == expected["person_count"]  # type: ignore[arg-type]
    assert depth(amqp_url, queue) == 0


def test_worker_killed_mid_batch_loses_nothing_and_doubles_nothing(
        session: Session, amqp_url: str, queue: str, live_sessions: sessionmaker[Session],
        workers: Callable[[int], subprocess.Popen[bytes]], readers: sessionmaker[Session]) -> None:
    expected = delivered_once(session, BATCH)
    bodies = [text.encode() for text in BATCH]
    publish(amqp_url, queue, bodies)
    first = workers(1)
    wait_for(readers, lambda s: (s.scalar(select(func.count()).select_from(Message)) or 0) >= 2)
    os.killpg(first.pid, signal.SIGKILL)  # the supervisor and its worker, in the middle of the prefetched batch
    first.communicate()
    with live_sessions() as check:
        done_before = check.scalar(select(func.count()).select_from(Message))
    assert done_before is not None and done_before < len(bodies), "the kill came too late to test anything"
    assert depth(amqp_url, queue) > 0  # what was not acknowledged is back in the queue
    second = workers(1)
    wait_for(readers, lambda session: loaded_once(session, bodies) and depth(amqp_url, queue) == 0)
    time.sleep(0.5)  # copies committed but not acknowledged before the kill come back as duplicates meanwhile
    stop(second)
    with live_sessions() as check:
        assert dump(check) == expected
        rows = check.execute(select(Message.raw, Message.status)).all()
    kept = sorted(raw for raw, status in rows if status != MessageStatus.DUPLICATE)
    assert kept == sorted(bodies)  # every message stored and loaded exactly once
    assert {status for _, status in rows} <= {MessageStatus.ASSESSED, MessageStatus.PARTIAL, MessageStatus.DUPLICATE}
    assert depth(amqp_url, queue) == 0


@pytest.mark.parametrize(("setting", "value", "error"), [
    ("GTAS_AMQP_URL", "", "GTAS_AMQP_URL is not set"),
    ("GTAS_WORKERS", "0", "GTAS_WORKERS must be a whole number of at least 1, not '0'"),
    ("GTAS_WORKER_THREADS", "two", "GTAS_WORKER_THREADS must be a whole number of at least 1, not 'two'"),
])
def test_worker_refuses_to_start_with_bad_settings(queue_env: dict[str, str], setting: str, value: str,
                                                   error: str) -> None:
    result = CliRunner().invoke(cli, ["worker"], env={**queue_env, setting: value})
    assert result.exit_code == 1 and f"Error: {error}" in result.output


def test_a_consumer_thread_that_fails_stops_its_worker_process() -> None:
    class Broken:
        def run(self) -> None:
            raise RuntimeError("a bug in a consumer")

    stop = threading.Event()
    with pytest.raises(RuntimeError, match="a bug in a consumer"):
        run_consumer(Broken(), stop)  # type: ignore[arg-type]
    assert stop.is_set()  # the other consumers end too, and the supervisor starts the process again


def test_publish_command_puts_files_on_the_queue(queue_env: dict[str, str], amqp_url: str, queue: str,
                                                 tmp_path: Path) -> None:
    files = []
    for n, text in enumerate(TEXTS[:3]):
        files.append(tmp_path / f"m{n}.edi")
        files[-1].write_text(text)
    result = CliRunner().invoke(cli, ["publish", "--party", "Acme", "--carrier", "AC", *map(str, files)],
                                env=queue_env)
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"published 3 message(s) to {queue}"
    assert [(body.decode(), headers) for body, headers in take_all(amqp_url, queue)] == [
        (text, {"party": "Acme", "carrier": "AC"}) for text in TEXTS[:3]]
