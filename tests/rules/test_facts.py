"""Facts built from loaded generated traffic: every catalogue field, every derived fact, in bulk queries."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, event, select
from sqlalchemy.orm import Session

from gtas.db import make_engine, upgrade
from gtas.generator import GeneratedFlight, flight_with, generate_traffic, paxlst_writer, pnrgov_writer
from gtas.model import Flight, Traveller
from gtas.parsers.records import Message
from gtas.rules.catalogue import CATALOGUE, OPERATIONAL_SSR_CODES, WITHHELD_SSR_EXAMPLES
from gtas.rules.facts import build_facts, facts_for_flights
from tests.conftest import _postgresql_schema
from tests.ingest.helpers import deliver

START = datetime(2026, 11, 24)


@dataclasses.dataclass
class Loaded:
    engine: Engine
    flights: list[GeneratedFlight]
    renamed: tuple[str, str]  # (surname as the API list gives it, given names)
    repeat_number: str  # flight number of the copy flown a week later by the same passengers


def _renamed_list(message: Message) -> tuple[Message, tuple[str, str]]:
    """The passenger list with its first booked traveller's surname changed (the booking keeps the old one)."""
    position, first = next((i, t) for i, t in enumerate(message.travellers) if t.record_locator)
    changed = dataclasses.replace(first, surname=f"{first.surname}ZZ")
    travellers = [*message.travellers[:position], changed, *message.travellers[position + 1:]]
    return dataclasses.replace(message, travellers=travellers), (changed.surname or "", changed.given_names or "")


def _week_later(message: Message, number: str) -> Message:
    legs = [dataclasses.replace(leg, number=number, departure=leg.departure + timedelta(days=7) if leg.departure
                                else None, arrival=leg.arrival + timedelta(days=7) if leg.arrival else None)
            for leg in message.flights]
    return dataclasses.replace(message, flights=legs, interchange_reference="W7", reference="W7")


@pytest.fixture(scope="module")
def loaded(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Loaded]:
    """Generated traffic loaded once per backend into a database of this module's own."""
    if database_url.startswith("sqlite"):
        yield from _load(f"sqlite:///{tmp_path_factory.mktemp('facts') / 'facts.db'}")
    else:
        with _postgresql_schema("rules_facts") as url:
            yield from _load(url)


def _load(url: str) -> Iterator[Loaded]:
    engine = make_engine(url)
    upgrade(engine)
    flights = generate_traffic(4, seed=21, start=START).flights
    renamed_list, renamed = _renamed_list(flights[0].passenger_list)
    small = flight_with(passengers=30, pnrs=12, seed=5, start=START)
    with Session(engine) as session:
        for flight in flights:
            api = [renamed_list if message is flight.passenger_list else message for message in flight.api]
            for message in api:
                for text in paxlst_writer.write(message):
                    deliver(session, text)
            deliver(session, pnrgov_writer.write(flight.pnr))
        for text in paxlst_writer.write(small.passenger_list):
            deliver(session, text)
        for text in paxlst_writer.write(_week_later(small.passenger_list, "9876")):
            deliver(session, text)
        session.commit()
    yield Loaded(engine, [*flights, small], renamed, "9876")
    engine.dispose()


@pytest.fixture(scope="module")
def facts(loaded: Loaded) -> dict[int, dict[str, Any]]:
    with Session(loaded.engine) as session:
        return build_facts(session, session.scalars(select(Traveller.id)).all())


def _records(flight: GeneratedFlight) -> dict[str | None, Any]:
    """The generated PNR records of a flight by record locator."""
    return {pnr.record_locator: pnr for pnr in flight.pnr.pnrs}


def test_every_traveller_has_every_catalogue_field(facts: dict[int, dict[str, Any]]) -> None:
    assert len(facts) > 500
    assert all(set(f) == set(CATALOGUE) for f in facts.values())
    for f in facts.values():
        for key, field in CATALOGUE.items():
            assert isinstance(f[key], list) is field.multi, key


def test_facts_are_read_in_bulk_not_per_traveller(loaded: Loaded) -> None:
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(args[2])

    with Session(loaded.engine) as session:
        ids = session.scalars(select(Traveller.id).order_by(Traveller.id)).all()
        event.listen(loaded.engine, "before_cursor_execute", count)
        try:
            build_facts(session, ids[:5])
            few = len(statements)
            statements.clear()
            build_facts(session, ids[:450])
            many = len(statements)
        finally:
            event.remove(loaded.engine, "before_cursor_execute", count)
    assert many <= few + 2 and many < 25


def test_sensitive_service_requests_never_reach_the_facts(loaded: Loaded, facts: dict[int, dict[str, Any]]) -> None:
    sent = {ssr.code for flight in loaded.flights for pnr in flight.pnr.pnrs for ssr in pnr.ssrs}
    assert sent & set(WITHHELD_SSR_EXAMPLES), "the generated traffic should carry meal/medical SSRs"
    offered = {code for f in facts.values() for code in f["pnr.ssr_codes"]}
    assert offered and offered <= OPERATIONAL_SSR_CODES
    assert not offered & set(WITHHELD_SSR_EXAMPLES)


