"""``gtas worker``: processes consuming the message queue; one of them (the leader) also runs the scheduled jobs.

The command starts GTAS_WORKERS processes of GTAS_WORKER_THREADS queue consumers each (while one consumer waits for
the database, another parses and prepares its rows), and starts again any process that dies (a worker a poison
message crashed comes back; the delivery count in the queue stops that message). SIGTERM or SIGINT stops them
cleanly: each consumer finishes the message in hand, and what it had prefetched goes back to the queue. The leader
is whichever worker holds the scheduler lock: a PostgreSQL session advisory lock, or on SQLite a lock on a file
beside the database; when the leader ends, another worker takes the lock over within ``LEADER_RETRY_SECONDS``.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import multiprocessing
import os
import signal
import threading
from functools import partial
from multiprocessing.connection import wait
from pathlib import Path
from types import FrameType
from typing import IO, TYPE_CHECKING

import click
from sqlalchemy import Connection, Engine, func, make_url, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from gtas import config
from gtas.db import advisory_key

if TYPE_CHECKING:
    from gtas.ingest.queue import Consumer

log = logging.getLogger(__name__)

LEADER_RETRY_SECONDS = 10.0
RESTART_PAUSE_SECONDS = 1.0
STOP_GRACE_SECONDS = 30.0
SCHEDULER_LOCK = "gtas-scheduler"
ASSESS_AFTER_LOAD = 2  # loaded messages a worker assesses after each delivery (the oldest first, anyone's)


class SchedulerLock:
    """Held by at most one process per database: the right to run the scheduled jobs."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._connection: Connection | None = None
        self._file: IO[bytes] | None = None

    def try_acquire(self) -> bool:
        """Take the lock if nobody holds it; whether this process holds it now."""
        if self._connection is not None or self._file is not None:
            return True
        if self.engine.dialect.name != "postgresql":
            return self._try_file_lock()
        try:
            return self._try_advisory_lock()
        except DBAPIError:  # the database is away: nobody can lead through it now
            log.debug("cannot reach the database for the scheduler lock", exc_info=True)
            return False

    def _try_advisory_lock(self) -> bool:
        connection = self.engine.connect()
        try:
            taken = bool(connection.scalar(select(func.pg_try_advisory_lock(advisory_key(SCHEDULER_LOCK)))))
            connection.commit()  # a session lock outlives the transaction; the connection is kept to hold it
        except BaseException:
            connection.close()
            raise
        if taken:
            self._connection = connection
        else:
            connection.close()
        return taken

    def _try_file_lock(self) -> bool:
        database = make_url(self.engine.url).database or "memory"
        handle = Path(f"{database}.scheduler.lock").open("ab")  # noqa: SIM115 - held open while the lock is held
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        self._file = handle
        return True

    def holds(self) -> bool:
        """Whether this process still holds the lock (a broken database connection has lost it)."""
        if self._file is not None:
            return True
        if self._connection is None:
            return False
        try:
            self._connection.scalar(select(1))
            self._connection.commit()
        except DBAPIError:
            self._drop_connection()
            return False
        return True

    def _drop_connection(self) -> None:
        """Discard the lock's connection (never back to the pool): the server ends its session and the lock."""
        if self._connection is not None:
            self._connection.invalidate()
            self._connection.close()
            self._connection = None

    def release(self) -> None:
        """Give the lock up (closing the connection or file that holds it)."""
        if self._connection is not None:
            try:
                self._connection.scalar(select(func.pg_advisory_unlock(advisory_key(SCHEDULER_LOCK))))
                self._connection.commit()
                self._connection.close()
                self._connection = None
            except DBAPIError:
                self._drop_connection()
        if self._file is not None:
            self._file.close()
            self._file = None


def lead(sessions: sessionmaker[Session], engine: Engine, stop: threading.Event) -> None:
    """Try for the scheduler lock until stopped; while it is held, run the scheduled jobs."""
    from gtas.jobs import scheduler_from_settings

    lock = SchedulerLock(engine)
    while not stop.is_set():
        if not lock.try_acquire():
            stop.wait(LEADER_RETRY_SECONDS)
            continue
        log.info("worker %s leads: running the scheduled jobs", os.getpid())
        scheduler = scheduler_from_settings(sessions)
        scheduler.start()
        try:
            while not stop.wait(LEADER_RETRY_SECONDS) and lock.holds():
                pass
        finally:
            scheduler.shutdown()
            lock.release()
        if not stop.is_set():
            log.warning("worker %s lost the scheduler lock (its database connection broke)", os.getpid())


def work(parent: int | None = None) -> None:
    """One worker process: consume the queue until SIGTERM/SIGINT (or until its parent ``parent`` is gone)."""
    from gtas import db
    from gtas.ingest.deliveries import Handling
    from gtas.ingest.queue import Consumer
    from gtas.rules.loaded import assess_loaded

    stop = threading.Event()

    def on_signal(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, on_signal)
    engine = db.make_engine(config.database_url(), sqlite_immediate=True)
    sessions = db.make_sessionmaker(engine)
    helpers = [threading.Thread(target=lead, args=(sessions, engine, stop), name="leader", daemon=True)]
    if parent is not None:
        helpers.append(threading.Thread(target=_watch_parent, args=(parent, stop), name="parent", daemon=True))
    for thread in helpers:
        thread.start()
    handling = Handling(config.card_key(), config.home_country(), config.max_message_bytes(),
                        after_load=partial(assess_loaded, limit=ASSESS_AFTER_LOAD))
    consumers = [Consumer(config.amqp_url(), config.amqp_queue(), sessions, handling, stop)
                 for _ in range(config.worker_threads())]
    others = [threading.Thread(target=run_consumer, args=(consumer, stop), name=f"consumer-{n}")
              for n, consumer in enumerate(consumers[1:], start=1)]
    for thread in others:
        thread.start()
    try:
        consumers[0].run()  # the first in the main thread, which also receives the signals
    finally:
        stop.set()
        for thread in [*others, *helpers]:
            thread.join()
        engine.dispose()


