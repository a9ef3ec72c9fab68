"""Bookings: parties of travellers, their itineraries, contacts, agencies, payments, seats, bags and history."""

from __future__ import annotations

import functools
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from gtas.generator import cards
from gtas.generator.names import CULTURES
from gtas.generator.people import (
    Person,
    destination_address,
    email_for,
    make_person,
    mobile_number,
    pattern,
    street_address,
)
from gtas.generator.places import AIRPORTS, ALPHA2, COUNTRIES, USD_RATES, airports_in, distance_between
from gtas.generator.schedule import AIRCRAFT, CARRIERS, Aircraft, Carrier, Timetable, equipment_for, make_leg
from gtas.parsers.records import (
    Address,
    Agency,
    Bag,
    Codeshare,
    Document,
    Email,
    FlightLeg,
    FrequentFlyer,
    HistoryEntry,
    Payment,
    Phone,
    Pnr,
    Role,
    Seat,
    Ssr,
    Ticket,
    Traveller,
)

LOCATOR_CHARS = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
BUSINESS_CLASSES = "JCDZ"
ECONOMY_CLASSES = "YBMHKLQTVS"
TAX_CODES = ("US", "XF", "AY", "YQ", "YC", "XA", "YR", "GB", "DE", "FR", "OY", "RA")
SPECIAL_SERVICES = (("VGML", "VEGETARIAN MEAL"), ("MOML", "MUSLIM MEAL"), ("KSML", "KOSHER MEAL"),
                    ("WCHR", "WHEELCHAIR TO AIRCRAFT DOOR"), ("HNML", "HINDU MEAL"), ("DBML", "DIABETIC MEAL"))


def ddmonyy(day: date) -> str:
    """``01JUL78`` as in SSR DOCS."""
    return f"{day.day:02d}{MONTHS[day.month - 1]}{day.year % 100:02d}"


@dataclass(slots=True)
class Boarded:
    """A traveller on the reported flight: the person plus what check-in recorded."""

    person: Person
    locator: str
    unique_reference: str
    infant: bool
    seat: str | None
    cabin: str
    bag_tags: list[str]
    bag_weight: int
    destination_address: Address | None


@dataclass(slots=True)
class FlightBookings:
    pnrs: list[Pnr]
    boarded: list[Boarded]


@dataclass(slots=True)
class Member:
    person: Person
    band: str  # adult, child, infant
    title: str | None


@dataclass(slots=True)
class SeatMap:
    """Seats of one aircraft, handed out front to back so that parties sit together."""

    business: list[tuple[int, str]]
    economy: list[tuple[int, str]]
    next_business: int = 0
    next_economy: int = 0

    @classmethod
    def for_aircraft(cls, aircraft: Aircraft, seats_needed: int) -> SeatMap:
        letters = "ABCDEFGHJK" if aircraft.wide else "ABCDEF"
        business_letters = "ACDGHK" if aircraft.wide else "ACDF"
        business_rows = 8 if aircraft.wide else 3
        first_economy = 12 if aircraft.wide else 6
        rows = seats_needed // len(letters) + 4
        business = [(r, c) for r in range(1, business_rows + 1) for c in business_letters]
        economy = [(r, c) for r in range(first_economy, first_economy + rows) for c in letters]
        return cls(business, economy)

    def take(self, count: int, cabin: str) -> list[str]:
        if cabin == "J" and self.next_business + count <= len(self.business):
            seats = self.business[self.next_business : self.next_business + count]
            self.next_business += count
        else:
            seats = self.economy[self.next_economy : self.next_economy + count]
            self.next_economy += count
        return [f"{row}{letter}" for row, letter in seats]


@dataclass(slots=True)
class Booker:
    """Shared state while booking one flight: random source, timetable, unique locators, counters."""

    rng: random.Random
    timetable: Timetable
    home: str
    locators: set[str]
    tag_serial: int = 0
    sequence: int = 0
    upi_serial: int = 0

    def locator(self) -> str:
        while True:
            value = "".join(self.rng.choice(LOCATOR_CHARS) for _ in range(6))
            if value not in self.locators:
                self.locators.add(value)
                return value


