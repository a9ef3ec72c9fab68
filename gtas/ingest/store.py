"""Receiving: keep the verbatim bytes of every message before anything else happens to them (invariant 1)."""

from __future__ import annotations

import hashlib

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, sessionmaker

from gtas.db import advisory_lock
from gtas.ingest.context import table_of
from gtas.model import Channel, Message, MessageStatus
from gtas.parsers.records import Diagnostic, to_jsonable
from gtas.text import storable

_MESSAGE = table_of(Message)
_EARLIER = (select(_MESSAGE.c.id)  # built once: asked for every message received
            .where(_MESSAGE.c.sha256 == bindparam("sha256"), _MESSAGE.c.size == bindparam("size"),
                   _MESSAGE.c.status != MessageStatus.DUPLICATE)
            .order_by(_MESSAGE.c.id).limit(1))


def receive(session: Session, data: bytes, *, channel: Channel | str, submitter: str | None = None,
            carrier: str | None = None, filename: str | None = None) -> Message:
    """Store raw bytes as a new message; a byte-identical earlier message makes this one a duplicate of it."""
    digest = hashlib.sha256(data).hexdigest()
    message = Message(raw=data, sha256=digest, size=len(data), channel=Channel(channel), submitter=submitter,
                      carrier=carrier, filename=_stored_name(filename),
                      status=MessageStatus.RECEIVED, warnings=[], errors=[])
    advisory_lock(session, f"message:{digest}")  # a copy arriving at the same moment waits, then sees this one
    earlier = session.scalar(_EARLIER, {"sha256": digest, "size": len(data)})
    if earlier is not None:
        message.status = MessageStatus.DUPLICATE
        message.duplicate_of_id = earlier
    session.add(message)
    session.flush()
    return message


def _stored_name(filename: str | None) -> str | None:
    """A file name as stored: its last 255 characters, without those no database here stores (``gtas.text``)."""
    if not filename:
        return None
    return "".join(ch for ch in filename if storable(ch))[-255:] or None


def fail_unprocessed(sessions: sessionmaker[Session], message_id: int, reason: str) -> None:
    """Mark a stored message that was never processed failed_load with the reason, in a transaction of its own
    (processing crashed, or a delivery is given up)."""
    with sessions.begin() as session:
        message = session.get(Message, message_id)
        if message is not None and message.status == MessageStatus.RECEIVED:
            message.status = MessageStatus.FAILED_LOAD
            message.errors = [to_jsonable(Diagnostic(reason[:1000], severity="error"))]
