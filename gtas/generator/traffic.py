"""Traffic: a deterministic series of border-crossing flights, each with its API lists and its PNR push."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from gtas.generator.bookings import Booker, book_flight
from gtas.generator.manifest import api_message, crew, passenger, recipient_for, reported_leg
from gtas.generator.places import AIRPORTS
from gtas.generator.schedule import AIRCRAFT, CARRIERS, Aircraft, Route, Timetable, equipment_for, routes_for
from gtas.parsers.records import Agency, FlightLeg, Message, Part


@dataclass(slots=True)
class GeneratedFlight:
    """One reported flight: the leg, its API lists (passengers, crew) and one PNRGOV push with all its PNRs."""

    leg: FlightLeg
    api: list[Message]
    pnr: Message
    aircraft: str = ""

    @property
    def passenger_list(self) -> Message:
        return self.api[0]

    @property
    def crew_list(self) -> Message:
        return self.api[1]


@dataclass(slots=True)
class Traffic:
    flights: list[GeneratedFlight]
    seed: int = 0
    home_country: str = "USA"
    start: datetime | None = None


def next_midnight() -> datetime:
    """The coming midnight, UTC, as a naive datetime."""
    now = datetime.now(UTC).replace(tzinfo=None)
    return now.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)


def generate_traffic(
    flights: int,
    seed: int,
    start: datetime | None = None,
    home_country: str = "USA",
    *,
    passengers: int | None = None,
    pnrs: int | None = None,
    outbound_share: float = 0.1,
) -> Traffic:
    """``flights`` flights into (mostly) the home country from ``start`` on, the same for the same seed.

    ``passengers`` fixes the size of every passenger list and ``pnrs`` the number of bookings per flight
    (1 to 6 travellers each) — for benchmarks; by default both follow the aircraft type.
    """
    if flights < 0:
        raise ValueError("flights must not be negative")
    rng = random.Random(seed)
    start = (start or next_midnight()).replace(hour=0, minute=0, second=0, microsecond=0)
    routes = routes_for(home_country)
    if not routes:
        raise ValueError(f"no routes into {home_country!r}: no airport of that country is known")
    by_carrier: dict[str, list[Route]] = {}
    for route in routes:
        by_carrier.setdefault(route.carrier, []).append(route)
    carriers = sorted(by_carrier)
    weights = [2 if CARRIERS[c].country == home_country else 1 for c in carriers]
    timetable = Timetable(rng)
    booker = Booker(rng, timetable, home_country, set())
    fleet: dict[Route, Aircraft] = {}
    per_day = max(1, min(48, len(routes) // 3))
    result: list[GeneratedFlight] = []
    day = 0
    while len(result) < flights:
        today: set[Route] = set()
        date = start + timedelta(days=day)
        todays: list[GeneratedFlight] = []
        for _ in range(min(per_day, flights - len(result))):
            carrier = rng.choices(carriers, weights=weights)[0]
            route = rng.choice(by_carrier[carrier])
            if rng.random() < outbound_share:
                route = Route(route.carrier, route.destination, route.origin)
            if route in today:
                continue
            today.add(route)
            if route not in fleet:
                fleet[route] = equipment_for(rng, CARRIERS[carrier], route.origin, route.destination)
            aircraft = fleet[route]
            if passengers is not None and passengers > aircraft.max_passengers:
                aircraft = max((AIRCRAFT[code] for code in CARRIERS[carrier].long_haul),
                               key=lambda a: a.max_passengers)
            leg = timetable.leg(route.carrier, route.origin, route.destination, date, aircraft.code)
            count = passengers if passengers is not None else rng.randint(aircraft.min_passengers,
                                                                         aircraft.max_passengers)
            todays.append(_flight(rng, booker, leg, count, pnrs, home_country))
        todays.sort(key=lambda f: (f.leg.departure or date, f.leg.carrier or "", f.leg.number or ""))
        result.extend(todays)
        day += 1
    return Traffic(result[:flights], seed, home_country, start)


def flight_with(passengers: int = 400, pnrs: int = 150, seed: int = 0, start: datetime | None = None,
                home_country: str = "USA") -> GeneratedFlight:
    """One flight of exactly ``passengers`` travellers in exactly ``pnrs`` bookings (benchmark sizes)."""
    return generate_traffic(1, seed, start or datetime(2026, 1, 1), home_country, passengers=passengers,
                            pnrs=pnrs).flights[0]


def _flight(rng: random.Random, booker: Booker, leg: FlightLeg, count: int, pnrs: int | None,
            home: str) -> GeneratedFlight:
    assert leg.departure is not None
    bookings = book_flight(booker, leg, count, pnrs)
    closed = leg.departure + timedelta(minutes=rng.randint(5, 30))
    pax = api_message(rng, leg, [passenger(b, leg, home) for b in bookings.boarded], crew_list=False,
                      home=home, prepared=closed)
    crew_list = api_message(rng, leg, crew(rng, leg, home), crew_list=True, home=home,
                            prepared=closed + timedelta(minutes=1))
    carrier = leg.carrier or "ZZ"
    push = Message(
        type="PNRGOV",
        version="13.1",
        sender=carrier,
        recipient=recipient_for(home, "pnr"),
        prepared=leg.departure,
        interchange_reference=str(rng.randrange(10**8, 10**9)),
        reference="1",
        part=Part(key=f"{leg.departure:%d%m%y/%H%M}/{carrier}/{leg.number}"),
        flights=[reported_leg(leg)],
        originator=Agency(system=carrier, location=leg.origin),
        pnrs=bookings.pnrs,
        declared_pnrs=len(bookings.pnrs),
    )
    assert leg.origin in AIRPORTS
    return GeneratedFlight(leg=leg, api=[pax, crew_list], pnr=push, aircraft=leg.equipment or "")