def party_sizes(rng: random.Random, passengers: int, pnrs: int | None) -> list[int]:
    """Party sizes (1–6) adding up to ``passengers``; exactly ``pnrs`` parties when given."""
    if pnrs is not None:
        if not 0 < pnrs <= passengers <= 6 * pnrs:
            raise ValueError(f"{passengers} passengers cannot be split into {pnrs} bookings of 1 to 6")
        sizes = [1] * pnrs
        open_parties = list(range(pnrs))
        for _ in range(passengers - pnrs):
            k = rng.randrange(len(open_parties))
            index = open_parties[k]
            sizes[index] += 1
            if sizes[index] == 6:
                open_parties[k] = open_parties[-1]
                open_parties.pop()
        return sizes
    sizes = []
    left = passengers
    while left > 0:
        size = rng.choices((1, 2, 3, 4, 5, 6), cum_weights=(52, 78, 87, 95, 99, 100))[0]
        size = min(size, left)
        sizes.append(size)
        left -= size
    return sizes


def pick_culture(rng: random.Random, leg: FlightLeg, carrier: Carrier) -> tuple[str, str | None]:
    """(culture, nationality hint) of a party on this flight."""
    r = rng.random()
    origin = AIRPORTS[leg.origin or ""].country
    destination = AIRPORTS[leg.destination or ""].country
    if r < 0.3:
        country = origin
    elif r < 0.58:
        country = destination
    elif r < 0.85 and carrier.cultures:
        return rng.choice(carrier.cultures), None
    else:
        return rng.choice(tuple(CULTURES)), None
    culture = COUNTRIES[country].culture if country in COUNTRIES else "anglo"
    return culture, country if rng.random() < 0.75 else None


def compose_party(rng: random.Random, size: int, culture: str, nationality: str | None, travel: date,
                  destination_country: str) -> list[Member]:
    """Who travels together: a solo traveller, a couple, a family with children and lap infants, or friends."""
    def adult(gender: str | None = None, surname: str | None = None, nat: str | None = None,
              residence: str | None = None) -> Member:
        person = make_person(rng, culture, "adult", travel, destination_country, gender=gender,
                             surname=surname, nationality=nat or nationality, residence=residence)
        title = "MR" if person.gender == "M" else rng.choice(("MRS", "MS"))
        return Member(person, "adult", title)

    def young(band: str, parent: Person) -> Member:
        person = make_person(rng, culture, "infant" if band == "infant" else "child", travel,
                             destination_country, surname=parent.surname if parent.gender == "M" else None,
                             nationality=parent.nationality, residence=parent.residence)
        if parent.gender == "F" and not CULTURES[culture].wife_keeps_surname:
            person.surname = parent.surname if person.gender == "F" else _masculine(parent.surname)
        return Member(person, band, None)

    if size == 1:
        return [adult()]
    r = rng.random()
    if (size == 2 and r < 0.55) or (size >= 3 and r < 0.72):
        first = adult("M")
        members = [first]
        adults = 1 if size >= 3 and rng.random() < 0.12 else 2
        if adults == 2:
            keeps = CULTURES[culture].wife_keeps_surname
            members.append(adult("F", surname=None if keeps else first.person.surname,
                                 nat=first.person.nationality, residence=first.person.residence))
        infants = 0
        for _ in range(size - adults):
            band = "infant" if infants < adults and rng.random() < 0.18 else "child"
            infants += band == "infant"
            members.append(young(band, first.person))
        return members
    if size == 2 and r < 0.8:
        parent = adult()
        return [parent, young("infant" if rng.random() < 0.5 else "child", parent.person)]
    return [adult() for _ in range(size)]