def test_booking_facts_agree_with_the_records_sent(loaded: Loaded, facts: dict[int, dict[str, Any]]) -> None:
    records = {locator: pnr for flight in loaded.flights[:4] for locator, pnr in _records(flight).items()}
    checked = 0
    for f in facts.values():
        pnr = records.get(f["pnr.record_locator"])
        if pnr is None or not f["traveller.has_pnr"]:
            continue
        checked += 1
        assert f["derived.paid_in_cash"] is any(p.type == "CA" for p in pnr.payments)
        assert f["itinerary.leg_count"] == len(pnr.itinerary)
        departure, booked = f["flight.departure"], f["pnr.created"]
        assert f["derived.hours_booking_to_departure"] == round((departure - booked).total_seconds() / 3600, 2)
        assert f["derived.party_size"] >= 1
        assert f["flight.origin_country"] in f["derived.route_countries"]
        assert f["flight.destination_country"] in f["derived.route_countries"]
    assert checked > 300
    assert {f["derived.paid_in_cash"] for f in facts.values()} >= {True, False}


def test_trip_shape_length_dwell_and_bags(facts: dict[int, dict[str, Any]]) -> None:
    booked = [f for f in facts.values() if f["itinerary.leg_count"]]
    shapes = {f["derived.trip_type"] for f in booked}
    assert shapes == {"one_way", "return", "open_jaw"}
    for f in booked:
        origins, destinations = f["itinerary.origin"], f["itinerary.destination"]
        if f["derived.trip_type"] == "return":
            assert origins[0] == destinations[-1] and f["derived.trip_length_days"] >= 0
        if f["derived.trip_type"] == "one_way":
            assert f["derived.trip_length_days"] is None and f["derived.bags_per_day"] is None
        if f["derived.trip_type"] == "open_jaw":
            assert origins[0] != destinations[-1] or len(set(origins) | set(destinations)) > 2
        if f["derived.trip_length_days"] is not None and f["bag.count"] is not None:
            assert f["derived.bags_per_day"] == round(f["bag.count"] / max(f["derived.trip_length_days"], 1), 3)
        assert all(0 <= hours < 24 for hours in f["derived.connection_dwell_hours"])
    assert any(f["derived.connection_dwell_hours"] for f in booked), "generated traffic has connections"
    assert any(f["derived.bags_per_day"] for f in booked)


def test_party_size_and_travelling_with_a_listed_person(loaded: Loaded) -> None:
    with Session(loaded.engine) as session:
        flight = session.scalars(select(Flight).order_by(Flight.id)).first()
        assert flight is not None
        travellers = session.scalars(select(Traveller).where(Traveller.flight_id == flight.id,
                                                             Traveller.pnr_id.is_not(None))).all()
        parties: dict[int, list[int]] = {}
        for t in travellers:
            parties.setdefault(t.pnr_id or 0, []).append(t.id)
        group = next(ids for ids in parties.values() if len(ids) >= 3)
        alone = next(ids[0] for ids in parties.values() if len(ids) == 1)
        facts = facts_for_flights(session, [flight.id], listed_traveller_ids={group[0], alone})
    assert [facts[t]["derived.party_size"] for t in group] == [len(group)] * len(group)
    assert facts[alone]["derived.party_size"] == 1
    assert [facts[t]["derived.travelling_with_listed_person"] for t in group] == [False] + [True] * (len(group) - 1)
    assert facts[alone]["derived.travelling_with_listed_person"] is False


def test_first_trip_to_the_country(loaded: Loaded, facts: dict[int, dict[str, Any]]) -> None:
    small = loaded.flights[-1]
    first = [f for f in facts.values() if f["flight.number"] == small.leg.number and f["flight.carrier"] ==
             small.leg.carrier]
    again = [f for f in facts.values() if f["flight.number"] == loaded.repeat_number]
    assert len(first) == len(again) == 30
    assert all(f["derived.first_trip_to_country"] is True for f in first)
    assert all(f["derived.first_trip_to_country"] is False for f in again)


def test_api_and_pnr_name_mismatch(loaded: Loaded, facts: dict[int, dict[str, Any]]) -> None:
    surname, given = loaded.renamed
    renamed = [f for f in facts.values() if f["traveller.surname"] == surname and f["traveller.given_names"] == given]
    assert len(renamed) == 1 and renamed[0]["derived.api_pnr_name_mismatch"] is True
    others = [f["derived.api_pnr_name_mismatch"] for f in facts.values() if f is not renamed[0]]
    assert others.count(True) == 0 and others.count(False) > 150
    assert all(f["derived.api_pnr_name_mismatch"] is None for f in facts.values() if not f["traveller.has_api"])


def test_documents_and_age(facts: dict[int, dict[str, Any]]) -> None:
    for f in facts.values():
        if f["traveller.date_of_birth"] is not None:
            born, day = f["traveller.date_of_birth"], f["flight.departure_date"]
            assert f["traveller.age"] == day.year - born.year - ((day.month, day.day) < (born.month, born.day))
        expiries = [d for d in f["document.expiry"] if d]
        assert len(f["document.days_valid_after_arrival"]) == len(expiries)
    assert any(f["document.number"] for f in facts.values())
    countries = [key for key, field in CATALOGUE.items() if field.type == "country"]
    for f in facts.values():
        values = [v for key in countries for v in (f[key] if isinstance(f[key], list) else [f[key]])]
        assert all(v is None or (len(v) == 3 and v.isupper()) for v in values)
    assert {f["traveller.has_api"] for f in facts.values()} == {True, False}


def test_unknown_ids_give_no_facts(loaded: Loaded) -> None:
    with Session(loaded.engine) as session:
        assert build_facts(session, [10**9]) == {}
        assert facts_for_flights(session, []) == {}
