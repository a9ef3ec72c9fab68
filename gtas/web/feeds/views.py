"""Feed health: the dashboard, the message browser, one message's page, and re-processing a failed message.

Administrators and supervisors open these pages (a supervisor runs the shift and must know when a flight's data is
missing); only administrators re-process. Showing a message's raw text or parse result shows personal data: it is
audited, as is every re-processing with the message's state before and after.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from gtas.ingest.deliveries import Handling
from gtas.model import Channel, Message, MessageStatus, User, UserRole
from gtas.numbers import whole_number
from gtas.web import audit
from gtas.web.auth.guard import roles
from gtas.web.auth.identity import signed_in_user
from gtas.web.auth.navigation import menu
from gtas.web.auth.sessions import now
from gtas.web.charts import bar_chart, sparkline
from gtas.web.database import get_session, row_or_404, sessions
from gtas.web.feeds import browser, health
from gtas.web.feeds.raw import raw_text
from gtas.web.feeds.reprocess import NotFailedError, reprocess
from gtas.web.paging import page_links

bp = Blueprint("feeds", __name__, url_prefix="/feeds")
READERS = (UserRole.ADMINISTRATOR, UserRole.SUPERVISOR)
REPROCESSORS = (UserRole.ADMINISTRATOR,)
DEFAULT_WINDOW, DEFAULT_HORIZON = 24, 6


def _hours(name: str, allowed: tuple[int, ...], default: int, problems: list[str]) -> int:
    text = request.args.get(name, "").strip()
    if not text:
        return default
    hours = whole_number(text)
    if hours is None or hours not in allowed:
        problems.append(f"{name} must be one of {', '.join(map(str, allowed))} hours, not {text[:20]!r}")
        return default
    return hours


@bp.get("")
@roles(*READERS)
@menu("Feed health", 60)
def dashboard() -> str:
    """Traffic per carrier and hour, failures by reason, flights at risk and carrier coverage."""
    user = signed_in_user()
    problems: list[str] = []
    window = _hours("window", health.WINDOWS, DEFAULT_WINDOW, problems)
    horizon = _hours("horizon", health.HORIZONS, DEFAULT_HORIZON, problems)
    session = get_session()
    moment = now()
    traffic = health.traffic(session, moment, window)
    failures = health.failures(session, traffic.hours[0])
    at_risk, arriving = health.flights_at_risk(session, moment, horizon, user.airports)
    coverage = health.coverage(session, moment, window, user.airports)
    charts = {feed: sparkline([float(n) for n in traffic.per_hour(feed)], title=f"{label} messages per hour")
              for feed, label in ((health.API, "API"), (health.PNR, "PNR"), ("failed", "Failed"))}
    charts["shares"] = bar_chart([("API", coverage.share(coverage.sending_api)),
                                  ("PNR", coverage.share(coverage.sending_pnr))],
                                 title="Share of active carriers sending", unit="%")
    charts["failures"] = bar_chart([(_short(f.reason), float(f.count)) for f in failures[:8]],
                                   title="Failed messages by reason")
    return render_template("feeds/dashboard.html", traffic=traffic, failures=failures, at_risk=at_risk,
                           arriving=arriving, coverage=coverage, charts=charts, window=window, horizon=horizon,
                           windows=health.WINDOWS, horizons=health.HORIZONS, problems=problems, now=moment,
                           pnr_lead_hours=int(health.PNR_LEAD.total_seconds() // 3600))


def _short(reason: str, length: int = 18) -> str:
    return reason if len(reason) <= length else reason[: length - 1] + "…"


@bp.get("/messages")
@roles(*READERS)
def messages() -> str:
    """Stored messages, newest first, filtered by carrier, type, status, channel and receipt time (UTC)."""
    filters, problems = browser.read_filters(request.args)
    found = browser.browse(get_session(), filters)
    pages = page_links("feeds.messages", found.page, found.pages)
    return render_template("feeds/messages.html", found=found, filters=filters, problems=problems, pages=pages,
                           page_size=browser.PAGE_SIZE, statuses=list(MessageStatus), channels=list(Channel),
                           types=(*health.FEEDS, browser.NO_TYPE))


def _message(message_id: int, user: User) -> tuple[Message, list[Any]]:
    """The message and the flights it fed, when the user covers one of them (or every airport).

    :raise 404: no such message, or it fed no flight of the user's airports.
    """
    session = get_session()
    message = row_or_404(Message, message_id)
    flights = browser.fed_flights(session, message_id)
    if user.airports and not any(user.covers(flight.origin, flight.destination) for flight in flights):
        abort(404)
    return message, flights


@bp.get("/messages/<int:message_id>")
@roles(*READERS)
def message(message_id: int) -> str:
    """A message's metadata, its raw text with the segments its diagnostics name, the parse result and the flights
    it fed; audited (the raw text holds personal data)."""
    user = signed_in_user()
    session = get_session()
    found, flights = _message(message_id, user)
    diagnostics = [*found.errors, *found.warnings]
    travellers = browser.fed_travellers(session, message_id)
    parsed = browser.parse_result(found, current_app.config["CARD_KEY"])
    audit.record("message.view", object_kind="message", object_id=message_id,
                 traveller_id=travellers[0] if len(travellers) == 1 else None,
                 details={"status": str(found.status), "type": found.type, "travellers": travellers})
    session.commit()
    return render_template("feeds/message.html", message=found, flights=flights, diagnostics=diagnostics,
                           raw=raw_text(found.raw, diagnostics), parsed=json.dumps(parsed, indent=1,
                                                                                   ensure_ascii=False),
                           parsed_counts=_counts(parsed), may_reprocess=user.has_role(*REPROCESSORS),
                           failed=found.status in health.FAILED, travellers=len(travellers))


def _counts(parsed: dict[str, Any]) -> dict[str, int]:
    """What the parse result holds, in numbers."""
    records = parsed.get("messages") or []
    return {"messages": len(records), "errors": len(parsed.get("errors") or []),
            "warnings": len(parsed.get("warnings") or [])}


@bp.post("/messages/<int:message_id>/reprocess")
@roles(*REPROCESSORS)
def reprocess_message(message_id: int) -> ResponseReturnValue:
    """Process a failed message again through the intake's path; a message that is not failed is left alone."""
    user = signed_in_user()
    session = get_session()
    _message(message_id, user)
    session.commit()  # the request's transaction ends before processing opens its own
    page = url_for("feeds.message", message_id=message_id)
    config = current_app.config
    handling = Handling(config["CARD_KEY"], config["HOME_COUNTRY"], config["MAX_CONTENT_LENGTH"])
    try:
        result = reprocess(sessions(), message_id, handling, current_app.extensions.get("gtas.publisher"))
    except NotFailedError as exc:
        flash(f"Nothing was re-processed: {exc}.", "info")
        return redirect(page, code=303)
    audit.record("message.reprocess", object_kind="message", object_id=message_id, before=result.before,
                 after=result.after, details={"queued": result.queued})
    session.commit()
    if result.queued:
        flash("The message was handed to the workers; reload this page to see its new status.", "info")
    else:
        status = result.after["status"]
        flash(f"The message was re-processed: it is {status} now.",
              "error" if status in {s.value for s in health.FAILED} else "info")
    return redirect(page, code=303)
