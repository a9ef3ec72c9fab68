"""Deny by default: a view opens only to a signed-in user holding one of the roles it declares, unless public.

Declare access on each view, in any order with the route decorator::

    @bp.get("/flights")
    @roles(UserRole.OFFICER, UserRole.SUPERVISOR)
    def board() -> str: ...

A view that declares nothing is refused to everyone (403), and ``tests/web/test_auth.py`` walks the URL map to check
that every non-public route refuses a request without a session.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import current_app, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from gtas.model import User, UserRole
from gtas.web import audit
from gtas.web.auth import sessions
from gtas.web.database import get_session
from gtas.web.errors import ApiError

View = TypeVar("View", bound=Callable[..., Any])
ACCESS = "gtas_access"  # attribute of a view function
API_PREFIX = "/api/"  # requests here get JSON errors instead of pages
PASSWORD_ENDPOINTS = frozenset({"auth.change_password", "auth.sign_out"})  # open while a password must change


@dataclass(frozen=True, slots=True)
class Access:
    """Who may open a view: anyone (public), or a signed-in user holding one of ``roles``."""

    public: bool
    roles: frozenset[UserRole]


def _declare(view: View, access: Access) -> View:
    setattr(view, ACCESS, access)
    return view


def public(view: View) -> View:
    """Open the view to everyone, signed in or not (sign-in page, health)."""
    return _declare(view, Access(True, frozenset()))


def signed_in(view: View) -> View:
    """Open the view to every signed-in user, whatever his roles."""
    return _declare(view, Access(False, frozenset(UserRole)))


def roles(*allowed: UserRole) -> Callable[[View], View]:
    """Open the view to signed-in users holding at least one of the roles."""
    if not allowed:
        raise ValueError("name at least one role (or use @signed_in / @public)")
    return lambda view: _declare(view, Access(False, frozenset(allowed)))


def access_of(view: Callable[..., Any]) -> Access | None:
    """What the view declared, or None when it declared nothing (then nobody may open it)."""
    access: Access | None = getattr(view, ACCESS, None)
    return access


def may_open(user: User, view: Callable[..., Any]) -> bool:
    """Whether the user may open the view."""
    access = access_of(view)
    return access is not None and (access.public or user.has_role(*access.roles))


def is_public(endpoint: str) -> bool:
    """Whether the endpoint needs no signed-in user: static files, token-authenticated APIs, public views."""
    if endpoint == "static" or endpoint.endswith(".static"):
        return True
    blueprint = endpoint.rpartition(".")[0]
    if blueprint and blueprint in current_app.extensions["gtas.token_blueprints"]:
        return True
    access = access_of(current_app.view_functions[endpoint])
    return access is not None and access.public


def guard() -> ResponseReturnValue | None:
    """Before every request: let public endpoints through; else resume the session and check the view's roles."""
    endpoint = request.endpoint
    if endpoint is None or endpoint not in current_app.view_functions or is_public(endpoint):
        return None  # unknown URLs answer 404 / 405 as usual
    user = sessions.resume(sessions.now())
    if user is None:
        if request.path.startswith(API_PREFIX):
            raise ApiError(401, "authentication required", "sign in, or send an API token")
        target = local_target(request.full_path) if request.method == "GET" else None
        return redirect(url_for("auth.sign_in", next=target))
    if user.must_change_password and endpoint not in PASSWORD_ENDPOINTS:
        return redirect(url_for("auth.change_password"))
    if not may_open(user, current_app.view_functions[endpoint]):
        audit.record("auth.forbidden", details={"endpoint": endpoint, "path": request.path})
        get_session().commit()
        if request.path.startswith(API_PREFIX):
            raise ApiError(403, "forbidden", "your roles do not give access to this endpoint")
        return render_template("auth/forbidden.html"), 403
    return None


def local_target(target: str | None) -> str | None:
    """``target`` when it is a path on this site (where to go after signing in), else None: no open redirects."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target.removesuffix("?") or None
