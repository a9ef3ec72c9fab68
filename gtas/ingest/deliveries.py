"""One delivery from the message queue: store it, process it, and say whether to acknowledge, retry or dead-letter it.

Deliveries are handled one at a time, each in two transactions (store, then process) that are committed before the
delivery is acknowledged. A delivery the broker hands out again (``redelivered``) may have crashed a worker: it is
published again with its count of unacknowledged deliveries in a header (the count survives the crash), and becomes
poison when the count reaches the limit. A delivery whose raw bytes a crashed attempt stored but never processed
is processed now instead of being recorded as a duplicate of itself.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from enum import StrEnum
from hashlib import sha256
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from gtas.ingest.load import process
from gtas.ingest.scope import process_in_scope
from gtas.ingest.store import fail_unprocessed, receive
from gtas.model import Channel, Message, MessageStatus, Party
from gtas.numbers import whole_number
from gtas.text import UNSTORABLE, storable

log = logging.getLogger(__name__)

PARTY_HEADER, CARRIER_HEADER = "party", "carrier"
ATTEMPTS_HEADER = "gtas-attempts"  # deliveries of this message that ended without an acknowledgement
STORED_HEADER = "gtas-message-id"  # an already stored message to process (the HTTP intake's hand-off); empty body
MAX_DELIVERIES = 5
TRANSIENT = (OperationalError, InterfaceError)  # the database is away: retry the delivery later, never dead-letter it


class Verdict(StrEnum):
    """What to do with a delivery once handled."""

    DONE = "done"  # stored (and processed, or a duplicate): acknowledge
    RETRY = "retry"  # handed out before without an acknowledgement: publish again with the count, then acknowledge
    DEAD = "dead"  # poison: to the dead-letter queue with the reason, then acknowledge


@dataclass(frozen=True, slots=True)
class Delivery:
    """A message as the broker hands it out."""

    body: bytes
    headers: Mapping[str, Any]
    redelivered: bool = False
    retried: bool = False  # handled before in this process, when the database failed: its bytes may be stored


@dataclass(frozen=True, slots=True)
class Handling:
    """How deliveries are processed and when they are poison."""

    card_key: bytes
    home_country: str
    max_bytes: int
    max_deliveries: int = MAX_DELIVERIES
    after_load: Callable[[sessionmaker[Session]], object] | None = None  # e.g. assess what was loaded


@dataclass(frozen=True, slots=True)
class Outcome:
    """The verdict on a delivery, the message it became (if stored) and, for poison, why."""

    verdict: Verdict
    message_id: int | None = None
    status: MessageStatus | None = None
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class Headers:
    """What a delivery's headers say, checked."""

    party: str | None
    carrier: str | None
    attempts: int
    stored_id: int | None


def read_headers(headers: Mapping[str, Any]) -> Headers | str:
    """The delivery's checked headers, or why they are unusable."""
    values: dict[str, str | None] = {}
    for name in (PARTY_HEADER, CARRIER_HEADER, ATTEMPTS_HEADER, STORED_HEADER):
        value = headers.get(name)
        if isinstance(value, bytes):
            try:
                value = value.decode()
            except UnicodeDecodeError:
                return f"header {name!r} is not UTF-8 text"
        if (value is not None and not isinstance(value, str | int)) or isinstance(value, bool):
            return f"header {name!r} must be text, not {type(value).__name__}"
        if isinstance(value, str) and not storable(value):
            return f"header {name!r} holds {UNSTORABLE}"
        values[name] = None if value is None else str(value).strip() or None
    party, carrier = values[PARTY_HEADER], values[CARRIER_HEADER]
    if party is not None and len(party) > 100:
        return f"header {PARTY_HEADER!r} is longer than 100 characters"
    if carrier is not None and not (2 <= len(carrier) <= 3 and carrier.isalnum()):
        return f"header {CARRIER_HEADER!r} must be an IATA carrier code (2 or 3 letters or digits), not {carrier!r}"
    numbers = {}
    for name in (ATTEMPTS_HEADER, STORED_HEADER):
        text = values[name]
        numbers[name] = None if text is None else whole_number(text)
        if text is not None and numbers[name] is None:
            return f"header {name!r} must be a whole number, not {text[:20]!r}"
    return Headers(party, carrier.upper() if carrier else None, numbers[ATTEMPTS_HEADER] or 0, numbers[STORED_HEADER])


