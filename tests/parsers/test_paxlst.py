"""PAXLST parser: one test group per segment family on small inline lists, then the real-world corpus."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import pytest

from gtas.parsers import edifact, parse
from gtas.parsers.records import Message, Role, Traveller
from tests.conftest import corpus_files

FLIGHT = ("BGM+745", "TDT+20+BA117+++BA", "LOC+125+LHR", "DTM+189:1905140830:201", "LOC+87+JFK",
          "DTM+232:1905141120:201")


def paxlst(*body: str, unh: str = "UNH+1+PAXLST:D:05B:UN:IATA", una: str = "") -> str:
    """A whole interchange (UNB 2019-05-14) holding one PAXLST message with the given body segments."""
    segments = [unh, *body]
    return (f"{una}UNB+UNOA:4+AIRLINE+GOV+190514:1643+REF1'" + "'".join(segments)
            + f"'UNT+{len(segments) + 1}+1'UNZ+1+REF1'")


def read(*body: str, **kwargs: str) -> Message:
    """Parse a one-message list and return its message (the file must be readable)."""
    result = parse(paxlst(*body, **kwargs))
    assert result.errors == []
    (message,) = result.messages
    assert message.type == "PAXLST"
    return message


def person(*segments: str, flight: tuple[str, ...] = FLIGHT) -> Traveller:
    """The single traveller of a list made of a flight header and the given person segments."""
    (traveller,) = read(*flight, *segments).travellers
    return traveller


def warned(message: Message, text: str) -> bool:
    return any(text in w.message for w in message.warnings)


# ------------------------------------------------------------------------------------------ names, addresses


def test_name_with_two_given_names_and_full_address() -> None:
    t = person("NAD+FL+++WILLIAMS:JOHN:DONALD+235 WESTERN ROAD+SLEAFORD+:::LINCS+PE224T5+GBR")
    assert (t.surname, t.given_names, t.role) == ("WILLIAMS", "JOHN DONALD", Role.PASSENGER)
    assert t.address is not None
    assert (t.address.street, t.address.city, t.address.region, t.address.postcode, t.address.country) == (
        "235 WESTERN ROAD", "SLEAFORD", "LINCS", "PE224T5", "GBR")


def test_region_code_blank_padding_and_no_address() -> None:
    t = person("NAD+FM+++CLARK:MICHAEL+ 2365 KAANAPALI HIGHWAY+LAHAINA+HI+ 96761")
    assert t.address is not None
    assert (t.address.street, t.address.region, t.address.postcode, t.address.country) == (
        "2365 KAANAPALI HIGHWAY", "HI", "96761", None)
    assert person("NAD+FL+++SMITH:JANE").address is None


def test_ace_structured_name_format_code_and_released_street() -> None:
    t = person("NAD+VW+0000041153:109++AOMAD:CHRIS::::1+11107 SUNSET HILL?'S ROAD+RESTON+VA:163:5+20190")
    assert (t.surname, t.given_names, t.role) == ("AOMAD", "CHRIS", Role.CREW)
    assert t.address is not None and t.address.street == "11107 SUNSET HILL'S ROAD"
    assert t.address.region == "VA"


def test_roles_follow_nad_qualifier_not_list_type() -> None:
    m = read(*FLIGHT, "NAD+FL+++A", "NAD+FM+++B", "NAD+DDT+++C", "NAD+DDU+++D")
    assert m.list_type == "passenger"
    assert [t.role for t in m.travellers] == [Role.PASSENGER, Role.CREW, Role.IN_TRANSIT, Role.IN_TRANSIT_CREW]


def test_reporting_party_is_not_a_traveller() -> None:
    m = read("BGM+745", "NAD+MS+++DAVIDSON:ROBERT", "COM+202 628 9292:TE+202 628 4998:FX+OPS.AT.X.ORG:EM",
             *FLIGHT[1:], "NAD+FL+++SMITH:JANE", "COM+44 1234:TE+JANE.AT.X:EM")
    assert [t.surname for t in m.travellers] == ["SMITH"]
    party = m.reporting_party
    assert party is not None
    assert (party.name, party.phone, party.fax, party.email) == (
        "DAVIDSON ROBERT", "202 628 9292", "202 628 4998", "OPS.AT.X.ORG")
    t = m.travellers[0]
    assert [p.number for p in t.phones] == ["44 1234"] and [e.address for e in t.emails] == ["JANE.AT.X"]


def test_reporting_party_by_id() -> None:
    m = read("BGM+250", "NAD+MS+USD090746", *FLIGHT[1:])
    assert m.reporting_party is not None and m.reporting_party.id == "USD090746"
    assert m.reporting_party.name is None and m.travellers == []


def test_person_without_surname_is_kept_with_a_warning() -> None:
    m = read(*FLIGHT, "NAD+FL+++:JOHN", "ATT+2++M")
    (t,) = m.travellers
    assert (t.surname, t.given_names, t.gender) == (None, "JOHN", "M")
    assert warned(m, "without surname")


def test_unknown_person_qualifier_is_read_as_passenger() -> None:
    m = read(*FLIGHT, "NAD+ZZZ+++DOE:JOHN")
    assert [(t.surname, t.role) for t in m.travellers] == [("DOE", Role.PASSENGER)]
    assert warned(m, "'ZZZ' unknown")


# ------------------------------------------------------------------------------------------ dates


@pytest.mark.parametrize(("sent", "born"), [
    ("130414", date(2013, 4, 14)),  # a child on a 2019 flight
    ("720629", date(1972, 6, 29)),
    ("190514", date(2019, 5, 14)),  # born on the day of the flight
    ("190515", date(1919, 5, 15)),  # the day after: a century earlier
    ("19350919:102", date(1935, 9, 19)),
])
def test_date_of_birth_century_is_resolved_against_the_flight(sent: str, born: date) -> None:
    assert person("NAD+FL+++DOE", f"DTM+329:{sent}").date_of_birth == born


def test_date_of_birth_reference_falls_back_to_the_interchange_date() -> None:
    m = read("BGM+745", "NAD+FL+++DOE", "DTM+329:200101")
    assert m.travellers[0].date_of_birth == date(1920, 1, 1)  # UNB 2019-05-14, no flight date
    assert warned(m, "no flight")


def test_empty_and_bad_dates_of_birth() -> None:
    assert person("NAD+FL+++DOE", "DTM+329").date_of_birth is None
    m = read(*FLIGHT, "NAD+FL+++DOE", "DTM+329:991399")
    assert m.travellers[0].date_of_birth is None and warned(m, "'991399' is not a date")


@pytest.mark.parametrize(("dtm", "when"), [
    ("DTM+189:1306210900:201", datetime(2013, 6, 21, 9, 0)),
    ("DTM+189: 1306210900:201", datetime(2013, 6, 21, 9, 0)),  # blank inside the value (guide example 5.1)
    ("DTM+189:201306210900:203", datetime(2013, 6, 21, 9, 0)),
    ("DTM+189:20130621:102", datetime(2013, 6, 21, 0, 0)),
])
def test_flight_time_formats(dtm: str, when: datetime) -> None:
    m = read("BGM+745", "TDT+20+ZZ123", "LOC+125+SYD", dtm, "LOC+87+HNL")
    assert m.flights[0].departure == when


def test_unreadable_flight_time_warns() -> None:
    m = read("BGM+745", "TDT+20+ZZ123", "LOC+125+SYD", "DTM+189:SOON:201", "LOC+87+HNL")
    assert m.flights[0].departure is None and warned(m, "not a date and time")


# ------------------------------------------------------------------------------------------ documents


def test_several_documents_with_dates_and_issuers() -> None:
    t = person("NAD+FL+++DOE", "DOC+P:110:111+BN1124331", "DTM+36:350119", "DTM+182:150120",
               "LOC+91+GBR:::LONDON", "DOC+C+I0956487", "DTM+36:261004", "LOC+91+IRL", "DOC++433419360")
    passport, card, untyped = t.documents
    assert (passport.type, passport.number, passport.expiry, passport.issue_date) == (
        "P", "BN1124331", date(2035, 1, 19), date(2015, 1, 20))
    assert (passport.issuing_country, passport.place_of_issue, passport.source) == ("GBR", "LONDON", "DOC")
    assert (card.type, card.number, card.expiry, card.issuing_country) == ("C", "I0956487", date(2026, 10, 4), "IRL")
    assert (untyped.type, untyped.number) == (None, "433419360")


def test_sub_entity_issuer_is_a_place_and_country_follows() -> None:
    (doc,) = person("NAD+VW+++AOMAD", "DOC+5K+P100971204141", "LOC+91+VA:163", "LOC+91+US:162").documents
    assert (doc.type, doc.issuing_country, doc.place_of_issue) == ("5K", "US", "VA")


def test_document_dates_outside_a_document_warn() -> None:
    m = read(*FLIGHT, "NAD+FL+++DOE", "DTM+36:300101", "LOC+91+GBR")
    assert m.travellers[0].documents == []
    assert warned(m, "DTM+36 outside a document") and warned(m, "LOC+91 outside a document")


def test_segments_before_any_person_warn() -> None:
    m = read(*FLIGHT, "ATT+2++M", "DOC+P+123", "NAD+FL+++DOE")
    assert m.travellers[0].gender is None and m.travellers[0].documents == []
    assert warned(m, "ATT+2 before any person") and warned(m, "DOC+P before any person")


# ------------------------------------------------------------------------------------------ bags


def test_bag_count_weight_and_verification() -> None:
    t = person("NAD+FL+++DOE", "MEA+CT++:2", "MEA+WT++KGM:31.5", "GEI+4+173")
    assert (t.bag_count, t.bag_weight_kg, t.verified) == (2, 31.5, True)
    t = person("NAD+FL+++DOE", "MEA+CT++1", "MEA+WT++LBR:22", "GEI+4+174")
    assert (t.bag_count, t.bag_weight_kg, t.verified) == (1, 9.98, False)


def test_bad_bag_count_warns() -> None:
    m = read(*FLIGHT, "NAD+FL+++DOE", "MEA+CT++:TWO")
    assert m.travellers[0].bag_count is None and warned(m, "bag count")


def test_bag_tags_are_expanded_from_first_tag_and_count() -> None:
    t = person("NAD+FL+++DOE", "FTX+BAG+++DY463013:2", "FTX+BAG+++BA0009:2", "FTX+BAG+++MS139979",
               "FTX+BAG+++NOTNUMERIC:3", "FTX+AAP+++SOMETHING ELSE")
    assert t.bag_tags == ["DY463013", "DY463014", "BA0009", "BA0010", "MS139979", "NOTNUMERIC"]


def test_absurd_bag_tag_count_keeps_the_first_tag() -> None:
    m = read(*FLIGHT, "NAD+FL+++DOE", "FTX+BAG+++ZZ1:999999999")
    assert m.travellers[0].bag_tags == ["ZZ1"] and warned(m, "bag tag count")


# ------------------------------------------------------------------------------------------ seats, references


@pytest.mark.parametrize(("sent", "seat"), [("024B", "24B"), ("001A", "1A"), ("12C", "12C"), ("0 56F", "56F")])
def test_seat_row_loses_leading_zeros(sent: str, seat: str) -> None:
    assert person("NAD+FL+++DOE", f"RFF+SEA:{sent}").seat == seat


def test_person_references() -> None:
    t = person("NAD+FL+++DOE", "RFF+AVF:TYR123", "RFF+ABO:ABC123", "RFF+YZY:1761234567890")
    assert (t.record_locator, t.reference, t.ticket_number) == ("TYR123", "ABC123", "1761234567890")


@pytest.mark.parametrize(("refs", "reference"), [
    (("RFF+AEA:1234567890ABC", "RFF+CR:20060907NY123"), "1234567890ABC"),
    (("RFF+CR:20060907NY123", "RFF+ABO:ABC123"), "ABC123"),
    (("RFF+ABO:ABC123", "RFF+AEA:1234567890ABC"), "ABC123"),
])
def test_abo_wins_over_aea_and_cr(refs: tuple[str, ...], reference: str) -> None:
    assert person("NAD+FL+++DOE", *refs).reference == reference


def test_transaction_reference_and_revision() -> None:
    m = read("BGM+745", "RFF+TN:BART34567890:::1", *FLIGHT[1:])
    assert (m.transaction_reference, m.revision) == ("BART34567890", "1")
    m = read("BGM+745", "RFF+TN:1234567890", *FLIGHT[1:])
    assert (m.transaction_reference, m.revision) == ("1234567890", None)


# ------------------------------------------------------------------------------------------ person details


def test_gender_nationality_and_places() -> None:
    t = person("NAD+FL+++DOE", "ATT+2++M*M*M*M*M", "LOC+22+HNL", "LOC+174+GBR", "LOC+178+SYD", "LOC+179+HNL",
               "LOC+180+:::AMBER HILL GBR", "NAT+2+US::5")
    assert (t.gender, t.clearance, t.residence_country, t.embarkation, t.debarkation) == (
        "M", "HNL", "GBR", "SYD", "HNL")
    assert (t.birth_place, t.birth_country, t.nationality) == ("AMBER HILL GBR", None, "US")


@pytest.mark.parametrize(("loc", "country", "place"), [
    ("LOC+180+GBR:::LONDON", "GBR", "LONDON"),
    ("LOC+180+CAN+:::TORONTO", "CAN", "TORONTO"),
    ("LOC+180+:::Hartford USA", None, "Hartford USA"),
])
def test_birth_place_and_country(loc: str, country: str | None, place: str) -> None:
    t = person("NAD+FL+++DOE", loc)
    assert (t.birth_country, t.birth_place) == (country, place)


def test_bad_gender_warns() -> None:
    m = read(*FLIGHT, "NAD+FL+++DOE", "ATT+2++Q")
    assert m.travellers[0].gender is None and warned(m, "gender 'Q'")


# ------------------------------------------------------------------------------------------ flight legs


def test_single_leg_with_times() -> None:
    (leg,) = read(*FLIGHT).flights
    assert (leg.carrier, leg.number, leg.origin, leg.destination, leg.progressive) == (
        "BA", "117", "LHR", "JFK", False)
    assert (leg.departure, leg.arrival) == (datetime(2019, 5, 14, 8, 30), datetime(2019, 5, 14, 11, 20))


def test_progressive_legs_in_two_tdt_groups() -> None:
    m = read("BGM+745", "TDT+20+AA123+++AA", "LOC+92+ATL", "DTM+189:0702191540:201", "LOC+92+ORD",
             "DTM+232:0702191740:201", "TDT+20+AA124+++AA", "LOC+92+ORD", "LOC+92+JFK")
    assert [(f.number, f.origin, f.destination, f.progressive) for f in m.flights] == [
        ("123", "ATL", "ORD", True), ("124", "ORD", "JFK", True)]
    assert m.flights[0].arrival == datetime(2007, 2, 19, 17, 40)


def test_four_routing_locs_in_one_tdt_make_two_legs() -> None:
    m = read("BGM+745", "TDT+20+QQ877+++QQ", "LOC+92+MIA", "DTM+189:0807101500:201", "LOC+92+IAD",
             "DTM+232:0807101755:201", "LOC+92+IAD", "DTM+189:0807101830:201", "LOC+92+JFK",
             "DTM+232:0807101930:201")
    assert [(f.carrier, f.number, f.origin, f.destination) for f in m.flights] == [
        ("QQ", "877", "MIA", "IAD"), ("QQ", "877", "IAD", "JFK")]
    assert m.flights[1].departure == datetime(2008, 7, 10, 18, 30)
    assert m.flights[1].arrival == datetime(2008, 7, 10, 19, 30)


def test_routing_stop_that_arrives_and_departs_chains_legs() -> None:
    m = read("BGM+745", "TDT+20+XZ877+++XZ", "LOC+92+BCN", "DTM+189:1407081100:201", "LOC+92+IAD",
             "DTM+232:1407081700:201", "DTM+189:1407081930:201", "LOC+92+SFO", "DTM+232:1407082330:201")
    assert [(f.origin, f.destination, f.departure) for f in m.flights] == [
        ("BCN", "IAD", datetime(2014, 7, 8, 11, 0)), ("IAD", "SFO", datetime(2014, 7, 8, 19, 30))]


def test_routing_then_border_crossing_leg() -> None:
    m = read("BGM+745", "TDT+20+QQ827+++QQ", "LOC+92+IAD", "LOC+92+JFK", "TDT+20+QQ827+++QQ", "LOC+125+JFK",
             "LOC+87+CDG")
    assert [(f.origin, f.destination, f.progressive) for f in m.flights] == [
        ("IAD", "JFK", True), ("JFK", "CDG", False)]


@pytest.mark.parametrize(("tdt", "carrier", "number", "suffix"), [
    ("TDT+20+UA0989+++UA", "UA", "989", None),
    ("TDT+20+LH400A", "LH", "400", "A"),
    ("TDT+20+0006+++TZ", "TZ", "6", None),
    ("TDT+20", None, None, None),
    ("TDT+11++++LOCK:172", "LOCK", None, None),
])
def test_flight_designator_and_carrier(tdt: str, carrier: str | None, number: str | None,
                                       suffix: str | None) -> None:
    (leg,) = read("BGM+745", tdt, "LOC+125+FRA", "LOC+87+IAD").flights
    assert (leg.carrier, leg.number, leg.suffix) == (carrier, number, suffix)


def test_designator_that_contradicts_the_carrier_is_kept_whole() -> None:
    m = read("BGM+745", "TDT+20+ZX877+++XZ", "LOC+92+IAD", "LOC+92+SFO")
    assert (m.flights[0].carrier, m.flights[0].number) == ("XZ", "ZX877")
    assert warned(m, "does not start with carrier")


def test_itinerary_loc_without_tdt_and_odd_airport() -> None:
    m = read("BGM+745", "LOC+125+EGLL", "LOC+87+JFK")
    (leg,) = m.flights
    assert (leg.carrier, leg.origin, leg.destination) == (None, "EGLL", "JFK")
    assert warned(m, "outside a flight") and warned(m, "not an IATA airport code")


def test_ace_time_without_location() -> None:
    (leg,) = read("BGM+10+LOCKKH04103101+4", "TDT+11++++LOCK:172", "DTM+132:20041230:102").flights
    assert (leg.carrier, leg.origin, leg.arrival) == ("LOCK", None, datetime(2004, 12, 30))


# ------------------------------------------------------------------------------------------ header, parts, totals


@pytest.mark.parametrize(("unh", "key", "sequence", "final"), [
    ("UNH+1+PAXLST:D:02B:UN:IATA", None, 1, True),
    ("UNH+1+PAXLST:D:02B:UN:IATA+OK688/071008/1310+01:F", "OK688/071008/1310", 1, True),
    ("UNH+1+PAXLST:D:02B:UN:IATA+OK688/071008/1310+01:C", "OK688/071008/1310", 1, False),
    ("UNH+1+PAXLST:D:02B:UN:IATA+OK688/071008/1310+02", "OK688/071008/1310", 2, False),
    ("UNH+1+PAXLST:D:02B:UN:IATA+OK688/071008/1310+03:F", "OK688/071008/1310", 3, True),
    ("UNH+1+PAXLST:D:02B:UN:IATA+KEY+10:F", "KEY", 10, True),
    ("UNH+1+PAXLST:D:02B:UN:IATA+KEY+01", "KEY", 1, True),
    ("UNH+1+PAXLST:D:02B:UN:IATA++01:F", None, 1, True),
])
def test_multi_part_position(unh: str, key: str | None, sequence: int, final: bool) -> None:
    part = read(*FLIGHT, unh=unh).part
    assert (part.key, part.sequence, part.final) == (key, sequence, final)


def test_unreadable_part_number_warns() -> None:
    m = read(*FLIGHT, unh="UNH+1+PAXLST:D:02B:UN:IATA+KEY+XX:Q")
    assert (m.part.sequence, m.part.final) == (1, False)
    assert warned(m, "sequence number 'XX'") and warned(m, "indicator 'Q'")


def test_parts_of_one_list_in_one_file() -> None:
    text = "".join(
        paxlst(*FLIGHT, f"NAD+FL+++P{n}", "CNT+42:3", unh=f"UNH+1+PAXLST:D:02B:UN:IATA+BA117/190514+{s}")
        for n, s in ((1, "01:C"), (2, "02"), (3, "03:F")))
    result = parse(text)
    assert [(m.part.sequence, m.part.final) for m in result.messages] == [(1, False), (2, False), (3, True)]
    assert {m.part.key for m in result.messages} == {"BA117/190514"}
    assert not any(warned(m, "CNT declares") for m in result.messages)


@pytest.mark.parametrize(("bgm", "list_type", "code", "function"), [
    ("BGM+745", "passenger", "745", None),
    ("BGM+250+C", "crew", "250", "C"),
    ("BGM+745+CP", "passenger", "745", "CP"),
    ("BGM+266+CLOB", "266", "266", "CLOB"),
    ("BGM+10+LOCKKH04103101+4", "10", "10", "LOCKKH04103101"),
])
def test_list_type_and_function(bgm: str, list_type: str, code: str, function: str | None) -> None:
    m = read(bgm, *FLIGHT[1:])
    assert (m.list_type, m.list_code, m.list_function) == (list_type, code, function)


def test_missing_bgm_warns_and_empty_message_is_an_error() -> None:
    assert warned(read(*FLIGHT[1:]), "no BGM")
    result = parse(paxlst())
    assert result.messages == [] and result.errors and result.errors[0].severity == "error"
    assert "no list" in result.errors[0].message


@pytest.mark.parametrize(("unh", "version"), [
    ("UNH+1+PAXLST:D:02B:UN:IATA", "D02B"), ("UNH+1+PAXLST:D:03B:UN", "D03B"), ("UNH+1+PAXLST:001:000:NZ", "US")])
def test_version(unh: str, version: str) -> None:
    assert read(*FLIGHT, unh=unh).version == version


def test_message_carries_envelope_and_reference() -> None:
    m = read(*FLIGHT, unh="UNH+PAX001+PAXLST:D:05B:UN:IATA")
    assert (m.reference, m.sender, m.recipient, m.prepared) == (
        "PAX001", "AIRLINE", "GOV", datetime(2019, 5, 14, 16, 43))


def test_declared_totals() -> None:
    m = read(*FLIGHT, "NAD+FL+++A", "NAD+FM+++B", "CNT+42:1", "CNT+41+1")
    assert (m.declared_passengers, m.declared_crew) == (1, 1)
    assert not warned(m, "CNT declares")


def test_totals_that_disagree_warn_only_for_a_single_final_part() -> None:
    single = read(*FLIGHT, "NAD+FL+++A", "CNT+42:160")
    assert single.declared_passengers == 160 and warned(single, "CNT declares 160 passengers")
    for unh in ("UNH+1+PAXLST:D:02B:UN:IATA+K+01:C", "UNH+1+PAXLST:D:02B:UN:IATA+K+02:F"):
        assert not warned(read(*FLIGHT, "NAD+FL+++A", "CNT+42:160", unh=unh), "CNT declares")
    crew = read("BGM+250", *FLIGHT[1:], "NAD+FM+++A", "CNT+41:8")
    assert warned(crew, "CNT declares 8 crew members")


def test_unknown_segment_warns_once_and_known_extras_are_quiet() -> None:
    m = read(*FLIGHT, "NAD+FL+++DOE", "XYZ+1", "XYZ+2", "EMP+4+++1++8")
    assert sum("XYZ segment" in w.message for w in m.warnings) == 1
    assert not warned(m, "EMP")
    (w,) = [w for w in m.warnings if "XYZ" in w.message]
    assert (w.tag, w.segment) == ("XYZ", 9)


# ------------------------------------------------------------------------------------------ US-EDIFACT


US = ("CTA+IC+:FRED? SAMPLES+1-703-644-5200:TE+1-703-566-8224:FX", "TDT++SA812+40+SA", "LOC+005+NZAKL:50",
      "DTM+136+020131+1030+M05", "LOC+008+USLAX:50", "DTM+132+020131+2200+M05", "UNS+D",
      "PDT+P/182345345:990909:US+MANGUS:SIMON:P:590429:M+PAX+NZAKL:USLAX",
      "PDT+P/E54321A:980831:IE+O?'LEARY:KRIS:ANN:331231:F+CRW+NZAKL:USLAX")


def test_us_edifact_flight_contact_and_persons() -> None:
    m = read(*US, unh="UNH+0201312359+PAXLST:001:000:NZ+SA812/020131/2300", una="UNA:+.? '")
    assert (m.version, m.part.key) == ("US", "SA812/020131/2300")
    assert not warned(m, "BGM")
    (leg,) = m.flights
    assert (leg.carrier, leg.number, leg.origin, leg.destination) == ("SA", "812", "AKL", "LAX")
    assert (leg.departure, leg.arrival) == (datetime(2002, 1, 31, 10, 30), datetime(2002, 1, 31, 22, 0))
    assert m.reporting_party is not None
    assert (m.reporting_party.name, m.reporting_party.phone, m.reporting_party.fax) == (
        "FRED SAMPLES", "1-703-644-5200", "1-703-566-8224")
    mangus, oleary = m.travellers
    assert (mangus.surname, mangus.given_names, mangus.date_of_birth, mangus.gender, mangus.role) == (
        "MANGUS", "SIMON P", date(1959, 4, 29), "M", Role.PASSENGER)
    assert (mangus.embarkation, mangus.debarkation) == ("AKL", "LAX")
    (doc,) = mangus.documents
    assert (doc.type, doc.number, doc.expiry, doc.issuing_country, doc.source) == (
        "P", "182345345", date(1999, 9, 9), "US", "PDT")
    assert (oleary.surname, oleary.given_names, oleary.date_of_birth, oleary.role) == (
        "O'LEARY", "KRIS ANN", date(1933, 12, 31), Role.CREW)


# ------------------------------------------------------------------------------------------ corpus


def leg_keys(messages: list[Message]) -> set[tuple[str | None, str | None, str | None, str | None]]:
    return {(f.carrier, f.number, f.origin, f.destination) for m in messages for f in m.flights}


def by_surname(messages: list[Message], surname: str) -> Traveller:
    return next(t for m in messages for t in m.travellers if t.surname == surname)


def check_ig51(ms: list[Message]) -> None:
    (m,) = ms
    assert (m.reference, m.list_type, m.transaction_reference, m.declared_passengers) == (
        "PAX001", "passenger", "1234567890", 160)
    (leg,) = m.flights
    assert (leg.departure, leg.arrival) == (datetime(2013, 6, 21, 9, 0), datetime(2013, 6, 21, 22, 0))
    t = by_surname(ms, "WILLIAMS")
    assert (t.given_names, t.gender, t.date_of_birth, t.nationality) == ("JOHN DONALD", "M", date(1972, 9, 7), "GBR")
    assert t.address is not None and (t.address.street, t.address.city, t.address.region, t.address.postcode,
                                      t.address.country) == (
        "235 WESTERN ROAD SUITE 203", "SLEAFORD", "LINCS", "PE224T5", "GBR")
    assert (t.bag_count, t.verified, t.bag_tags) == (2, False, ["ZZ012345", "ZZ012346", "ZZ012347"])
    assert (t.clearance, t.residence_country, t.embarkation, t.debarkation, t.birth_place) == (
        "HNL", "GBR", "SYD", "HNL", "AMBER HILL GBR")
    assert (t.record_locator, t.reference) == ("TYR123", "ABC123")
    (doc,) = t.documents
    assert (doc.type, doc.number, doc.expiry, doc.issuing_country) == ("P", "MB140241", date(2015, 12, 31), "GBR")


def check_ig52(ms: list[Message]) -> None:
    (m,) = ms
    assert (m.list_type, m.declared_crew) == ("crew", 8)
    assert m.reporting_party is not None and m.reporting_party.id == "USD090746"
    t = by_surname(ms, "CLARK")
    assert (t.role, t.nationality) == (Role.CREW, "CAN")
    assert t.address is not None and t.address.region == "HI"


def check_ig53(ms: list[Message]) -> None:
    (m,) = ms
    assert (m.transaction_reference, m.revision, m.declared_passengers) == ("BART34567890", "1", 2)
    assert [(f.carrier, f.number, f.origin, f.destination, f.progressive) for f in m.flights] == [
        ("XZ", "877", "BCN", "IAD", True), ("XZ", "ZX877", "IAD", "SFO", True)]
    julio, sorina = m.travellers
    assert (julio.given_names, sorina.given_names, sorina.gender) == ("JULIO XAVIER", "SORINA MARIA", "F")
    assert (sorina.documents[0].number, sorina.reference) == ("TRQWE9980", "XZ877002")


def check_ok688(ms: list[Message]) -> None:
    (m,) = ms
    assert m.flights[0].departure == datetime(2007, 10, 8, 10, 45)
    assert [d.type for t in m.travellers for d in t.documents] == ["I", "P", "P"]
    assert by_surname(ms, "LESKA").documents[0].issuing_country == "RUS"
    assert by_surname(ms, "STRANSKY").given_names == "JAROSLAV VICTOROVICH"


def check_minimal(ms: list[Message]) -> None:
    (m,) = ms
    assert (m.part.key, m.part.sequence, m.part.final) == (None, 1, True)
    assert (m.flights[0].carrier, m.flights[0].number) == (None, None)
    t = by_surname(ms, "STRANSKY")
    assert (t.given_names, t.date_of_birth, t.gender) == (None, None, "M")


def check_multipart(ms: list[Message]) -> None:
    assert [(m.part.key, m.part.sequence, m.part.final) for m in ms] == [
        ("OK688/071008/1310", 1, False), ("OK688/071008/1310", 2, False), ("OK688/071008/1310", 3, True)]
    assert [len(m.travellers) for m in ms] == [2, 2, 1]
    assert all(m.declared_passengers == 5 and not warned(m, "CNT declares") for m in ms)
    assert by_surname(ms, "PUTINA").gender == "F"


def check_ace(ms: list[Message]) -> None:
    (m,) = ms
    assert (m.version, m.list_code, m.list_type, m.list_function) == ("D03B", "10", "10", "LOCKKH04103101")
    t = by_surname(ms, "AOMAD")
    assert (t.given_names, t.role, t.gender, t.date_of_birth, t.nationality) == (
        "CHRIS", Role.CREW, "M", date(1935, 9, 19), "US")
    assert t.address is not None and t.address.street == "11107 SUNSET HILL'S ROAD"
    assert [(d.type, d.number, d.issuing_country) for d in t.documents] == [
        ("5K", "P100971204141", "US"), ("39", "15504141", "US")]
    assert (m.flights[0].carrier, m.flights[0].arrival) == ("LOCK", datetime(2004, 12, 30))


def check_apis(ms: list[Message]) -> None:
    (m,) = ms
    assert all(f.progressive for f in m.flights) and m.revision == "001"
    michael, cheryl = m.travellers
    assert (michael.given_names, michael.gender, michael.date_of_birth, michael.reference) == (
        "MICHAEL", "M", date(1972, 9, 7), "ABC123")
    assert (cheryl.given_names, cheryl.gender) == ("CHERYL", "F")


def check_multileg(ms: list[Message]) -> None:
    (m,) = ms
    assert [f.progressive for f in m.flights] == [True, True, False]
    assert m.flights[2].arrival == datetime(2008, 8, 11, 6, 30)
    assert [t.surname for t in m.travellers] == ["BARRETT", "LANG"]


def check_test1(ms: list[Message]) -> None:
    (m,) = ms
    assert (m.list_type, m.list_function, m.declared_crew) == ("crew", "C", 8)
    assert all(t.role is Role.CREW for t in m.travellers) and not warned(m, "CNT declares")
    assert (m.travellers[0].surname, m.travellers[0].given_names) == ("Steur", "Andrea Pat")


def check_flight1(ms: list[Message]) -> None:
    t = by_surname(ms, "JIANG")
    assert (t.given_names, t.seat, t.bag_weight_kg, t.bag_tags) == ("HSIUYUAN", "56F", 13.0, ["2660001"])
    assert [(d.type, d.number) for d in t.documents] == [(None, "433419360"), ("V", "57131424")]
    assert by_surname(ms, "NOOD").bag_tags == ["2660009", "2660010"]
    assert by_surname(ms, "CANNON").bag_tags == ["2660003", "2660004", "SU0005", "2660006"]
    assert by_surname(ms, "O GRADY").date_of_birth == date(2000, 5, 20)


def check_us(ms: list[Message]) -> None:
    (m,) = ms
    assert m.version == "US"
    t = by_surname(ms, "O'LEARY")
    assert (t.given_names, t.gender, t.date_of_birth) == ("KRIS ANN", "F", date(1933, 12, 31))
    assert [t.surname for t in m.travellers] == ["MANGUS", "FEFE", "BOYLE", "O'LEARY"]


def check_paren(ms: list[Message]) -> None:
    (m,) = ms
    assert (m.part.key, m.part.final, m.declared_passengers) == ("DY13172507221230", False, 190)
    assert not warned(m, "CNT declares")
    first = m.travellers[0]
    assert (first.seat, first.bag_tags, first.date_of_birth) == ("24B", ["DY463013", "DY463014"], date(2018, 9, 5))


def check_lf(ms: list[Message]) -> None:
    (m,) = ms
    first = m.travellers[0]
    assert first.date_of_birth == date(1972, 6, 29) and first.bag_count == 8
    assert [d.type for d in first.documents] == ["P", "C"]
    assert first.bag_tags[:6] == ["MS139969", "MS139970", "MS139971", "MS139972", "MS139973", "MS139979"]
    assert warned(m, "CNT declares 33 passengers")  # a truncated capture of a single final part


def check_typeb(ms: list[Message]) -> None:
    (m,) = ms
    assert (m.part.key, m.part.sequence, m.part.final, m.declared_crew) == ("SQ6680/190514/1910", 2, True, 2)
    t = by_surname(ms, "JONES")
    assert (t.birth_country, t.birth_place) == ("GBR", "LONDON")
    (doc,) = t.documents
    assert (doc.issue_date, doc.expiry, doc.place_of_issue) == (date(2015, 12, 31), date(2010, 10, 24), "LONDON")


Legs = set[tuple[str | None, str | None, str | None, str | None]]
EXPECTED: dict[str, tuple[Legs, int, Callable[[list[Message]], None]]] = {
    "ig-5.1-single-sector-passengers.edi": ({("ZZ", "123", "SYD", "HNL")}, 1, check_ig51),
    "ig-5.2-crew-list.edi": ({("ZZ", "123", "SYD", "HNL")}, 1, check_ig52),
    "ig-5.3-progressive-two-legs.edi": ({("XZ", "877", "BCN", "IAD"), ("XZ", "ZX877", "IAD", "SFO")}, 2, check_ig53),
    "dcs-ok688-3pax-fragment.edi": ({("OK", "688", "PRG", "BCN")}, 3, check_ok688),
    "dcs-minimal-empty-elements.edi": ({(None, None, "PRG", "BCN")}, 1, check_minimal),
    "dcs-multipart-01C-02-03F.edi": ({("OK", "688", "PRG", "BCN")}, 5, check_multipart),
    "ace-d03b-truck-crew-release-chars.edi": ({("LOCK", None, None, None)}, 1, check_ace),
    "gtas-apisMessage.txt": ({("AA", "123", "ATL", "ORD"), ("AA", "124", "ORD", "JFK")}, 2, check_apis),
    "gtas-multiple_flight_leg_apis.txt": (
        {("QQ", "877", "MIA", "IAD"), ("QQ", "827", "IAD", "JFK"), ("QQ", "827", "JFK", "CDG")}, 2, check_multileg),
    "gtas-Test1-crew.txt": ({("UA", "989", "FRA", "IAD")}, 8, check_test1),
    "gtas-flight1.txt": ({("LA", "532", "SCL", "JFK")}, 10, check_flight1),
    "gtas-us-edifact-random.edi": ({("SA", "812", "AKL", "LAX")}, 4, check_us),
    "capture-una-paren-dash-truncated.MASKED.txt": ({("DY", "1317", "LGW", "BGO")}, 2, check_paren),
    "capture-lf-terminator-32pax.MASKED.txt": ({("MS", "775", "CAI", "DUB")}, 32, check_lf),
    "typeb-wrapped-sq6680.txt": ({("SQ", "6680", "SIN", "LHR")}, 1, check_typeb),
}


@pytest.mark.parametrize("name", corpus_files("paxlst"))
def test_corpus_message(corpus: Path, name: str) -> None:
    result = parse((corpus / name).read_bytes())
    assert result.errors == [] and result.messages
    assert all(m.type == "PAXLST" and m.flights for m in result.messages)
    party_names = {m.reporting_party.name for m in result.messages if m.reporting_party}
    assert not party_names & {f"{t.surname} {t.given_names}" for m in result.messages for t in m.travellers}
    expected = EXPECTED.get(Path(name).name)
    if expected is None:
        pytest.skip(f"no stated expectations for {name}")
    legs, travellers, check = expected
    assert leg_keys(result.messages) == legs
    assert sum(len(m.travellers) for m in result.messages) == travellers
    check(result.messages)


def test_corpus_released_envelope_value(corpus: Path) -> None:
    doc = edifact.read((corpus / "paxlst" / "ace-d03b-truck-crew-release-chars.edi").read_bytes())
    (message,) = doc.messages
    assert message.group is not None and message.group.get(2, 0) == "CBP-A+CE-TEST"
