"""Importing a watchlist file in the browser: the upload is staged and planned (the dry run), and confirming applies
exactly the plan that was shown — the staged file, planned again, must give the same digest, whatever was uploaded
or changed meanwhile."""

from __future__ import annotations

import hashlib
import tempfile
from datetime import datetime, timedelta
from pathlib import Path, PurePath

from sqlalchemy import delete
from sqlalchemy.orm import Session

from gtas.model import Watchlist, WatchlistUpload, WatchlistVersion
from gtas.rules.watchlist_file import read_watchlist_file
from gtas.rules.watchlists import ImportPlan, apply_import, plan_import

STAGED_HOURS = 24  # an upload nobody confirmed is deleted after this (it holds personal data)
FILENAME_LENGTH = 200


class StaleUploadError(Exception):
    """The staged file no longer plans to what was shown (the list changed meanwhile); ``plan`` is the new one."""

    def __init__(self, plan: ImportPlan) -> None:
        super().__init__("the list changed since the dry run")
        self.plan = plan


def stage(session: Session, watchlist: Watchlist, filename: str, content: bytes, who: str,
          now: datetime) -> tuple[WatchlistUpload, ImportPlan]:
    """Keep an uploaded file for a list and plan it (nothing changes in the list); stale uploads are purged."""
    session.execute(delete(WatchlistUpload).where(WatchlistUpload.uploaded_at < now - timedelta(hours=STAGED_HOURS)))
    name = PurePath(filename.replace("\\", "/")).name[-FILENAME_LENGTH:] or "upload"
    upload = WatchlistUpload(watchlist_id=watchlist.id, filename=name, content=content,
                             sha256=hashlib.sha256(content).hexdigest(), plan_digest="", uploaded_by=who,
                             uploaded_at=now)
    plan = plan_of(session, upload, watchlist)
    upload.plan_digest = digest(plan)
    session.add(upload)
    session.flush()
    return upload, plan


def plan_of(session: Session, upload: WatchlistUpload, watchlist: Watchlist) -> ImportPlan:
    """What importing the staged file into the list would change now."""
    with tempfile.TemporaryDirectory(prefix="gtas-upload-") as folder:
        path = Path(folder) / f"upload{PurePath(upload.filename).suffix.lower()[:8]}"
        path.write_bytes(upload.content)
        read = read_watchlist_file(path)
    return plan_import(session, watchlist, watchlist.name, read.rows, read.errors)


def digest(plan: ImportPlan) -> str:
    """A fingerprint of everything a plan would do and every error it found."""
    text = "\n".join([*(f"{c.action}|{c.reference}|{c.before!r}|{c.after!r}" for c in plan.changes),
                      f"unchanged|{plan.unchanged}", *(repr(error) for error in plan.errors)])
    return hashlib.sha256(text.encode()).hexdigest()


def commit(session: Session, upload: WatchlistUpload, watchlist: Watchlist, shown_digest: str,
           who: str) -> WatchlistVersion | None:
    """Apply the staged file as planned when it was shown (the caller holds the list's row lock) and drop the
    upload; None when the plan changes nothing.

    :raises StaleUploadError: planned now, the file would do something else than what was shown.
    :raises gtas.rules.watchlists.WatchlistError: the plan has errors.
    """
    plan = plan_of(session, upload, watchlist)
    if digest(plan) != shown_digest or shown_digest != upload.plan_digest:
        raise StaleUploadError(plan)
    before = watchlist.version
    apply_import(session, watchlist, plan, who=who)
    session.delete(upload)
    session.flush()
    if watchlist.version == before:
        return None
    return session.get(WatchlistVersion, (watchlist.id, watchlist.version))
