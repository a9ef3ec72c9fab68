"""PNRGOV XML parser: the corpus files, small inline documents, and hostile input."""

from __future__ import annotations

import re
import time
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from gtas import parsers
from gtas.parsers import pnrgov_xml, values, xmltree
from gtas.parsers.records import Message, ParsedFile, Pnr, Role, Traveller, to_jsonable

CARD = "4111111111111111"
KEY = b"test-key"
CARD_RUN = re.compile(r"(?<![0-9A-Za-z])\d{13,19}(?![0-9A-Za-z])")  # not digits inside a hex hash

FULL = """<?xml version="1.0" encoding="UTF-8"?>
<IATA_PNRGOV_NotifRQ xmlns="http://www.iata.org/IATA/2007/00" Version="16.1" TimeStamp="2024-03-01T08:00:00">
  <Originator AirlineCode="LH" SystemCode="1A" AirlineContactInfo="LH GOV DESK"/>
  <FlightLeg CarrierCode="LH" FlightNumber="0400" DepartureDateTime="2024-03-02T10:15:00"
             ArrivalDateTime="2024-03-02T12:50:00">
    <DepartureAirport LocationCode="FRA"/><ArrivalAirport LocationCode="JFK"/>
  </FlightLeg>
  <PNRs NumberOfPnrs="1">
    <PNR NumberOfPassengers="2" PNR_CreationDate="2024-01-10T09:30:00" PNR_TransDate="2024-02-28T17:05:00Z">
      <BookingRefID ID="ABC123"><CompanyName Code="LH"/></BookingRefID>
      <BookingRefID Type="O" ID="XYZ789"><CompanyName Code="UA"/></BookingRefID>
      <POS><Source AgentSine="AS1234" PseudoCityCode="FRAL12" ISOCountry="DE" ISOCurrency="EUR"
                   AirlineVendorID="1A" AirportCode="FRA">
        <RequestorID Type="5" ID="23491234"><CompanyName Code="TRAVELCO"/></RequestorID></Source></POS>
      <ContactInfo PhoneNumber="+49 69 1234567" EmailAddress="E+jane.doe@example.org"/>
      <ContactInfo PhoneNumber="ann+pnr@example.org"/>
      <SSR SSR_Code="OTHS" Status="HK"><TEXT>PNR REMARK</TEXT></SSR>
      <Passenger RPH="1" SurnameRefNumber="001C451486DFF0CC" BoardingStatus="B" AccompaniedByInfantInd="true">
        <GivenName>JANE</GivenName><Surname>DOE</Surname>
        <CustLoyalty ProgramID="LH" MembershipID="992001234567" LoyalLevel="SEN"/>
        <ExcessBaggage IssuerCode="LH" SerialNumber="220123" SequenceCount="2"
                       UnitOfMeasureQuantity="22" UnitOfMeasureCode="LB"/>
        <SSR SSR_Code="VGML" Status="HK" BoardPoint="FRA" OffPoint="JFK"><Airline Code="LH"/><TEXT>MEAL</TEXT></SSR>
        <TicketDocument TicketDocumentNbr="2201234567890" Type="T" DateOfIssue="2024-01-11" TicketLocation="FRA">
          <TotalFare Amount="812.40" CurrencyCode="EUR"/><BaseFare Amount="600.00"/>
          <Taxes><Tax Amount="100.20"/><Tax Amount="112.20"/></Taxes>
          <PaymentInfo PaymentType="CC" PaymentAmount="812.40" VendorCode="VI" AccountNbr="{card}"
                       ExpiryDate="1227" CardHolderName="JANE DOE"/>
        </TicketDocument>
        <DOC_SSR SSR_Code="DOCS" Status="HK"><FlightInfo Code="LH"/>
          <DOCS DocID="C01X00T47" DocType="P" DocIssueCountry="DEU" DateOfBirth="1980-07-01" Gender="F"
                PaxNationality="DEU" ExpiryDate="2030-01-31" Surname="DOE" FirstGivenName="JANE"/></DOC_SSR>
        <DOC_SSR SSR_Code="DOCA"><DOCA AddressType="D" Address="1 MAIN ST" CityName="NEW YORK"
                                       PostalCode="10001" StateProvCounty="NY" Country="USA"/></DOC_SSR>
        <DOC_SSR SSR_Code="DOCO"><DOCO BirthLocation="['BERLIN']" TravelDocType="V" TravelDocNbr="V555"
                                       PlaceOfIssue="BERLIN" DateOfIssue="-" CountryState="USA"/></DOC_SSR>
      </Passenger>
      <Passenger RPH="2" PassengerTypeCode="INF">
        <GivenName>BABY</GivenName><Surname>DOE</Surname>
        <DOC_SSR SSR_Code="DOCS"><DOCS DateOfBirth="2023-09-09" Gender="FI" PaxNationality="DEU"/></DOC_SSR>
      </Passenger>
      <Flight DepartureDateTime="2024-03-02T10:15:00" ArrivalDateTime="2024-03-02T12:50:00"
              ResBookDesigCode="Y" NumberInParty="2" Status="HK" FlightNumber="400">
        <DepartureAirport LocationCode="FRA"/><ArrivalAirport LocationCode="JFK"/>
        <OperatingAirline Code="LH" FlightNumber="400"/><MarketingAirline Code="LH"/>
        <Equipment AirEquipType="748"/>
        <CheckInInfo><BoardingNumber Number="FRA-101" RPH="1"><SeatNumber CabinClass="Y">012A</SeatNumber>
        </BoardingNumber></CheckInInfo>
      </Flight>
      <Flight DepartureDateTime="2024-03-05T18:00:00" ArrivalDateTime="2024-03-06T07:40:00"
              ResBookDesigCode="Y" NumberInParty="2" Status="HK" FlightNumber="8840">
        <DepartureAirport LocationCode="JFK"/><ArrivalAirport LocationCode="FRA"/>
        <OperatingAirline Code="UA" FlightNumber="960"/><MarketingAirline Code="LH"/>
        <CheckInInfo><BoardingNumber Number="JFK-007">
          <Passenger><GivenName>JANE</GivenName><Surname>DOE</Surname></Passenger>
          <SeatNumber>031C</SeatNumber></BoardingNumber></CheckInInfo>
      </Flight>
    </PNR>
  </PNRs>
</IATA_PNRGOV_NotifRQ>
""".replace("{card}", CARD)


