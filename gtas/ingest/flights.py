"""Flights: the prime leg of a message, upserted on carrier, number, route and local departure date."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import BindParameter, Insert, bindparam, case, func, select, update
from sqlalchemy.orm import Session

from gtas import reference
from gtas.db import dialect_insert
from gtas.ingest.context import table_of
from gtas.ingest.keys import fit_rows
from gtas.model import Flight, FlightMessage, Traveller
from gtas.parsers.records import FlightLeg, Role

PASSENGER_ROLES = (Role.PASSENGER, Role.IN_TRANSIT, Role.INFANT)
CREW_ROLES = (Role.CREW, Role.IN_TRANSIT_CREW)


def prime_leg(legs: list[FlightLeg], home_country: str) -> FlightLeg | None:
    """The border-crossing leg a message reports: the reported (not routing) leg, else one entering or leaving."""
    usable = [leg for leg in legs if leg.origin and leg.destination and leg.departure]
    reported = [leg for leg in usable if not leg.progressive]
    if reported:
        return reported[0]
    for leg in usable:
        direction = reference.flight_direction(leg.origin or "", leg.destination or "", home_country)
        if direction in ("inbound", "outbound"):
            return leg
    return usable[0] if usable else None


def flight_key(leg: FlightLeg) -> dict[str, Any]:
    """The columns a flight is known by: carrier, number (without leading zeros), route and local departure date."""
    assert leg.origin and leg.destination and leg.departure
    return {"carrier": leg.carrier or "", "number": (leg.number or "").lstrip("0") or (leg.number or ""),
            "origin": leg.origin, "destination": leg.destination, "departure_date": leg.departure.date()}


_KEY = ("carrier", "number", "origin", "destination", "departure_date")
_FIND = select(table_of(Flight).c.id).where(*(table_of(Flight).c[name] == bindparam(name) for name in _KEY))


def find_flight(session: Session, leg: FlightLeg) -> int | None:
    """The id of the leg's flight when it is stored."""
    if not (leg.origin and leg.destination and leg.departure):
        return None
    flight_id: int | None = session.scalar(_FIND, flight_key(leg))
    return flight_id


def upsert_flight(session: Session, leg: FlightLeg, home_country: str, message_id: int,
                  warnings: list[dict[str, Any]], *, received: tuple[str, datetime] | None = None) -> int:
    """The id of the leg's flight, inserted or completed with INSERT … ON CONFLICT, linked to the message."""
    assert leg.origin and leg.destination and leg.departure
    row = {
        **flight_key(leg), "suffix": leg.suffix, "departure_local": leg.departure, "arrival_local": leg.arrival,
        "departure_utc": reference.to_utc(leg.departure, leg.origin),
        "arrival_utc": reference.to_utc(leg.arrival, leg.destination) if leg.arrival else None,
        "direction": reference.flight_direction(leg.origin, leg.destination, home_country),
    }
    if received is not None:  # (api_received_at or pnr_received_at, when): keeps the latest
        row[received[0]] = received[1]
    fit_rows(table_of(Flight), [row], warnings)
    dialect = session.get_bind().dialect.name
    flight_id: int = session.execute(_upsert(dialect, received[0] if received else None), row).scalar_one()
    session.execute(_link(dialect), {"flight_id": flight_id, "message_id": message_id})
    return flight_id


@cache
def _upsert(dialect: str, received: str | None) -> Insert:
    """The flight upsert (built once per backend and kind of receipt): fills gaps, keeps the latest receipt."""
    table = table_of(Flight)
    statement = dialect_insert(dialect, table)
    excluded = statement.excluded
    return statement.on_conflict_do_update(
        index_elements=list(_KEY),
        set_={name: func.coalesce(excluded[name], table.c[name])
              for name in ("suffix", "departure_local", "arrival_local", "departure_utc", "arrival_utc",
                           "direction")}
        | {name: case((table.c[name].is_(None) | (excluded[name] > table.c[name]), excluded[name]),
                      else_=table.c[name]) for name in ([received] if received else [])}).returning(table.c.id)


@cache
def _link(dialect: str) -> Insert:
    """Flight ↔ message, once (built once per backend)."""
    return dialect_insert(dialect, table_of(FlightMessage)).on_conflict_do_nothing()


_FLIGHT: BindParameter[int] = bindparam("flight")


def _count(roles: tuple[Role, ...]) -> Any:
    travellers = table_of(Traveller)
    return (select(func.count()).where(travellers.c.flight_id == _FLIGHT, travellers.c.removed_at.is_(None),
                                       travellers.c.role.in_(roles)).scalar_subquery())


_COUNTS = update(table_of(Flight)).where(table_of(Flight).c.id == _FLIGHT).values(  # built once: run per message
    passenger_count=_count(PASSENGER_ROLES), crew_count=_count(CREW_ROLES))


def update_counts(session: Session, flight_id: int) -> None:
    """Passenger and crew counts of a flight: its current (not removed) travellers by role."""
    session.execute(_COUNTS, {"flight": flight_id})
