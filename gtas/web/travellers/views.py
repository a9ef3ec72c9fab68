"""The traveller page and the outcome form (also a page of its own for a phone at the gate); every view audited."""

from __future__ import annotations

from flask import Blueprint, flash, render_template, request, url_for
from flask.typing import ResponseReturnValue

from gtas.model import DispositionKind, OutcomeKind, SeizureKind, UserRole
from gtas.web import audit
from gtas.web.auth.guard import roles
from gtas.web.auth.identity import signed_in_user
from gtas.web.auth.sessions import now
from gtas.web.database import get_session
from gtas.web.flights.board import countdown, zone_name
from gtas.web.hits.work import DecisionError, choose, record_outcome, workers
from gtas.web.travellers.access import back_to, visible_traveller
from gtas.web.travellers.profile import traveller_page

bp = Blueprint("travellers", __name__, url_prefix="/travellers")
READERS = (UserRole.OFFICER, UserRole.SUPERVISOR, UserRole.AUDITOR)
DECIDERS = (UserRole.OFFICER, UserRole.SUPERVISOR)


@bp.get("/<int:traveller_id>")
@roles(*READERS)
def traveller(traveller_id: int) -> ResponseReturnValue:
    """Everything known about the traveller, his hits explained, and the forms to decide."""
    session = get_session()
    user = signed_in_user()
    found = visible_traveller(session, traveller_id, user)
    page = traveller_page(session, found)
    audit.record("traveller.view", object_kind="traveller", object_id=traveller_id, traveller_id=traveller_id,
                 details={"flight": page.flight.designator, "hits": len(page.hits)})
    session.commit()
    return render_template("travellers/traveller.html", page=page, t=found, flight=page.flight,
                           zone=zone_name(page.flight.arrival_local, page.zone), countdown=countdown, now=now(),
                           may_decide=user.has_role(*DECIDERS), may_assign=user.has_role(UserRole.SUPERVISOR),
                           workers=workers(session) if user.has_role(UserRole.SUPERVISOR) else [], user=user,
                           outcomes=list(OutcomeKind), seizures=list(SeizureKind), dispositions=list(DispositionKind))


@bp.get("/<int:traveller_id>/outcome")
@roles(*DECIDERS)
def outcome_form(traveller_id: int) -> ResponseReturnValue:
    """The outcome form alone, sized for a phone at the arrival gate."""
    session = get_session()
    found = visible_traveller(session, traveller_id, signed_in_user())
    audit.record("traveller.view", object_kind="traveller", object_id=traveller_id, traveller_id=traveller_id,
                 details={"page": "outcome form"})
    session.commit()
    return render_template("travellers/outcome.html", t=found, outcomes=list(OutcomeKind), seizures=list(SeizureKind))


@bp.post("/<int:traveller_id>/outcome")
@roles(*DECIDERS)
def record(traveller_id: int) -> ResponseReturnValue:
    """Record what the inspection found (form fields ``outcome``, ``seizure``, ``notes``)."""
    session = get_session()
    user = signed_in_user()
    found = visible_traveller(session, traveller_id, user)
    page = url_for("travellers.traveller", traveller_id=traveller_id)
    try:
        kind = choose(OutcomeKind, request.form.get("outcome", ""), "outcome")
        seizure_text = request.form.get("seizure", "").strip()
        seizure = choose(SeizureKind, seizure_text, "kind of seizure") if seizure_text else None
        outcome = record_outcome(session, found, kind, seizure, request.form.get("notes", ""), user, now())
    except DecisionError as exc:
        session.rollback()
        flash(f"The outcome was not recorded: {exc}.", "error")
        return back_to(page)
    audit.record("traveller.outcome", object_kind="outcome", object_id=outcome.id, traveller_id=traveller_id,
                 after={"outcome": kind.value, "seizure": seizure.value if seizure else None, "notes": outcome.notes})
    session.commit()
    flash(f"Outcome recorded: {kind.label}{f' ({seizure.value})' if seizure else ''}.", "info")
    return back_to(page)