def read(data: bytes | str, key: bytes = KEY) -> ParsedFile:
    """Parse and fail on errors."""
    result = pnrgov_xml.parse(data, card_key=key)
    assert not result.errors, result.errors
    return result


def only_message(result: ParsedFile) -> Message:
    """The single message of a result."""
    assert len(result.messages) == 1
    return result.messages[0]


def only_pnr(result: ParsedFile) -> Pnr:
    """The single PNR of a result."""
    pnrs = only_message(result).pnrs
    assert len(pnrs) == 1
    return pnrs[0]


def traveller(pnr: Pnr, surname: str, given: str) -> Traveller:
    """The traveller with that name."""
    return next(t for t in pnr.travellers if (t.surname, t.given_names) == (surname, given))


def pnr_by_locator(message: Message, locator: str) -> Pnr:
    """The first PNR with that record locator."""
    return next(p for p in message.pnrs if p.record_locator == locator)


def all_warnings(result: ParsedFile) -> list[str]:
    """Every warning message of the result, message and PNR level."""
    found = [w.message for w in result.warnings]
    for message in result.messages:
        found += [w.message for w in message.warnings]
        found += [w.message for p in message.pnrs for w in p.warnings]
    return found


def strip_namespace(text: str) -> str:
    """The same document without the IATA namespace declaration."""
    return text.replace(' xmlns="http://www.iata.org/IATA/2007/00"', "")


