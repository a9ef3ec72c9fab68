"""Receiving: keep the verbatim bytes of every message before anything else happens to them (invariant 1)."""

from __future__ import annotations

import hashlib

from sqlalchemy import select
from sqlalchemy.orm import Session

from gtas.db import advisory_lock
from gtas.model import Channel, Message, MessageStatus


def receive(session: Session, data: bytes, *, channel: Channel | str, submitter: str | None = None,
            carrier: str | None = None, filename: str | None = None) -> Message:
    """Store raw bytes as a new message; a byte-identical earlier message makes this one a duplicate of it."""
    digest = hashlib.sha256(data).hexdigest()
    message = Message(raw=data, sha256=digest, size=len(data), channel=Channel(channel), submitter=submitter,
                      carrier=carrier, filename=filename[-255:] if filename else None,
                      status=MessageStatus.RECEIVED, warnings=[], errors=[])
    advisory_lock(session, f"message:{digest}")  # a copy arriving at the same moment waits, then sees this one
    earlier = session.scalars(
        select(Message.id).where(Message.sha256 == digest, Message.size == len(data),
                                 Message.status != MessageStatus.DUPLICATE)
        .order_by(Message.id).limit(1)).first()
    if earlier is not None:
        message.status = MessageStatus.DUPLICATE
        message.duplicate_of_id = earlier
    session.add(message)
    session.flush()
    return message
