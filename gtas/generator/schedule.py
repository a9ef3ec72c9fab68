"""Carriers, aircraft, routes and flight times: the border-crossing flights traffic is made of."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from gtas.generator.places import AIRPORTS, distance_km
from gtas.parsers.records import FlightLeg


@dataclass(frozen=True, slots=True)
class Aircraft:
    code: str  # IATA equipment code as in PNRGOV APD
    min_passengers: int
    max_passengers: int
    wide: bool

    @property
    def crew_range(self) -> tuple[int, int]:
        return (10, 16) if self.wide else (4, 7)


AIRCRAFT: dict[str, Aircraft] = {
    a.code: a
    for a in (
        Aircraft("388", 360, 400, True),
        Aircraft("744", 300, 390, True),
        Aircraft("77W", 260, 360, True),
        Aircraft("772", 220, 300, True),
        Aircraft("359", 220, 320, True),
        Aircraft("333", 200, 290, True),
        Aircraft("332", 180, 250, True),
        Aircraft("339", 200, 280, True),
        Aircraft("789", 200, 290, True),
        Aircraft("788", 170, 240, True),
        Aircraft("764", 180, 230, True),
        Aircraft("32N", 110, 180, False),
        Aircraft("321", 140, 200, False),
        Aircraft("738", 110, 170, False),
        Aircraft("E90", 60, 100, False),
    )
}


@dataclass(frozen=True, slots=True)
class Carrier:
    """An airline: designator, ticketing code, home country, hubs and where it flies from them."""

    code: str
    numeric: str  # three-digit accounting code: prefix of tickets and bag tags
    country: str
    hubs: tuple[str, ...]
    stations: tuple[str, ...]  # airports served from the hubs
    long_haul: tuple[str, ...]
    short_haul: tuple[str, ...]
    cultures: tuple[str, ...]  # where its connecting passengers come from
    partners: tuple[str, ...] = ()  # carriers that sell its flights under their own numbers
    ffp_digits: int = 9

    def fleet_for(self, km: float) -> tuple[str, ...]:
        return self.long_haul if km > 3800 else self.short_haul


_US = "JFK EWR BOS IAD PHL ATL MIA DTW ORD DFW IAH DEN LAX SFO SEA"
_EU = "LHR MAN DUB CDG FRA MUC ZRH VIE MAD LIS FCO"


def _k(code: str, numeric: str, country: str, hubs: str, stations: str, long_haul: str, short_haul: str,
       cultures: str, partners: str = "", ffp_digits: int = 9) -> Carrier:
    hub_set = tuple(hubs.split())
    served = tuple(s for s in stations.split() if s not in hub_set and s in AIRPORTS)
    return Carrier(code, numeric, country, hub_set, served,
                   tuple(long_haul.split()), tuple(short_haul.split()), tuple(cultures.split()),
                   tuple(partners.split()), ffp_digits)


CARRIERS: dict[str, Carrier] = {
    c.code: c
    for c in (
        _k("BA", "125", "GBR", "LHR", f"{_US} YYZ YVR MEX GRU DEL BOM BLR PEK ICN NRT SIN CAI AMM RUH DXB DOH "
           "LOS ACC JNB FRA MUC CDG MAD LIS FCO ZRH VIE DUB IST", "388 77W 772 789", "32N 321",
           "anglo indian nigerian french german", "AA IB QR", 8),
        _k("LH", "220", "DEU", "FRA MUC", f"{_US} YYZ YVR MEX BOG GRU EZE DEL BOM BLR PEK PVG ICN NRT HND SIN "
           "CAI AMM BEY RUH JED DXB DOH IKA ADD LOS ACC JNB LHR MAN DUB CDG MAD LIS FCO ZRH VIE IST KBP SVO",
           "388 744 359 333", "32N 321", "german indian chinese slavic turkish persian italian", "UA AC", 15),
        _k("AF", "057", "FRA", "CDG", f"{_US} YYZ MEX BOG LIM GRU EZE SCL DEL BOM PEK PVG ICN NRT SIN SGN CAI "
           "BEY CMN RUH DXB LOS ACC JNB LHR DUB FRA MUC MAD LIS FCO ZRH VIE IST", "77W 359 332 772", "32N 321",
           "french arabic vietnamese hispanic nigerian", "DL KE", 10),
        _k("EK", "176", "ARE", "DXB", f"JFK EWR BOS IAD ORD DFW IAH MIA LAX SFO SEA YYZ GRU EZE {_EU} DEL BOM "
           "BLR PEK PVG ICN NRT SIN SGN CAI AMM BEY RUH JED IKA ADD LOS ACC JNB IST SYD", "388 77W", "77W",
           "indian arabic persian nigerian anglo chinese", "", 9),
        _k("QR", "157", "QAT", "DOH", f"JFK IAD ORD DFW MIA ATL PHL LAX BOS IAH SEA YYZ GRU EZE {_EU} DEL BOM BLR "
           "PEK PVG ICN NRT SIN SGN CAI AMM BEY RUH JED IKA ADD LOS ACC JNB IST SYD", "77W 359 388 788",
           "32N 738", "indian arabic persian nigerian anglo vietnamese", "AA BA", 9),
        _k("TK", "235", "TUR", "IST", f"JFK ORD IAD IAH LAX SFO MIA ATL BOS SEA DFW DTW DEN YYZ MEX BOG GRU EZE "
           f"{_EU} DEL BOM PEK PVG ICN NRT SIN SGN CAI AMM BEY RUH JED IKA ADD LOS ACC JNB KBP SVO",
           "77W 359 333 789", "32N 321 738", "turkish arabic persian slavic nigerian german", "UA", 9),
        _k("SU", "555", "RUS", "SVO", f"JFK LAX IAD MIA {_EU} DEL PEK PVG ICN NRT SGN DXB IST KBP",
           "77W 333 359", "32N 321", "slavic", "", 10),
        _k("CA", "999", "CHN", "PEK PVG", f"JFK IAD LAX SFO IAH SEA YVR GRU {_EU} ICN NRT SIN DXB SVO",
           "77W 789 744 333", "32N 321 738", "chinese", "UA", 12),
        _k("KE", "180", "KOR", "ICN", f"JFK LAX SFO SEA ATL DFW ORD IAD BOS YYZ YVR {_EU} PEK PVG NRT HND SIN "
           "SGN DXB IST", "388 77W 789 333", "32N 738", "korean chinese japanese vietnamese", "DL AF", 12),
        _k("LA", "045", "CHL", "SCL GRU LIM", f"JFK MIA LAX BOS ORD {_EU} BOG EZE MEX", "789 788 77W",
           "32N 321", "hispanic lusophone", "DL", 11),
        _k("SQ", "618", "SGP", "SIN", f"EWR JFK SFO LAX SEA IAH {_EU} DEL BOM BLR PEK PVG ICN NRT HND SGN DXB "
           "IST JNB SYD", "359 388 77W", "32N 738", "chinese indian vietnamese anglo", "UA", 10),
        _k("MS", "077", "EGY", "CAI", f"JFK IAD ORD YYZ {_EU} DEL PEK NRT RUH JED DXB AMM BEY CMN ADD LOS",
           "77W 789 333", "32N 738", "arabic", "UA", 9),
        _k("ET", "071", "ETH", "ADD", f"IAD EWR ORD ATL YYZ GRU {_EU} DEL BOM PEK PVG ICN NRT SIN DXB LOS ACC "
           "JNB CAI", "359 788 789 77W", "738", "ethiopian nigerian indian", "UA", 9),
        _k("AI", "098", "IND", "DEL BOM", f"JFK EWR SFO ORD IAD YYZ YVR {_EU} SIN DXB", "77W 788 359",
           "32N 321", "indian", "UA", 9),
        _k("NH", "205", "JPN", "HND NRT", f"JFK ORD IAD LAX SFO SEA IAH YVR {_EU} PEK PVG ICN SIN SGN DEL",
           "77W 789 388", "32N 738", "japanese chinese korean vietnamese", "UA", 10),
        _k("VN", "738", "VNM", "SGN", f"SFO LAX {_EU} ICN NRT PEK SIN SYD", "789 359", "32N 321",
           "vietnamese", "", 10),
        _k("IB", "075", "ESP", "MAD", f"JFK MIA ORD BOS LAX SFO MEX BOG LIM EZE SCL GRU {_EU} CMN TLV",
           "359 332 333", "32N 321", "hispanic", "AA BA", 8),
        _k("TP", "047", "PRT", "LIS", f"EWR JFK BOS MIA IAD SFO ORD YYZ GRU GIG {_EU} ACC", "339 332",
           "32N 321", "lusophone", "UA", 9),
        _k("AA", "001", "USA", "DFW MIA JFK ORD PHL", f"{_US} LHR MAD CDG FCO DUB ZRH MAN GRU GIG EZE SCL LIM "
           "BOG MEX NRT HND ICN DOH", "77W 789 788 772", "321 738", "anglo hispanic", "BA IB QR", 7),
        _k("DL", "006", "USA", "ATL JFK DTW SEA LAX", f"{_US} CDG LHR FCO MAD LIS DUB ZRH MUC ICN NRT HND PVG "
           "MEX BOG LIM SCL GRU EZE LOS ACC JNB", "359 339 764 332", "321 738", "anglo hispanic korean",
           "AF KE LA", 10),
        _k("UA", "016", "USA", "EWR IAD ORD SFO IAH DEN", f"{_US} FRA MUC LHR CDG ZRH LIS MAD FCO DUB NRT HND "
           "ICN PVG PEK SIN DEL BOM GRU EZE SCL BOG LIM MEX LOS ACC JNB", "77W 789 788 772 764", "32N 738",
           "anglo hispanic chinese indian", "LH NH SQ TK", 11),
        _k("AC", "014", "CAN", "YYZ YVR", f"{_US} {_EU} DEL BOM PEK PVG ICN NRT HND SIN GRU BOG MEX",
           "77W 789 333", "32N 321 E90", "anglo french chinese indian", "UA LH", 9),
        _k("AM", "139", "MEX", "MEX", f"{_US} YYZ BOG LIM GRU EZE SCL MAD CDG FCO LHR ICN NRT", "789 788",
           "738 E90", "hispanic", "DL", 9),
        _k("AV", "134", "COL", "BOG", f"{_US} MEX LIM GRU EZE SCL MAD LHR", "788", "32N 321", "hispanic",
           "UA", 9),
    )
}


@dataclass(frozen=True, slots=True)
class Route:
    carrier: str
    origin: str
    destination: str


def routes_for(home: str) -> list[Route]:
    """Every route that crosses into (or, reversed, out of) the home country, in a stable order."""
    routes: list[Route] = []
    for carrier in CARRIERS.values():
        if carrier.country == home:
            for hub in carrier.hubs:
                if AIRPORTS[hub].country != home:
                    continue
                routes.extend(Route(carrier.code, s, hub) for s in carrier.stations
                              if s in AIRPORTS and AIRPORTS[s].country != home)
        else:
            for hub in carrier.hubs:
                if AIRPORTS[hub].country == home:
                    continue
                routes.extend(Route(carrier.code, hub, s) for s in carrier.stations
                              if s in AIRPORTS and AIRPORTS[s].country == home)
    return routes


def arrival_for(origin: str, destination: str, departure: datetime) -> datetime:
    """Scheduled local arrival time of a flight leaving ``origin`` at local ``departure``."""
    a, b = AIRPORTS[origin], AIRPORTS[destination]
    km = distance_km(a, b)
    minutes = km / (850 if km > 1500 else 760) * 60 + 35
    arrival = departure + timedelta(minutes=minutes, hours=b.utc_offset - a.utc_offset)
    return arrival.replace(second=0, microsecond=0) - timedelta(minutes=arrival.minute % 5)


def equipment_for(rng: random.Random, carrier: Carrier, origin: str, destination: str) -> Aircraft:
    """An aircraft type of the carrier's fleet that suits the distance."""
    km = distance_km(AIRPORTS[origin], AIRPORTS[destination])
    return AIRCRAFT[rng.choice(carrier.fleet_for(km) or carrier.long_haul)]