# ---------------------------------------------------------------------------------------------------------
# Corpus


def test_fragment_with_two_booking_refs(corpus: Path) -> None:
    result = read((corpus / "pnrgov-xml" / "fragment-two-booking-refs.xml").read_bytes())
    message = only_message(result)
    pnr = only_pnr(result)
    assert message.type == "PNRGOV" and message.version == "XML" and message.flights == []
    assert any("fragment" in w.message and w.tag == "DaneXML" for w in result.warnings)
    assert (pnr.record_locator, pnr.carrier, pnr.other_locators) == ("Q3BQ9I", "1A", [("F1", "RQAX6T")])
    assert pnr.created == datetime(2020, 8, 2, 15, 9) and pnr.last_modified == datetime(2020, 8, 3, 12, 0)
    assert pnr.passenger_count == 2
    assert [(t.surname, t.given_names) for t in pnr.travellers] == [("NOWACKI", "TOMASZ"), ("ZIELINSKI", "PAWEL")]
    assert all(t.role is Role.PASSENGER and t.record_locator == "Q3BQ9I" for t in pnr.travellers)
    assert [(e.address, e.traveller_ref) for e in pnr.emails] == [("TOMNOWACK@WP.PL", "1"), ("PZIELINSK@WP.PL", "2")]
    assert pnr.phones == []
    assert traveller(pnr, "NOWACKI", "TOMASZ").emails[0].address == "TOMNOWACK@WP.PL"
    legs = [(f.carrier, f.number, f.origin, f.destination, f.departure) for f in pnr.itinerary]
    assert legs == [
        ("LH", "1149", "MAD", "FRA", datetime(2020, 8, 3, 13, 0)),
        ("LH", "1374", "FRA", "WRO", datetime(2020, 8, 3, 21, 30)),
    ]
    assert [(f.booking_class, f.status, f.party_size) for f in pnr.itinerary] == [("V", "HK", 2)] * 2
    assert pnr.itinerary[1].equipment == "CR9" and pnr.codeshares == []
    assert [(s.number, s.traveller_ref, s.cabin, s.flight_number) for s in pnr.seats] == [
        ("6F", "1", "M", "1374"), ("6D", "2", "M", "1374")]
    tomasz = traveller(pnr, "NOWACKI", "TOMASZ")
    assert (tomasz.seat, tomasz.check_in_sequence, tomasz.unique_reference) == ("6F", "FRA-032", "20058F6D0002E3B8")


def test_synthetic_su524(corpus: Path) -> None:
    raw = (corpus / "pnrgov-xml" / "synthetic-su524-svo-dxb.xml").read_bytes()
    started = time.perf_counter()
    result = read(raw)
    assert time.perf_counter() - started < 2.0
    message = only_message(result)
    prime = message.flights[0]
    assert (prime.carrier, prime.number, prime.origin, prime.destination) == ("SU", "524", "SVO", "DXB")
    assert prime.departure == datetime(2019, 5, 2, 15, 59, 30)
    assert message.sender == "SU" and message.declared_pnrs == 126
    assert len(message.pnrs) >= 126
    assert sum(len(p.travellers) for p in message.pnrs) >= 295
    assert any("UTC offset" in w.message for w in message.warnings)

    pnr = pnr_by_locator(message, "DXB-SVO-group-ID9")
    assert pnr.agency is not None
    assert (pnr.agency.country, pnr.agency.currency, pnr.agency.office) == ("ARE", "AED", "Dubai")  # ISOCOuntry
    chris = traveller(pnr, "James", "Chris")
    assert (chris.date_of_birth, chris.gender, chris.nationality) == (date(1976, 12, 13), "M", "PYF")
    assert chris.birth_place == "PYF"  # BirthLocation="['PYF']"
    assert chris.passenger_type == "PTC_CODE" and chris.role is Role.PASSENGER
    visa = next(d for d in chris.documents if d.source == "DOCO")
    assert (visa.type, visa.number, visa.issue_date) == ("V", "PYF_9237_1", None)
    docs = next(d for d in chris.documents if d.source == "DOCS")
    assert (docs.expiry, docs.issuing_country) == (date(2022, 9, 6), "PYF")
    payment = next(p for p in pnr.payments if p.traveller_ref == chris.reference)
    assert payment.card_last4 == "6491" and payment.card_type == "VISA 13 digit"
    assert payment.card_hash == values.mask_card("501830556491", KEY)[1]
    last_leg = pnr.itinerary[-1]
    assert (last_leg.carrier, last_leg.operating_carrier, last_leg.operating_number) == ("TX", "SU", "524")
    assert_no_card_numbers(raw, result)


