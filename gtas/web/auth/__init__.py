"""Who may use the UI: users and passwords, sign-in and sessions, roles per view (deny by default), CSRF."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from flask import Blueprint, Flask, Response, render_template, request
from flask.typing import ResponseReturnValue

HSTS = "max-age=31536000; includeSubDomains"


def init_app(app: Flask, token_apis: Iterable[Blueprint] = ()) -> None:
    """Session cookies, the deny-by-default guard, CSRF on every form (``token_apis``, authenticated by API tokens,
    are exempt from both), HSTS over HTTPS, and the sign-in and home pages."""
    from flask_wtf.csrf import CSRFError, CSRFProtect

    from gtas.model.base import utcnow
    from gtas.web.auth import guard, home, sessions, views

    token_apis = list(token_apis)
    app.config.update(SESSION_COOKIE_NAME="gtas_session", SESSION_COOKIE_HTTPONLY=True,
                      SESSION_COOKIE_SAMESITE="Lax", WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session
                      PERMANENT_SESSION_LIFETIME=timedelta(hours=float(app.config["SESSION_MAX_HOURS"])))
    app.session_interface = sessions.SessionCookies()
    app.extensions.setdefault("gtas.clock", utcnow)
    app.extensions["gtas.token_blueprints"] = {blueprint.name for blueprint in token_apis}
    app.before_request(guard.guard)  # before the CSRF check: a stranger is sent to sign in first
    csrf = CSRFProtect(app)
    for blueprint in token_apis:
        csrf.exempt(blueprint)
    app.register_error_handler(CSRFError, _csrf_refused)
    app.after_request(_strict_transport)
    app.context_processor(_page_context)
    views.init_app(app)
    app.register_blueprint(home.bp)


def _csrf_refused(exc: Exception) -> ResponseReturnValue:
    """A form posted without its CSRF token (or with a stale one): say so, and how to go on."""
    from gtas.web.auth.guard import API_PREFIX
    from gtas.web.errors import error_response

    if request.path.startswith(API_PREFIX):
        return error_response(400, "CSRF token missing or invalid",
                              "send the X-CSRFToken header of your session, or use an API token")
    return render_template("auth/csrf.html"), 400


def _strict_transport(response: Response) -> Response:
    """Tell browsers to keep to HTTPS once they reached the site over it."""
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    return response


def _page_context() -> dict[str, Any]:
    """What every page's layout shows: the signed-in user and his menu."""
    from gtas.web.auth.identity import current_user
    from gtas.web.auth.navigation import menu_for

    user = current_user()
    return {"current_user": user, "menu": menu_for(user) if user is not None else []}