def _masculine(surname: str) -> str:
    if surname.endswith("SKAYA"):
        return surname[:-5] + "SKIY"
    if surname.endswith(("OVA", "EVA", "INA", "YNA")):
        return surname[:-1]
    return surname


def book_flight(booker: Booker, leg: FlightLeg, passengers: int, pnrs: int | None = None) -> FlightBookings:
    """All bookings of one flight, with check-in data for everyone who flies."""
    rng = booker.rng
    carrier = CARRIERS[leg.carrier or ""]
    aircraft = AIRCRAFT[leg.equipment or "77W"]
    seat_map = SeatMap.for_aircraft(aircraft, passengers)
    booker.tag_serial = rng.randrange(100000, 800000)
    booker.sequence = 0
    result = FlightBookings([], [])
    for size in party_sizes(rng, passengers, pnrs):
        culture, nationality = pick_culture(rng, leg, carrier)
        travel = leg.departure.date() if leg.departure else date(2026, 1, 1)
        destination_country = AIRPORTS[leg.destination or ""].country
        members = compose_party(rng, size, culture, nationality, travel, destination_country)
        pnr, boarded = _book_party(booker, leg, carrier, members, seat_map)
        result.pnrs.append(pnr)
        result.boarded.extend(boarded)
    return result


def _book_party(booker: Booker, leg: FlightLeg, carrier: Carrier, members: list[Member],
                seat_map: SeatMap) -> tuple[Pnr, list[Boarded]]:
    rng = booker.rng
    assert leg.departure is not None and leg.origin and leg.destination
    lead = members[0].person
    solo_business = len(members) == 1 and rng.random() < 0.5
    cabin = "J" if rng.random() < (0.25 if solo_business else 0.05) else "Y"
    booking_class = rng.choice(BUSINESS_CLASSES if cabin == "J" else ECONOMY_CLASSES)
    days_ahead = rng.randint(1, 35) if solo_business else int(min(330, max(2, rng.expovariate(1 / 60))))
    created = (leg.departure - timedelta(days=days_ahead)).replace(
        hour=rng.randrange(24), minute=rng.randrange(60))
    locator = booker.locator()
    pnr = Pnr(record_locator=locator, carrier=carrier.code, created=created)
    partner = rng.choice(carrier.partners) if carrier.partners and rng.random() < 0.12 else None
    if partner:
        pnr.other_locators.append((partner, booker.locator()))

    # Travellers: infants right after the adult whose lap they sit on.
    adults = [m for m in members if m.band != "infant"]
    infants = [m for m in members if m.band == "infant"]
    ordered: list[tuple[Member, Member | None]] = []
    for index, member in enumerate(adults):
        ordered.append((member, None))
        if index < len(infants):
            ordered.append((infants[index], member))
    refs: dict[int, str] = {}
    for number, (member, _) in enumerate(ordered, start=1):
        refs[id(member)] = str(number)

    pnr.itinerary = _itinerary(booker, leg, carrier, partner, booking_class,
                               party=len([m for m in members if m.band != "infant"]))
    prime = next(i for i, s in enumerate(pnr.itinerary) if _same_flight(s, leg, partner))

    agency = _agency(rng, carrier, lead)
    pnr.agency = agency
    currency = agency.currency or "USD"
    phone = mobile_number(rng, lead.residence)
    pnr.phones.append(Phone(phone, kind="mobile"))
    if rng.random() < 0.15:
        pnr.phones.append(Phone(mobile_number(rng, lead.residence), kind="mobile"))
    if rng.random() < 0.75:
        pnr.emails.append(Email(email_for(rng, lead)))
    home_address = street_address(rng, lead.residence) if rng.random() < 0.6 else None
    if home_address is not None:
        pnr.addresses.append(home_address)
    visitor = lead.residence != AIRPORTS[leg.destination].country
    stay = destination_address(rng, leg.destination) if visitor and rng.random() < 0.85 else None

    payment_type = _payment_type(rng, agency)
    card = cards.synthetic_card(rng, locator, leg.departure.date()) if payment_type == "CC" else None
    masked = card.masked() if card is not None else (None, None)
    issue = min(created + timedelta(days=rng.randint(0, 3), hours=rng.randint(0, 5)),
                leg.departure - timedelta(hours=3))
    pnr.ticketed = issue.date()
    fares = _fares(rng, pnr.itinerary, cabin, currency)
    validating = partner or carrier.code
    validating_numeric = CARRIERS[validating].numeric

    boarded: list[Boarded] = []
    seats = seat_map.take(len(adults), cabin)
    seat_for = {id(m): s for m, s in zip(adults, seats, strict=True)}
    last_check_in = created
    for member, lap in ordered:
        person = member.person
        ref = refs[id(member)]
        infant = member.band == "infant"
        booker.upi_serial += 1
        upi = f"{rng.getrandbits(40):010X}{booker.upi_serial:06X}"
        traveller = Traveller(
            surname=person.surname,
            given_names=person.given_names,
            role=Role.INFANT if infant else Role.PASSENGER,
            date_of_birth=person.date_of_birth,
            gender=person.gender,
            nationality=person.nationality,
            documents=_pnr_documents(person),
            record_locator=locator,
            reference=ref,
            unique_reference=upi,
            title=member.title,
            passenger_type={"adult": "A", "child": "C", "infant": "IN"}[member.band],
            with_infant=any(lap_of is member for _, lap_of in ordered),
            accompanying_ref=refs[id(lap)] if lap is not None else None,
            address=_stay_for(stay, ref),
        )
        if member.band == "adult" and rng.random() < 0.25:
            program = rng.choice((carrier.code, *carrier.partners)) if carrier.partners else carrier.code
            digits = CARRIERS[program].ffp_digits if program in CARRIERS else 9
            traveller.frequent_flyers.append(FrequentFlyer(program, pattern(rng, "D" * digits)))
        ticket_number = f"{validating_numeric}{rng.randrange(10**9, 10**10)}"
        traveller.ticket_number = ticket_number
        base, tax_total = fares[member.band]
        ticket = Ticket(number=ticket_number, type="T", coupons=str(len(pnr.itinerary)), issue_date=issue.date(),
                        issuing_carrier=validating, place_of_issue=agency.location,
                        fare=_money(base + tax_total), currency=currency, base_fare=_money(base),
                        taxes=_money(tax_total), traveller_ref=ref)
        pnr.tickets.append(ticket)
        payment = Payment(type=payment_type, amount=ticket.fare, currency=currency, traveller_ref=ref)
        if card is not None:
            payment.card_type = card.type
            payment.card_expiry = card.expiry
            payment.card_last4, payment.card_hash = masked
            payment.card_holder = f"{lead.first_name} {lead.surname}"
        pnr.payments.append(payment)
        pnr.travellers.append(traveller)
        if rng.random() < 0.04:
            code, text = rng.choice(SPECIAL_SERVICES)
            pnr.ssrs.append(Ssr(code=code, text=text, status="HK", carrier=carrier.code, traveller_ref=ref))

        # Check-in on the reported flight.
        booker.sequence += 1
        sequence = f"{leg.origin}-{booker.sequence:03d}"
        traveller.check_in_sequence = sequence
        seat = None if infant else seat_for[id(member)]
        tags: list[str] = []
        weight = 0
        if not infant:
            bags = rng.choices((0, 1, 2, 3), cum_weights=(6, 10, 11, 11) if solo_business else (3, 8, 11, 12))[0]
            for _ in range(bags):
                booker.tag_serial += 1
                tags.append(f"0{carrier.numeric}{booker.tag_serial % 1000000:06d}")
                weight += rng.randint(8, 32)
        final = pnr.itinerary[prime].destination or leg.destination
        through = pnr.itinerary[prime + 1] if prime + 1 < len(pnr.itinerary) else None
        if through is not None and through.departure and leg.arrival and \
                through.departure - leg.arrival < timedelta(hours=12):
            final = through.destination or final
        traveller.seat = seat
        if tags:
            traveller.bag_count, traveller.bag_weight_kg, traveller.bag_tags = len(tags), float(weight), list(tags)
        if seat is not None:
            pnr.seats.append(Seat(number=seat, traveller_ref=ref, cabin=cabin, origin=leg.origin,
                                  destination=leg.destination, carrier=carrier.code, flight_number=leg.number,
                                  source="checkin"))
        if tags:
            pnr.bags.append(Bag(traveller_ref=ref, count=len(tags), weight_kg=float(weight), tags=tags,
                                destination=final, carrier=carrier.numeric))
        check_in = leg.departure - timedelta(minutes=rng.randint(45, 24 * 60))
        last_check_in = max(last_check_in, check_in)
        boarded.append(Boarded(person, locator, upi, infant, seat, cabin, tags, weight,
                               _stay_for(stay, None) if visitor else None))
    pnr.last_modified = max(last_check_in, issue)
    pnr.passenger_count = len(pnr.travellers)
    if partner:
        mkt = pnr.itinerary[prime]
        pnr.codeshares.append(Codeshare(mkt.carrier, mkt.number, mkt.operating_carrier, mkt.operating_number))
    pnr.history = _history(pnr, issue)
    return pnr, boarded