def test_synthetic_ek158(corpus: Path) -> None:
    raw = (corpus / "pnrgov-xml" / "synthetic-ek158.xml").read_bytes()
    result = read(raw)
    message = only_message(result)
    assert (message.flights[0].carrier, message.flights[0].number) == ("EK", "158")
    assert len(message.pnrs) >= 139
    assert sum(len(p.travellers) for p in message.pnrs) >= 318
    pnr = pnr_by_locator(message, "DXB-ARN-group-ID50")
    assert pnr.created == datetime(2019, 2, 26) and pnr.ticketed == date(2019, 5, 19)
    first = traveller(pnr, "l`qyl", "'Hlm")
    assert (first.date_of_birth, first.gender, first.nationality) == (date(1943, 5, 31), "F", "MAR")
    assert first.address is not None
    assert first.address.street == "Unit 7138 Box 8727, DPO AA 52173" and first.address.kind == "residence"
    assert first.frequent_flyers[0].number == "DXB-ARN-group-ID50"
    ticket = next(t for t in pnr.tickets if t.traveller_ref == first.reference)
    assert (ticket.fare, ticket.currency, ticket.taxes, ticket.place_of_issue) == ("12345", "AED", "123", "ARN")
    payment = next(p for p in pnr.payments if p.traveller_ref == first.reference)
    assert (payment.card_last4, payment.card_type, payment.amount) == ("9957", "American Express", "12345")
    bag = next(b for b in pnr.bags if b.traveller_ref == first.reference)
    assert (bag.excess, bag.weight_kg, bag.carrier) == (True, 3.0, "EK")
    # Dates of birth after the flight are refused with a positioned warning.
    late = [w for p in message.pnrs for w in p.warnings if w.tag == "DOCS@DateOfBirth"]
    assert late and all(w.line == 1 and w.column for w in late)
    assert_no_card_numbers(raw, result)


def assert_no_card_numbers(raw: bytes, result: ParsedFile) -> None:
    """No AccountNbr of the file, and no 13–19 digit run, anywhere in the records."""
    text = repr(result)
    numbers = set(re.findall(rb'AccountNbr="(\d+)"', raw))
    assert numbers
    assert not [n for n in numbers if n.decode() in text]
    assert not CARD_RUN.findall(text)
    payments = [p for m in result.messages for pnr in m.pnrs for p in pnr.payments]
    assert payments and all(p.card_last4 and p.card_hash for p in payments)


# ---------------------------------------------------------------------------------------------------------
# Inline documents


def test_full_document_with_namespace() -> None:
    result = read(FULL)
    message = only_message(result)
    assert (message.version, message.sender, message.prepared) == ("XML 16.1", "LH", datetime(2024, 3, 1, 8))
    assert message.originator is not None and message.originator.system == "1A"
    assert message.reporting_party is not None and message.reporting_party.name == "LH GOV DESK"
    assert (message.flights[0].carrier, message.flights[0].number) == ("LH", "400")
    pnr = only_pnr(result)
    assert pnr.last_modified == datetime(2024, 2, 28, 17, 5)  # "Z" dropped, clock time kept
    assert pnr.agency is not None
    agency = pnr.agency
    assert (agency.iata_number, agency.office, agency.agent, agency.system, agency.name) == (
        "23491234", "FRAL12", "AS1234", "1A", "TRAVELCO")
    assert [p.number for p in pnr.phones] == ["+49 69 1234567"]
    assert [e.address for e in pnr.emails] == ["jane.doe@example.org", "ann+pnr@example.org"]
    assert [(s.code, s.text, s.traveller_ref) for s in pnr.ssrs if s.code in ("OTHS", "VGML")] == [
        ("OTHS", "PNR REMARK", None), ("VGML", "MEAL", "1")]
    assert next(s for s in pnr.ssrs if s.code == "VGML").segment_ref == "FRA-JFK"


