"""Keeping watchlists: import a file as the new content of a list (dry run or applied), export, expire, and the
screening view of an entry.

An import replaces a list's content: rows are added or changed by reference, and active entries the file no longer
has are removed. Nothing is deleted: removed and expired entries stay with their history, and every applied change
set bumps the list's version once and records one WatchlistEntryChange per entry it touched.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, func, insert, or_, select
from sqlalchemy.orm import Session, selectinload

from gtas.categories import CategoryError, active_keys, checked_category, refusal
from gtas.model.base import utcnow
from gtas.model.watchlist import (
    EntryAction,
    EntryStatus,
    Watchlist,
    WatchlistDocument,
    WatchlistEntry,
    WatchlistEntryChange,
    WatchlistSeverity,
    WatchlistVersion,
)
from gtas.rules.matching.person import IdDocument, Name, PersonRecord
from gtas.rules.rescreen import request_rescreen
from gtas.rules.watchlist_fields import document_number_key
from gtas.rules.watchlist_file import DocumentRow, EntryRow, RowError

DEFAULT_CATEGORY = "other"  # a new list's category when none is given
BULK_ROWS = 5000  # new entries inserted per statement
ROW_FIELDS = ("full_name", "surname", "given_names", "aliases", "dates_of_birth", "gender", "nationalities",
              "documents", "category", "severity", "notes")


class WatchlistError(Exception):
    """A watchlist operation that cannot be done, with the reason."""


@dataclass(frozen=True, slots=True)
class EntryChange:
    """One entry an import changes: its content before (None when new) and after (None when removed)."""

    action: EntryAction
    reference: str
    before: EntryRow | None
    after: EntryRow | None

    @property
    def fields(self) -> tuple[str, ...]:
        """The names of the fields whose value differs between before and after."""
        if self.before is None or self.after is None:
            return ()
        return tuple(name for name in ROW_FIELDS if getattr(self.before, name) != getattr(self.after, name))


@dataclass(slots=True)
class ImportPlan:
    """What importing a file would do to a list; it can be applied only when it has no errors."""

    watchlist: str
    changes: list[EntryChange] = field(default_factory=list)
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    def count(self, action: EntryAction) -> int:
        """How many entries the import would touch with this action."""
        return sum(1 for change in self.changes if change.action is action)


def find_watchlist(session: Session, name: str, *, lock: bool = False) -> Watchlist | None:
    """The list with this name, or None; ``lock`` holds its row until the transaction ends (one import at a time)."""
    query = select(Watchlist).where(Watchlist.name == _list_name(name))
    return session.scalar(query.with_for_update() if lock else query)


def create_watchlist(session: Session, name: str, *, category: str = DEFAULT_CATEGORY,
                     severity: WatchlistSeverity = WatchlistSeverity.HIGH, source: str | None = None,
                     owner: str | None = None) -> Watchlist:
    """A new, enabled, empty list at version 0; a name that is blank, too long or taken, or a category that is not
    an active managed one, is refused."""
    name = _list_name(name)
    try:
        category = checked_category(session, category)
    except CategoryError as exc:
        raise WatchlistError(str(exc)) from exc
    if not name or len(name) > 100:
        raise WatchlistError("a list name needs 1 to 100 characters")
    if find_watchlist(session, name) is not None:
        raise WatchlistError(f"a list named {name!r} exists already")
    watchlist = Watchlist(name=name, category=category, severity=severity, source=source, owner=owner)
    session.add(watchlist)
    session.flush()
    return watchlist


def _list_name(name: str) -> str:
    """A list name as stored: trimmed, inner white space collapsed."""
    return " ".join(name.split())


def list_watchlists(session: Session) -> list[tuple[Watchlist, int]]:
    """Every list by name, with its number of active entries."""
    active = (select(WatchlistEntry.watchlist_id, func.count().label("active"))
              .where(WatchlistEntry.status == EntryStatus.ACTIVE).group_by(WatchlistEntry.watchlist_id).subquery())
    rows = session.execute(select(Watchlist, func.coalesce(active.c.active, 0))
                           .outerjoin(active, active.c.watchlist_id == Watchlist.id).order_by(Watchlist.name))
    return [(watchlist, int(count)) for watchlist, count in rows]


def plan_import(session: Session, watchlist: Watchlist | None, name: str, rows: Sequence[EntryRow],
                errors: Sequence[RowError] = ()) -> ImportPlan:
    """What importing these rows as the whole content of the list would change (nothing is written).

    With a file-level error (row 1) there is no diff; an entry whose row has an error is not counted as removed. A
    row's category must be an active managed one, or the one its entry already has.
    """
    plan = ImportPlan(watchlist=name, errors=list(errors))
    if any(error.row == 1 for error in errors):
        return plan
    current = {entry.reference: entry for entry in _entries(session, watchlist)}
    seen = {error.reference for error in errors if error.reference}
    allowed = set(active_keys(session))
    for row in rows:
        seen.add(row.reference)
        entry = current.get(row.reference)
        if row.category and row.category not in allowed and (entry is None or entry.category != row.category):
            plan.errors.append(RowError(row.row, "category", refusal(row.category, allowed), row.category,
                                        row.reference))
            continue
        if entry is None or entry.status is EntryStatus.REMOVED:
            plan.changes.append(EntryChange(EntryAction.ADDED, row.reference, _row(entry) if entry else None, row))
        elif _row(entry) != row:
            plan.changes.append(EntryChange(EntryAction.CHANGED, row.reference, _row(entry), row))
        else:
            plan.unchanged += 1
    for reference, entry in current.items():
        if reference not in seen and entry.status is EntryStatus.ACTIVE:
            plan.changes.append(EntryChange(EntryAction.REMOVED, reference, _row(entry), None))
    return plan


def apply_import(session: Session, watchlist: Watchlist, plan: ImportPlan, *, who: str | None) -> int:
    """Apply a plan made in this transaction: entries written, one history row each, the version bumped once.

    New references are inserted in bulk (a first import of a large list); entries that exist go through the ORM.
    Returns the list's version afterwards (unchanged when the plan changes nothing).
    """
    if plan.errors:
        raise WatchlistError(f"the file has {len(plan.errors)} errors; nothing was imported")
    if not plan.changes:
        return watchlist.version
    version = watchlist.version + 1
    now = utcnow()
    entries = {entry.reference: entry for entry in _entries(session, watchlist)}
    history = {"watchlist_id": watchlist.id, "changed_by": who, "changed_at": now, "list_version": version}
    new_rows = [change.after for change in plan.changes if change.reference not in entries and change.after]
    for start in range(0, len(new_rows), BULK_ROWS):
        _insert_new(session, watchlist, new_rows[start:start + BULK_ROWS], history)
    for change in plan.changes:
        entry = entries.get(change.reference)
        if entry is None:
            if change.after is None:
                raise WatchlistError(f"entry {change.reference} is gone; plan the import again")
            continue
        before = snapshot(entry)
        if change.after is None:
            entry.status, entry.ended_at = EntryStatus.REMOVED, now
        else:
            _fill(entry, change.after)
            if change.action is EntryAction.ADDED:
                entry.status, entry.ended_at, entry.added_by, entry.added_at = EntryStatus.ACTIVE, None, who, now
        entry.updated_at = now
        session.add(WatchlistEntryChange(entry=entry, action=change.action, before=before, after=snapshot(entry),
                                         **history))
    counts = ", ".join(f"{plan.count(action)} {action}" for action in EntryAction if plan.count(action))
    return new_version(session, watchlist, counts, who=who, now=now).version


def new_version(session: Session, watchlist: Watchlist, summary: str, *, who: str | None,
                now: datetime | None = None) -> WatchlistVersion:
    """Close a change set of the list's entries: its version goes up by one, a re-screening is requested, and the
    version is recorded with what it did (``summary``) and that re-screening."""
    now = now or utcnow()
    watchlist.version += 1
    watchlist.updated_at = now
    run = request_rescreen(session, f"watchlist {watchlist.name} version {watchlist.version}: {summary}", by=who)
    record = WatchlistVersion(watchlist_id=watchlist.id, version=watchlist.version, summary=summary[:200],
                              changed_by=who, changed_at=now, rescreen_id=run.id)
    session.add(record)
    session.flush()
    return record


def save_entry(session: Session, watchlist: Watchlist, row: EntryRow, *, entry: WatchlistEntry | None = None,
               valid_from: datetime | None = None, valid_until: datetime | None = None, reason: str | None = None,
               who: str | None = None) -> WatchlistVersion | None:
    """Add an entry to the list (``entry`` None) or change one: its history row, a new list version and a
    re-screening. None when the entry already holds exactly these values (nothing is written).

    :raises WatchlistError: another entry of the list has the row's reference.
    """
    clash = session.scalar(select(WatchlistEntry.id).where(WatchlistEntry.watchlist_id == watchlist.id,
                                                           WatchlistEntry.reference == row.reference))
    if clash is not None and (entry is None or clash != entry.id):
        raise WatchlistError(f"the list has an entry with the reference {row.reference} already")
    now = utcnow()
    before = snapshot(entry) if entry is not None else None
    if entry is None:
        entry = WatchlistEntry(watchlist=watchlist, reference=row.reference, status=EntryStatus.ACTIVE,
                               added_by=who, added_at=now)
        session.add(entry)
    entry.reference = row.reference
    _fill(entry, row)
    entry.valid_from, entry.valid_until, entry.reason = valid_from, valid_until, reason
    after = snapshot(entry)
    if after == before:
        return None
    entry.updated_at = now
    action = EntryAction.ADDED if before is None else EntryAction.CHANGED
    version = new_version(session, watchlist, f"entry {row.reference} {action.value}", who=who, now=now)
    session.add(WatchlistEntryChange(entry=entry, watchlist_id=watchlist.id, action=action, before=before,
                                     after=after, changed_by=who, changed_at=now, list_version=version.version))
    session.flush()
    return version


def expire_entry(session: Session, entry: WatchlistEntry, *, reason: str, who: str | None) -> WatchlistVersion:
    """End an active entry now, for a reason (kept in its history): a new list version and a re-screening, which
    withdraws the hits the entry made.

    :raises WatchlistError: the entry is not active.
    """
    if entry.status is not EntryStatus.ACTIVE:
        raise WatchlistError(f"entry {entry.reference} is {entry.status.value} already")
    now = utcnow()
    before = snapshot(entry)
    entry.status, entry.ended_at, entry.updated_at = EntryStatus.EXPIRED, now, now
    if entry.valid_until is None or entry.valid_until > now:
        entry.valid_until = now
    version = new_version(session, entry.watchlist, f"entry {entry.reference} expired", who=who, now=now)
    session.add(WatchlistEntryChange(entry=entry, watchlist_id=entry.watchlist_id, action=EntryAction.EXPIRED,
                                     before=before, after={**snapshot(entry), "expiry_reason": reason},
                                     changed_by=who, changed_at=now, list_version=version.version))
    session.flush()
    return version


def _insert_new(session: Session, watchlist: Watchlist, rows: Sequence[EntryRow], history: dict[str, Any]) -> None:
    """Insert entries for new references with their documents and their "added" history rows, in bulk."""
    when = history["changed_at"]
    ids = session.scalars(insert(WatchlistEntry).returning(WatchlistEntry.id, sort_by_parameter_order=True), [
        {"watchlist_id": watchlist.id, "reference": row.reference, "full_name": row.full_name,
         "surname": row.surname, "given_names": row.given_names, "aliases": list(row.aliases),
         "dates_of_birth": list(row.dates_of_birth), "gender": row.gender, "nationalities": list(row.nationalities),
         "category": row.category, "severity": row.severity, "notes": row.notes, "status": EntryStatus.ACTIVE,
         "added_by": history["changed_by"], "added_at": when, "updated_at": when} for row in rows]).all()
    documents = [{"entry_id": entry_id, "kind": document.kind, "number": document.number,
                  "number_key": document_number_key(document.number), "country": document.country}
                 for entry_id, row in zip(ids, rows, strict=True) for document in row.documents]
    if documents:
        session.execute(insert(WatchlistDocument), documents)
    session.execute(insert(WatchlistEntryChange), [
        {"entry_id": entry_id, "action": EntryAction.ADDED, "before": None,
         "after": _state(row, status=EntryStatus.ACTIVE), **history} for entry_id, row in zip(ids, rows, strict=True)])


def expire_entries(session: Session, *, now: datetime | None = None, who: str | None = None) -> int:
    """Mark active entries whose validity has ended as expired (one new version per list touched); returns how many."""
    now = now or utcnow()
    due = session.scalars(
        select(WatchlistEntry).where(WatchlistEntry.status == EntryStatus.ACTIVE,
                                     WatchlistEntry.valid_until.is_not(None), WatchlistEntry.valid_until <= now)
        .options(selectinload(WatchlistEntry.documents), selectinload(WatchlistEntry.watchlist))
        .order_by(WatchlistEntry.watchlist_id, WatchlistEntry.id)).all()
    versions: dict[int, int] = {}
    expired: dict[int, int] = {}
    for entry in due:
        watchlist = entry.watchlist
        version = versions.setdefault(watchlist.id, watchlist.version + 1)
        expired[watchlist.id] = expired.get(watchlist.id, 0) + 1
        before = snapshot(entry)
        entry.status, entry.ended_at, entry.updated_at = EntryStatus.EXPIRED, now, now
        session.add(WatchlistEntryChange(entry_id=entry.id, watchlist_id=watchlist.id, action=EntryAction.EXPIRED,
                                         before=before, after=snapshot(entry), changed_by=who, changed_at=now,
                                         list_version=version))
        watchlist.version = version
    if due:
        run = request_rescreen(session, f"{len(due)} watchlist entries expired", by=who)
        session.add_all(WatchlistVersion(watchlist_id=watchlist_id, version=version, summary=f"{expired[watchlist_id]} "
                                         "expired", changed_by=who, changed_at=now, rescreen_id=run.id)
                        for watchlist_id, version in versions.items())
    session.flush()
    return len(due)


def export_rows(session: Session, watchlist: Watchlist) -> list[EntryRow]:
    """The active entries of a list as file rows, by reference."""
    return sorted((_row(entry) for entry in _entries(session, watchlist) if entry.status is EntryStatus.ACTIVE),
                  key=lambda row: row.reference)


def screened_entries(session: Session, *, now: datetime | None = None) -> list[WatchlistEntry]:
    """The entries travellers are screened against now (see ``in_force``), with their documents and list."""
    return list(session.scalars(
        select(WatchlistEntry).join(Watchlist).where(*in_force(now or utcnow()))
        .options(selectinload(WatchlistEntry.documents), selectinload(WatchlistEntry.watchlist))
        .order_by(WatchlistEntry.id)))


def entries_with_document(session: Session, number: str, *, now: datetime | None = None) -> list[WatchlistEntry]:
    """The entries in force holding a document with this number (compared on letters and digits)."""
    return list(session.scalars(
        select(WatchlistEntry).join(WatchlistDocument).join(Watchlist)
        .where(WatchlistDocument.number_key == document_number_key(number), *in_force(now or utcnow()))
        .distinct().order_by(WatchlistEntry.id)))


def in_force(now: datetime) -> tuple[ColumnElement[bool], ...]:
    """Conditions (on a query joining Watchlist) for an active entry, within its validity, of an enabled list
    within the list's validity."""
    return (
        WatchlistEntry.status == EntryStatus.ACTIVE, Watchlist.enabled.is_(True),
        or_(Watchlist.valid_from.is_(None), Watchlist.valid_from <= now),
        or_(Watchlist.valid_until.is_(None), Watchlist.valid_until > now),
        or_(WatchlistEntry.valid_from.is_(None), WatchlistEntry.valid_from <= now),
        or_(WatchlistEntry.valid_until.is_(None), WatchlistEntry.valid_until > now),
    )


