"""Settings kept in the database: the risk-score bands (a change re-bands every assessed traveller at once) and the
retention periods the hourly retention job applies."""

from __future__ import annotations

from dataclasses import asdict

from flask import flash, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from gtas import settings
from gtas.model import AuditEvent
from gtas.settings import Bands
from gtas.web import audit
from gtas.web.admin.common import CHANGERS, READERS, bp, done
from gtas.web.auth.guard import roles
from gtas.web.auth.identity import signed_in_user
from gtas.web.database import get_session


def _page(problems: list[str], form: object, status: int = 200) -> tuple[str, int]:
    session = get_session()
    last_run = session.scalars(select(AuditEvent).where(AuditEvent.action == "retention.apply")
                               .order_by(AuditEvent.id.desc()).limit(1)).one_or_none()
    return render_template("admin/settings.html", bands=Bands.current(session), defaults=Bands.from_settings(),
                           bands_row=settings.updated(session, settings.BANDS),
                           retention=settings.retention(session),
                           retention_row=settings.updated(session, settings.RETENTION), last_run=last_run,
                           problems=problems, form=form, may_change=signed_in_user().has_role(*CHANGERS)), status


@bp.get("/settings")
@roles(*READERS)
def system_settings() -> tuple[str, int]:
    """The score bands and retention periods in force, and where they come from."""
    return _page([], {})


@bp.post("/settings/bands")
@roles(*CHANGERS)
def save_bands() -> ResponseReturnValue:
    """Store new band thresholds (high ≥ medium ≥ low > 0) and re-band every assessed traveller."""
    session = get_session()
    form = request.form
    before = asdict(Bands.current(session))
    try:
        bands = settings.check_bands(form.get("high", ""), form.get("medium", ""), form.get("low", ""))
    except settings.SettingError as exc:
        return _page([f"The bands were not saved: {exc}."], form, 400)
    moved = settings.save_bands(session, bands, signed_in_user().username)
    audit.record("settings.bands", object_kind="setting", object_id=settings.BANDS, before=before,
                 after=asdict(bands), details={"travellers_rebanded": moved})
    session.commit()
    flash(f"The bands are saved; {moved} traveller{'' if moved == 1 else 's'} changed band.", "info")
    return done(url_for("admin.system_settings"))


@bp.post("/settings/retention")
@roles(*CHANGERS)
def save_retention() -> ResponseReturnValue:
    """Store the retention periods (applied by the next hourly run of the retention job)."""
    session = get_session()
    form = request.form
    before = asdict(settings.retention(session))
    try:
        periods = settings.check_retention(form.get("depersonalise_months", ""), form.get("delete_months", ""),
                                           form.get("enabled") == "on")
    except settings.SettingError as exc:
        return _page([f"The retention periods were not saved: {exc}."], form, 400)
    settings.save_retention(session, periods, signed_in_user().username)
    audit.record("settings.retention", object_kind="setting", object_id=settings.RETENTION, before=before,
                 after=asdict(periods))
    session.commit()
    flash("The retention periods are saved; the retention job applies them within the hour.", "info")
    return done(url_for("admin.system_settings"))
