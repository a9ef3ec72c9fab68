"""The user the current request acts for, and his session, once the guard has resumed it."""

from __future__ import annotations

from flask import g

from gtas.model import User, UserSession


def current_user() -> User | None:
    """The signed-in user of this request, or None (public pages, or not signed in)."""
    user: User | None = g.get("gtas_user")
    return user


def current_session() -> UserSession | None:
    """The session this request came with, while it lasts."""
    record: UserSession | None = g.get("gtas_session")
    return record


def set_current(record: UserSession | None) -> None:
    """Make the session's user the one this request acts for (None: nobody)."""
    g.gtas_session = record
    g.gtas_user = record.user if record is not None else None


def signed_in_user() -> User:
    """The signed-in user, in a view the guard let through only with one.

    :raises RuntimeError: called where nobody is signed in (a public view).
    """
    user = current_user()
    if user is None:
        raise RuntimeError("no user is signed in: this view must not be public")
    return user