def test_traveller_documents_and_infant() -> None:
    pnr = only_pnr(read(FULL))
    jane, baby = traveller(pnr, "DOE", "JANE"), traveller(pnr, "DOE", "BABY")
    assert (jane.role, jane.with_infant, jane.boarding_status) == (Role.PASSENGER, True, "B")
    assert (jane.reference, jane.unique_reference, jane.record_locator) == ("1", "001C451486DFF0CC", "ABC123")
    passport = next(d for d in jane.documents if d.source == "DOCS")
    assert (passport.type, passport.number, passport.issuing_country, passport.expiry) == (
        "P", "C01X00T47", "DEU", date(2030, 1, 31))
    visa = next(d for d in jane.documents if d.source == "DOCO")
    assert (visa.number, visa.issuing_country, visa.place_of_issue, visa.issue_date) == (
        "V555", "USA", "BERLIN", None)
    assert jane.birth_place == "BERLIN"
    assert jane.address is not None and (jane.address.kind, jane.address.city) == ("destination", "NEW YORK")
    assert [(f.carrier, f.number, f.tier) for f in jane.frequent_flyers] == [("LH", "992001234567", "SEN")]
    assert (baby.role, baby.gender, baby.passenger_type, baby.date_of_birth) == (
        Role.INFANT, "F", "INF", date(2023, 9, 9))


def test_ticket_payment_and_bags() -> None:
    pnr = only_pnr(read(FULL))
    ticket = pnr.tickets[0]
    assert (ticket.number, ticket.type, ticket.issue_date, ticket.fare, ticket.base_fare, ticket.taxes) == (
        "2201234567890", "T", date(2024, 1, 11), "812.40", "600.00", "212.40")
    assert pnr.ticketed == date(2024, 1, 11)
    payment = pnr.payments[0]
    assert (payment.type, payment.amount, payment.currency, payment.card_type) == ("CC", "812.40", "EUR", "VI")
    assert (payment.card_last4, payment.card_expiry, payment.card_holder) == ("1111", "1227", "JANE DOE")
    assert payment.card_hash == values.mask_card(CARD, KEY)[1]
    bag = pnr.bags[0]
    assert (bag.excess, bag.count, bag.tags, bag.weight_kg) == (True, 2, ["220123"], 10.0)  # 22 lb


def test_card_number_never_kept() -> None:
    result = read(FULL)
    assert CARD not in repr(result) and CARD not in str(to_jsonable(result))
    other_key = only_pnr(read(FULL, key=b"other")).payments[0]
    assert other_key.card_hash != only_pnr(result).payments[0].card_hash


def test_itinerary_codeshare_and_check_in() -> None:
    pnr = only_pnr(read(FULL))
    outbound, inbound = pnr.itinerary
    assert (outbound.operating_carrier, outbound.equipment, outbound.booking_class) == (None, "748", "Y")
    assert (inbound.carrier, inbound.number, inbound.operating_carrier, inbound.operating_number) == (
        "LH", "8840", "UA", "960")
    assert [(c.marketing_number, c.operating_carrier) for c in pnr.codeshares] == [("8840", "UA")]
    assert [(s.number, s.origin, s.traveller_ref) for s in pnr.seats] == [("12A", "FRA", "1"), ("31C", "JFK", "1")]
    jane = traveller(pnr, "DOE", "JANE")
    assert (jane.seat, jane.check_in_sequence) == ("12A", "FRA-101")  # prime flight only, not the return


