"""The message queue (RabbitMQ): consume deliveries into the database; publish messages (or stored ids) to it.

Airlines and providers publish raw EDIFACT or XML bodies to a durable queue (``gtas.messages``); the headers
``party`` and ``carrier`` may say who sends. The consumer prefetches a batch, handles each delivery
(``gtas.ingest.deliveries``) and acknowledges it only after its transactions are committed. Poison deliveries go
to ``<queue>.dead`` with the reason in the ``gtas-dead-reason`` header. A lost broker connection or database is
waited for with a growing pause; no delivery is lost or counted as a crash meanwhile.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
from collections.abc import Mapping
from typing import Any

import pika
from pika.adapters.blocking_connection import BlockingChannel
from pika.exceptions import AMQPError
from sqlalchemy.orm import Session, sessionmaker

from gtas.db import one_connection
from gtas.ingest.deliveries import ATTEMPTS_HEADER, TRANSIENT, Delivery, Handling, Outcome, Verdict, handle
from gtas.model import MessageStatus

log = logging.getLogger(__name__)

DEAD_SUFFIX = ".dead"
REASON_HEADER = "gtas-dead-reason"
PREFETCH = 50
IDLE_SECONDS = 0.5  # how often an idle consumer looks whether it was asked to stop
BACKOFF_FIRST, BACKOFF_MAX = 1.0, 30.0
PERSISTENT = 2  # delivery mode: kept on disk by the broker


def dead_letter_queue(queue: str) -> str:
    """Where poison deliveries of the queue go."""
    return queue + DEAD_SUFFIX


def open_channel(url: str, queue: str) -> tuple[pika.BlockingConnection, BlockingChannel]:
    """A connection and a channel with publisher confirms, the queue and its dead-letter queue declared (durable)."""
    connection = pika.BlockingConnection(pika.URLParameters(url))
    try:
        channel = connection.channel()
        channel.confirm_delivery()
        for name in (queue, dead_letter_queue(queue)):
            channel.queue_declare(queue=name, durable=True)
    except BaseException:
        _close(connection)
        raise
    return connection, channel


def _close(connection: pika.BlockingConnection) -> None:
    """Close a connection that may already be broken."""
    try:
        if connection.is_open:
            connection.close()
    except AMQPError:
        log.debug("closing a broken queue connection", exc_info=True)


def publish(channel: BlockingChannel, queue: str, body: bytes, headers: Mapping[str, Any],
            properties: pika.BasicProperties | None = None) -> None:
    """Publish persistently and wait for the broker's confirm (raises when it was not taken)."""
    kept = properties or pika.BasicProperties()
    sent = pika.BasicProperties(content_type=kept.content_type, content_encoding=kept.content_encoding,
                                message_id=kept.message_id, timestamp=kept.timestamp, app_id=kept.app_id,
                                delivery_mode=PERSISTENT, headers=dict(headers))
    channel.basic_publish(exchange="", routing_key=queue, body=body, properties=sent, mandatory=True)


class Publisher:
    """Publishes to one queue over one connection, opened on first use and again when it broke; thread-safe."""

    def __init__(self, url: str, queue: str) -> None:
        self.url, self.queue = url, queue
        self._lock = threading.Lock()
        self._connection: pika.BlockingConnection | None = None
        self._channel: BlockingChannel | None = None

    def publish(self, body: bytes, headers: Mapping[str, Any] | None = None) -> None:
        """Publish one message; a broken connection is reopened once, then the error is raised."""
        with self._lock:
            for attempt in (1, 2):
                try:
                    if self._channel is None:
                        self._connection, self._channel = open_channel(self.url, self.queue)
                    publish(self._channel, self.queue, body, headers or {})
                    return
                except AMQPError:
                    self._drop()
                    if attempt == 2:
                        raise

    def close(self) -> None:
        """Close the connection (a later publish opens a new one)."""
        with self._lock:
            self._drop()

    def _drop(self) -> None:
        if self._connection is not None:
            _close(self._connection)
        self._connection = self._channel = None


