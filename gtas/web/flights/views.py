"""The flights board and the flight page (manifest, parties, exports); every manifest shown or exported is audited."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, render_template, request, url_for
from flask.typing import ResponseReturnValue

from gtas.model import Airport, Flight, UserRole
from gtas.web import audit
from gtas.web.auth.guard import roles
from gtas.web.auth.identity import signed_in_user
from gtas.web.auth.navigation import menu
from gtas.web.auth.sessions import now
from gtas.web.database import get_session
from gtas.web.flights import board as flights_board
from gtas.web.flights.export import FORMATS, csv_bytes, xlsx_bytes
from gtas.web.flights.manifest import COLUMNS, manifest, parties
from gtas.web.paging import page_links

bp = Blueprint("flights", __name__, url_prefix="/flights")
READERS = (UserRole.OFFICER, UserRole.SUPERVISOR, UserRole.AUDITOR)
REFRESH_SECONDS = 60


@bp.get("")
@roles(*READERS)
@menu("Flights", 10)
def board() -> str:
    """Flights in the window with their travellers and open hits; filters come from the query string."""
    user = signed_in_user()
    filters, problems = flights_board.read_filters(request.args, user.airports)
    moment = now()
    found = flights_board.board(get_session(), filters, moment, user.airports)
    resort = _link(sort="arrival" if filters.newest_first else "newest", page=None)
    pages = page_links("flights.board", found.page, found.pages)
    return render_template("flights/board.html", board=found, filters=filters, problems=problems, now=moment,
                           countdown=flights_board.countdown, page_size=flights_board.PAGE_SIZE,
                           refresh_seconds=REFRESH_SECONDS, resort_url=resort, pages=pages)


def _link(**changes: Any) -> str:
    """The board's URL with the current filters, some changed (None: left out)."""
    args: dict[str, Any] = {**request.args.to_dict(), **changes}
    return url_for("flights.board", **{name: value for name, value in args.items() if value is not None})


@bp.get("/<int:flight_id>")
@roles(*READERS)
def flight(flight_id: int) -> ResponseReturnValue:
    """The manifest, hits first, and the parties travelling together; ``?format=csv|xlsx`` downloads it."""
    session = get_session()
    found = session.get(Flight, flight_id)
    user = signed_in_user()
    if found is None or not user.covers(found.origin, found.destination):
        abort(404)
    wanted = request.args.get("format", "")
    if wanted and wanted not in FORMATS:
        abort(400, description=f"format must be one of {', '.join(FORMATS)}, not {wanted[:20]!r}")
    rows = manifest(session, flight_id)
    details = {"flight": found.designator, "departure_date": found.departure_date.isoformat(),
               "travellers": len(rows)}
    if wanted:
        audit.record("flight.export", object_kind="flight", object_id=flight_id, details={**details, "format": wanted})
        session.commit()
        return _download(found, wanted, [row.cells() for row in rows])
    audit.record("flight.view", object_kind="flight", object_id=flight_id, details=details)
    session.commit()
    airport = session.get(Airport, found.destination)
    zone = flights_board.zone_name(found.arrival_local, airport.timezone if airport else None)
    return render_template("flights/flight.html", flight=found, rows=rows, parties=parties(rows),
                           columns=COLUMNS, zone=zone, now=now(),
                           countdown=flights_board.countdown)


def _download(flight: Flight, kind: str, rows: list[list[str]]) -> Response:
    """The manifest as a file named after the flight."""
    name = f"manifest_{flight.designator}_{flight.departure_date:%Y%m%d}.{kind}"
    body = csv_bytes(COLUMNS, rows) if kind == "csv" else xlsx_bytes(flight.designator, COLUMNS, rows)
    return Response(body, mimetype=FORMATS[kind],
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