def test_without_namespace_gives_the_same_records() -> None:
    with_ns, without_ns = read(FULL), read(strip_namespace(FULL))
    assert to_jsonable(with_ns) == to_jsonable(without_ns)


def test_bytes_and_text_give_the_same_records() -> None:
    assert to_jsonable(read(FULL.encode())) == to_jsonable(read(FULL))


def test_top_level_parse_routes_xml_here() -> None:
    result = parsers.parse(FULL.encode(), card_key=KEY)
    assert only_pnr(result).record_locator == "ABC123"


def test_latin1_declaration_and_bom() -> None:
    data = ('<?xml version="1.0" encoding="ISO-8859-1"?><PNR><BookingRefID ID="L1"/>'
            "<Passenger><GivenName>JOSÉ</GivenName><Surname>MÜLLER</Surname></Passenger></PNR>").encode("latin-1")
    pnr = only_pnr(read(b"\xef\xbb\xbf" + data.replace(b'"ISO-8859-1"', b'"UTF-8"').decode("latin-1").encode()))
    assert pnr.travellers[0].surname == "MÜLLER"
    assert only_pnr(read(data)).travellers[0].given_names == "JOSÉ"


FRAGMENT = """<?xml version="1.0"?>
<PNR NumberOfPassengers="1"><BookingRefID xmlns="http://www.iata.org/IATA/2007/00" ID="AAA111"/>
  <Passenger xmlns="http://www.iata.org/IATA/2007/00" RPH="1"><GivenName>ANN</GivenName><Surname>LEE</Surname>
  </Passenger></PNR>
<PNR NumberOfPassengers="1"><BookingRefID xmlns="http://www.iata.org/IATA/2007/00" ID="BBB222"/>
  <Passenger xmlns="http://www.iata.org/IATA/2007/00" RPH="1"><GivenName>BO</GivenName><Surname>KIM</Surname>
  </Passenger></PNR>
"""


def test_fragment_of_several_top_level_pnrs_is_wrapped() -> None:
    result = read(FRAGMENT)
    message = only_message(result)
    assert [p.record_locator for p in message.pnrs] == ["AAA111", "BBB222"]
    assert [p.travellers[0].surname for p in message.pnrs] == ["LEE", "KIM"]
    assert any("wrapped" in w for w in all_warnings(result))


def test_malformed_fragment_reports_the_original_position() -> None:
    result = pnrgov_xml.parse('<PNR><BookingRefID ID="A"/></PNR><PNR><Passenger></PNR>')
    assert not result.messages
    error = result.errors[0]
    assert error.severity == "error" and "mismatched tag" in error.message
    assert (error.line, error.column) == (1, 52)  # expat points at the closing tag's name, wrapper width undone


def test_single_pnr_root_is_a_fragment() -> None:
    result = read('<PNR><BookingRefID ID="ONE111"/></PNR>')
    assert only_pnr(result).record_locator == "ONE111"
    assert any("single PNR" in w for w in all_warnings(result))


def test_missing_attributes_give_warnings_not_crashes() -> None:
    document = """<IATA_PNRGOV_NotifRQ><FlightLeg/><PNRs NumberOfPnrs="2">
      <PNR><Passenger/><Flight><DepartureAirport/></Flight><TicketDocument/>
        <Passenger><TicketDocument><PaymentInfo AccountNbr="12"/></TicketDocument><CustLoyalty/></Passenger>
      </PNR></PNRs></IATA_PNRGOV_NotifRQ>"""
    result = read(document)
    message = only_message(result)
    pnr = only_pnr(result)
    assert pnr.record_locator is None and len(pnr.travellers) == 2
    assert pnr.itinerary[0].carrier is None and pnr.itinerary[0].origin is None
    assert pnr.payments[0].card_last4 is None and pnr.payments[0].type == "CC"
    warnings = all_warnings(result)
    for expected in ("without BookingRefID", "without GivenName or Surname", "TicketDocumentNbr",
                     "too short", "MembershipID", "NumberOfPnrs says 2"):
        assert any(expected in w for w in warnings), expected
    assert message.flights[0].carrier is None