def make_leg(carrier: str, number: int, origin: str, destination: str, departure: datetime,
             equipment: str | None = None) -> FlightLeg:
    """A scheduled leg with its local arrival time worked out."""
    return FlightLeg(carrier=carrier, number=str(number), origin=origin, destination=destination,
                     departure=departure, arrival=arrival_for(origin, destination, departure),
                     equipment=equipment)


@dataclass(slots=True)
class Timetable:
    """Flight numbers and daily departure times, stable within one generated traffic."""

    rng: random.Random
    numbers: dict[tuple[str, str, str], int] = field(default_factory=dict)
    times: dict[tuple[str, str, str], tuple[int, int]] = field(default_factory=dict)
    used: dict[str, set[int]] = field(default_factory=dict)

    def number(self, carrier: str, origin: str, destination: str, *, low: int = 1, high: int = 999) -> int:
        """The flight number of a route; the return direction gets the next number when it is free."""
        key = (carrier, origin, destination)
        if key in self.numbers:
            return self.numbers[key]
        used = self.used.setdefault(carrier, set())
        back = self.numbers.get((carrier, destination, origin))
        candidate = 0
        if back is not None:
            candidate = back + 1 if back % 2 == 0 else back - 1
        if candidate <= 0 or candidate in used:
            candidate = self.rng.randint(low, high)
            while candidate in used:
                candidate = self.rng.randint(low, high)
        used.add(candidate)
        self.numbers[key] = candidate
        return candidate

    def clock(self, carrier: str, origin: str, destination: str) -> tuple[int, int]:
        """The daily local departure time of a route."""
        key = (carrier, origin, destination)
        if key not in self.times:
            minutes = self.rng.randrange(6 * 60, 23 * 60 + 30, 5)
            self.times[key] = divmod(minutes, 60)
        return self.times[key]

    def leg(self, carrier: str, origin: str, destination: str, day: datetime, equipment: str | None = None,
            *, number: int | None = None) -> FlightLeg:
        """The route's flight on the given day."""
        hour, minute = self.clock(carrier, origin, destination)
        departure = day.replace(hour=hour, minute=minute, second=0, microsecond=0)
        flight = number if number is not None else self.number(carrier, origin, destination)
        return make_leg(carrier, flight, origin, destination, departure, equipment)
