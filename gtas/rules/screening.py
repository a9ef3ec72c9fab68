"""Watchlist vetting of travellers: the entries in force, indexed once per process and rebuilt when a list changes."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from threading import Lock
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gtas.model import Document, Traveller, Watchlist, WatchlistEntry
from gtas.model.base import utcnow
from gtas.rules.matching.index import WatchlistIndex
from gtas.rules.matching.person import IdDocument, Name, PersonRecord
from gtas.rules.watchlists import in_force, person_record, screened_entries


@dataclass(frozen=True, slots=True)
class ListedEntry:
    """What a hit needs to say about the entry that matched, besides the match itself."""

    entry_id: int
    reference: str
    watchlist: str
    watchlist_version: int
    threshold: float
    severity: str
    category: str


@dataclass(frozen=True, slots=True)
class WatchlistResult:
    """A traveller who matched a watchlist entry: what to persist as a hit."""

    traveller_id: int
    entry: ListedEntry
    score: float
    explanation: dict[str, Any]

    @property
    def cause_key(self) -> str:
        """The hit's cause, the same whatever the list's version (Hit.cause_key)."""
        return f"watchlist:{self.entry.entry_id}"


class Screening:
    """The index of every entry in force, with the facts hits need about each entry."""

    def __init__(self, entries: Sequence[WatchlistEntry], signature: tuple[Any, ...]) -> None:
        self.signature = signature
        self.entries = {
            entry.id: ListedEntry(entry.id, entry.reference, entry.watchlist.name, entry.watchlist.version,
                                  entry.watchlist.match_threshold, str(entry.severity or entry.watchlist.severity),
                                  str(entry.category or entry.watchlist.category))
            for entry in entries
        }
        self.index = WatchlistIndex((str(entry.id), person_record(entry)) for entry in entries)
        self.lowest_threshold = min((e.threshold for e in self.entries.values()), default=1.0)

    def screen(self, traveller_id: int, person: PersonRecord) -> list[WatchlistResult]:
        """The entries this traveller matches at or above their list's threshold."""
        if not self.entries:
            return []
        results = []
        for match in self.index.screen(person, self.lowest_threshold):
            entry = self.entries[int(match.entry)]
            if match.score >= entry.threshold:
                explanation = {"watchlist": entry.watchlist, "watchlist_version": entry.watchlist_version,
                               "entry": entry.reference, "category": entry.category, "score": round(match.score, 4),
                               "threshold": entry.threshold, **match.explanation}
                results.append(WatchlistResult(traveller_id, entry, match.score, explanation))
        return results


_cache: dict[str, Screening] = {}
_cache_lock = Lock()


def signature(session: Session, now: datetime) -> tuple[Any, ...]:
    """Changes whenever the set of entries in force or their content changes (list versions, entry edits, expiry)."""
    lists = tuple(session.execute(select(Watchlist.id, Watchlist.version, Watchlist.enabled, Watchlist.match_threshold)
                                  .order_by(Watchlist.id)).all())
    entries = session.execute(select(func.count(), func.max(WatchlistEntry.updated_at), func.sum(WatchlistEntry.id))
                              .select_from(WatchlistEntry).join(Watchlist).where(*in_force(now))).one()
    return lists, tuple(entries)


def current_screening(session: Session, now: datetime | None = None) -> Screening:
    """The screening index for the database behind this session, rebuilt only when the watchlists changed."""
    now = now or utcnow()
    key = str(session.get_bind().engine.url)
    wanted = signature(session, now)
    with _cache_lock:
        cached = _cache.get(key)
        if cached is not None and cached.signature == wanted:
            return cached
        screening = Screening(screened_entries(session, now=now), wanted)
        _cache[key] = screening
        return screening


def traveller_records(session: Session, traveller_ids: Iterable[int]) -> dict[int, PersonRecord]:
    """What screening compares, for each traveller still on his flight: name, date of birth, gender, nationality,
    documents."""
    ids = list(traveller_ids)
    documents: dict[int, list[IdDocument]] = {}
    rows = session.execute(select(Document.traveller_id, Document.number, Document.type, Document.issuing_country)
                           .where(Document.traveller_id.in_(ids)))
    for traveller_id, number, kind, country in rows:
        documents.setdefault(traveller_id, []).append(IdDocument(number, kind or "", country or ""))
    records = {}
    for t in session.execute(select(Traveller.id, Traveller.surname, Traveller.given_names, Traveller.date_of_birth,
                                    Traveller.gender, Traveller.nationality)
                             .where(Traveller.id.in_(ids), Traveller.removed_at.is_(None))):
        full = " ".join(part for part in (t.given_names, t.surname) if part)
        names = (Name(full, t.surname or "", t.given_names or ""),) if full else ()
        records[t.id] = PersonRecord(names=names, dates_of_birth=_dates(t.date_of_birth), gender=t.gender or "",
                                     nationalities=(t.nationality,) if t.nationality else (),
                                     documents=tuple(documents.get(t.id, ())))
    return records


def _dates(born: date | None) -> tuple[str, ...]:
    return (born.isoformat(),) if born else ()
