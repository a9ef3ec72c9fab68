"""The queue consumer on a real RabbitMQ and both databases: load, acknowledge after commit, dead-letter poison."""

from __future__ import annotations

import contextlib
import dataclasses
import socket
import threading
import time
from pathlib import Path
from typing import Any

import pika
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from gtas import db
from gtas.ingest.deliveries import ATTEMPTS_HEADER, CARRIER_HEADER, PARTY_HEADER, STORED_HEADER
from gtas.ingest.queue import REASON_HEADER, dead_letter_queue
from gtas.ingest.store import receive
from gtas.ingest.tokens import create_token
from gtas.model import Channel, Message, MessageStatus
from gtas.parsers import parse
from gtas.web import create_app
from tests.ingest.broker import (
    HANDLING,
    consume,
    depth,
    publish,
    redeliver,
    running,
    settled,
    take_all,
    traffic_texts,
    wait_until,
)
from tests.ingest.helpers import CARD_KEY, dump

TEXTS = traffic_texts(flights=2, seed=41)
GARBAGE = b"\x00\xff this is not a message \x80"


def carrier_of(text: str) -> str:
    carrier = parse(text.encode(), card_key=CARD_KEY).messages[0].flights[0].carrier
    assert carrier
    return carrier


def stored(sessions: sessionmaker[Session]) -> list[Message]:
    with sessions() as session:
        return list(session.scalars(select(Message).order_by(Message.id)))


def test_consumer_loads_messages_and_acknowledges_them(amqp_url: str, queue: str,
                                                       live_sessions: sessionmaker[Session]) -> None:
    bodies = [text.encode() for text in TEXTS]
    publish(amqp_url, queue, [*bodies, GARBAGE])
    consume(amqp_url, queue, live_sessions, settled(len(bodies) + 1))
    messages = stored(live_sessions)
    assert [m.raw for m in messages] == [*bodies, GARBAGE]
    assert {m.channel for m in messages} == {Channel.AMQP}
    assert [m.status for m in messages[:-1]].count(MessageStatus.LOADED) >= 2  # whole messages and series leads
    assert MessageStatus.FAILED_LOAD not in {m.status for m in messages}
    assert messages[-1].status == MessageStatus.FAILED_PARSE and messages[-1].errors  # parse failure: not poison
    assert depth(amqp_url, queue) == 0 and depth(amqp_url, dead_letter_queue(queue)) == 0
    with live_sessions() as session:
        assert len(dump(session)["flights"]) == 2


def test_database_outage_is_waited_out_without_losing_or_counting_the_message(amqp_url: str, queue: str,
                                                                            tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'later' / 'gtas.db'}"  # its folder is missing: the database cannot be opened
    engine, other = db.make_engine(url, sqlite_immediate=True), db.make_engine(url)
    sessions = db.make_sessionmaker(engine)
    publish(amqp_url, queue, [TEXTS[-1].encode()])
    with running(amqp_url, queue, sessions) as consumer:
        time.sleep(0.5)
        assert consumer.settled == 0  # not acknowledged: nothing was committed
        (tmp_path / "later").mkdir()
        db.upgrade(other)  # the database is back
        wait_until(lambda: consumer.settled == 1)
    [message] = stored(sessions)
    engine.dispose()
    other.dispose()
    assert message.status == MessageStatus.LOADED
    assert depth(amqp_url, queue) == 0 and depth(amqp_url, dead_letter_queue(queue)) == 0


