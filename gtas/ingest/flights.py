"""Flights: the prime leg of a message, upserted on carrier, number, route and local departure date."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import case, func, select, update
from sqlalchemy.orm import Session

from gtas import reference
from gtas.ingest.context import table_of, upsert
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


def find_flight(session: Session, leg: FlightLeg) -> int | None:
    """The id of the leg's flight when it is stored."""
    if not (leg.origin and leg.destination and leg.departure):
        return None
    table = table_of(Flight)
    flight_id: int | None = session.scalar(select(table.c.id).where(*(table.c[name] == value
                                                                       for name, value in flight_key(leg).items())))
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
    table = table_of(Flight)
    fit_rows(table, [row], warnings)
    statement = upsert(session, table).values(row)
    excluded = statement.excluded
    statement = statement.on_conflict_do_update(
        index_elements=["carrier", "number", "origin", "destination", "departure_date"],
        set_={name: func.coalesce(excluded[name], table.c[name])
              for name in ("suffix", "departure_local", "arrival_local", "departure_utc", "arrival_utc",
                           "direction")}
        | {name: case((table.c[name].is_(None) | (excluded[name] > table.c[name]), excluded[name]),
                      else_=table.c[name]) for name in ([received[0]] if received else [])})
    flight_id: int = session.execute(statement.returning(table.c.id)).scalar_one()
    link = upsert(session, table_of(FlightMessage))
    session.execute(link.values(flight_id=flight_id, message_id=message_id).on_conflict_do_nothing())
    return flight_id


def update_counts(session: Session, flight_id: int) -> None:
    """Passenger and crew counts of a flight: its current (not removed) travellers by role."""
    def count(roles: tuple[Role, ...]) -> Any:
        return (select(func.count()).where(Traveller.flight_id == flight_id, Traveller.removed_at.is_(None),
                                           Traveller.role.in_(roles)).scalar_subquery())
    session.execute(update(Flight).where(Flight.id == flight_id).values(
        passenger_count=count(PASSENGER_ROLES), crew_count=count(CREW_ROLES)))
