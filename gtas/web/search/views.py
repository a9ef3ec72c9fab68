"""The search page: one form, results with links to each traveller and flight; every search is audited."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue

from gtas.model import UserRole
from gtas.web import audit
from gtas.web.auth.guard import roles
from gtas.web.auth.identity import signed_in_user
from gtas.web.auth.navigation import menu
from gtas.web.auth.sessions import now
from gtas.web.database import get_session
from gtas.web.flights.board import countdown
from gtas.web.search.query import (
    AHEAD_DAYS,
    MAX_WINDOW_DAYS,
    PAST_DAYS,
    SearchError,
    SearchKind,
    read_query,
)
from gtas.web.search.service import SearchResults, search

bp = Blueprint("search", __name__, url_prefix="/search")
READERS = (UserRole.OFFICER, UserRole.SUPERVISOR, UserRole.AUDITOR)


def audit_search(results: SearchResults) -> None:
    """Audit a search: what was asked, how many travellers matched, which were shown (the caller commits)."""
    audit.record("search", object_kind="search", details={
        **results.query.describe(), "found": results.total,
        "shown": [row.traveller.id for row in results.rows]})


@bp.get("")
@roles(*READERS)
@menu("Search", 30)
def page() -> ResponseReturnValue:
    """The search form; with ``q`` given, the travellers found (400 with the reason when the search is malformed)."""
    moment = now()
    context = {"kinds": list(SearchKind), "args": request.args, "now": moment, "countdown": countdown,
               "past_days": PAST_DAYS, "ahead_days": AHEAD_DAYS, "max_days": MAX_WINDOW_DAYS}
    if not request.args.get("q", "").strip():
        return render_template("search/search.html", results=None, problem=None, **context)
    try:
        query = read_query(request.args, moment)
    except SearchError as exc:
        return render_template("search/search.html", results=None, problem=str(exc), **context), 400
    session = get_session()
    results = search(session, query, signed_in_user())
    audit_search(results)
    session.commit()
    return render_template("search/search.html", results=results, problem=None, **context)
