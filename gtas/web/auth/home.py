"""The home page a user lands on after signing in, and the health check that load balancers poll."""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, render_template
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from gtas.model import UserRole
from gtas.web.auth.guard import public, signed_in
from gtas.web.auth.identity import signed_in_user
from gtas.web.auth.navigation import menu
from gtas.web.database import get_session

bp = Blueprint("home", __name__)
log = logging.getLogger(__name__)


@bp.get("/")
@signed_in
@menu("Home", 0)
def index() -> str:
    """Who is signed in, with which roles and airports, and the areas those roles open."""
    user = signed_in_user()
    return render_template("home.html", user=user, roles=[UserRole(role) for role in user.roles])


@bp.get("/health")
@public
def health() -> tuple[dict[str, Any], int]:
    """200 while the database answers, else 503 (no detail: this page is public)."""
    try:
        get_session().execute(text("SELECT 1"))
    except SQLAlchemyError:
        log.exception("health check: the database does not answer")
        return {"status": "unavailable"}, 503
    return {"status": "ok"}, 200
