"""Run a search for a user: the travellers it finds on flights of his airports in the window, with their flight,
risk band and open hits; the page and the API both call ``search``."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import Session

from gtas.days import day_end
from gtas.model import (
    Airport,
    Contact,
    ContactKind,
    Document,
    Flight,
    Hit,
    HitStatus,
    RiskBand,
    Traveller,
    TravellerRisk,
    User,
)
from gtas.model.watchlist import WatchlistSeverity as Severity
from gtas.rules.matching.normalise import document_number
from gtas.rules.matching.person import IdDocument
from gtas.rules.matching.score import document_rule
from gtas.web.flights.board import zone_name
from gtas.web.flights.manifest import SEVERITY_RANK
from gtas.web.search.names import match_names, window_names
from gtas.web.search.query import SearchKind, SearchQuery, split_flight

# Look-alike characters of document numbers folded in SQL as gtas.rules.matching.normalise folds them in Python.
_DOCUMENT_FOLDS = (("O", "0"), ("Q", "0"), ("D", "0"), ("I", "1"), ("L", "1"), ("S", "5"), ("B", "8"), ("Z", "2"),
                   (" ", ""), ("-", ""), ("<", ""), ("/", ""), (".", ""))


@dataclass(frozen=True, slots=True)
class Found:
    """Why a traveller was found: the matcher's score (name searches) and what matched, in words."""

    score: float | None
    why: str
    explanation: dict[str, Any] | None = None


@dataclass(slots=True)
class SearchRow:
    """One traveller found, on his flight, with his risk band and open hits."""

    traveller: Traveller
    flight: Flight
    band: RiskBand
    found: Found
    zone: str = ""  # the arrival airport's time zone at arrival (EST, CET …)
    open_hits: int = 0
    worst: Severity | None = None


@dataclass(slots=True)
class SearchResults:
    """The rows shown (at most the query's limit) and how many travellers matched in all."""

    query: SearchQuery
    rows: list[SearchRow] = field(default_factory=list)
    total: int = 0


def search(session: Session, query: SearchQuery, user: User) -> SearchResults:
    """The travellers the query finds on the user's airports in the window: best match first for a name, else the
    latest arrival first."""
    finders = {SearchKind.NAME: _by_name, SearchKind.DOCUMENT: _by_document, SearchKind.LOCATOR: _by_locator,
               SearchKind.PHONE: _by_contact, SearchKind.EMAIL: _by_contact, SearchKind.FLIGHT: _by_flight}
    found = finders[query.kind](session, query, user)
    return SearchResults(query, _rows(session, dict(list(found.items())[:query.limit]), query, user), len(found))


def _scoped(query: SearchQuery, user: User, *columns: Any) -> Select[*tuple[Any, ...]]:
    """Travellers still on flights arriving in the window (UTC dates; the departure date when the arrival is
    unknown) at or from the user's airports."""
    start = datetime.combine(query.first_day, time(), UTC)
    end = day_end(query.last_day)
    in_window = or_(and_(Flight.arrival_utc >= start, Flight.arrival_utc < end),
                    and_(Flight.arrival_utc.is_(None), Flight.departure_date.between(query.first_day, query.last_day)))
    statement = (select(*columns).select_from(Traveller).join(Flight, Flight.id == Traveller.flight_id)
                 .where(Traveller.removed_at.is_(None), in_window))
    if user.airports:
        statement = statement.where(or_(Flight.origin.in_(user.airports), Flight.destination.in_(user.airports)))
    return statement


def _by_name(session: Session, query: SearchQuery, user: User) -> dict[int, Found]:
    key = (query.first_day, query.last_day, tuple(sorted(user.airports)))
    window = window_names(session, key, _scoped(query, user, Traveller.id))
    return {m.traveller_id: Found(round(m.score, 3), m.why, m.explanation)
            for m in match_names(session, window, query.text, query.born)}


def _folded_number() -> ColumnElement[str]:
    folded: ColumnElement[str] = func.upper(Document.number)
    for old, new in _DOCUMENT_FOLDS:
        folded = func.replace(folded, old, new)
    return folded


