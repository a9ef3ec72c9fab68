"""Users and signing in: create, reset, disable, sign in with lockout, change password; nothing here knows Flask."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from gtas.model import User, UserRole
from gtas.model.base import utcnow
from gtas.web.audit import add_event
from gtas.web.auth.passwords import (
    generate_password,
    hash_password,
    needs_rehash,
    password_problems,
    spend_verification_time,
    verify_password,
)
from gtas.web.auth.session_store import SessionEnd, end_user_sessions

USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{1,63}")
AIRPORT = re.compile(r"[A-Z]{3}")
FIRST_ADMINISTRATOR = "admin"


class AccountError(Exception):
    """A user operation that cannot be done, with the reason."""


@dataclass(frozen=True, slots=True)
class Lockout:
    """How many failed sign-ins in a row lock an account, and for how long."""

    attempts: int
    duration: timedelta


class SignInOutcome(StrEnum):
    """How a sign-in attempt ended."""

    SIGNED_IN = "signed_in"
    UNKNOWN_USER = "unknown_user"
    WRONG_PASSWORD = "wrong_password"
    LOCKED = "locked"  # refused without checking the password: the account was locked already
    LOCKED_NOW = "locked_now"  # a wrong password that used up the last attempt
    DISABLED = "disabled"  # right password, but the account is disabled


@dataclass(frozen=True, slots=True)
class SignIn:
    """The outcome of a sign-in attempt and the user it named, when he exists."""

    outcome: SignInOutcome
    user: User | None = None


def normalise_username(username: str) -> str:
    """The username as stored: lower case, 2-64 letters, digits, dots, dashes, underscores.

    :raises AccountError: when it has other characters or another length.
    """
    name = username.strip().lower()
    if not USERNAME.fullmatch(name):
        raise AccountError(f"username {username!r} must be 2-64 characters: letters, digits, '.', '-', '_', "
                           "starting with a letter or digit")
    return name


def parse_roles(roles: Iterable[str]) -> list[str]:
    """Role names, checked, sorted, without repeats.

    :raises AccountError: an unknown role, or none at all.
    """
    names = sorted({role.strip().lower().replace(" ", "_").replace("-", "_") for role in roles})
    known = {role.value for role in UserRole}
    unknown = [name for name in names if name not in known]
    if unknown:
        raise AccountError(f"unknown role {', '.join(unknown)}; roles are {', '.join(sorted(known))}")
    if not names:
        raise AccountError("a user needs at least one role")
    return names


def parse_airports(airports: Iterable[str]) -> list[str]:
    """IATA airport codes, upper case, sorted, without repeats.

    :raises AccountError: a code that is not three letters.
    """
    codes = sorted({code.strip().upper() for code in airports if code.strip()})
    bad = [code for code in codes if not AIRPORT.fullmatch(code)]
    if bad:
        raise AccountError(f"not an airport code: {', '.join(bad)} (use IATA codes such as JFK)")
    return codes


def find_user(session: Session, username: str) -> User | None:
    """The user with this username (any case), or None."""
    return session.scalars(select(User).where(User.username == username.strip().lower())).one_or_none()


def get_user(session: Session, username: str) -> User:
    """The user with this username.

    :raises AccountError: no such user.
    """
    user = find_user(session, username)
    if user is None:
        raise AccountError(f"no user {username!r}")
    return user


def create_user(session: Session, username: str, roles: Iterable[str], *, display_name: str | None = None,
                email: str | None = None, airports: Iterable[str] = (),
                must_change_password: bool = True) -> tuple[User, str]:
    """A new user with a generated password, returned only now.

    :raises AccountError: a bad username, role or airport, or the username is taken.
    """
    name = normalise_username(username)
    if find_user(session, name) is not None:
        raise AccountError(f"user {name!r} exists already")
    password = generate_password()
    user = User(username=name, display_name=(display_name or "").strip() or name, email=(email or "").strip() or None,
                password_hash=hash_password(password), roles=parse_roles(roles), airports=parse_airports(airports),
                enabled=True, failed_sign_ins=0, must_change_password=must_change_password,
                password_changed_at=utcnow())
    session.add(user)
    session.flush()
    return user, password


def reset_password(session: Session, username: str) -> tuple[User, str]:
    """Give the user a new generated password (returned only now), to change at next sign-in; lifts a lockout.

    :raises AccountError: no such user.
    """
    user = get_user(session, username)
    password = generate_password()
    user.password_hash = hash_password(password)
    user.password_changed_at = now = utcnow()
    user.must_change_password = True
    user.failed_sign_ins, user.locked_until = 0, None
    end_user_sessions(session, user, now, SessionEnd.PASSWORD_RESET)
    session.flush()
    return user, password


def set_enabled(session: Session, username: str, enabled: bool) -> User:
    """Enable or disable a user; a disabled user cannot sign in and his open sessions end.

    :raises AccountError: no such user.
    """
    user = get_user(session, username)
    user.enabled = enabled
    if not enabled:
        end_user_sessions(session, user, utcnow(), SessionEnd.DISABLED)
    session.flush()
    return user


def sign_in(session: Session, username: str, password: str, lockout: Lockout, now: datetime) -> SignIn:
    """Check a username and password, counting failures; ``lockout.attempts`` failures in a row lock the account."""
    user = find_user(session, username)
    if user is None:
        spend_verification_time(password)
        return SignIn(SignInOutcome.UNKNOWN_USER)
    if user.locked_until is not None and user.locked_until > now:
        return SignIn(SignInOutcome.LOCKED, user)
    if not verify_password(user.password_hash, password):
        user.failed_sign_ins += 1
        if user.failed_sign_ins >= lockout.attempts:
            user.failed_sign_ins, user.locked_until = 0, now + lockout.duration
            outcome = SignInOutcome.LOCKED_NOW
        else:
            outcome = SignInOutcome.WRONG_PASSWORD
        session.flush()
        return SignIn(outcome, user)
    if not user.enabled:
        return SignIn(SignInOutcome.DISABLED, user)
    user.failed_sign_ins, user.locked_until, user.last_sign_in_at = 0, None, now
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    session.flush()
    return SignIn(SignInOutcome.SIGNED_IN, user)


def change_password(session: Session, user: User, current: str, new: str, min_length: int, now: datetime,
                    keep_session: int | None = None) -> list[str]:
    """Replace the user's password when ``current`` is right and ``new`` meets the policy, ending his sessions but
    ``keep_session``; else say what is wrong."""
    if not verify_password(user.password_hash, current):
        return ["the current password is wrong"]
    problems = password_problems(new, user.username, min_length)
    if new == current:
        problems.append("choose a password other than the current one")
    if problems:
        return problems
    user.password_hash = hash_password(new)
    user.password_changed_at = now
    user.must_change_password = False
    end_user_sessions(session, user, now, SessionEnd.PASSWORD_CHANGED, keep=keep_session)
    session.flush()
    return []


def ensure_admin(session: Session) -> str | None:
    """On first start, create the user ``admin`` (administrator) and return its generated password, shown once.

    Returns None, creating nothing, when an administrator or a user named ``admin`` exists already (a disabled
    administrator is not brought back: use ``gtas user`` for that).
    """
    administrator = UserRole.ADMINISTRATOR.value
    if find_user(session, FIRST_ADMINISTRATOR) is not None or any(
            administrator in roles for roles in session.scalars(select(User.roles))):
        return None
    user, password = create_user(session, FIRST_ADMINISTRATOR, [administrator], display_name="Administrator",
                                 must_change_password=False)
    add_event(session, "user.create", username="gtas:first start", object_kind="user", object_id=user.id,
              after=describe(user))
    return password


def list_users(session: Session) -> list[User]:
    """Every user, by username."""
    return list(session.scalars(select(User).order_by(User.username)))


def describe(user: User) -> dict[str, Any]:
    """What an administrator may change about a user, for the audit trail's before and after (no password hash)."""
    return {"username": user.username, "display_name": user.display_name, "email": user.email, "roles": user.roles,
            "airports": user.airports, "enabled": user.enabled, "must_change_password": user.must_change_password}
