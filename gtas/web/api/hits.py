"""``/api/v1/hits``: the priority queue of open hits, with the queue page's filters (audited)."""

from __future__ import annotations

from typing import Any

from flask import request

from gtas.model import HitKind
from gtas.model.watchlist import WatchlistSeverity as Severity
from gtas.web import audit
from gtas.web.api.officer import API, PAGE, paged, refuse
from gtas.web.api.serialise import queue_json
from gtas.web.api.spec import Parameter
from gtas.web.auth.identity import signed_in_user
from gtas.web.auth.sessions import now
from gtas.web.database import get_session
from gtas.web.hits import queue as hit_queue
from gtas.web.hits.views import READERS


@API.route("GET", "/hits", summary="The priority queue", allowed=READERS, response="HitPage", parameters=(
    Parameter("status", "open (undecided, default), claimed, mine (held by you) or decided.",
              {"type": "string", "enum": [s.value for s in hit_queue.WorkStatus]}),
    Parameter("kind", "rule, watchlist or link.", {"type": "string", "enum": [k.value for k in HitKind]}),
    Parameter("category", "The rule's or watchlist's category.", {"type": "string", "pattern": "^[a-z_]{1,50}$"}),
    Parameter("severity", "Only hits of this severity.", {"type": "string", "enum": [s.value for s in Severity]}),
    Parameter("flight", "Only hits on this flight (id).", {"type": "integer"}),
    PAGE))
def hits() -> dict[str, Any]:
    """Open hits of travellers on the user's airports, most severe first, then the soonest arrival."""
    user = signed_in_user()
    filters, problems = hit_queue.read_filters(request.args)
    refuse(problems)
    session = get_session()
    found = hit_queue.queue(session, filters, user, now())
    audit.record("hits.queue", details={"filters": request.args.to_dict(), "shown": len(found.rows), "via": "api",
                                        "travellers": sorted({row.traveller.id for row in found.rows})})
    session.commit()
    return paged("hits", [queue_json(row) for row in found.rows], found.page, found.pages, hit_queue.PAGE_SIZE,
                 found.total)