def _by_document(session: Session, query: SearchQuery, user: User) -> dict[int, Found]:
    wanted = IdDocument(query.text)
    found: dict[int, Found] = {}
    for traveller_id, number, kind, country in session.execute(
            _scoped(query, user, Traveller.id, Document.number, Document.type, Document.issuing_country)
            .join(Document, Document.traveller_id == Traveller.id)
            .where(_folded_number() == document_number(query.text)).order_by(Flight.arrival_utc.desc(), Traveller.id)):
        rule = document_rule(IdDocument(number), wanted)
        label = "same number" if rule == "exact" else "same number but for look-alike characters (O/0, I/1 …)"
        found.setdefault(traveller_id, Found(None, f"document {kind or ''} {number} {country or ''}: {label}"
                                             .replace("  ", " ")))
    return found


def _by_locator(session: Session, query: SearchQuery, user: User) -> dict[int, Found]:
    return {traveller_id: Found(None, f"booking {query.text}") for traveller_id in session.scalars(
        _scoped(query, user, Traveller.id).where(Traveller.record_locator == query.text)
        .order_by(Flight.arrival_utc.desc(), Traveller.id))}


def _by_contact(session: Session, query: SearchQuery, user: User) -> dict[int, Found]:
    """Travellers named by a contact, or on the booking of a contact that names nobody in particular."""
    if query.kind is SearchKind.PHONE:
        condition = and_(Contact.kind == ContactKind.PHONE,
                         or_(Contact.normalised == query.text, Contact.normalised.endswith(query.text)))
    else:
        condition = and_(Contact.kind == ContactKind.EMAIL, Contact.normalised == query.text)
    contacts = list(session.execute(select(Contact.traveller_id, Contact.pnr_id, Contact.value).where(condition)))
    if not contacts:
        return {}
    named = {c.traveller_id: c.value for c in contacts if c.traveller_id is not None}
    booked = {c.pnr_id: c.value for c in contacts if c.traveller_id is None}
    found: dict[int, Found] = {}
    for traveller_id, pnr_id in session.execute(
            _scoped(query, user, Traveller.id, Traveller.pnr_id)
            .where(or_(Traveller.id.in_(list(named)), Traveller.pnr_id.in_(list(booked))))
            .order_by(Flight.arrival_utc.desc(), Traveller.id)):
        value = named.get(traveller_id) or booked.get(pnr_id) or query.text
        whose = "his" if traveller_id in named else "his booking's"
        found[traveller_id] = Found(None, f"{whose} {query.kind.label} {value}")
    return found


def _by_flight(session: Session, query: SearchQuery, user: User) -> dict[int, Found]:
    carrier, number, suffix = split_flight(query.text)
    statement = _scoped(query, user, Traveller.id).where(
        Flight.carrier == carrier, Flight.number == number,
        Flight.suffix == suffix if suffix else Flight.suffix.is_(None))
    if query.flight_date is not None:
        statement = statement.where(Flight.departure_date == query.flight_date)
    return {traveller_id: Found(None, f"on flight {query.text}") for traveller_id in session.scalars(
        statement.order_by(Flight.arrival_utc.desc(), Traveller.surname, Traveller.given_names, Traveller.id))}


def _rows(session: Session, found: dict[int, Found], query: SearchQuery, user: User) -> list[SearchRow]:
    """The travellers found, with flight, band and open hits, in the order found (two queries)."""
    rows = {traveller.id: SearchRow(traveller, flight, band or RiskBand.NONE, found[traveller.id],
                                    zone=zone_name(flight.arrival_local, timezone))
            for traveller, flight, band, timezone in session.execute(
                _scoped(query, user, Traveller, Flight, TravellerRisk.band, Airport.timezone)
                .outerjoin(TravellerRisk, TravellerRisk.traveller_id == Traveller.id)
                .outerjoin(Airport, Airport.iata == Flight.destination)
                .where(Traveller.id.in_(list(found))))}
    for traveller_id, severity in _open_hits(session, rows):
        row = rows[traveller_id]
        row.open_hits += 1
        if row.worst is None or SEVERITY_RANK[Severity(severity)] > SEVERITY_RANK[row.worst]:
            row.worst = Severity(severity)
    return [rows[traveller_id] for traveller_id in found if traveller_id in rows]


def _open_hits(session: Session, traveller_ids: Iterable[int]) -> list[tuple[int, str]]:
    ids = list(traveller_ids)
    if not ids:
        return []
    return [(t, str(s)) for t, s in session.execute(select(Hit.traveller_id, Hit.severity)
                                                    .where(Hit.traveller_id.in_(ids), Hit.status == HitStatus.OPEN))]