def run_consumer(consumer: Consumer, stop: threading.Event) -> None:
    """Run a consumer in a thread of its own; a failure stops the whole process, which is then started again."""
    try:
        consumer.run()
    except BaseException:
        log.exception("a queue consumer failed: stopping this worker")
        stop.set()
        raise


def _watch_parent(parent: int, stop: threading.Event) -> None:
    """Stop when the supervising process is gone (a worker is never left running on its own)."""
    while not stop.wait(1.0):
        if os.getppid() != parent:
            log.warning("the supervising process %s is gone: stopping", parent)
            stop.set()


def supervise(count: int) -> None:
    """Run ``count`` worker processes until SIGTERM/SIGINT, starting again any that ends on its own."""
    context = multiprocessing.get_context("fork")  # the parent holds no connection or thread a child could inherit
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda _signum, _frame: stop.set())
    signal.signal(signal.SIGINT, lambda _signum, _frame: stop.set())
    me = os.getpid()
    workers = [context.Process(target=work, args=(me,), name=f"gtas-worker-{n}") for n in range(count)]
    for process in workers:
        process.start()
    log.info("started %d worker processes: %s", count, ", ".join(str(p.pid) for p in workers))
    while not stop.is_set():
        wait([p.sentinel for p in workers], timeout=0.5)
        for n, process in enumerate(workers):
            if process.exitcode is not None and not stop.is_set():
                log.warning("worker %s ended with exit code %s: starting another", process.pid, process.exitcode)
                stop.wait(RESTART_PAUSE_SECONDS)
                workers[n] = context.Process(target=work, args=(me,), name=process.name)
                workers[n].start()
    for process in workers:
        if process.pid is not None and process.exitcode is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(process.pid, signal.SIGTERM)
    for process in workers:
        process.join(STOP_GRACE_SECONDS)
        if process.exitcode is None:
            process.kill()
            process.join()


@click.command("worker")
def worker_command() -> None:
    """Consume the message queue (GTAS_AMQP_URL) with GTAS_WORKERS processes; one also runs the scheduled jobs.

    The scheduled jobs (gtas/jobs.py): polling the drop folder (GTAS_INBOX), loading incomplete multi-part lists
    that waited past GTAS_PART_TIMEOUT_SECONDS, queueing again messages stored but left unprocessed for
    GTAS_STUCK_MESSAGE_SECONDS, assessing loaded travellers, re-screening after watchlist and rule changes, expiring
    watchlist entries and applying the retention periods. Stop with SIGTERM or Ctrl-C.

    Example: GTAS_AMQP_URL=amqp://gtas:secret@mq/%2F GTAS_WORKERS=4 gtas worker
    """
    from gtas.ingest.batch import open_database

    if not config.amqp_url():
        raise click.ClickException("GTAS_AMQP_URL is not set: `gtas worker` consumes a message queue "
                                   "(e.g. GTAS_AMQP_URL=amqp://guest:guest@localhost/%2F)")
    try:
        count, threads, queue = config.workers(), config.worker_threads(), config.amqp_queue()
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    _, engine = open_database(config.database_url())  # refuses a database without schema before any fork
    engine.dispose()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s")
    for noisy in ("pika", "apscheduler"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    click.echo(f"gtas worker: {count} process(es) of {threads} consumer(s) each on queue {queue}")
    supervise(count)


@click.command("publish")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--party", help="Name of the sending party (header 'party').")
@click.option("--carrier", help="IATA code of the carrier the messages are for (header 'carrier').")
def publish_command(files: tuple[Path, ...], party: str | None, carrier: str | None) -> None:
    """Publish message files, one queue message each, to the queue GTAS_AMQP_QUEUE at GTAS_AMQP_URL.

    Example: gtas publish --party "Acme Air" --carrier AC lists/*.edi
    """
    from pika.exceptions import AMQPError

    from gtas.ingest.deliveries import CARRIER_HEADER, PARTY_HEADER
    from gtas.ingest.queue import Publisher

    if not config.amqp_url():
        raise click.ClickException("GTAS_AMQP_URL is not set: name the message queue to publish to")
    headers = {name: value for name, value in ((PARTY_HEADER, party), (CARRIER_HEADER, carrier)) if value}
    publisher = Publisher(config.amqp_url(), config.amqp_queue())
    try:
        for path in files:
            publisher.publish(path.read_bytes(), headers)
    except AMQPError as exc:
        raise click.ClickException(f"cannot publish to the queue: {exc!r}") from exc
    finally:
        publisher.close()
    click.echo(f"published {len(files)} message(s) to {config.amqp_queue()}")
