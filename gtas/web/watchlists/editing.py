"""Creating and changing lists from the browser, and the reference a new hand-made entry gets."""

from __future__ import annotations

import secrets
from dataclasses import asdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from gtas.model import Watchlist, WatchlistEntry, WatchlistVersion
from gtas.rules.watchlists import WatchlistError, create_watchlist, find_watchlist, new_version
from gtas.web.watchlists.forms import ListValues

SCREENING_SETTINGS = ("category", "severity", "match_threshold", "valid_from", "valid_until", "enabled")


def settings(watchlist: Watchlist) -> dict[str, Any]:
    """A list's settings, JSON-ready (for the audit trail)."""
    return {
        "name": watchlist.name, "source": watchlist.source, "category": watchlist.category,
        "severity": watchlist.severity.value, "match_threshold": watchlist.match_threshold, "owner": watchlist.owner,
        "valid_from": watchlist.valid_from.isoformat() if watchlist.valid_from else None,
        "valid_until": watchlist.valid_until.isoformat() if watchlist.valid_until else None,
        "enabled": watchlist.enabled,
    }


def add_list(session: Session, values: ListValues) -> Watchlist:
    """A new empty list with these settings.

    :raises WatchlistError: the name is taken.
    """
    watchlist = create_watchlist(session, values.name, category=values.category, severity=values.severity,
                                 source=values.source, owner=values.owner)
    _apply(watchlist, values)
    session.flush()
    return watchlist


def change_list(session: Session, watchlist: Watchlist, values: ListValues, *,
                who: str | None) -> WatchlistVersion | None:
    """Give the list these settings; a change that affects screening (category, severity, threshold, validity,
    enabled) makes a new version and a re-screening, returned (None otherwise).

    :raises WatchlistError: the new name is another list's.
    """
    other = find_watchlist(session, values.name)
    if other is not None and other.id != watchlist.id:
        raise WatchlistError(f"a list named {values.name!r} exists already")
    before = settings(watchlist)
    _apply(watchlist, values)
    after = settings(watchlist)
    changed = [name for name in SCREENING_SETTINGS if before[name] != after[name]]
    session.flush()
    if not changed:
        return None
    return new_version(session, watchlist, f"list settings changed: {', '.join(changed).replace('_', ' ')}", who=who)


def _apply(watchlist: Watchlist, values: ListValues) -> None:
    fields = asdict(values)
    for name in ("name", "source", "category", "severity", "match_threshold", "owner", "valid_from", "valid_until",
                 "enabled"):
        setattr(watchlist, name, fields[name])


def new_reference(session: Session, watchlist: Watchlist) -> str:
    """A reference no entry of the list has, for an entry added by hand without one."""
    while True:
        reference = f"GTAS-{secrets.token_hex(4).upper()}"
        if session.scalar(select(WatchlistEntry.id).where(WatchlistEntry.watchlist_id == watchlist.id,
                                                          WatchlistEntry.reference == reference)) is None:
            return reference