def _same_flight(segment: FlightLeg, leg: FlightLeg, partner: str | None) -> bool:
    carrier = segment.operating_carrier if partner else segment.carrier
    return (carrier == leg.carrier and segment.origin == leg.origin and segment.destination == leg.destination
            and segment.departure == leg.departure)


def _stay_for(stay: Address | None, ref: str | None) -> Address | None:
    if stay is None:
        return None
    return Address(street=stay.street, city=stay.city, region=stay.region, postcode=stay.postcode,
                   country=stay.country, kind=stay.kind, traveller_ref=ref)


def _pnr_documents(person: Person) -> list[Document]:
    doc = person.passport
    documents = [Document(type="P", number=doc.number, issuing_country=doc.issuing_country, expiry=doc.expiry,
                          nationality=person.nationality, source="DOCS")]
    if person.visa is not None:
        v = person.visa
        documents.append(Document(type="V", number=v.number, issuing_country=v.issuing_country,
                                  issue_date=v.issue_date, place_of_issue=v.place_of_issue, source="DOCO"))
    return documents


def _itinerary(booker: Booker, leg: FlightLeg, carrier: Carrier, partner: str | None, booking_class: str,
               party: int) -> list[FlightLeg]:
    """The reported flight plus, sometimes, a feeder, an onward connection and a return (possibly open-jaw)."""
    rng = booker.rng
    assert leg.departure is not None and leg.arrival is not None and leg.origin and leg.destination
    home_carriers = _carriers_of(AIRPORTS[leg.destination].country)
    outbound: list[FlightLeg] = []
    if leg.origin in carrier.hubs and rng.random() < 0.3:
        feeders = _feeders(carrier.code, leg.origin, leg.destination)
        if feeders:
            start = rng.choice(feeders)
            dwell = timedelta(minutes=rng.randrange(75, 330, 5))
            probe = make_leg(carrier.code, 1, start, leg.origin, leg.departure)
            duration = (probe.arrival or leg.departure) - leg.departure
            departure = leg.departure - dwell - duration
            departure -= timedelta(minutes=departure.minute % 5)
            number = booker.timetable.number(carrier.code, start, leg.origin, low=100, high=2999)
            outbound.append(_booked(rng, make_leg(carrier.code, number, start, leg.origin, departure),
                                    carrier, booking_class, party))
    outbound.append(_prime(leg, partner, booking_class, party, booker))
    onward: FlightLeg | None = None
    if home_carriers and rng.random() < 0.2:
        domestic = _others_in_country(leg.destination)
        if domestic:
            other = rng.choice(home_carriers)
            target = rng.choice(domestic)
            departure = leg.arrival + timedelta(minutes=rng.randrange(120, 300, 5))
            number = booker.timetable.number(other.code, leg.destination, target, low=1000, high=2999)
            onward = _booked(rng, make_leg(other.code, number, leg.destination, target, departure),
                             other, booking_class, party)
            outbound.append(onward)
    if rng.random() < 0.55:
        day = leg.departure + timedelta(days=rng.randint(3, 24))
        back_from = leg.destination
        if onward is not None and rng.random() < 0.5:
            back_from = onward.destination or back_from
        elif rng.random() < 0.12:
            options = _others_in_country(leg.destination)
            back_from = rng.choice(options) if options else back_from  # open jaw: home from another city
        if back_from != leg.destination and back_from in carrier.hubs + carrier.stations \
                and leg.origin in carrier.hubs + carrier.stations:
            back = booker.timetable.leg(carrier.code, back_from, leg.origin, day)
            outbound.append(_booked(rng, back, carrier, booking_class, party))
        else:
            if back_from != leg.destination and home_carriers:
                other = rng.choice(home_carriers)
                number = booker.timetable.number(other.code, back_from, leg.destination, low=1000, high=2999)
                hop = make_leg(other.code, number, back_from, leg.destination, day.replace(hour=7, minute=30))
                outbound.append(_booked(rng, hop, other, booking_class, party))
                assert hop.arrival is not None
                back = booker.timetable.leg(carrier.code, leg.destination, leg.origin, day)
                if back.departure and back.departure < hop.arrival + timedelta(minutes=90):
                    back = booker.timetable.leg(carrier.code, leg.destination, leg.origin, day + timedelta(days=1))
            else:
                back = booker.timetable.leg(carrier.code, leg.destination, leg.origin, day)
            outbound.append(_booked(rng, back, carrier, booking_class, party))
        if outbound[0].origin != leg.origin and rng.random() < 0.8:
            last = outbound[-1]
            assert last.arrival is not None
            start = outbound[0].origin or leg.origin
            departure = last.arrival + timedelta(minutes=rng.randrange(80, 300, 5))
            number = booker.timetable.number(carrier.code, leg.origin, start, low=100, high=2999)
            outbound.append(_booked(rng, make_leg(carrier.code, number, leg.origin, start, departure),
                                    carrier, booking_class, party))
    return outbound


