"""``/api/v1/flights``: the board's flights in a window, and one flight with its manifest (audited)."""

from __future__ import annotations

from typing import Any

from flask import abort, request

from gtas.model import Flight
from gtas.web import audit
from gtas.web.api.officer import API, PAGE, paged, refuse
from gtas.web.api.serialise import board_json, flight_json, manifest_json
from gtas.web.api.spec import Parameter
from gtas.web.auth.identity import signed_in_user
from gtas.web.auth.sessions import now
from gtas.web.database import get_session
from gtas.web.flights import board as flights_board
from gtas.web.flights.manifest import manifest
from gtas.web.flights.views import READERS

HOURS: dict[str, Any] = {"type": "integer", "minimum": 0, "maximum": flights_board.MAX_HOURS}
CODE: dict[str, Any] = {"type": "string", "pattern": "^[A-Za-z0-9]{2,3}$"}


@API.route("GET", "/flights", summary="Flights in a window", allowed=READERS, response="FlightPage", parameters=(
    Parameter("direction", "inbound (default) or outbound", {"type": "string", "enum": ["inbound", "outbound"]}),
    Parameter("past", "Hours before now the window begins (default 6).", HOURS),
    Parameter("ahead", "Hours after now the window ends (default 72).", HOURS),
    Parameter("airport", "IATA code of an airport at either end (one of yours).", CODE),
    Parameter("carrier", "IATA carrier code.", CODE),
    Parameter("hits", "1: only flights with open hits.", {"type": "string", "enum": ["0", "1"]}),
    Parameter("sort", "newest: latest arrival first.", {"type": "string", "enum": ["arrival", "newest"]}),
    PAGE))
def flights() -> dict[str, Any]:
    """Flights of the user's airports arriving (or leaving) in the window, soonest first, with counts of their
    travellers and open hits by kind and severity."""
    user = signed_in_user()
    filters, problems = flights_board.read_filters(request.args, user.airports)
    refuse(problems)
    found = flights_board.board(get_session(), filters, now(), user.airports)
    return paged("flights", [board_json(row) for row in found.rows], found.page, found.pages,
                 flights_board.PAGE_SIZE, found.total)


@API.route("GET", "/flights/<int:flight_id>", summary="A flight and its manifest", allowed=READERS,
           response="FlightManifest", errors=(401, 403, 404),
           parameters=(Parameter("flight_id", "The flight's id.", {"type": "integer"}, "path"),))
def flight(flight_id: int) -> dict[str, Any]:
    """The flight and every traveller still on it, those with open hits first (audited as a view of the
    manifest)."""
    session = get_session()
    found = session.get(Flight, flight_id)
    if found is None or not signed_in_user().covers(found.origin, found.destination):
        abort(404)
    rows = manifest(session, flight_id)
    audit.record("flight.view", object_kind="flight", object_id=flight_id,
                 details={"flight": found.designator, "departure_date": found.departure_date.isoformat(),
                          "travellers": len(rows), "via": "api"})
    session.commit()
    return {"flight": flight_json(found), "travellers": [manifest_json(row) for row in rows]}
