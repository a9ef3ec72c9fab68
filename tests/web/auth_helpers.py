"""Users, sessions, CSRF tokens and a settable clock for web tests (import these in any page's tests)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session, sessionmaker
from werkzeug.test import TestResponse

from gtas.model import User, UserRole
from gtas.web.auth import sessions as auth_sessions
from gtas.web.auth.accounts import create_user
from gtas.web.auth.passwords import hash_password
from gtas.web.auth.session_store import start_session

PASSWORD = "correct horse battery staple"
CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


class Clock:
    """A clock for ``app.extensions["gtas.clock"]`` that only moves when told."""

    def __init__(self, now: datetime | None = None) -> None:
        self.now = now or datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def install_clock(app: Flask) -> Clock:
    """Replace the application's clock by a settable one."""
    clock = Clock()
    app.extensions["gtas.clock"] = clock
    return clock


def add_user(sessions: sessionmaker[Session], username: str, *roles: UserRole, password: str = PASSWORD,
             must_change_password: bool = False, enabled: bool = True) -> int:
    """A user with the roles (default: officer) and the password; returns his id."""
    with sessions.begin() as session:
        user, _ = create_user(session, username, [role.value for role in roles or (UserRole.OFFICER,)],
                              display_name=username.title(), must_change_password=must_change_password)
        user.password_hash, user.enabled = hash_password(password), enabled
        session.flush()
        return user.id


def enter_session(app: Flask, client: FlaskClient, sessions: sessionmaker[Session], user_id: int) -> None:
    """Give the client a signed-in session of the user, begun now on the application's clock (no password)."""
    with sessions.begin() as session:
        token, _ = start_session(session, session.get_one(User, user_id), app.extensions["gtas.clock"](), None, None)
    with client.session_transaction() as cookie:
        cookie.permanent = True
        cookie[auth_sessions.TOKEN] = token


def sign_in_as(app: Flask, client: FlaskClient, sessions: sessionmaker[Session], *roles: UserRole) -> int:
    """Create a user with the roles and sign the client in as him; returns his id."""
    names = "-".join(role.value for role in roles) or "officer"
    user_id = add_user(sessions, f"as-{names}"[:64], *roles)
    enter_session(app, client, sessions, user_id)
    return user_id


def csrf_token(client: FlaskClient, path: str = "/auth/sign-in") -> str:
    """The CSRF token of the client's session, read from a page's form."""
    page = client.get(path)
    found = CSRF_FIELD.search(page.get_data(as_text=True))
    if found is None:
        raise AssertionError(f"{path} answered {page.status_code} without a CSRF token field")
    return found.group(1)


def sign_in(client: FlaskClient, username: str, password: str = PASSWORD, next_page: str | None = None) -> TestResponse:
    """Post the sign-in form as a browser would (with the CSRF token of the form)."""
    form = {"csrf_token": csrf_token(client), "username": username, "password": password}
    if next_page is not None:
        form["next"] = next_page
    return client.post("/auth/sign-in", data=form)


def post_form(client: FlaskClient, path: str, form: dict[str, str], token_from: str = "/") -> TestResponse:
    """Post a form of a signed-in page with the session's CSRF token."""
    return client.post(path, data={"csrf_token": csrf_token(client, token_from), **form})
