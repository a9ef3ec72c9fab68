"""Watchlist files in the browser: import (upload, the dry-run diff, then the confirmation that applies exactly what
was shown), export as CSV or Excel, and the re-screening each change asked for."""

from __future__ import annotations

import tempfile
from pathlib import Path

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import func, select

from gtas.model import EntryAction, EntryStatus, Watchlist, WatchlistEntry, WatchlistUpload, WatchlistVersion
from gtas.rules.watchlist_file import COLUMNS, csv_text, write_watchlist_file
from gtas.rules.watchlists import ImportPlan, WatchlistError, export_rows
from gtas.web import audit
from gtas.web.auth.guard import roles
from gtas.web.auth.identity import signed_in_user
from gtas.web.auth.sessions import now
from gtas.web.database import get_session, row_or_404
from gtas.web.flights.export import FORMATS
from gtas.web.watchlists import rescreens, uploads
from gtas.web.watchlists.views import EDITORS, READERS, bp

SHOWN_CHANGES = 500  # per kind of change on the dry-run page
REFRESH_SECONDS = 3  # the re-screening page reloads itself until the run is done


@bp.get("/<int:watchlist_id>/import")
@roles(*EDITORS)
def import_form(watchlist_id: int) -> str:
    """The upload form, with the file format."""
    return render_template("watchlists/import.html", watchlist=row_or_404(Watchlist, watchlist_id), columns=COLUMNS)


@bp.post("/<int:watchlist_id>/import")
@roles(*EDITORS)
def dry_run(watchlist_id: int) -> ResponseReturnValue:
    """Stage the uploaded file (field ``file``: .csv or .xlsx) and show what importing it would change."""
    session = get_session()
    watchlist = row_or_404(Watchlist, watchlist_id)
    sent = request.files.get("file")
    content = sent.read() if sent is not None else b""
    if sent is None or not sent.filename or not content:
        return render_template("watchlists/import.html", watchlist=watchlist, columns=COLUMNS,
                               problem="Choose a CSV or Excel (.xlsx) file that is not empty."), 400
    upload, plan = uploads.stage(session, watchlist, sent.filename, content, signed_in_user().username, now())
    audit.record("watchlist.import.dry_run", object_kind="watchlist", object_id=watchlist.id,
                 details={"file": upload.filename, "sha256": upload.sha256, **_counts(plan)})
    session.commit()
    return _dry_run_page(watchlist, upload, plan, stale=False)


@bp.post("/<int:watchlist_id>/import/<int:upload_id>")
@roles(*EDITORS)
def confirm_import(watchlist_id: int, upload_id: int) -> ResponseReturnValue:
    """Apply the staged file as its dry run showed it (form field ``digest``); when the list changed meanwhile so
    that the file would do something else, show the new dry run instead."""
    session = get_session()
    user = signed_in_user()
    watchlist = session.scalar(select(Watchlist).where(Watchlist.id == watchlist_id).with_for_update())
    upload = session.get(WatchlistUpload, upload_id)
    mine = upload is not None and watchlist is not None and upload.uploaded_by == user.username
    if watchlist is None or upload is None or not mine or upload.watchlist_id != watchlist.id:
        abort(404)  # another user's upload is not his to confirm
    before = {"version": watchlist.version, "active": _active(watchlist)}
    filename, sha256 = upload.filename, upload.sha256
    try:
        version = uploads.commit(session, upload, watchlist, request.form.get("digest", ""), user.username)
    except uploads.StaleUploadError as exc:
        upload.plan_digest = uploads.digest(exc.plan)
        session.commit()
        return _dry_run_page(watchlist, upload, exc.plan, stale=True), 409
    except WatchlistError as exc:
        session.rollback()
        flash(f"Nothing was imported: {exc}.", "error")
        return redirect(url_for("watchlists.import_form", watchlist_id=watchlist_id), code=303)
    audit.record("watchlist.import", object_kind="watchlist", object_id=watchlist.id, before=before,
                 after={"version": watchlist.version, "active": _active(watchlist)},
                 details={"file": filename, "sha256": sha256, "summary": version.summary if version else "nothing"})
    session.commit()
    if version is None or version.rescreen_id is None:
        flash(f"The file changes nothing in “{watchlist.name}”.", "info")
        return redirect(url_for("watchlists.entries", watchlist_id=watchlist.id), code=303)
    flash(f"Imported {filename} into “{watchlist.name}”, now version {version.version}: {version.summary}.", "info")
    return redirect(url_for("watchlists.rescreen", rescreen_id=version.rescreen_id), code=303)


