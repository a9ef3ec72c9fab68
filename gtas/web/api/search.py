"""``/api/v1/search``: the search page's service behind JSON, audited the same way."""

from __future__ import annotations

from typing import Any

from flask import request

from gtas.web.api.officer import API
from gtas.web.api.serialise import search_json
from gtas.web.api.spec import Parameter
from gtas.web.auth.identity import signed_in_user
from gtas.web.auth.sessions import now
from gtas.web.database import get_session
from gtas.web.errors import ApiError
from gtas.web.search.query import MAX_LIMIT, MAX_TEXT, SearchError, SearchKind, read_query
from gtas.web.search.service import search as run_search
from gtas.web.search.views import READERS, audit_search

DAY: dict[str, Any] = {"type": "string", "format": "date"}


@API.route("GET", "/search", summary="Search travellers", allowed=READERS, response="SearchResults", parameters=(
    Parameter("q", "What to search for.", {"type": "string", "minLength": 1, "maxLength": MAX_TEXT}, required=True),
    Parameter("kind", "name (default: fuzzy, as screening matches), document, locator, phone, email or flight.",
              {"type": "string", "enum": [kind.value for kind in SearchKind]}),
    Parameter("from", "First arrival date (UTC) searched; default a week ago.", DAY),
    Parameter("to", "Last arrival date (UTC) searched; default three days ahead.", DAY),
    Parameter("born", "Name searches: date of birth, YYYY, YYYY-MM or YYYY-MM-DD.", {"type": "string"}),
    Parameter("date", "Flight searches: the local departure date.", DAY),
    Parameter("limit", "How many results at most.", {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT})))
def search() -> dict[str, Any]:
    """Travellers on the user's airports in the window found by name (with score and why), document number (O/0,
    I/1 tolerant), PNR locator, phone, e-mail or flight; best match first."""
    try:
        query = read_query(request.args, now())
    except SearchError as exc:
        raise ApiError(400, "bad search", str(exc)) from exc
    session = get_session()
    results = run_search(session, query, signed_in_user())
    audit_search(results)
    session.commit()
    return {"query": query.describe(), "total": results.total, "results": [search_json(row) for row in results.rows]}