def handle(sessions: sessionmaker[Session], delivery: Delivery, handling: Handling) -> Outcome:
    """Store and process one delivery; database outages raise (one of ``TRANSIENT``), everything else is a verdict."""
    headers = read_headers(delivery.headers)
    if isinstance(headers, str):
        return Outcome(Verdict.DEAD, reason=headers)
    if delivery.redelivered:
        if headers.attempts + 1 < handling.max_deliveries:
            return Outcome(Verdict.RETRY)
        reason = (f"delivered {headers.attempts + 1} times without being acknowledged: it may crash the worker; "
                  "not processed again")
        return Outcome(Verdict.DEAD, message_id=_give_up(sessions, delivery, headers, reason), reason=reason)
    if headers.stored_id is not None:
        return _process_stored(sessions, headers.stored_id, handling)
    refusal = _body_refusal(delivery.body, handling.max_bytes)
    if refusal is not None:
        return Outcome(Verdict.DEAD, reason=refusal)
    refusal, carriers = _scope(sessions, headers)
    if refusal is not None:
        return Outcome(Verdict.DEAD, reason=refusal)
    resume = headers.attempts > 0 or delivery.retried  # an earlier attempt may have stored the bytes
    message_id, status = _store(sessions, delivery.body, headers, resume=resume)
    if status != MessageStatus.RECEIVED:
        return Outcome(Verdict.DONE, message_id, status)
    processed, status = _process(sessions, message_id, carriers, handling)
    if not processed and resume:  # another copy loaded the stored bytes meanwhile: this one repeats it
        message_id, status = _store(sessions, delivery.body, headers, resume=False)
    return Outcome(Verdict.DONE, message_id, status)


def _body_refusal(body: bytes, max_bytes: int) -> str | None:
    if not body.strip():
        return "the body is empty: publish the EDIFACT or XML message as the body"
    if len(body) > max_bytes:
        return f"the body is {len(body)} bytes; the limit is {max_bytes}"
    return None


def _scope(sessions: sessionmaker[Session], headers: Headers) -> tuple[str | None, list[str] | None]:
    """Why the headers cannot be accepted (or None), and the carriers the message may be for (None: any)."""
    if headers.party is None:
        return None, [headers.carrier] if headers.carrier else None
    with sessions() as session:
        party = session.scalars(select(Party).where(Party.name == headers.party)).one_or_none()
        if party is None:
            return f"header {PARTY_HEADER!r} names no known party: {headers.party!r}", None
        allowed = list(party.carriers)
    if headers.carrier is None:
        return None, allowed
    if headers.carrier not in allowed:
        return f"party {headers.party!r} may not send for carrier {headers.carrier} (only {', '.join(allowed)})", None
    return None, [headers.carrier]


def _store(sessions: sessionmaker[Session], body: bytes, headers: Headers, *,
           resume: bool) -> tuple[int, MessageStatus]:
    """The stored message (committed): a copy an earlier attempt stored but never processed, when ``resume``."""
    with sessions.begin() as session:
        earlier = _unprocessed_copy(session, body) if resume else None
        if earlier is not None:
            return earlier, MessageStatus.RECEIVED
        message = receive(session, body, channel=Channel.AMQP, submitter=headers.party, carrier=headers.carrier)
        return message.id, message.status


def _unprocessed_copy(session: Session, body: bytes) -> int | None:
    return session.scalars(select(Message.id).where(
        Message.sha256 == sha256(body).hexdigest(), Message.size == len(body), Message.channel == Channel.AMQP,
        Message.status == MessageStatus.RECEIVED).order_by(Message.id).limit(1)).first()


def _process_stored(sessions: sessionmaker[Session], message_id: int, handling: Handling) -> Outcome:
    """Process a message stored by another channel, in scope of the party that sent it."""
    with sessions() as session:
        message = session.get(Message, message_id)
        if message is None:
            return Outcome(Verdict.DEAD, reason=f"header {STORED_HEADER!r} names no stored message: {message_id}")
        submitter = message.submitter
        party = session.scalars(select(Party).where(Party.name == submitter)).one_or_none() if submitter else None
        carriers = None if submitter is None else list(party.carriers) if party else []
    _, status = _process(sessions, message_id, carriers, handling)
    return Outcome(Verdict.DONE, message_id, status)


def _process(sessions: sessionmaker[Session], message_id: int, carriers: Collection[str] | None,
             handling: Handling) -> tuple[bool, MessageStatus]:
    """Process the stored message unless someone else did (locked first); whether this did, and its status."""
    try:
        with sessions.begin() as session:
            message = session.scalars(select(Message).where(Message.id == message_id).with_for_update()
                                      .execution_options(populate_existing=True)).one()
            if message.status != MessageStatus.RECEIVED:
                return False, message.status
            if carriers is None:
                process(session, message, handling.card_key, home_country=handling.home_country)
            else:
                process_in_scope(session, message, handling.card_key, carriers, home_country=handling.home_country)
            return True, message.status
    except TRANSIENT:
        raise
    except Exception as exc:  # a bug: the raw bytes are stored; the message ends with a status and the reason
        log.exception("processing message %s failed", message_id)
        fail_unprocessed(sessions, message_id, f"internal error while processing ({type(exc).__name__}: {exc})")
        return True, MessageStatus.FAILED_LOAD


def _give_up(sessions: sessionmaker[Session], delivery: Delivery, headers: Headers, reason: str) -> int | None:
    """The stored message a poison delivery left unprocessed (now failed_load with the reason), if any."""
    with sessions() as session:
        stored = headers.stored_id if headers.stored_id is not None else _unprocessed_copy(session, delivery.body)
    if stored is not None:
        fail_unprocessed(sessions, stored, reason)
    return stored