def person_record(entry: WatchlistEntry | EntryRow) -> PersonRecord:
    """What the matcher compares for an entry or a file row: primary name first, then the aliases, and the other
    person fields."""
    names: list[Name] = []
    if entry.full_name or entry.surname:
        full = entry.full_name or " ".join(part for part in (entry.given_names, entry.surname) if part)
        names.append(Name(full, entry.surname or "", entry.given_names or ""))
    names += [Name(alias) for alias in entry.aliases]
    return PersonRecord(
        names=tuple(names),
        dates_of_birth=tuple(entry.dates_of_birth),
        gender=entry.gender or "",
        nationalities=tuple(entry.nationalities),
        documents=tuple(IdDocument(document.number, document.kind, document.country or "")
                        for document in entry.documents),
    )


def snapshot(entry: WatchlistEntry) -> dict[str, Any]:
    """An entry's recorded state for its history (JSON-ready)."""
    return _state(_row(entry), status=entry.status, valid_from=entry.valid_from, valid_until=entry.valid_until,
                  reason=entry.reason)


def _state(row: EntryRow, *, status: EntryStatus, valid_from: datetime | None = None,
           valid_until: datetime | None = None, reason: str | None = None) -> dict[str, Any]:
    """The recorded state of an entry with this content (JSON-ready)."""
    return {
        "reference": row.reference, "full_name": row.full_name, "surname": row.surname,
        "given_names": row.given_names, "aliases": list(row.aliases), "dates_of_birth": list(row.dates_of_birth),
        "gender": row.gender, "nationalities": list(row.nationalities),
        "documents": [{"kind": d.kind, "number": d.number, "country": d.country} for d in row.documents],
        "category": row.category,
        "severity": row.severity.value if row.severity else None,
        "valid_from": valid_from.isoformat() if valid_from else None,
        "valid_until": valid_until.isoformat() if valid_until else None,
        "reason": reason, "notes": row.notes, "status": status.value,
    }


