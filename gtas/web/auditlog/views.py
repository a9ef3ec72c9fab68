"""The audit log: search the trail by user, action, traveller, object and time; an event with its before and after;
export as CSV. Auditors and administrators open it; every search, event shown and export is itself audited."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, render_template, request, url_for

from gtas.model import AuditEvent, UserRole
from gtas.web import audit
from gtas.web.auditlog import search
from gtas.web.auth.guard import roles
from gtas.web.auth.navigation import menu
from gtas.web.auth.sessions import now
from gtas.web.database import get_session, row_or_404
from gtas.web.flights.export import FORMATS, csv_bytes
from gtas.web.paging import page_links

bp = Blueprint("auditlog", __name__, url_prefix="/audit")
READERS = (UserRole.AUDITOR, UserRole.ADMINISTRATOR)


@bp.get("")
@roles(*READERS)
@menu("Audit log", 95)
def events() -> str:
    """A page of events, newest first; filters come from the query string."""
    filters, problems = search.read_filters(request.args)
    session = get_session()
    found = search.search(session, filters)
    audit.record("audit.search", details={"filters": filters.active, "shown": len(found.events)})
    session.commit()
    pages = page_links("auditlog.events", found.page, found.pages)
    active: dict[str, Any] = dict(filters.active)
    export = url_for("auditlog.export", **active)
    return render_template("auditlog/events.html", found=found, filters=filters, problems=problems, pages=pages,
                           page_size=search.PAGE_SIZE, actions=search.actions(session), export_url=export,
                           export_limit=search.EXPORT_LIMIT)


@bp.get("/<int:event_id>")
@roles(*READERS)
def event(event_id: int) -> str:
    """One event whole, its before and after compared field by field."""
    session = get_session()
    found = row_or_404(AuditEvent, event_id)
    audit.record("audit.view", object_kind="audit_event", object_id=event_id, traveller_id=found.traveller_id)
    session.commit()
    return render_template("auditlog/event.html", event=found, changes=search.changes(found.before, found.after))


@bp.get("/export.csv")
@roles(*READERS)
def export() -> Response:
    """The matching events as CSV (newest first, at most EXPORT_LIMIT), cells safe from formula injection."""
    filters, problems = search.read_filters(request.args)
    if problems:
        abort(400, description="; ".join(problems))
    session = get_session()
    rows = list(search.export_rows(session, filters))
    audit.record("audit.export", details={"filters": filters.active, "events": len(rows),
                                          "truncated": len(rows) >= search.EXPORT_LIMIT})
    session.commit()
    name = f"audit_{now():%Y%m%d_%H%M%S}.csv"
    return Response(csv_bytes(search.COLUMNS, rows), mimetype=FORMATS["csv"],
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
