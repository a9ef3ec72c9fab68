"""Which travellers a user may see (those on flights of his airports), and where a decision form returns to."""

from __future__ import annotations

from flask import abort, redirect, request
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from gtas.model import Flight, Traveller, User
from gtas.web.auth.guard import local_target


def visible_traveller(session: Session, traveller_id: int, user: User) -> Traveller:
    """The traveller, when he is on a flight of one of the user's airports (every airport for a user without any).

    :raise 404: no such traveller, or not on the user's airports (which is not told apart, on purpose).
    """
    traveller = session.get(Traveller, traveller_id)
    if traveller is None:
        abort(404)
    flight = session.get_one(Flight, traveller.flight_id)
    if not user.covers(flight.origin, flight.destination):
        abort(404)
    return traveller


def back_to(default: str) -> Response:
    """After a form: the page the form named in ``next`` (a path on this site), else ``default``."""
    return redirect(local_target(request.form.get("next")) or default, code=303)
