"""Helpers for loading tests: deliver bytes the way a channel does, and dump the database canonically."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gtas.ingest import process, receive
from gtas.model import (
    Base,
    Document,
    Flight,
    Message,
    Person,
    PersonKey,
    Pnr,
    PnrFlight,
    PnrPush,
    PnrVersion,
    Traveller,
)

CARD_KEY = b"test-card-key"


def deliver(session: Session, data: bytes | str, *, filename: str | None = None) -> Message:
    """Receive and process one message as the CLI channel does."""
    raw = data.encode() if isinstance(data, str) else data
    return process(session, receive(session, raw, channel="cli", filename=filename), CARD_KEY, home_country="USA")


def row_counts(session: Session) -> dict[str, int]:
    """Rows per table, every table of the model."""
    return {name: session.scalar(select(func.count()).select_from(table)) or 0
            for name, table in Base.metadata.tables.items()}


def dump(session: Session) -> dict[str, Any]:
    """Flights, travellers, persons, PNRs and their versions without surrogate keys or wall-clock times."""
    flights = {f.id: (f.carrier, f.number, f.origin, f.destination, str(f.departure_date))
               for f in session.scalars(select(Flight))}
    pnrs = {p.id: (p.carrier, p.record_locator, str(p.created_on)) for p in session.scalars(select(Pnr))}
    person_keys: dict[int, list[str]] = {}
    for key in session.scalars(select(PersonKey)):
        person_keys.setdefault(key.person_id, []).append(f"{key.kind}:{key.value}")
    documents: dict[int, list[tuple[Any, ...]]] = {}
    for d in session.scalars(select(Document)):
        documents.setdefault(d.traveller_id, []).append((d.type, d.number, d.issuing_country, str(d.expiry)))
    travellers = sorted(
        (flights[t.flight_id], t.identity_key, str(t.role), t.surname, t.given_names, str(t.date_of_birth),
         t.gender, t.nationality, t.seat, t.record_locator, t.reference, t.removed_at is None, t.boarded,
         pnrs.get(t.pnr_id) if t.pnr_id else None, sorted(person_keys.get(t.person_id or 0, [])),
         sorted(documents.get(t.id, [])))
        for t in session.scalars(select(Traveller)))
    return {
        "flights": sorted((flights[f.id], str(f.departure_utc), str(f.direction), f.passenger_count, f.crew_count)
                          for f in session.scalars(select(Flight))),
        "travellers": [json.dumps(t, default=str) for t in travellers],
        "persons": sorted(sorted(keys) for keys in person_keys.values()),
        "person_count": session.scalar(select(func.count()).select_from(Person)),
        "pnrs": sorted((pnrs[p.id], str(p.last_modified)) for p in session.scalars(select(Pnr))),
        "pnr_versions": sorted(  # which push brought a content first depends on the delivery order: not compared
            (pnrs[v.pnr_id], v.digest, json.dumps(v.snapshot, sort_keys=True))
            for v in session.scalars(select(PnrVersion))),
        "pnr_pushes": sorted((pnrs[p.pnr_id], flights.get(p.flight_id or 0), str(p.pushed_at))
                             for p in session.scalars(select(PnrPush))),
        "pnr_flights": sorted((pnrs[pf.pnr_id], flights[pf.flight_id], str(pf.status))
                              for pf in session.scalars(select(PnrFlight))),
    }


def flight_of(session: Session, carrier: str, number: str) -> Flight:
    """The one flight with this designator."""
    return session.scalars(select(Flight).where(Flight.carrier == carrier, Flight.number == number)).one()


def travellers_of(session: Session, flight: Flight, *, current: bool = True) -> list[Traveller]:
    """The travellers of a flight; only those not removed unless ``current`` is False."""
    query = select(Traveller).where(Traveller.flight_id == flight.id)
    if current:
        query = query.where(Traveller.removed_at.is_(None))
    return list(session.scalars(query.order_by(Traveller.identity_key)))
