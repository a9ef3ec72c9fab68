"""A 50-flight sample shows the variety real traffic has."""

from __future__ import annotations

import re
from collections import Counter

from gtas.generator import Traffic, flight_with
from gtas.generator.files import PART_SIZE, paxlst_files
from gtas.generator.names import CULTURES
from gtas.generator.places import AIRPORTS, COUNTRIES
from gtas.generator.schedule import AIRCRAFT
from gtas.parsers.records import Role


def test_several_carriers_and_routes(traffic: Traffic) -> None:
    carriers = {f.leg.carrier for f in traffic.flights}
    assert len(carriers) >= 8
    assert len({(f.leg.origin, f.leg.destination) for f in traffic.flights}) >= 30
    inbound = sum(AIRPORTS[f.leg.destination or ""].country == "USA" for f in traffic.flights)
    assert inbound >= 0.75 * len(traffic.flights)
    assert all(AIRPORTS[f.leg.origin or ""].country != AIRPORTS[f.leg.destination or ""].country
               for f in traffic.flights)


def test_list_sizes_follow_the_aircraft(traffic: Traffic) -> None:
    for f in traffic.flights:
        aircraft = AIRCRAFT[f.aircraft]
        assert aircraft.min_passengers <= len(f.passenger_list.travellers) <= aircraft.max_passengers <= 400
        assert 4 <= len(f.crew_list.travellers) <= 16
        assert f.passenger_list.list_code == "745" and f.crew_list.list_code == "250"
        assert all(t.role is Role.CREW for t in f.crew_list.travellers)
        assert f.crew_list.declared_crew == len(f.crew_list.travellers)


def test_names_come_from_many_cultures(traffic: Traffic) -> None:
    surnames = {t.surname for f in traffic.flights for t in f.passenger_list.travellers}
    seen = {key for key, culture in CULTURES.items() if surnames & set(culture.surnames)}
    assert len(seen) >= 14
    assert all(re.fullmatch(r"[A-Z][A-Z '-]*[A-Z]|[A-Z]", s or "") for s in surnames)
    assert any("'" in (s or "") for s in surnames)
    assert any("-" in (s or "") for s in surnames)
    assert {"IVANOVA", "IVANOV"} & surnames or any(s and s.endswith("OVA") for s in surnames)


def test_nationalities_are_alpha3_and_mostly_match_the_culture(traffic: Traffic) -> None:
    travellers = [t for f in traffic.flights for t in f.passenger_list.travellers]
    assert all(t.nationality in COUNTRIES for t in travellers)
    assert len({t.nationality for t in travellers}) >= 30
    korean = [t for t in travellers if t.surname in ("KIM", "PARK", "CHOI")]
    assert korean and Counter(t.nationality for t in korean).most_common(1)[0][0] == "KOR"


def test_documents_are_valid_for_the_journey(traffic: Traffic) -> None:
    for f in traffic.flights:
        assert f.leg.departure is not None
        for t in (*f.passenger_list.travellers, *f.crew_list.travellers):
            passport = t.documents[0]
            assert passport.type == "P" and passport.number and passport.expiry
            assert passport.expiry > f.leg.departure.date()
            assert t.date_of_birth is not None and t.date_of_birth < f.leg.departure.date()
    formats = {t.nationality: t.documents[0].number for f in traffic.flights for t in f.passenger_list.travellers}
    assert re.fullmatch(r"\d{2}[A-Z]{2}\d{5}", formats.get("FRA") or "12AB12345")
    assert re.fullmatch(r"[A-Z]\d{7}", formats.get("IND") or "A1234567")


def test_ages_include_children_and_infants(traffic: Traffic) -> None:
    ages: Counter[str] = Counter()
    for f in traffic.flights:
        assert f.leg.departure is not None
        for t in f.passenger_list.travellers:
            assert t.date_of_birth is not None
            age = (f.leg.departure.date() - t.date_of_birth).days / 365.25
            ages["infant" if age < 2 else "child" if age < 16 else "adult"] += 1
    assert ages["infant"] > 10 and ages["child"] > 50 and ages["adult"] > 5000


def test_bookings_show_families_infants_codeshares_connections_and_payments(traffic: Traffic) -> None:
    pnrs = [p for f in traffic.flights for p in f.pnr.pnrs]
    sizes = Counter(len(p.travellers) for p in pnrs)
    assert sizes[1] > sizes[2] > 0 and max(sizes) >= 6
    assert any(t.role is Role.INFANT and t.accompanying_ref for p in pnrs for t in p.travellers)
    assert any(t.with_infant for p in pnrs for t in p.travellers)
    assert sum(bool(p.codeshares) for p in pnrs) > 20
    assert all(p.other_locators for p in pnrs if p.codeshares)
    assert any(len(p.itinerary) >= 4 for p in pnrs)
    assert any(p.itinerary[-1].destination == p.itinerary[0].origin for p in pnrs if len(p.itinerary) > 1)
    assert {pay.type for p in pnrs for pay in p.payments} == {"CA", "CC", "IN"}
    assert any(p.agency and p.agency.iata_number for p in pnrs)
    assert any(p.agency and p.agency.agent == "WEB" for p in pnrs)
    assert any(p.emails for p in pnrs) and any(p.phones for p in pnrs) and any(p.addresses for p in pnrs)
    assert any(t.frequent_flyers for p in pnrs for t in p.travellers)
    assert all(p.created and p.last_modified and p.created <= p.last_modified for p in pnrs)
    leads = {(p.created.date() if p.created else None) for p in pnrs}
    assert len(leads) > 100


def test_families_share_surname_and_contact(traffic: Traffic) -> None:
    families = [p for f in traffic.flights for p in f.pnr.pnrs
                if any(t.role is Role.INFANT or t.passenger_type == "C" for t in p.travellers)]
    assert families
    shared = sum(len({t.surname for t in p.travellers}) < len(p.travellers) for p in families)
    assert shared > 0.6 * len(families)


def test_bags_and_seats(traffic: Traffic) -> None:
    for f in traffic.flights:
        seats = [t.seat for t in f.passenger_list.travellers if t.seat]
        assert len(seats) == len(set(seats))
        for t in f.passenger_list.travellers:
            assert len(t.bag_tags) == (t.bag_count or 0)
            assert all(re.fullmatch(r"\d{10}", tag) for tag in t.bag_tags)
            assert t.seat is None or re.fullmatch(r"[1-9]\d*[A-K]", t.seat)


def test_big_lists_are_written_in_parts(traffic: Traffic) -> None:
    big = [f for f in traffic.flights if len(f.passenger_list.travellers) > PART_SIZE]
    assert big
    names = [name for name, _ in paxlst_files(big[0])]
    assert any(name.endswith("_PAX_02.edi") for name in names)


def test_benchmark_flight_has_exact_sizes() -> None:
    flight = flight_with(passengers=400, pnrs=150, seed=4)
    assert len(flight.passenger_list.travellers) == 400
    assert len(flight.pnr.pnrs) == 150
    assert sum(len(p.travellers) for p in flight.pnr.pnrs) == 400
    assert flight_with(passengers=400, pnrs=150, seed=4) == flight
