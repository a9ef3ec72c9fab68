"""API token authentication and the per-token rate limit: every API request needs a live token (deny by default)."""

from __future__ import annotations

from flask import Flask, current_app, g, request

from gtas.ingest.tokens import authenticate
from gtas.model import ApiToken
from gtas.web.database import get_session
from gtas.web.errors import ApiError
from gtas.web.ratelimit import SlidingWindowLimit

CHALLENGE = 'Bearer realm="gtas"'


def init_app(app: Flask) -> None:
    """Give the application its rate limit (RATE_LIMIT_PER_MINUTE requests per token)."""
    app.extensions["gtas.rate_limit"] = SlidingWindowLimit(int(app.config["RATE_LIMIT_PER_MINUTE"]))


def require_token() -> None:
    """Authenticate the request's bearer token into ``g.api_token``, then count it against the rate limit.

    :raises ApiError: 401 without a live token, 429 over the limit.
    """
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(401, "authentication required",
                       "send the header 'Authorization: Bearer <token>' with an API token issued for your party",
                       {"WWW-Authenticate": CHALLENGE})
    session = get_session()
    found = authenticate(session, token.strip())
    if found is None:
        raise ApiError(401, "invalid token", "the token is unknown or revoked; ask the GTAS administrators for one",
                       {"WWW-Authenticate": f'{CHALLENGE}, error="invalid_token"'})
    session.commit()
    limit: SlidingWindowLimit = current_app.extensions["gtas.rate_limit"]
    wait = limit.hit(found.id)
    if wait is not None:
        raise ApiError(429, "too many requests",
                       f"at most {limit.limit} requests per minute per token; retry in {wait} s",
                       {"Retry-After": str(wait)})
    g.api_token = found


def current_token() -> ApiToken:
    """The token that authenticated this request."""
    token: ApiToken = g.api_token
    return token