def _dry_run_page(watchlist: Watchlist, upload: WatchlistUpload, plan: ImportPlan, *, stale: bool) -> str:
    shown = {action: [c for c in plan.changes if c.action is action][:SHOWN_CHANGES] for action in EntryAction}
    return render_template("watchlists/dry_run.html", watchlist=watchlist, upload=upload, plan=plan, shown=shown,
                           counts=_counts(plan), stale=stale, actions=[EntryAction.ADDED, EntryAction.CHANGED,
                                                                        EntryAction.REMOVED],
                           limit=SHOWN_CHANGES)


def _counts(plan: ImportPlan) -> dict[str, int]:
    return {"added": plan.count(EntryAction.ADDED), "changed": plan.count(EntryAction.CHANGED),
            "removed": plan.count(EntryAction.REMOVED), "unchanged": plan.unchanged, "errors": len(plan.errors)}


def _active(watchlist: Watchlist) -> int:
    return get_session().scalar(select(func.count()).select_from(WatchlistEntry).where(
        WatchlistEntry.watchlist_id == watchlist.id, WatchlistEntry.status == EntryStatus.ACTIVE)) or 0


@bp.get("/<int:watchlist_id>/export.<kind>")
@roles(*EDITORS)
def export(watchlist_id: int, kind: str) -> Response:
    """The list's active entries as a file in the import format (``kind``: csv or xlsx)."""
    if kind not in FORMATS:
        abort(404)
    session = get_session()
    watchlist = row_or_404(Watchlist, watchlist_id)
    rows = export_rows(session, watchlist)
    if kind == "csv":
        body = ("\ufeff" + csv_text(rows)).encode("utf-8")
    else:
        with tempfile.TemporaryDirectory(prefix="gtas-export-") as folder:
            path = Path(folder) / "watchlist.xlsx"
            write_watchlist_file(path, rows)
            body = path.read_bytes()
    audit.record("watchlist.export", object_kind="watchlist", object_id=watchlist.id,
                 details={"format": kind, "entries": len(rows), "version": watchlist.version})
    session.commit()
    name = "".join(c if c.isalnum() or c in "-_" else "-" for c in watchlist.name.lower())
    return Response(body, mimetype=FORMATS[kind], headers={
        "Content-Disposition": f'attachment; filename="{name}-v{watchlist.version}.{kind}"'})


@bp.get("/rescreens/<int:rescreen_id>")
@roles(*READERS)
def rescreen(rescreen_id: int) -> str:
    """The re-screening a change asked for: waiting, running or done, travellers screened, and the hits it opened
    and withdrew, with links; the page reloads itself until the run is done."""
    session = get_session()
    found = rescreens.status(session, rescreen_id)
    if found is None:
        abort(404)
    change = session.scalar(select(WatchlistVersion).where(WatchlistVersion.rescreen_id == rescreen_id))
    watchlist = session.get(Watchlist, change.watchlist_id) if change is not None else None
    if found.hits:
        audit.record("watchlist.rescreen.view", object_kind="rescreen", object_id=rescreen_id,
                     details={"travellers": sorted({row.traveller.id for row in found.hits})})
        session.commit()
    return render_template("watchlists/rescreen.html", status=found, change=change, watchlist=watchlist,
                           refresh_seconds=REFRESH_SECONDS, progress=rescreens.Progress)


