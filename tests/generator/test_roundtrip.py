"""parse(write(records)) gives the records back: what the writers encode, the parsers must read."""

from __future__ import annotations

from typing import Any

import pytest

from gtas.generator import GeneratedFlight, Traffic, flight_with, paxlst_writer, pnrgov_writer
from gtas.parsers import parse
from gtas.parsers.records import Address, Document, FlightLeg, Message, Pnr, Traveller


def _leg(leg: FlightLeg, *, booked: bool = False) -> tuple[Any, ...]:
    core = (leg.carrier, leg.number, leg.origin, leg.destination, leg.departure, leg.arrival)
    if booked:
        return (*core, leg.booking_class, leg.status, leg.party_size, leg.operating_carrier, leg.operating_number,
                leg.equipment)
    return core


def _address(a: Address | None) -> tuple[Any, ...] | None:
    return None if a is None else (a.street, a.city, a.region, a.postcode, a.country)


def _doc(d: Document, *, pnr: bool) -> tuple[Any, ...]:
    if pnr and d.source == "DOCO":
        return (d.type, d.number, d.issuing_country, d.issue_date, d.place_of_issue, d.source)
    return (d.type, d.number, d.issuing_country, d.expiry, d.nationality if pnr else None, d.source)


def _api_traveller(t: Traveller) -> tuple[Any, ...]:
    return (t.surname, t.given_names, t.role, t.date_of_birth, t.gender, t.nationality, t.residence_country,
            t.embarkation, t.debarkation, t.clearance, [_doc(d, pnr=False) for d in t.documents], t.bag_count,
            t.bag_weight_kg, t.bag_tags, t.seat, t.record_locator, t.reference, t.verified, _address(t.address))


def _pnr_traveller(t: Traveller) -> tuple[Any, ...]:
    return (t.surname, t.given_names, t.title, t.passenger_type, t.role, t.reference, t.with_infant,
            t.accompanying_ref, t.date_of_birth, t.gender, t.nationality, [_doc(d, pnr=True) for d in t.documents],
            t.unique_reference, t.ticket_number, [(f.carrier, f.number) for f in t.frequent_flyers],
            t.check_in_sequence, _address(t.address), t.seat, t.bag_count, t.bag_tags)


def _api_message(m: Message) -> tuple[Any, ...]:
    party = m.reporting_party
    return (m.type, m.version, m.sender, m.recipient, m.prepared, m.reference, m.part.key,
            [_leg(f) for f in m.flights], m.list_type, m.list_code, m.transaction_reference,
            (party.name, party.phone, party.fax) if party else None, m.declared_passengers, m.declared_crew)


def _pnr(p: Pnr) -> tuple[Any, ...]:
    agency = p.agency
    return (
        p.record_locator, p.carrier, p.other_locators, p.created, p.last_modified,
        [_pnr_traveller(t) for t in p.travellers],
        [_leg(s, booked=True) for s in p.itinerary],
        [ph.number for ph in p.phones], [e.address.lower() for e in p.emails],
        [_address(a) for a in p.addresses if a.traveller_ref is None],
        [(x.type, x.amount, x.card_type, x.card_last4, x.card_hash, x.card_expiry, x.traveller_ref)
         for x in p.payments],
        [(k.number, k.fare, k.currency, k.base_fare, k.taxes, k.issue_date, k.issuing_carrier, k.traveller_ref)
         for k in p.tickets],
        [(b.traveller_ref, b.count, b.weight_kg, b.tags, b.destination, b.carrier) for b in p.bags],
        [(s.number, s.traveller_ref, s.cabin) for s in p.seats],
        None if agency is None else (agency.system, agency.location, agency.iata_number, agency.office,
                                     agency.originator_type, agency.country, agency.currency, agency.agent),
        [(c.marketing_carrier, c.marketing_number, c.operating_carrier, c.operating_number) for c in p.codeshares],
        [h.text for h in p.history],
    )


def _parse_paxlst(message: Message, part_size: int | None) -> list[Message]:
    parsed = []
    for text in paxlst_writer.write(message, max_travellers_per_part=part_size):
        result = parse(text)
        assert result.errors == [] and result.warnings == []
        parsed.extend(result.messages)
    return parsed


def _flights(traffic: Traffic) -> list[GeneratedFlight]:
    return traffic.flights[:8]


def test_passenger_lists_round_trip(traffic: Traffic) -> None:
    for flight in _flights(traffic):
        for message in flight.api:
            [back] = _parse_paxlst(message, None)
            assert back.warnings == []
            assert _api_message(back) == _api_message(message)
            assert (back.part.sequence, back.part.final) == (1, True)
            assert [_api_traveller(t) for t in back.travellers] == [_api_traveller(t) for t in message.travellers]


def test_multi_part_lists_round_trip(traffic: Traffic) -> None:
    message = max((f.passenger_list for f in traffic.flights), key=lambda m: len(m.travellers))
    parts = _parse_paxlst(message, 60)
    assert len(parts) >= 3
    assert [(p.part.key, p.part.sequence, p.part.final) for p in parts] == [
        (message.part.key, n, n == len(parts)) for n in range(1, len(parts) + 1)]
    assert all(p.declared_passengers == len(message.travellers) for p in parts)
    travellers = [t for p in parts for t in p.travellers]
    assert [_api_traveller(t) for t in travellers] == [_api_traveller(t) for t in message.travellers]


def _check_push(message: Message) -> None:
    result = parse(pnrgov_writer.write(message))
    assert result.errors == [] and result.warnings == []
    [back] = result.messages
    assert back.warnings == []
    assert (back.type, back.version, back.sender, back.recipient, back.prepared, back.part.key) == (
        message.type, message.version, message.sender, message.recipient, message.prepared, message.part.key)
    assert [_leg(f) for f in back.flights] == [_leg(f) for f in message.flights]
    assert back.originator is not None and message.originator is not None
    assert (back.originator.system, back.originator.location) == (message.originator.system,
                                                                  message.originator.location)
    assert back.declared_pnrs == len(message.pnrs) == len(back.pnrs)
    for got, want in zip(back.pnrs, message.pnrs, strict=True):
        assert _pnr(got) == _pnr(want), want.record_locator
        got_ssrs = {(s.code, s.traveller_ref) for s in got.ssrs}
        assert {(s.code, s.traveller_ref) for s in want.ssrs} <= got_ssrs


def test_pnr_pushes_round_trip(traffic: Traffic) -> None:
    for flight in _flights(traffic):
        _check_push(flight.pnr)


@pytest.mark.parametrize("seed", [1, 2])
def test_benchmark_sized_push_round_trips(seed: int) -> None:
    flight = flight_with(passengers=400, pnrs=150, seed=seed)
    _check_push(flight.pnr)
    [back] = _parse_paxlst(flight.passenger_list, None)
    assert len(back.travellers) == 400


def test_card_numbers_are_masked_by_the_parser(traffic: Traffic) -> None:
    pnrs = [p for f in _flights(traffic) for p in f.pnr.pnrs if any(x.type == "CC" for x in p.payments)][:5]
    message = traffic.flights[0].pnr
    from dataclasses import replace

    text = pnrgov_writer.write(replace(message, pnrs=pnrs, declared_pnrs=len(pnrs)))
    back = parse(text).messages[0]
    for got, want in zip(back.pnrs, pnrs, strict=True):
        for payment, expected in zip(got.payments, want.payments, strict=True):
            assert (payment.card_last4, payment.card_hash) == (expected.card_last4, expected.card_hash)
            assert payment.card_last4 is not None and payment.card_last4 in text