POISON: list[tuple[bytes, dict[str, Any], str]] = [
    (b"", {}, "the body is empty"),
    (b" \r\n", {}, "the body is empty"),
    (b"UNA" + b"x" * 6000, {}, "the body is 6003 bytes; the limit is 5000"),
    (TEXTS[0].encode(), {CARRIER_HEADER: "TOOLONG"}, "header 'carrier' must be an IATA carrier code"),
    (TEXTS[0].encode(), {PARTY_HEADER: "Nobody Air"}, "header 'party' names no known party: 'Nobody Air'"),
    (TEXTS[0].encode(), {PARTY_HEADER: "Acme", CARRIER_HEADER: "ZZ"}, "party 'Acme' may not send for carrier ZZ"),
    (TEXTS[0].encode(), {ATTEMPTS_HEADER: "many"}, "header 'gtas-attempts' must be a whole number"),
    (TEXTS[0].encode(), {ATTEMPTS_HEADER: "²"}, "header 'gtas-attempts' must be a whole number"),  # not for int()
    (TEXTS[0].encode(), {ATTEMPTS_HEADER: "9" * 5000}, "header 'gtas-attempts' must be a whole number"),
    (TEXTS[0].encode(), {PARTY_HEADER: b"\xff\xfe"}, "header 'party' is not UTF-8 text"),
    (TEXTS[0].encode(), {PARTY_HEADER: ["Acme"]}, "header 'party' must be text, not list"),
    (TEXTS[0].encode(), {PARTY_HEADER: "Ac\x00me"}, "header 'party' holds a NUL character"),  # PostgreSQL: no NUL
    (b"", {STORED_HEADER: 999999}, "header 'gtas-message-id' names no stored message: 999999"),
]


def test_poison_goes_to_the_dead_letter_queue_with_its_reason(amqp_url: str, queue: str,
                                                              live_sessions: sessionmaker[Session]) -> None:
    with live_sessions.begin() as session:
        create_token(session, "Acme", ["AC"])
    for body, headers, _ in POISON:
        publish(amqp_url, queue, [body], headers)
    consume(amqp_url, queue, live_sessions, settled(len(POISON)),
            handling=dataclasses.replace(HANDLING, max_bytes=5000))
    dead = take_all(amqp_url, dead_letter_queue(queue))
    assert [body for body, _ in dead] == [body for body, _, _ in POISON]
    for (_, headers), (_, _, reason) in zip(dead, POISON, strict=True):
        assert headers[REASON_HEADER].startswith(reason)
    assert stored(live_sessions) == [] and depth(amqp_url, queue) == 0


def test_headers_name_the_party_and_carrier_and_scope_the_message(amqp_url: str, queue: str,
                                                                  live_sessions: sessionmaker[Session]) -> None:
    [first, *_] = TEXTS
    carrier = carrier_of(first)
    with live_sessions.begin() as session:
        create_token(session, "Acme", [carrier, "ZZ"])
    publish(amqp_url, queue, [TEXTS[-1].encode()], {PARTY_HEADER: "Acme", CARRIER_HEADER: "ZZ"})
    publish(amqp_url, queue, [first.encode()], {PARTY_HEADER: "Acme", CARRIER_HEADER: carrier.lower()})
    consume(amqp_url, queue, live_sessions, settled(2))
    outside, inside = stored(live_sessions)
    assert (outside.submitter, outside.status) == ("Acme", MessageStatus.FAILED_LOAD)
    assert "token not allowed for carrier" in outside.errors[0]["message"]
    assert (inside.submitter, inside.carrier, inside.status) == ("Acme", carrier, MessageStatus.PARTIAL)


def test_true_duplicate_is_recorded_and_acknowledged(amqp_url: str, queue: str,
                                                     live_sessions: sessionmaker[Session]) -> None:
    body = TEXTS[-1].encode()
    publish(amqp_url, queue, [body, body])
    consume(amqp_url, queue, live_sessions, settled(2))
    first, second = stored(live_sessions)
    assert (first.status, second.status, second.duplicate_of_id) == (
        MessageStatus.LOADED, MessageStatus.DUPLICATE, first.id)
    assert depth(amqp_url, queue) == 0


def test_redelivered_message_stored_but_never_processed_is_processed(amqp_url: str, queue: str,
                                                                     live_sessions: sessionmaker[Session]) -> None:
    body = TEXTS[-1].encode()
    with live_sessions.begin() as session:  # what a worker killed between storing and processing left behind
        crashed = receive(session, body, channel=Channel.AMQP).id
    publish(amqp_url, queue, [body])
    assert redeliver(amqp_url, queue) == 1
    consume(amqp_url, queue, live_sessions, settled(2))  # counted and published again, then processed
    [message] = stored(live_sessions)
    assert (message.id, message.status) == (crashed, MessageStatus.LOADED)
    assert depth(amqp_url, queue) == 0 and depth(amqp_url, dead_letter_queue(queue)) == 0


