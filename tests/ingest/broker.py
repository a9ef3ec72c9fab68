"""Helpers for queue tests on the real RabbitMQ: publish, look into queues, run a consumer; test traffic."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import pika
from sqlalchemy.orm import Session, sessionmaker

from gtas.generator import generate_traffic, paxlst_writer, pnrgov_writer
from gtas.ingest.deliveries import Handling
from gtas.ingest.queue import Consumer, open_channel
from tests.ingest.helpers import CARD_KEY

HANDLING = Handling(CARD_KEY, "USA", 1024 * 1024)


def publish(url: str, queue: str, bodies: list[bytes], headers: dict[str, Any] | None = None) -> None:
    connection, channel = open_channel(url, queue)
    for body in bodies:
        channel.basic_publish("", queue, body, pika.BasicProperties(delivery_mode=2, headers=headers or {}))
    connection.close()


def depth(url: str, queue: str) -> int:
    """Messages ready in the queue."""
    connection, channel = open_channel(url, queue)
    count: int = channel.queue_declare(queue, durable=True, passive=True).method.message_count
    connection.close()
    return count


def take_all(url: str, queue: str) -> list[tuple[bytes, dict[str, Any]]]:
    """Every message in the queue (acknowledged): body and headers."""
    connection, channel = open_channel(url, queue)
    taken = []
    while True:
        method, properties, body = channel.basic_get(queue, auto_ack=True)
        if method is None:
            break
        taken.append((body, dict(properties.headers or {})))
    connection.close()
    return taken


def redeliver(url: str, queue: str) -> int:
    """Take every message without acknowledging it and close: the broker hands them all out again, redelivered."""
    connection, channel = open_channel(url, queue)
    taken = 0
    while channel.basic_get(queue, auto_ack=False)[0] is not None:
        taken += 1
    connection.close()
    return taken


@contextmanager
def running(url: str, queue: str, sessions: sessionmaker[Session], *,
            handling: Handling = HANDLING) -> Iterator[Consumer]:
    """A consumer running in a thread for the ``with`` block, then stopped cleanly."""
    stop = threading.Event()
    consumer = Consumer(url, queue, sessions, handling, stop, prefetch=10, idle_seconds=0.05)
    thread = threading.Thread(target=consumer.run)
    thread.start()
    try:
        yield consumer
    finally:
        stop.set()
        thread.join()


def wait_until(check: Callable[[], bool], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"not done in {timeout} s"
        time.sleep(0.05)


def consume(url: str, queue: str, sessions: sessionmaker[Session], until: Callable[[Consumer], bool], *,
            handling: Handling = HANDLING) -> Consumer:
    """Run a consumer until ``until(consumer)`` holds, then stop it cleanly."""
    with running(url, queue, sessions, handling=handling) as consumer:
        wait_until(lambda: until(consumer))
    return consumer


def settled(count: int) -> Callable[[Consumer], bool]:
    return lambda consumer: consumer.settled >= count


def traffic_texts(flights: int, seed: int) -> list[str]:
    """API lists (passengers in parts of 10, crew) and the PNR push of generated flights, interleaved by flight."""
    texts = []
    for flight in generate_traffic(flights, seed, start=datetime(2026, 8, 1), passengers=18, pnrs=8).flights:
        texts += paxlst_writer.write(flight.passenger_list, max_travellers_per_part=10)
        texts.append(pnrgov_writer.write(flight.pnr))
        texts += paxlst_writer.write(flight.crew_list)
    return texts
