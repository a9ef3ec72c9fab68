"""What the watchlist pages read: the lists with their counts and latest change, a list's entries searched and
filtered page by page, an entry's history field by field, and a list's recent versions."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Text, cast, func, or_, select
from sqlalchemy.orm import Session, selectinload

from gtas.model import (
    EntryStatus,
    Rescreen,
    Watchlist,
    WatchlistDocument,
    WatchlistEntry,
    WatchlistEntryChange,
    WatchlistVersion,
)
from gtas.numbers import whole_number
from gtas.rules.watchlist_fields import document_number_key
from gtas.rules.watchlists import list_watchlists
from gtas.web.field_changes import FieldChange, changed_fields
from gtas.web.paging import page_count

PAGE_SIZE = 50
MAX_PAGE = 100_000
QUERY_LENGTH = 100
VERSIONS_SHOWN = 10
ANY = "any"
_TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+00:00")  # how the history records times


@dataclass(frozen=True, slots=True)
class ListRow:
    """A list on the lists page: its active and ended entries, and its latest change with its re-screening."""

    watchlist: Watchlist
    active: int
    ended: int
    latest: WatchlistVersion | None
    rescreen: Rescreen | None


@dataclass(frozen=True, slots=True)
class EntryFilters:
    """The entries table's search (name, reference or document number) and filters."""

    query: str = ""
    status: str = EntryStatus.ACTIVE.value  # or ANY
    category: str = ""
    page: int = 1


@dataclass(frozen=True, slots=True)
class EntryPage:
    """One page of a list's entries matching the filters."""

    entries: list[WatchlistEntry]
    total: int
    page: int
    pages: int


@dataclass(frozen=True, slots=True)
class HistoryRow:
    """One recorded change of an entry, with the fields it changed."""

    change: WatchlistEntryChange
    fields: list[FieldChange]


def overview(session: Session) -> list[ListRow]:
    """Every list by name with its entry counts and its latest version."""
    counts = {watchlist_id: count for watchlist_id, count in session.execute(
        select(WatchlistEntry.watchlist_id, func.count()).where(WatchlistEntry.status != EntryStatus.ACTIVE)
        .group_by(WatchlistEntry.watchlist_id))}
    latest = {version.watchlist_id: version for version in session.scalars(
        select(WatchlistVersion).join(Watchlist, (Watchlist.id == WatchlistVersion.watchlist_id)
                                      & (Watchlist.version == WatchlistVersion.version)))}
    runs = _runs(session, [version.rescreen_id for version in latest.values() if version.rescreen_id])
    return [ListRow(watchlist, active, counts.get(watchlist.id, 0), latest.get(watchlist.id),
                    runs.get(latest[watchlist.id].rescreen_id or 0) if watchlist.id in latest else None)
            for watchlist, active in list_watchlists(session)]


def versions(session: Session, watchlist: Watchlist) -> list[tuple[WatchlistVersion, Rescreen | None]]:
    """The list's latest versions, newest first, each with the re-screening it asked for."""
    found = list(session.scalars(select(WatchlistVersion).where(WatchlistVersion.watchlist_id == watchlist.id)
                                 .order_by(WatchlistVersion.version.desc()).limit(VERSIONS_SHOWN)))
    runs = _runs(session, [version.rescreen_id for version in found if version.rescreen_id])
    return [(version, runs.get(version.rescreen_id or 0)) for version in found]


def _runs(session: Session, ids: list[int]) -> dict[int, Rescreen]:
    return {run.id: run for run in session.scalars(select(Rescreen).where(Rescreen.id.in_(ids)))} if ids else {}


def read_filters(args: Mapping[str, str], categories: Collection[str]) -> tuple[EntryFilters, list[str]]:
    """The filters of a query string and the problems found (a bad parameter falls back to its default); a category
    is one of ``categories`` (the known keys)."""
    problems: list[str] = []
    query = " ".join(args.get("q", "").split())
    if len(query) > QUERY_LENGTH:
        problems.append(f"the search is cut to its first {QUERY_LENGTH} characters")
        query = query[:QUERY_LENGTH]
    status = args.get("status", "").strip().lower() or EntryStatus.ACTIVE.value
    if status not in {ANY, *(member.value for member in EntryStatus)}:
        problems.append(f"status must be one of any, {', '.join(EntryStatus)}, not {status[:20]!r}")
        status = EntryStatus.ACTIVE.value
    category = args.get("category", "").strip().lower()
    if category and category not in categories:
        problems.append(f"category must be one of {', '.join(sorted(categories))}, not {category[:50]!r}")
        category = ""
    page_text = args.get("page", "").strip() or "1"
    page = whole_number(page_text, 6) or 0
    if page < 1:
        problems.append(f"page must be a whole number from 1, not {page_text[:20]!r}")
        page = 1
    return EntryFilters(query, status, category, min(page, MAX_PAGE)), problems


def search_entries(session: Session, watchlist: Watchlist, filters: EntryFilters) -> EntryPage:
    """The list's entries matching the filters, by reference, one page of them with their documents."""
    where: list[ColumnElement[bool]] = [WatchlistEntry.watchlist_id == watchlist.id]
    if filters.status != ANY:
        where.append(WatchlistEntry.status == EntryStatus(filters.status))
    if filters.category:
        where.append(or_(WatchlistEntry.category == filters.category,
                         WatchlistEntry.category.is_(None) & (watchlist.category == filters.category)))
    if filters.query:
        where.append(_matching(filters.query))
    total = session.scalar(select(func.count()).select_from(WatchlistEntry).where(*where)) or 0
    pages = page_count(total, PAGE_SIZE)
    page = min(filters.page, pages)
    entries = list(session.scalars(select(WatchlistEntry).where(*where).order_by(WatchlistEntry.reference)
                                   .options(selectinload(WatchlistEntry.documents))
                                   .offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)))
    return EntryPage(entries, total, page, pages)


def _matching(query: str) -> ColumnElement[bool]:
    """Entries whose reference, names or aliases contain the text, or holding a document whose number does."""
    text = query.lower()
    found = [func.lower(column).contains(text, autoescape=True) for column in (
        WatchlistEntry.reference, WatchlistEntry.full_name, WatchlistEntry.surname, WatchlistEntry.given_names,
        cast(WatchlistEntry.aliases, Text))]
    if key := document_number_key(query):
        found.append(WatchlistEntry.id.in_(select(WatchlistDocument.entry_id)
                                           .where(WatchlistDocument.number_key.contains(key, autoescape=True))))
    return or_(*found)


def history(session: Session, entry: WatchlistEntry) -> list[HistoryRow]:
    """The entry's recorded changes, newest first, each with the fields whose values it changed."""
    changes = session.scalars(select(WatchlistEntryChange).where(WatchlistEntryChange.entry_id == entry.id)
                              .order_by(WatchlistEntryChange.id.desc()))
    return [HistoryRow(change, changed_fields(change.before or {}, change.after or {}, shown)) for change in changes]


def shown(value: Any) -> str:
    """A recorded value as one line of text ("" for nothing)."""
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(shown(item) for item in value)
    if isinstance(value, dict):
        return " ".join(str(part) for part in (value.get("kind"), value.get("number"), value.get("country")) if part)
    if isinstance(value, str) and _TIMESTAMP.fullmatch(value):
        return f"{datetime.fromisoformat(value):%Y-%m-%d %H:%M} UTC"
    return str(value)