def test_bad_dates_and_counts_are_warnings() -> None:
    document = """<IATA_PNRGOV_NotifRQ><PNRs>
      <PNR PNR_CreationDate="yesterday" NumberOfPassengers="two"><BookingRefID ID="BAD001"/>
        <Passenger><GivenName>A</GivenName><Surname>B</Surname>
          <DOC_SSR><DOCS DateOfBirth="31/05/1943" Gender="Q" ExpiryDate="2030-02-30"/></DOC_SSR></Passenger>
        <Flight DepartureDateTime="2024-13-01T10:00:00" FlightNumber="12"><MarketingAirline Code="LH"/>
          <DepartureAirport LocationCode="Frankfurt"/></Flight>
      </PNR></PNRs></IATA_PNRGOV_NotifRQ>"""
    result = read(document)
    pnr = only_pnr(result)
    person = pnr.travellers[0]
    assert pnr.created is None and pnr.passenger_count is None
    assert person.date_of_birth is None and person.gender is None and person.documents == []
    assert pnr.itinerary[0].departure is None and pnr.itinerary[0].origin == "Frankfurt"
    tags = {w.tag for w in pnr.warnings}
    assert {"PNR@PNR_CreationDate", "PNR@NumberOfPassengers", "DOCS@DateOfBirth", "DOCS@Gender",
            "DOCS@ExpiryDate", "Flight@DepartureDateTime", "DepartureAirport@LocationCode"} <= tags
    created = next(w for w in pnr.warnings if w.tag == "PNR@PNR_CreationDate")
    assert (created.line, created.column) == (2, 7)


def test_a_count_too_long_for_int_is_a_warning() -> None:
    """More than 4,300 digits make ``int()`` raise: such a count is unreadable, like any other bad count."""
    pnr = only_pnr(read(FULL.replace('NumberOfPassengers="2"', f'NumberOfPassengers="{"9" * 5000}"')))
    assert pnr.passenger_count is None
    assert "PNR@NumberOfPassengers" in {w.tag for w in pnr.warnings}


@pytest.mark.parametrize("departure", ["0001-01-01T10:15:00", "0100-06-01T10:15:00", "9999-12-31T10:15:00"])
def test_a_departure_at_the_ends_of_the_calendar_loses_no_traveller(departure: str) -> None:
    """Dates of birth are checked against the departure: 130 years before year 100, or the day after 9999-12-31,
    overflowed, and the PNR lost its travellers."""
    pnr = only_pnr(read(FULL.replace('DepartureDateTime="2024-03-02T10:15:00"', f'DepartureDateTime="{departure}"')))
    assert len(pnr.travellers) == 2
    assert not [w for w in pnr.warnings if "could not be read" in w.message]


@pytest.mark.parametrize(("text", "amount"), [
    ("1,234.50", Decimal("1234.50")), ("31e9999997", None), ("NaN", None), ("-Infinity", None), ("1e12", None),
])
def test_amounts_are_finite_and_below_a_trillion(text: str, amount: Decimal | None) -> None:
    assert xmltree.decimal(text) == amount  # 31e9999997 overflowed abs(), which rounds to the context


def test_attribute_names_compared_without_case() -> None:
    document = ('<PNR><BookingRefID id="CASE01"/><POS><Source ISOCOuntry="FRA" pseudocitycode="PAR1"/></POS>'
                "</PNR>")
    pnr = only_pnr(read(document))
    assert pnr.record_locator == "CASE01"
    assert pnr.agency is not None and (pnr.agency.country, pnr.agency.office) == ("FRA", "PAR1")