def test_message_that_keeps_crashing_workers_is_dead_lettered(amqp_url: str, queue: str,
                                                              live_sessions: sessionmaker[Session]) -> None:
    body = TEXTS[-1].encode()
    with live_sessions.begin() as session:
        crashed = receive(session, body, channel=Channel.AMQP).id
    publish(amqp_url, queue, [body], {ATTEMPTS_HEADER: HANDLING.max_deliveries - 1})
    redeliver(amqp_url, queue)  # one more delivery without an acknowledgement: the count reaches the limit
    consume(amqp_url, queue, live_sessions, settled(1))
    [(dead_body, headers)] = take_all(amqp_url, dead_letter_queue(queue))
    assert dead_body == body
    assert headers[REASON_HEADER].startswith(f"delivered {HANDLING.max_deliveries} times without being acknowledged")
    [message] = stored(live_sessions)
    assert (message.id, message.status) == (crashed, MessageStatus.FAILED_LOAD)
    assert message.errors[0]["message"] == headers[REASON_HEADER]


def test_http_intake_hands_stored_messages_to_the_workers(amqp_url: str, queue: str, empty_database_url: str,
                                                          live_sessions: sessionmaker[Session]) -> None:
    app = create_app({"TESTING": True, "DATABASE_URL": empty_database_url, "CARD_KEY": CARD_KEY,
                      "HOME_COUNTRY": "USA", "AMQP_URL": amqp_url, "AMQP_QUEUE": queue, "SECRET_KEY": "test"})
    body = TEXTS[-1].encode()
    carrier = carrier_of(TEXTS[-1])
    with live_sessions.begin() as session:
        token = create_token(session, "Acme", [carrier])
    try:
        response = app.test_client().post("/api/v1/messages", data=body, content_type="text/plain",
                                          headers={"Authorization": f"Bearer {token}"})
    finally:
        app.extensions["gtas.publisher"].close()
        app.extensions["gtas.engine"].dispose()
    assert response.status_code == 202 and response.json is not None
    assert response.json["status"] == "received"
    [(empty, headers)] = take_all(amqp_url, queue)
    assert (empty, headers) == (b"", {STORED_HEADER: response.json["id"]})
    publish(amqp_url, queue, [empty], headers)
    publish(amqp_url, queue, [empty], headers)  # handed over twice: processed once
    consume(amqp_url, queue, live_sessions, settled(2))
    [message] = stored(live_sessions)
    assert (message.channel, message.submitter, message.status) == (Channel.HTTP, "Acme", MessageStatus.LOADED)


class CuttableLink:
    """A TCP forwarder to the broker whose open connections the test can cut, as a failing network does."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.sockets: list[socket.socket] = []
        self.pumps: list[threading.Thread] = []
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port: int = self.server.getsockname()[1]
        self.acceptor = threading.Thread(target=self._accept)
        self.acceptor.start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.server.accept()
            except OSError:  # closed
                return
            upstream = socket.create_connection(self.target)
            self.sockets += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                self.pumps.append(threading.Thread(target=self._pump, args=(source, sink)))
                self.pumps[-1].start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                sink.sendall(data)
        with contextlib.suppress(OSError):
            sink.shutdown(socket.SHUT_RDWR)

    def cut(self) -> None:
        for end in self.sockets:
            with contextlib.suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        self.cut()
        self.server.shutdown(socket.SHUT_RDWR)
        self.server.close()
        self.acceptor.join()
        for pump in self.pumps:
            pump.join()
        for end in self.sockets:
            end.close()


def test_consumer_reconnects_after_the_connection_is_lost(amqp_url: str, queue: str,
                                                          live_sessions: sessionmaker[Session]) -> None:
    broker = pika.URLParameters(amqp_url)
    link = CuttableLink((broker.host, broker.port))
    through_link = amqp_url.replace(f"{broker.host}:{broker.port}", f"127.0.0.1:{link.port}")
    try:
        with running(through_link, queue, live_sessions) as consumer:
            publish(amqp_url, queue, [TEXTS[-1].encode()])
            wait_until(lambda: consumer.settled == 1)
            link.cut()
            publish(amqp_url, queue, [TEXTS[-2].encode()])
            wait_until(lambda: consumer.settled == 2)  # connected again
    finally:
        link.close()
    assert [m.status for m in stored(live_sessions)] == [MessageStatus.LOADED] * 2
