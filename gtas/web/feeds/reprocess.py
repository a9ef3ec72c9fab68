"""Re-processing a failed message once its cause is fixed (a party's carriers, a parser, reference data).

The message is reopened (status back to received, its diagnostics cleared, under a row lock, only when it failed),
then it goes the way every stored message goes: handed to the workers on the queue when there is one, else
processed here by ``gtas.ingest.deliveries.handle`` with the stored-message header, as a worker would, in scope of
the party that sent it. A message that is not failed is left alone, so pressing the button twice, or on a message
already loaded, changes nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from pika.exceptions import AMQPError
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from gtas.ingest.deliveries import STORED_HEADER, Delivery, Handling, handle
from gtas.ingest.queue import Publisher
from gtas.model import Message, MessageStatus
from gtas.rules.loaded import assess_message
from gtas.web.feeds.health import FAILED

log = logging.getLogger(__name__)


class NotFailedError(Exception):
    """The message did not fail, so there is nothing to re-process."""


@dataclass(frozen=True, slots=True)
class Reprocessed:
    """The message's state before and after, and whether it went to the queue instead of being processed here."""

    before: dict[str, Any]
    after: dict[str, Any]
    queued: bool


def state(message: Message) -> dict[str, Any]:
    """What re-processing changes of a message, for the audit trail."""
    return {"status": str(message.status), "type": message.type, "carrier": message.carrier,
            "errors": list(message.errors or []), "warnings": len(message.warnings or [])}


def reopen(session: Session, message_id: int) -> dict[str, Any]:
    """Put a failed message back to received (locked first); its state before. Flushes, never commits.

    :raises NotFailedError: the message is not failed (someone re-processed it meanwhile, or it never failed).
    """
    message = session.scalars(select(Message).where(Message.id == message_id).with_for_update()
                              .execution_options(populate_existing=True)).one()
    if message.status not in FAILED:
        raise NotFailedError(f"message {message_id} is {message.status}, not failed")
    before = state(message)
    message.status, message.errors, message.warnings = MessageStatus.RECEIVED, [], []
    message.parse_ms = message.load_ms = None
    session.flush()
    return before


def run(sessions: sessionmaker[Session], message_id: int, handling: Handling, publisher: Publisher | None) -> bool:
    """Process a reopened message: on the queue when there is one (True), else here (False), then assess it."""
    if publisher is not None:
        try:
            publisher.publish(b"", {STORED_HEADER: message_id})
            return True
        except AMQPError:
            log.warning("cannot hand message %s to the queue; re-processing it here", message_id, exc_info=True)
    outcome = handle(sessions, Delivery(b"", {STORED_HEADER: message_id}), handling)
    if outcome.status == MessageStatus.LOADED:
        with sessions() as session:
            try:
                assess_message(session, session.get_one(Message, message_id))
                session.commit()
            except Exception:  # the message stays loaded; the sweep job assesses it
                session.rollback()
                log.exception("assessing re-processed message %s failed; the sweep will assess it", message_id)
    return False


def reprocess(sessions: sessionmaker[Session], message_id: int, handling: Handling,
              publisher: Publisher | None = None) -> Reprocessed:
    """Reopen a failed message (committed), process it again, and say what changed.

    :raises NotFailedError: the message is not failed.
    """
    with sessions.begin() as session:
        before = reopen(session, message_id)
    queued = run(sessions, message_id, handling, publisher)
    with sessions() as session:
        after = state(session.get_one(Message, message_id))
    return Reprocessed(before, after, queued)
