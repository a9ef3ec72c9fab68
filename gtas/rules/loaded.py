"""Assessing what was just loaded: the travellers of every flight a loaded message touched, then the message is
marked assessed. Callers run it right after loading; a periodic sweep catches anything a crash left behind."""

from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from gtas.model import Flight, FlightMessage, Message, MessageStatus, Traveller
from gtas.rules.assessment import Tally, assess_travellers

log = logging.getLogger(__name__)
ATTEMPTS = 3


def assess_message(session: Session, message: Message) -> Tally:
    """Assess the travellers of the flights a loaded message touched; mark it assessed. Flushes, never commits.

    The flights are locked first (PostgreSQL), so two workers assessing pushes for the same flight take turns.
    """
    flights = list(session.scalars(select(FlightMessage.flight_id).where(FlightMessage.message_id == message.id)))
    if flights and session.get_bind().dialect.name == "postgresql":
        session.execute(select(Flight.id).where(Flight.id.in_(flights)).order_by(Flight.id).with_for_update())
    travellers = session.scalars(select(Traveller.id).where(Traveller.flight_id.in_(flights)))
    tally = assess_travellers(session, travellers, message_id=message.id)
    message.status = MessageStatus.ASSESSED
    session.flush()
    return tally


def assess_loaded(sessions: sessionmaker[Session], *, limit: int | None = 100) -> int:
    """Assess loaded messages not yet assessed, oldest first, one transaction each; returns how many.

    A transaction that collides with another assessing the same travellers (a hit both tried to open) is tried
    again: the second attempt sees the other's hits and brings them up to date.
    """
    done = 0
    while limit is None or done < limit:
        for attempt in range(1, ATTEMPTS + 1):
            try:
                with sessions.begin() as session:
                    pending = select(Message).where(Message.status == MessageStatus.LOADED).order_by(Message.id)
                    if session.get_bind().dialect.name == "postgresql":
                        pending = pending.with_for_update(skip_locked=True)
                    message = session.scalars(pending.limit(1)).first()
                    if message is None:
                        return done
                    assess_message(session, message)
                break
            except DBAPIError:
                if attempt == ATTEMPTS:
                    raise
                log.info("assessment collided with another; trying again", exc_info=True)
        done += 1
    return done
