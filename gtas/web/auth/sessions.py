"""The browser's side of a signed-in session: the cookie holds the session's token, the server its record.

A session ends at sign-out, after idle time, after the longest allowed time, or when the account changes (password
reset or changed elsewhere, user disabled); the reason is flashed on the sign-in page.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import Flask, current_app, flash, has_request_context, request, session
from flask.sessions import SecureCookieSessionInterface

from gtas.model import User
from gtas.web.audit import record
from gtas.web.auth.identity import current_session, set_current
from gtas.web.auth.session_store import (
    SessionEnd,
    Timeouts,
    end_session,
    resume_session,
    start_session,
)
from gtas.web.database import get_session

TOKEN = "session_token"  # key in the cookie

ENDED = {
    SessionEnd.SIGNED_OUT: "This session was signed out. Please sign in again.",
    SessionEnd.IDLE: "You were signed out after {idle:g} minutes without activity. Please sign in again.",
    SessionEnd.MAXIMUM: "You were signed out because sessions last at most {maximum:g} h. Please sign in again.",
    SessionEnd.PASSWORD_CHANGED: "You were signed out because your account changed. Please sign in again.",
    SessionEnd.PASSWORD_RESET: "You were signed out because your account changed. Please sign in again.",
    SessionEnd.DISABLED: "You were signed out because your account changed. Please sign in again.",
}


class SessionCookies(SecureCookieSessionInterface):
    """Signed session cookies marked Secure as SECURE_COOKIES says: "true", "false", or "auto" (over HTTPS)."""

    def get_cookie_secure(self, app: Flask) -> bool:
        setting = app.config["SECURE_COOKIES"]
        return setting == "true" or (setting == "auto" and has_request_context() and request.is_secure)


def now() -> datetime:
    """The application's clock (UTC); tests replace it to move time on."""
    clock = current_app.extensions["gtas.clock"]
    moment: datetime = clock()
    return moment


def timeouts() -> Timeouts:
    """The application's idle and maximum session times."""
    return Timeouts(timedelta(minutes=float(current_app.config["SESSION_IDLE_MINUTES"])),
                    timedelta(hours=float(current_app.config["SESSION_MAX_HOURS"])))


def begin(user: User, at: datetime) -> None:
    """Start a fresh session for the user (nothing of the cookie before sign-in is kept); the caller commits."""
    token, started = start_session(get_session(), user, at, request.remote_addr, request.user_agent.string or None)
    session.clear()
    session.permanent = True
    session[TOKEN] = token
    set_current(started)


def end(at: datetime) -> None:
    """Sign out: end the session on the server and forget it in the browser; the caller commits."""
    live = current_session()
    if live is not None:
        end_session(get_session(), live, at, SessionEnd.SIGNED_OUT)
    session.clear()
    set_current(None)


def resume(at: datetime) -> User | None:
    """The user of this request's session, its activity noted; None when there is none, or it ended (the reason
    flashed, and audited when it ran out just now)."""
    token = session.get(TOKEN)
    if not isinstance(token, str):
        return None
    database = get_session()
    result = resume_session(database, token, at, timeouts())
    if result.found is not None and result.ended is None:
        database.commit()  # the activity noted
        set_current(result.found)
        return result.found.user
    session.clear()
    set_current(None)
    if result.ended is not None:
        flash(ENDED[result.ended].format(idle=current_app.config["SESSION_IDLE_MINUTES"],
                                         maximum=current_app.config["SESSION_MAX_HOURS"]), "info")
    if result.found is not None and result.ended_now:
        record("auth.session_ended", user=result.found.user, details={"reason": str(result.ended)})
    database.commit()
    return None
