"""API lists: the passenger list and the crew list a carrier reports for one flight."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from gtas.generator.bookings import Boarded
from gtas.generator.names import CULTURES
from gtas.generator.people import Person, make_person, pattern
from gtas.generator.places import AIRPORTS, COUNTRIES
from gtas.generator.schedule import AIRCRAFT, CARRIERS
from gtas.parsers.records import Document, FlightLeg, Message, Part, ReportingParty, Role, Traveller


def recipient_for(home: str, kind: str) -> str:
    """The government system a list or push is addressed to."""
    if home == "USA":
        return "USCSAPIS" if kind == "api" else "USCBPPNR"
    return f"{home}{'APIS' if kind == 'api' else 'PIU'}"


def reported_leg(leg: FlightLeg) -> FlightLeg:
    """The leg as an API list states it: carrier, number, airports and scheduled local times only."""
    return FlightLeg(carrier=leg.carrier, number=leg.number, origin=leg.origin, destination=leg.destination,
                     departure=leg.departure, arrival=leg.arrival)


def flight_key(leg: FlightLeg) -> str:
    """Common access reference of a list: ``LH0400/261124/1015`` (carrier, number, departure)."""
    assert leg.departure is not None
    return f"{leg.carrier}{int(leg.number or 0):04d}/{leg.departure:%y%m%d/%H%M}"


def _api_documents(person: Person) -> list[Document]:
    doc = person.passport
    documents = [Document(type="P", number=doc.number, issuing_country=doc.issuing_country, expiry=doc.expiry,
                          source="DOC")]
    if person.visa is not None:
        v = person.visa
        documents.append(Document(type="V", number=v.number, issuing_country=v.issuing_country,
                                  expiry=v.expiry, source="DOC"))
    return documents


def _listed(person: Person, leg: FlightLeg, role: Role, home: str, documents: list[Document]) -> Traveller:
    """The fields every person group of an API list carries."""
    inbound = AIRPORTS[leg.destination or ""].country == home
    return Traveller(
        surname=person.surname,
        given_names=person.given_names,
        role=role,
        date_of_birth=person.date_of_birth,
        gender=person.gender,
        nationality=person.nationality,
        residence_country=person.residence,
        embarkation=leg.origin,
        debarkation=leg.destination,
        clearance=leg.destination if inbound else None,
        documents=documents,
    )


def passenger(b: Boarded, leg: FlightLeg, home: str) -> Traveller:
    """One NAD+FL group of a passenger list."""
    traveller = _listed(b.person, leg, Role.PASSENGER, home, _api_documents(b.person))
    traveller.bag_count = len(b.bag_tags) or None
    traveller.bag_weight_kg = float(b.bag_weight) if b.bag_tags else None
    traveller.bag_tags = list(b.bag_tags)
    traveller.seat = b.seat
    traveller.record_locator = b.locator
    traveller.reference = b.unique_reference
    traveller.verified = True
    traveller.address = b.destination_address
    return traveller


def crew(rng: random.Random, leg: FlightLeg, home: str) -> list[Traveller]:
    """Pilots and cabin crew, mostly nationals of the carrier's country."""
    carrier = CARRIERS[leg.carrier or ""]
    aircraft = AIRCRAFT[leg.equipment or "77W"]
    low, high = aircraft.crew_range
    country = carrier.country
    local_culture = COUNTRIES[country].culture if country in COUNTRIES else "anglo"
    travel = leg.departure.date() if leg.departure else datetime(2026, 1, 1).date()
    destination_country = AIRPORTS[leg.destination or ""].country
    members = []
    for _ in range(rng.randint(low, high)):
        if rng.random() < 0.8:
            person = make_person(rng, local_culture, "adult", travel, destination_country, nationality=country)
        else:
            culture = rng.choice(tuple(CULTURES))
            person = make_person(rng, culture, "adult", travel, destination_country)
        age = person.age_on(travel)
        if age > 63 or age < 21:
            person.date_of_birth = travel - timedelta(days=rng.randint(22 * 365, 60 * 365))
        passport = person.passport
        documents = [Document(type="P", number=passport.number, issuing_country=passport.issuing_country,
                              expiry=passport.expiry, source="DOC")]
        members.append(_listed(person, leg, Role.CREW, home, documents))
    return members


def api_message(rng: random.Random, leg: FlightLeg, travellers: list[Traveller], *, crew_list: bool,
                home: str, prepared: datetime) -> Message:
    """A complete (unsplit) PAXLST message for the flight; the writer splits it into parts when asked."""
    carrier = leg.carrier or "ZZ"
    info = COUNTRIES.get(CARRIERS[carrier].country) if carrier in CARRIERS else None
    dial = info.dial if info else "1"
    return Message(
        type="PAXLST",
        version="D05B",
        sender=carrier,
        recipient=recipient_for(home, "api"),
        prepared=prepared,
        interchange_reference=str(rng.randrange(10**8, 10**9)),
        reference=("CRW" if crew_list else "PAX") + pattern(rng, "DDDDD"),
        part=Part(key=flight_key(leg), sequence=1, final=True),
        flights=[reported_leg(leg)],
        list_type="crew" if crew_list else "passenger",
        list_code="250" if crew_list else "745",
        transaction_reference=f"{carrier}{pattern(rng, 'DDDDDDDDDD')}",
        reporting_party=ReportingParty(name=f"{carrier} APIS DESK", phone=dial + pattern(rng, "DDDDDDDDD"),
                                       fax=dial + pattern(rng, "DDDDDDDDD")),
        travellers=travellers,
        declared_passengers=None if crew_list else len(travellers),
        declared_crew=len(travellers) if crew_list else None,
    )