@functools.lru_cache(maxsize=4096)
def _feeders(carrier: str, origin: str, destination: str) -> tuple[str, ...]:
    """Stations of the carrier that can feed its hub ``origin`` for a flight to ``destination``."""
    countries = (AIRPORTS[destination].country, AIRPORTS[origin].country)
    return tuple(s for s in CARRIERS[carrier].stations
                 if AIRPORTS[s].country not in countries and 400 < distance_between(s, origin) < 9000)


@functools.lru_cache(maxsize=256)
def _carriers_of(country: str) -> tuple[Carrier, ...]:
    return tuple(c for c in CARRIERS.values() if c.country == country)


@functools.lru_cache(maxsize=256)
def _others_in_country(airport: str) -> tuple[str, ...]:
    return tuple(a.code for a in airports_in(AIRPORTS[airport].country) if a.code != airport)


def _booked(rng: random.Random, leg: FlightLeg, carrier: Carrier, booking_class: str, party: int) -> FlightLeg:
    leg.booking_class = booking_class
    leg.status = "HK"
    leg.party_size = party
    leg.equipment = equipment_for(rng, carrier, leg.origin or "", leg.destination or "").code
    return leg


def _prime(leg: FlightLeg, partner: str | None, booking_class: str, party: int, booker: Booker) -> FlightLeg:
    """The reported flight as booked: under the partner's number for a codeshare."""
    booked = FlightLeg(carrier=leg.carrier, number=leg.number, origin=leg.origin, destination=leg.destination,
                       departure=leg.departure, arrival=leg.arrival, booking_class=booking_class, status="HK",
                       party_size=party, equipment=leg.equipment)
    if partner:
        assert leg.carrier and leg.origin and leg.destination
        booked.carrier = partner
        booked.number = str(booker.timetable.number(partner, leg.origin, leg.destination, low=6000, high=9799))
        booked.operating_carrier = leg.carrier
        booked.operating_number = leg.number
    return booked


