"""Administering users beyond ``gtas.web.auth.accounts``: edits, unlocking, and the guards that keep at least one
enabled administrator and stop an administrator from locking himself out. Nothing here knows Flask."""

from __future__ import annotations

import re
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from gtas.model import Airport, User, UserRole
from gtas.web.auth.accounts import AccountError, parse_airports, parse_roles, set_enabled

EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
NAME_LENGTH = 100
EMAIL_LENGTH = 254
ADMINISTRATOR = UserRole.ADMINISTRATOR.value


def _other_enabled_administrators(session: Session, user: User) -> int:
    return sum(1 for other in session.scalars(select(User).where(User.enabled.is_(True), User.id != user.id))
               if ADMINISTRATOR in other.roles)


def check_airports(session: Session, airports: Iterable[str]) -> list[str]:
    """IATA codes, checked against the airport reference table.

    :raises AccountError: a malformed or unknown code.
    """
    codes = parse_airports(airports)
    known = set(session.scalars(select(Airport.iata).where(Airport.iata.in_(codes)))) if codes else set()
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise AccountError(f"unknown airport {', '.join(unknown)}")
    return codes


def clean_email(email: str) -> str | None:
    """The e-mail address as stored (None when empty).

    :raises AccountError: not an address.
    """
    address = email.strip()
    if not address:
        return None
    if len(address) > EMAIL_LENGTH or not EMAIL.fullmatch(address):
        raise AccountError(f"{address[:40]!r} is not an e-mail address")
    return address


def clean_name(name: str, fallback: str) -> str:
    """A display name, whitespace collapsed (``fallback`` when empty).

    :raises AccountError: too long.
    """
    text = " ".join(name.split())
    if len(text) > NAME_LENGTH:
        raise AccountError(f"the display name may have at most {NAME_LENGTH} characters")
    return text or fallback


def update_user(session: Session, user: User, *, display_name: str, email: str, roles: Iterable[str],
                airports: Iterable[str], acting: User) -> User:
    """Change a user's name, e-mail, roles and airports.

    :raises AccountError: bad values; an administrator removing his own administrator role; the last enabled
        administrator losing that role.
    """
    names = parse_roles(roles)
    if ADMINISTRATOR in user.roles and ADMINISTRATOR not in names:
        if user.id == acting.id:
            raise AccountError("you cannot remove your own administrator role; ask another administrator")
        if user.enabled and not _other_enabled_administrators(session, user):
            raise AccountError(f"{user.username} is the last enabled administrator")
    user.display_name = clean_name(display_name, user.username)
    user.email = clean_email(email)
    user.roles = names
    user.airports = check_airports(session, airports)
    session.flush()
    return user


def change_enabled(session: Session, user: User, enabled: bool, acting: User) -> User:
    """Enable or disable a user (a disabled user's sessions end).

    :raises AccountError: an administrator disabling himself, or the last enabled administrator.
    """
    if not enabled:
        if user.id == acting.id:
            raise AccountError("you cannot disable yourself")
        if ADMINISTRATOR in user.roles and not _other_enabled_administrators(session, user):
            raise AccountError(f"{user.username} is the last enabled administrator")
    return set_enabled(session, user.username, enabled)


def unlock(session: Session, user: User) -> User:
    """Lift a lockout after failed sign-ins (the password stays)."""
    user.failed_sign_ins, user.locked_until = 0, None
    session.flush()
    return user
