"""The sweep: messages stored but never processed are picked up after a grace period and processed as usual.

A message stays ``received`` when its process died between storing it and processing it, or when its hand-off to
the queue failed. That is the only state a crash leaves behind: parsing and loading happen in one transaction (so
``parsed`` is never committed), ``partial`` waits for the overdue-series job and ``loaded`` for the assessment job.

Each pick-up is first committed as a warning on the message, in a short transaction under the message's row lock
(rows another transaction holds are skipped: a worker has it in hand), so a pick-up whose process dies is counted.
Each further pick-up of the same message waits twice as long as the one before (the grace period, then 2, 4 …
times it after receipt). Without a queue the message is then processed here by ``gtas.ingest.deliveries.handle``
with the stored-message header, as a worker would: in its own transaction, locked and only while still received,
so a worker processing it at the same moment makes this a no-op. After ``MAX_PICKUPS`` pick-ups that never
finished, it ends failed_load with the reason. With a queue its id is published again instead; the consumer skips
messages no longer received, and its poison handling ends a message that keeps crashing the workers.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from pika.exceptions import AMQPError
from sqlalchemy import select
from sqlalchemy.orm import Session, load_only, sessionmaker

from gtas.ingest.deliveries import STORED_HEADER, TRANSIENT, Delivery, Handling, handle
from gtas.ingest.queue import Publisher
from gtas.model import Message, MessageStatus
from gtas.model.base import utcnow
from gtas.parsers.records import Diagnostic, to_jsonable

log = logging.getLogger(__name__)

SWEPT = "picked up by the sweep"  # the start of the warning each pick-up leaves on the message
MAX_PICKUPS = 3  # pick-ups that never finished (processed here) before the message is given up
BATCH = 500  # messages one sweep picks up at most; the rest wait for the next


class Pickup(StrEnum):
    """What claiming a stuck message came to."""

    TAKEN = "taken"  # counted: process it (or publish it) now
    SKIPPED = "skipped"  # processed meanwhile, in another transaction's hands, or not due again yet
    GIVEN_UP = "given_up"  # picked up too often without finishing: now failed_load with the reason


@dataclass(slots=True)
class SweepReport:
    """What one sweep did: the messages it picked up, those it gave up, and the status each picked-up one reached
    (``received`` when it went to the queue)."""

    picked_up: list[int] = field(default_factory=list)
    given_up: list[int] = field(default_factory=list)
    statuses: dict[int, MessageStatus] = field(default_factory=dict)


def stuck(session: Session, grace_seconds: float, now: datetime, *, limit: int = BATCH) -> list[int]:
    """Ids of the messages still received longer than the grace period after they arrived, oldest first."""
    cutoff = now - timedelta(seconds=grace_seconds)
    return list(session.scalars(select(Message.id).where(Message.status == MessageStatus.RECEIVED,
                                                         Message.received_at <= cutoff)
                                .order_by(Message.id).limit(limit)))


def pickups(message: Message) -> int:
    """How many times the sweep picked the message up so far."""
    return sum(1 for warning in message.warnings or [] if str(warning.get("message", "")).startswith(SWEPT))


def claim(session: Session, message_id: int, grace_seconds: float, now: datetime, *,
          give_up_after: int | None) -> Pickup:
    """Count a pick-up of a still received message that is due (locked first; locked rows skipped), or give it up
    after ``give_up_after`` pick-ups (None: never). Flushes, never commits."""
    message = session.scalars(
        select(Message).where(Message.id == message_id, Message.status == MessageStatus.RECEIVED)
        .options(load_only(Message.id, Message.status, Message.received_at, Message.warnings, Message.errors))
        .with_for_update(skip_locked=True).execution_options(populate_existing=True)).one_or_none()
    if message is None:
        return Pickup.SKIPPED
    count = pickups(message)
    waited = now - message.received_at
    if waited < timedelta(seconds=grace_seconds * 2 ** count):
        return Pickup.SKIPPED
    if give_up_after is not None and count >= give_up_after:
        message.status = MessageStatus.FAILED_LOAD
        message.errors = [to_jsonable(Diagnostic(f"picked up by the sweep {count} times without its processing "
                                                 "finishing (the process may have died on it); not processed again",
                                                 severity="error"))]
        session.flush()
        return Pickup.GIVEN_UP
    message.warnings = [*message.warnings, to_jsonable(Diagnostic(
        f"{SWEPT} (pick-up {count + 1}): still received {waited.total_seconds():.0f} s after it arrived"))]
    session.flush()
    return Pickup.TAKEN


def sweep(sessions: sessionmaker[Session], to: Handling | Publisher, grace_seconds: float, *,
          now: datetime | None = None, limit: int = BATCH) -> SweepReport:
    """Pick up the messages left received past the grace period: processed here with ``to`` (a ``Handling``), or
    their ids published again to the queue (``to`` a ``Publisher``); one transaction per message. Logs the count."""
    moment = now or utcnow()
    report = SweepReport()
    queued = isinstance(to, Publisher)
    with sessions() as session:
        candidates = stuck(session, grace_seconds, moment, limit=limit)
    for message_id in candidates:
        try:
            if isinstance(to, Publisher):
                pickup = _hand_over(sessions, to, message_id, grace_seconds, moment)
            else:
                pickup = _process_here(sessions, to, message_id, grace_seconds, moment, report)
        except AMQPError:
            log.warning("cannot publish message %s to the queue; trying again at the next sweep", message_id,
                        exc_info=True)
            break
        except TRANSIENT as exc:
            log.warning("database unavailable (%s); trying again at the next sweep",
                        str(exc).splitlines()[0])
            break
        if pickup == Pickup.TAKEN:
            report.picked_up.append(message_id)
        elif pickup == Pickup.GIVEN_UP:
            report.given_up.append(message_id)
            report.statuses[message_id] = MessageStatus.FAILED_LOAD
    _log(report, queued)
    return report


def _hand_over(sessions: sessionmaker[Session], publisher: Publisher, message_id: int, grace_seconds: float,
               now: datetime) -> Pickup:
    """Claim the message and publish its id before committing: a failed publish leaves it uncounted."""
    with sessions.begin() as session:
        pickup = claim(session, message_id, grace_seconds, now, give_up_after=None)
        if pickup == Pickup.TAKEN:
            publisher.publish(b"", {STORED_HEADER: message_id})
    return pickup


def _process_here(sessions: sessionmaker[Session], handling: Handling, message_id: int, grace_seconds: float,
                  now: datetime, report: SweepReport) -> Pickup:
    """Claim the message (committed), then process it the way a worker processes a stored message."""
    with sessions.begin() as session:
        pickup = claim(session, message_id, grace_seconds, now, give_up_after=MAX_PICKUPS)
    if pickup == Pickup.TAKEN:
        outcome = handle(sessions, Delivery(b"", {STORED_HEADER: message_id}), handling)
        if outcome.status is not None:
            report.statuses[message_id] = outcome.status
    return pickup


def _log(report: SweepReport, queued: bool) -> None:
    """A warning when the sweep found anything (a process died, a hand-off failed, or the queue lags)."""
    if not report.picked_up and not report.given_up:
        log.debug("no message stuck in received")
        return
    done = "published again to the queue" if queued else "processed: " + ", ".join(
        f"{status} {count}" for status, count in sorted(_tally(report).items()))
    log.warning("swept %d message(s) stuck in received (%s)", len(report.picked_up), done)
    if report.given_up:
        log.warning("sweep gave up %d message(s) picked up %d times without finishing: %s", len(report.given_up),
                    MAX_PICKUPS, ", ".join(map(str, report.given_up)))


def _tally(report: SweepReport) -> dict[str, int]:
    tally: dict[str, int] = {}
    for message_id in report.picked_up:
        status = str(report.statuses.get(message_id, MessageStatus.RECEIVED))
        tally[status] = tally.get(status, 0) + 1
    return tally