def _agency(rng: random.Random, carrier: Carrier, lead: Person) -> Agency:
    """A travel agency in the booker's country, or the airline's own web site."""
    country = lead.residence
    info = COUNTRIES.get(country)
    currency = info.currency if info and info.currency in USD_RATES else "USD"
    if rng.random() < 0.45:
        airports = airports_in(country)
        city = airports[0].code if airports else (info.cities[0][:3] if info else "XXX")
        system = rng.choice(("1A", "1A", "1S", "1G"))
        office = f"{city}{pattern(rng, 'LLDDDD')}" if system == "1A" else pattern(rng, "DLLD")
        return Agency(iata_number=pattern(rng, "DDDDDDDD"), office=office, location=city,
                      country=ALPHA2.get(country, country[:2]), agent=pattern(rng, "DDDDLL"), system=system,
                      originator_type="T", currency=currency)
    hub = carrier.hubs[0]
    home_info = COUNTRIES.get(carrier.country)
    web_currency = home_info.currency if home_info and home_info.currency in USD_RATES else "USD"
    return Agency(office=f"{hub}{carrier.code}0WB", location=hub, country=ALPHA2.get(carrier.country),
                  agent="WEB", system=carrier.code, originator_type="A",
                  currency=currency if rng.random() < 0.6 else web_currency)


