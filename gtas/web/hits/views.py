"""The priority queue and the forms that act on a hit: claim, assign (supervisors), release, decide; all audited."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort, flash, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from gtas.model import DispositionKind, Hit, HitKind, HitWork, User, UserRole
from gtas.model.watchlist import WatchlistSeverity as Severity
from gtas.web import audit
from gtas.web.auth.guard import roles
from gtas.web.auth.identity import signed_in_user
from gtas.web.auth.navigation import menu
from gtas.web.auth.sessions import now
from gtas.web.database import get_session
from gtas.web.flights.board import countdown
from gtas.web.hits import queue as hit_queue
from gtas.web.hits.work import DecisionError, assign, choose, claim, dispose, release, suppression_end, workers
from gtas.web.paging import page_links
from gtas.web.travellers.access import back_to, visible_traveller

bp = Blueprint("hits", __name__, url_prefix="/hits")
READERS = (UserRole.OFFICER, UserRole.SUPERVISOR, UserRole.AUDITOR)
DECIDERS = (UserRole.OFFICER, UserRole.SUPERVISOR)
REFRESH_SECONDS = 60


@bp.get("")
@roles(*READERS)
@menu("Priority queue", 20)
def queue() -> str:
    """Open hits across flights, most severe and soonest arriving first; filters come from the query string."""
    user = signed_in_user()
    session = get_session()
    filters, problems = hit_queue.read_filters(request.args)
    moment = now()
    found = hit_queue.queue(session, filters, user, moment)
    audit.record("hits.queue", details={"filters": request.args.to_dict(), "shown": len(found.rows),
                                        "travellers": sorted({row.traveller.id for row in found.rows})})
    session.commit()
    pages = page_links("hits.queue", found.page, found.pages)
    return render_template("hits/queue.html", queue=found, filters=filters, problems=problems, now=moment,
                           countdown=countdown, statuses=list(hit_queue.WorkStatus), kinds=list(HitKind),
                           severities=list(Severity)[::-1], user=user, may_decide=user.has_role(*DECIDERS),
                           may_assign=user.has_role(UserRole.SUPERVISOR), pages=pages,
                           workers=workers(session) if user.has_role(UserRole.SUPERVISOR) else [],
                           refresh_seconds=REFRESH_SECONDS, page_size=hit_queue.PAGE_SIZE)


def _hit(hit_id: int, user: User) -> Hit:
    """The hit, when its traveller is on the user's airports.

    :raise 404: no such hit, or not on the user's airports.
    """
    session = get_session()
    hit = session.get(Hit, hit_id)
    if hit is None:
        abort(404)
    visible_traveller(session, hit.traveller_id, user)
    return hit


@bp.post("/<int:hit_id>/claim")
@roles(*DECIDERS)
def claim_hit(hit_id: int) -> ResponseReturnValue:
    """Take the hit to work on it."""
    user = signed_in_user()
    hit = _hit(hit_id, user)
    return _act(hit, "hit.claim", lambda: claim(get_session(), hit, user, now()), "You hold this hit now.")


@bp.post("/<int:hit_id>/release")
@roles(*DECIDERS)
def release_hit(hit_id: int) -> ResponseReturnValue:
    """Hand the hit back to the queue (the holder, or a supervisor)."""
    user = signed_in_user()
    hit = _hit(hit_id, user)
    return _act(hit, "hit.release", lambda: release(get_session(), hit, user), "The hit is back in the queue.")


@bp.post("/<int:hit_id>/assign")
@roles(UserRole.SUPERVISOR)
def assign_hit(hit_id: int) -> ResponseReturnValue:
    """Give the hit to an officer (form field ``assignee``: his user name)."""
    user = signed_in_user()
    hit = _hit(hit_id, user)
    name = request.form.get("assignee", "").strip().lower()
    assignee = get_session().scalar(select(User).where(User.username == name)) if name else None
    if assignee is None:
        flash(f"The hit was not assigned: there is no user {name!r}." if name else
              "The hit was not assigned: choose whom to give it to.", "error")
        return back_to(url_for("hits.queue"))
    return _act(hit, "hit.assign", lambda: assign(get_session(), hit, assignee, user, now()),
                f"The hit is assigned to {assignee.display_name}.", details={"assignee": assignee.username})


def _act(hit: Hit, action: str, change: Callable[[], object], done: str,
         details: dict[str, Any] | None = None) -> ResponseReturnValue:
    """Do a change of the hit's work state, audit it with the state before and after, and go back."""
    session = get_session()
    before = _work_state(hit)
    try:
        change()
    except DecisionError as exc:
        session.rollback()
        flash(f"Not done: {exc}.", "error")
        return back_to(url_for("hits.queue"))
    audit.record(action, object_kind="hit", object_id=hit.id, traveller_id=hit.traveller_id, details=details,
                 before=before, after=_work_state(hit))
    session.commit()
    flash(done, "info")
    return back_to(url_for("hits.queue"))


def _work_state(hit: Hit) -> dict[str, Any]:
    work = get_session().get(HitWork, hit.id)
    return {"claimed_by": work.claimed_by if work else None, "assigned_to": work.assigned_to if work else None}


@bp.post("/<int:hit_id>/disposition")
@roles(*DECIDERS)
def decide(hit_id: int) -> ResponseReturnValue:
    """Record a decision (fields ``disposition``, ``notes``; for "cleared", ``suppress_until`` (a date) and
    ``suppress_reason`` also suppress the cause for the person until the end of that day, UTC)."""
    session = get_session()
    user = signed_in_user()
    hit = _hit(hit_id, user)
    page = url_for("travellers.traveller", traveller_id=hit.traveller_id, _anchor=f"hit-{hit.id}")
    try:
        kind = choose(DispositionKind, request.form.get("disposition", ""), "decision")
        until = suppression_end(request.form.get("suppress_until", ""))
        disposition = dispose(session, hit, kind, request.form.get("notes", ""), user, now(), suppress_until=until,
                              suppress_reason=request.form.get("suppress_reason", "").strip())
    except DecisionError as exc:
        session.rollback()
        flash(f"The decision was not recorded: {exc}.", "error")
        return back_to(page)
    audit.record("hit.disposition", object_kind="hit", object_id=hit.id, traveller_id=hit.traveller_id,
                 after={"disposition": kind.value, "notes": disposition.notes,
                        "suppressed_until": until.isoformat() if until else None})
    session.commit()
    flash(f"Decision recorded: {kind.label}" + (f"; the hit is withdrawn until {until:%Y-%m-%d}" if until else "")
          + ".", "info")
    return back_to(page)

