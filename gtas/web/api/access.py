"""Who calls the officers' API: a user's personal token (``Authorization: Bearer gtasu_…``) or his signed-in
browser session; then the route's roles, CSRF for a session's state-changing calls, and a rate limit per token.

The blueprint is exempt from the page guard and from blanket CSRF (``gtas.web.auth.init_app``'s ``token_apis``),
so this check runs instead, before every route of it: deny by default, as for pages.
"""

from __future__ import annotations

from flask import current_app, g, request

from gtas.ingest.tokens import TOKEN_PREFIX as INTAKE_PREFIX
from gtas.model import User
from gtas.web import audit
from gtas.web.api.user_tokens import authenticate_user_token
from gtas.web.auth import sessions
from gtas.web.auth.guard import access_of, may_open
from gtas.web.database import get_session
from gtas.web.errors import ApiError
from gtas.web.ratelimit import SlidingWindowLimit

CHALLENGE = 'Bearer realm="gtas"'
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def authenticate() -> None:
    """Before each route: find the caller, check the route's roles, CSRF and the token's rate limit.

    :raises ApiError: 401 without a live token or session, 403 for a role, password or intake token that does not
        open the route, 429 over the rate limit; a session's unsafe call without its CSRF token is refused (400).
    """
    view = current_app.view_functions[request.endpoint or ""]
    access = access_of(view)
    if access is not None and access.public:
        return
    header = request.headers.get("Authorization")
    user = _token_user(header) if header is not None else _session_user()
    g.gtas_user = user
    if not may_open(user, view):
        audit.record("auth.forbidden", details={"endpoint": request.endpoint, "path": request.path})
        get_session().commit()
        raise ApiError(403, "forbidden", "your roles do not give access to this endpoint")
    if header is None and request.method not in SAFE_METHODS:
        current_app.extensions["csrf"].protect()


def _session_user() -> User:
    user = sessions.resume(sessions.now())
    if user is None:
        raise ApiError(401, "authentication required",
                       "sign in, or send 'Authorization: Bearer <token>' with a personal API token",
                       {"WWW-Authenticate": CHALLENGE})
    if user.must_change_password:
        raise ApiError(403, "password change required", "choose a new password in the web application first")
    return user


def _token_user(header: str) -> User:
    scheme, _, secret = header.partition(" ")
    secret = secret.strip()
    if scheme.lower() != "bearer" or not secret:
        raise ApiError(401, "authentication required", "send the header 'Authorization: Bearer <token>' with a "
                       "personal API token", {"WWW-Authenticate": CHALLENGE})
    if secret.startswith(INTAKE_PREFIX):
        raise ApiError(403, "intake token", "airline and provider tokens only push messages; traveller data needs "
                       "a personal API token of a user")
    session = get_session()
    token = authenticate_user_token(session, secret, sessions.now())
    if token is None:
        raise ApiError(401, "invalid token", "the token is unknown, revoked or expired, or its user is disabled; "
                       "create a new one under Account → API tokens",
                       {"WWW-Authenticate": f'{CHALLENGE}, error="invalid_token"'})
    session.commit()
    limit: SlidingWindowLimit = current_app.extensions["gtas.rate_limit"]
    wait = limit.hit(("user_token", token.id))
    if wait is not None:
        raise ApiError(429, "too many requests",
                       f"at most {limit.limit} requests per minute per token; retry in {wait} s",
                       {"Retry-After": str(wait)})
    return token.user