def _entries(session: Session, watchlist: Watchlist | None) -> list[WatchlistEntry]:
    """Every entry of the list (any status) with its documents; none for a list not created yet."""
    if watchlist is None:
        return []
    return list(session.scalars(select(WatchlistEntry).where(WatchlistEntry.watchlist_id == watchlist.id)
                                .options(selectinload(WatchlistEntry.documents))))


def _row(entry: WatchlistEntry) -> EntryRow:
    """An entry as a file row, to compare with the file's rows and to export."""
    return EntryRow(
        entry.reference, entry.full_name, entry.surname, entry.given_names, tuple(entry.aliases),
        tuple(entry.dates_of_birth), entry.gender, tuple(entry.nationalities),
        tuple(DocumentRow(document.number, document.kind, document.country) for document in entry.documents),
        entry.category, entry.severity, entry.notes)


def _fill(entry: WatchlistEntry, row: EntryRow) -> None:
    """Give an entry the file row's values; documents are replaced only when they differ."""
    entry.full_name, entry.surname, entry.given_names = row.full_name, row.surname, row.given_names
    entry.aliases, entry.dates_of_birth = list(row.aliases), list(row.dates_of_birth)
    entry.gender, entry.nationalities = row.gender, list(row.nationalities)
    entry.category, entry.severity, entry.notes = row.category, row.severity, row.notes
    current = tuple(DocumentRow(document.number, document.kind, document.country) for document in entry.documents)
    if current != row.documents:
        entry.documents = [WatchlistDocument(kind=document.kind, number=document.number,
                                             number_key=document_number_key(document.number),
                                             country=document.country) for document in row.documents]