def _payment_type(rng: random.Random, agency: Agency) -> str:
    if agency.iata_number is None:
        return "CC"
    return rng.choices(("CC", "CA", "IN"), cum_weights=(45, 70, 100))[0]


def _fares(rng: random.Random, itinerary: list[FlightLeg], cabin: str, currency: str
           ) -> dict[str, tuple[int, int]]:
    """Base fare and tax total in cents for an adult, a child and an infant."""
    km = sum(distance_between(s.origin or "", s.destination or "") for s in itinerary)
    rate = USD_RATES.get(currency, 1.0)
    per_km = rng.uniform(0.05, 0.13) * (3.8 if cabin == "J" else 1.0)
    adult = int((km * per_km + 60) * rate * 100)
    tax_rate = rng.uniform(0.06, 0.25)
    result: dict[str, tuple[int, int]] = {}
    for band, share in (("adult", 1.0), ("child", 0.75), ("infant", 0.1)):
        base = int(adult * share) // 100 * 100
        result[band] = (base, int(base * tax_rate) + 1500)
    return result


def _money(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


def _hhmm(moment: datetime) -> str:
    return f"{moment.hour:02d}{moment.minute:02d}"


def _history(pnr: Pnr, issued: datetime) -> list[HistoryEntry]:
    """A few lines of PNR history as the reservation system prints them."""
    lines: list[HistoryEntry] = []
    for t in pnr.travellers[:3]:
        name = f"{t.surname}/{t.given_names}{' ' + t.title if t.title else ''}"
        lines.append(HistoryEntry(f"0/O/NM/{name}({'INF' if t.role is Role.INFANT else 'ADT'})"))
    for segment in pnr.itinerary[:3]:
        assert segment.departure is not None and segment.arrival is not None
        lines.append(HistoryEntry(
            f"0/O/SS/{segment.carrier} {segment.number} {segment.booking_class} "
            f"{segment.departure.day:02d}{MONTHS[segment.departure.month - 1]} {segment.origin}{segment.destination} "
            f"HK{segment.party_size} {_hhmm(segment.departure)} {_hhmm(segment.arrival)}"))
    lines.append(HistoryEntry(f"1/Z/TKT/TKTL {ddmonyy(issued.date())} {_hhmm(issued)}"))
    return lines