def test_root_without_pnrs_gives_an_empty_message() -> None:
    message = only_message(read('<IATA_PNRGOV_NotifRQ xmlns="http://www.iata.org/IATA/2007/00"/>'))
    assert message.pnrs == [] and message.flights == []


# ---------------------------------------------------------------------------------------------------------
# Hostile and unreadable input


def test_malformed_xml_is_an_error_with_position() -> None:
    result = pnrgov_xml.parse(b"<IATA_PNRGOV_NotifRQ>\n  <PNRs>\n    <PNR></PNRs>\n</IATA_PNRGOV_NotifRQ>")
    assert not result.messages
    error = result.errors[0]
    assert error.severity == "error" and error.message.startswith("malformed XML: mismatched tag")
    assert (error.line, error.column) == (3, 12)


def test_truncated_document_is_an_error() -> None:
    result = pnrgov_xml.parse(FULL[: len(FULL) // 2])
    assert not result.messages and result.errors[0].severity == "error" and result.errors[0].line


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<IATA_PNRGOV_NotifRQ><PNRs><PNR><BookingRefID ID="&lol9;"/></PNR></PNRs></IATA_PNRGOV_NotifRQ>"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE PNR [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<PNR><BookingRefID ID="X"/><Passenger><Surname>&secret;</Surname></Passenger></PNR>"""


@pytest.mark.parametrize("document", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["billion-laughs", "external-entity"])
def test_entity_attacks_are_refused(document: str) -> None:
    started = time.perf_counter()
    result = pnrgov_xml.parse(document.encode())
    assert time.perf_counter() - started < 1.0
    assert not result.messages
    error = result.errors[0]
    assert error.severity == "error" and "XML refused" in error.message and "entit" in error.message
    assert error.line == 2
    assert "root:" not in repr(result) and "lollol" not in repr(result)


def test_dtd_without_entities_is_refused_too() -> None:
    result = pnrgov_xml.parse('<!DOCTYPE PNR SYSTEM "http://example.org/pnr.dtd"><PNR/>')
    assert not result.messages and "DOCTYPE" in result.errors[0].message


def test_wrong_root_is_a_clear_error() -> None:
    result = pnrgov_xml.parse("<html><body><p>not a PNR</p></body></html>")
    assert not result.messages
    error = result.errors[0]
    assert error.severity == "error" and "not a PNRGOV XML document" in error.message and "<html>" in error.message


@pytest.mark.parametrize("data", [b"", "", b"  \n\t", "\n"])
def test_empty_input_is_an_error(data: bytes | str) -> None:
    result = pnrgov_xml.parse(data)
    assert not result.messages and "empty input" in result.errors[0].message


@pytest.mark.parametrize(("data", "expected"), [
    (b'<?xml version="1.0" encoding="klingon"?><PNR/>', "encoding is unknown"),
    ("<PNR>\ud800</PNR>", "cannot be decoded"),
    (b"<PNR>\xff\xfe</PNR>", "malformed XML"),
])
def test_undecodable_input_is_an_error(data: bytes | str, expected: str) -> None:
    result = pnrgov_xml.parse(data)
    assert not result.messages and expected in result.errors[0].message


def test_oversized_input_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xmltree, "MAX_INPUT_BYTES", 100)
    result = pnrgov_xml.parse(FULL)
    assert not result.messages and "exceeds the limit" in result.errors[0].message


def test_deep_nesting_and_many_elements_do_not_hang() -> None:
    deep = "<a>" * 20_000 + "</a>" * 20_000
    started = time.perf_counter()
    assert "not a PNRGOV" in pnrgov_xml.parse(deep).errors[0].message
    wide = "<PNRs>" + '<PNR><BookingRefID ID="W"/></PNR>' * 20_000 + "</PNRs>"
    result = pnrgov_xml.parse(wide)
    assert len(only_message(result).pnrs) == 20_000
    assert time.perf_counter() - started < 5.0
