"""Personal API tokens: a user creates them (shown once), lists and revokes his own; requests present them.

A token is ``gtasu_`` and 32 random bytes (URL-safe base64), stored as its SHA-256 like the intake tokens of
``gtas.ingest.tokens`` (enough entropy that a fast hash is safe). The different prefix keeps the two kinds apart:
an airline's intake token is never looked up here, so it can never read traveller data.
"""

from __future__ import annotations

import hmac
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from gtas.ingest.tokens import token_hash
from gtas.model import User, UserToken

TOKEN_PREFIX = "gtasu_"
DISPLAY_CHARACTERS = 13  # "gtasu_" and 7 random characters
NAME_LENGTH = 100
DEFAULT_DAYS = 90
MAX_DAYS = 365
LAST_USED_STEP = timedelta(minutes=1)  # last use is written at most this often (one write per request is waste)


class UserTokenError(ValueError):
    """A token that cannot be created or revoked, and why (in words for the user)."""


def create_user_token(session: Session, user: User, name: str, days: int, now: datetime) -> tuple[UserToken, str]:
    """A new token of the user, valid ``days`` days, and its secret (shown only now).

    :raises UserTokenError: no name, a name too long, or a lifetime out of 1..MAX_DAYS.
    """
    name = " ".join(name.split())
    if not name:
        raise UserTokenError("name the token (what it is for, e.g. \"shift report script\")")
    if len(name) > NAME_LENGTH:
        raise UserTokenError(f"the name may be at most {NAME_LENGTH} characters, not {len(name)}")
    if not 1 <= days <= MAX_DAYS:
        raise UserTokenError(f"a token lives from 1 to {MAX_DAYS} days, not {days}")
    if not user.enabled:
        raise UserTokenError(f"{user.username} is disabled")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = UserToken(user_id=user.id, name=name, token_hash=token_hash(secret), prefix=secret[:DISPLAY_CHARACTERS],
                      created_at=now, expires_at=now + timedelta(days=days))
    session.add(token)
    session.flush()
    return token, secret


def authenticate_user_token(session: Session, secret: str, now: datetime) -> UserToken | None:
    """The live token matching ``secret`` with its user (its last use noted), or None: unknown, revoked, expired,
    or its user disabled."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    wanted = token_hash(secret)
    found = session.scalars(select(UserToken).options(selectinload(UserToken.user))
                            .where(UserToken.token_hash == wanted)).one_or_none()
    if found is None or not hmac.compare_digest(found.token_hash, wanted) or not found.is_live(now):
        return None
    if found.last_used_at is None or now - found.last_used_at >= LAST_USED_STEP:
        found.last_used_at = now
        session.flush()
    return found


def tokens_of(session: Session, user: User) -> list[UserToken]:
    """The user's tokens, newest first (revoked and expired ones too: they say what existed)."""
    return list(session.scalars(select(UserToken).where(UserToken.user_id == user.id)
                                .order_by(UserToken.created_at.desc(), UserToken.id.desc())))


def revoke_user_token(session: Session, user: User, token_id: int, now: datetime) -> UserToken:
    """Revoke one of the user's own tokens (revoking twice changes nothing).

    :raises UserTokenError: the user has no such token.
    """
    token = session.get(UserToken, token_id)
    if token is None or token.user_id != user.id:
        raise UserTokenError("you have no such token")
    if token.revoked_at is None:
        token.revoked_at = now
        session.flush()
    return token