class Consumer:
    """Consumes the queue into the database until ``stop`` is set, reconnecting after losses."""

    def __init__(self, url: str, queue: str, sessions: sessionmaker[Session], handling: Handling,
                 stop: threading.Event, *, prefetch: int = PREFETCH, idle_seconds: float = IDLE_SECONDS) -> None:
        self.url, self.queue, self.sessions, self.handling = url, queue, sessions, handling
        self.stop, self.prefetch, self.idle_seconds = stop, prefetch, idle_seconds
        self.settled = 0  # deliveries acknowledged so far

    def run(self) -> None:
        """Consume until stopped; connection or database losses are waited out with a growing pause."""
        pause = BACKOFF_FIRST
        while not self.stop.is_set():
            settled = self.settled
            try:
                connection, channel = open_channel(self.url, self.queue)
            except AMQPError as exc:
                log.warning("cannot connect to the queue %s: %r; trying again in %.0f s", self.queue, exc, pause)
            else:
                try:
                    self._consume(channel)
                except AMQPError as exc:
                    log.warning("queue connection lost: %r; reconnecting in %.0f s", exc, pause)
                finally:
                    _close(connection)  # unacknowledged deliveries go back to the queue
            if self.stop.is_set():
                break
            pause = BACKOFF_FIRST if self.settled > settled else min(pause * 2, BACKOFF_MAX)
            self.stop.wait(pause)

    def _consume(self, channel: BlockingChannel) -> None:
        channel.basic_qos(prefetch_count=self.prefetch)
        log.info("consuming %s", self.queue)
        for method, properties, body in channel.consume(self.queue, inactivity_timeout=self.idle_seconds):
            if self.stop.is_set():
                break
            if method is None:
                continue
            delivery = Delivery(body, properties.headers or {}, bool(method.redelivered))
            outcome = self._handle(delivery, channel.connection)
            if outcome is None:  # stopped while the database was away: the delivery goes back to the queue
                break
            self._settle(channel, method.delivery_tag, properties, delivery, outcome)
            self._after_load(outcome)
        channel.cancel()  # what was prefetched but not handled goes back to the queue

    def _handle(self, delivery: Delivery, connection: pika.BlockingConnection) -> Outcome | None:
        """Handle a delivery; while the database is away, wait for it and try again (None when stopped meanwhile).

        The delivery stays unacknowledged while waiting: a database outage is not the message's fault and must
        not count as a crash, and the prefetched deliveries wait with it.
        """
        pause = BACKOFF_FIRST
        while not self.stop.is_set():
            try:
                with one_connection(self.sessions) as sessions:
                    return handle(sessions, delivery, self.handling)
            except TRANSIENT as exc:
                log.warning("database unavailable: %s; trying again in %.0f s", str(exc).splitlines()[0], pause)
            delivery = dataclasses.replace(delivery, retried=True)  # its bytes may be stored already
            deadline = time.monotonic() + pause
            while not self.stop.is_set() and time.monotonic() < deadline:
                connection.sleep(self.idle_seconds)  # the connection's heartbeats go on meanwhile
            pause = min(pause * 2, BACKOFF_MAX)
        return None

    def _after_load(self, outcome: Outcome) -> None:
        """Run the follow-up (assessment) once a delivery was loaded; a failure there is logged, not fatal: the
        loaded message waits for the scheduler's sweep."""
        if self.handling.after_load is None or outcome.status != MessageStatus.LOADED:
            return
        try:
            self.handling.after_load(self.sessions)
        except Exception:
            log.exception("assessing after message %s failed; the sweep will assess it", outcome.message_id)

    def _settle(self, channel: BlockingChannel, tag: int, properties: pika.BasicProperties, delivery: Delivery,
                outcome: Outcome) -> None:
        """Acknowledge a handled delivery, after publishing it again (retry) or to the dead-letter queue."""
        if outcome.verdict == Verdict.RETRY:
            attempts = int(delivery.headers.get(ATTEMPTS_HEADER) or 0) + 1
            publish(channel, self.queue, delivery.body, {**delivery.headers, ATTEMPTS_HEADER: attempts}, properties)
        elif outcome.verdict == Verdict.DEAD:
            log.warning("poison message to %s: %s", dead_letter_queue(self.queue), outcome.reason)
            publish(channel, dead_letter_queue(self.queue), delivery.body,
                    {**delivery.headers, REASON_HEADER: outcome.reason or "poison"}, properties)
        else:
            log.debug("message %s: %s", outcome.message_id, outcome.status)
        channel.basic_ack(tag)
        self.settled += 1
