"""Signed-in sessions kept on the server: start, resume within the idle and maximum times, end; no Flask here.

The browser's cookie carries a random token; the table keeps only its SHA-256 (as for API tokens: with 256 random
bits a plain hash cannot be reversed by guessing), so a copy of the table gives no usable session.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from gtas.ingest.tokens import token_hash
from gtas.model import User, UserSession

SEEN_PRECISION = timedelta(minutes=1)  # last_seen_at is written at most this often, not on every page
USER_AGENT_LENGTH = 300


class SessionEnd(StrEnum):
    """Why a session ended."""

    SIGNED_OUT = "signed_out"
    IDLE = "idle"
    MAXIMUM = "maximum"
    PASSWORD_CHANGED = "password_changed"
    PASSWORD_RESET = "password_reset"
    DISABLED = "disabled"


@dataclass(frozen=True, slots=True)
class Timeouts:
    """How long a session may sit idle, and how long it may last at most."""

    idle: timedelta
    maximum: timedelta


@dataclass(frozen=True, slots=True)
class Resumed:
    """A session looked up by its token (None: no such session); ``ended`` says why it is over, None while it lasts."""

    found: UserSession | None
    ended: SessionEnd | None = None
    ended_now: bool = False  # it ran out with this request (idle or maximum time), rather than earlier


def start_session(session: Session, user: User, now: datetime, remote_address: str | None,
                  user_agent: str | None) -> tuple[str, UserSession]:
    """Record a new session of the user; returns its token (for the cookie only) and its record."""
    token = secrets.token_urlsafe(32)
    record = UserSession(token_hash=token_hash(token), user=user, started_at=now, last_seen_at=now,
                         remote_address=remote_address,
                         user_agent=user_agent[:USER_AGENT_LENGTH] if user_agent else None)
    session.add(record)
    session.flush()
    return token, record


def resume_session(session: Session, token: str, now: datetime, timeouts: Timeouts) -> Resumed:
    """The live session of the token, its activity noted; or why it is over (ending it now when it ran out)."""
    record = session.scalars(select(UserSession).options(selectinload(UserSession.user))
                             .where(UserSession.token_hash == token_hash(token))).one_or_none()
    if record is None:
        return Resumed(None)
    if record.ended_at is not None:
        return Resumed(record, SessionEnd(record.end_reason or SessionEnd.SIGNED_OUT))
    if not record.user.enabled:
        ran_out = SessionEnd.DISABLED
    elif now - record.started_at > timeouts.maximum:
        ran_out = SessionEnd.MAXIMUM
    elif now - record.last_seen_at > timeouts.idle:
        ran_out = SessionEnd.IDLE
    else:
        if now - record.last_seen_at >= SEEN_PRECISION:
            record.last_seen_at = now
            session.flush()
        return Resumed(record)
    end_session(session, record, now, ran_out)
    return Resumed(record, ran_out, ended_now=True)


def end_session(session: Session, record: UserSession, now: datetime, reason: SessionEnd) -> None:
    """End one session (it stays on record)."""
    if record.ended_at is None:
        record.ended_at, record.end_reason = now, reason.value
        session.flush()


def end_user_sessions(session: Session, user: User, now: datetime, reason: SessionEnd,
                      keep: int | None = None) -> int:
    """End every live session of the user but ``keep``; returns how many ended."""
    live = session.scalars(select(UserSession).where(UserSession.user_id == user.id, UserSession.ended_at.is_(None),
                                                     UserSession.id != (keep or 0)))
    ended = 0
    for record in live:
        end_session(session, record, now, reason)
        ended += 1
    return ended
