"""PNRGOV EDIFACT parser: one test group per segment family on small inline messages, then the corpus."""

from __future__ import annotations

import hashlib
import hmac
from datetime import date, datetime
from pathlib import Path

import pytest

from gtas.parsers import parse
from gtas.parsers.records import Message, Pnr, Role, Traveller, to_jsonable
from tests.conftest import corpus_files

KEY = b"test-card-key"
PRIME = "TVL+270513:1430:270513:2205+SIN+ICN+SQ+602"


def message(*segments: str, header: tuple[str, ...] = ("MSG+:22", "ORG+1A:MUC", PRIME, "EQN+1"),
            unh: str = "UNH+1+PNRGOV:11:1:IA+270513/0649/SQ/602") -> str:
    """A complete interchange around the given PNR segments (the caller writes SRC)."""
    body = [unh, *header, *segments]
    return "'".join(["UNB+IATA:1+1A+KRC+130527:0649+0003", *body, f"UNT+{len(body) + 1}+1", "UNZ+1+0003"]) + "'"


def read(text: str) -> Message:
    result = parse(text, card_key=KEY)
    assert not result.errors, result.errors
    assert len(result.messages) == 1
    return result.messages[0]


def one_pnr(*segments: str) -> Pnr:
    msg = read(message("SRC", "RCI+1A:ABC123::190313:1354", *segments))
    assert len(msg.pnrs) == 1
    return msg.pnrs[0]


def by_surname(pnr: Pnr, surname: str) -> Traveller:
    found = [t for t in pnr.travellers if t.surname == surname]
    assert len(found) == 1, [t.surname for t in pnr.travellers]
    return found[0]


# ------------------------------------------------------------------------------------------------ header, UNH


def test_header_gives_version_part_originator_and_prime_flight() -> None:
    msg = read(message("SRC", "RCI+1A:ABC123", unh="UNH+1+PNRGOV:13:1:IA+SQ602/270513/1430+02"))
    assert msg.type == "PNRGOV"
    assert msg.version == "13.1"
    assert msg.sender == "1A"
    assert (msg.part.key, msg.part.sequence, msg.part.final) == ("SQ602/270513/1430", 2, False)
    assert msg.originator is not None
    assert (msg.originator.system, msg.originator.location) == ("1A", "MUC")
    assert msg.declared_pnrs == 1
    prime = msg.flights[0]
    assert (prime.carrier, prime.number, prime.origin, prime.destination) == ("SQ", "602", "SIN", "ICN")
    assert prime.departure == datetime(2013, 5, 27, 14, 30)
    assert prime.arrival == datetime(2013, 5, 27, 22, 5)


@pytest.mark.parametrize(("part", "sequence", "final"), [("01:C", 1, False), ("03:F", 3, True), ("", 1, True)])
def test_multipart_position(part: str, sequence: int, final: bool) -> None:
    unh = "UNH+1+PNRGOV:11:1:IA+KEY" + (f"+{part}" if part else "")
    msg = read(message("SRC", "RCI+1A:ABC123", unh=unh))
    assert (msg.part.sequence, msg.part.final) == (sequence, final)


@pytest.mark.parametrize(("tvl", "arrival"), [
    ("TVL+120518:1220:1505+FRA+IAD+UA+988", datetime(2018, 5, 12, 15, 5)),
    ("TVL+230413:1420+LHR+JFK+UA+988", None),
    ("TVL+280513:2225:290513:0750+FRA+IAD+UA+0988", datetime(2013, 5, 29, 7, 50)),
])
def test_prime_flight_time_variants(tvl: str, arrival: datetime | None) -> None:
    msg = read(message("SRC", "RCI+UA:X1", header=("MSG+:22", "ORG+UA", tvl, "EQN+1")))
    assert msg.flights[0].arrival == arrival
    assert msg.flights[0].number == "988"


def test_flight_number_loses_leading_zeros() -> None:
    msg = read(message("SRC", "RCI+TZ:W9TEND", header=("MSG+:22", "TVL+280513:2225:290513:0750+SIN+OOL+TZ+0006")))
    assert msg.flights[0].number == "6"


def test_message_with_neither_flight_nor_pnr_is_an_error() -> None:
    result = parse(message(header=("MSG+:22", "ORG+1A:MUC")), card_key=KEY)
    assert not result.messages
    assert result.errors and result.errors[0].severity == "error"


def test_eqn_disagreeing_with_the_pnrs_is_a_warning() -> None:
    msg = read(message("SRC", "RCI+1A:AAA111", "SRC", "RCI+1A:BBB222"))
    assert len(msg.pnrs) == 2
    assert any("EQN says 1" in w.message for w in msg.warnings)


def test_segments_before_src_start_a_pnr_rather_than_being_lost() -> None:
    msg = read(message("RCI+1A:ABC123", "TIF+DOE+JANE MS:A:1"))
    assert msg.pnrs[0].record_locator == "ABC123"
    assert msg.pnrs[0].travellers[0].surname == "DOE"
    assert any("before any SRC" in w.message for w in msg.warnings)


def test_unknown_segment_is_warned_about_with_its_position() -> None:
    pnr = one_pnr("XYZ+1", "TIF+DOE+JANE:A:1")
    warning = next(w for w in pnr.warnings if w.tag == "XYZ")
    assert warning.segment is not None and warning.line == 1
    assert pnr.travellers[0].surname == "DOE"


# ---------------------------------------------------------------------------------------------------- RCI, DAT


def test_rci_locator_creation_and_other_systems_locators() -> None:
    msg = read(message("SRC", "RCI+1A:2LS6KP::200513:0439+KE:EDP2RW"))
    pnr = msg.pnrs[0]
    assert (pnr.carrier, pnr.record_locator) == ("1A", "2LS6KP")
    assert pnr.created == datetime(2013, 5, 20, 4, 39)
    assert pnr.other_locators == [("KE", "EDP2RW")]


@pytest.mark.parametrize(("rci", "created"), [
    ("RCI+UA:7C789A:230818:1220", datetime(2018, 8, 23, 12, 20)),  # empty component left out
    ("RCI+TZ:W9TEND::230513:181348", datetime(2013, 5, 23, 18, 13, 48)),  # HHMMSS
    ("RCI+BA:ONE:1:121113:044100", datetime(2013, 11, 12, 4, 41)),
])
def test_rci_creation_time_variants(rci: str, created: datetime) -> None:
    assert read(message("SRC", rci)).pnrs[0].created == created


def test_dat_last_change_and_ticketing() -> None:
    pnr = one_pnr("DAT+700:270513:0559+710:260513:1200")
    assert pnr.last_modified == datetime(2013, 5, 27, 5, 59)
    assert pnr.ticketed == date(2013, 5, 26)


def test_pnr_without_rci_is_kept_and_warned_about() -> None:
    msg = read(message("SRC", "TIF+DOE+JANE:A:1"))
    assert msg.pnrs[0].travellers[0].surname == "DOE"
    assert any("record locator" in w.message for w in msg.pnrs[0].warnings)


# ------------------------------------------------------------------------------------------------ travellers


@pytest.mark.parametrize(("tif", "given", "title"), [
    ("TIF+BELT:I+ISABELLE MRS:A:2", "ISABELLE", "MRS"),
    ("TIF+LOBB+MOLLYMRS:A:1", "MOLLY", "MRS"),
    ("TIF+PARK:I+SEJOONMR::1", "SEJOON", "MR"),
    ("TIF+SMITH+WILLIAMS:A:1", "WILLIAMS", None),  # a name ending in MS is not a title
    ("TIF+KIM+KONG CHUN MRS:A:3", "KONG CHUN", "MRS"),
    ("TIF+HOU+LIMR:A:7", "LI", "MR"),
    ("TIF+NGUYEN+AMR:A:1", "AMR", None),  # too short to hold a glued title
])
def test_tif_splits_the_title_off_the_given_names(tif: str, given: str, title: str | None) -> None:
    traveller = one_pnr(tif).travellers[0]
    assert (traveller.given_names, traveller.title) == (given, title)


def test_tif_reference_type_infant_and_locator() -> None:
    pnr = one_pnr("TIF+BELT:I+ISABELLE MRS:A:2:1", "TIF+BELT:I+SOPHY:IN:3")
    adult, infant = pnr.travellers
    assert (adult.reference, adult.passenger_type, adult.with_infant, adult.role) == ("2", "A", True, Role.PASSENGER)
    assert (infant.reference, infant.role, infant.accompanying_ref) == ("3", Role.INFANT, "2")
    assert {t.record_locator for t in pnr.travellers} == {"ABC123"}
    assert pnr.passenger_count == 2


def test_traveller_without_docs_is_never_dropped() -> None:
    pnr = one_pnr("TIF+DOE+JANE MS:A:1", "TIF+ROE+RICHARD MR:A:2",
                  "SSR+DOCS:HK:1:SQ:::::/P/GBR/123/GBR/01JAN80/F/01JAN30/DOE/JANE+::1")
    assert [t.surname for t in pnr.travellers] == ["DOE", "ROE"]
    assert pnr.travellers[1].documents == []


def test_docs_without_tif_creates_the_traveller() -> None:
    pnr = one_pnr("SSR+DOCS:HK:1:SQ:::::/P/USA/X123/USA/04JUL80/M/12JAN30/SMITH/JOHN PAUL MR")
    traveller = by_surname(pnr, "SMITH")
    assert (traveller.given_names, traveller.title) == ("JOHN PAUL", "MR")
    assert traveller.date_of_birth == date(1980, 7, 4)
    assert traveller.documents[0].number == "X123"
    assert any("matches no TIF" in w.message for w in pnr.warnings)


def test_fti_ref_and_frequent_flyer_tier() -> None:
    pnr = one_pnr("TIF+SMITHJR+JOHNMR:A:1", "FTI+DL:1234567890:::ELITE", "REF+:38739393AN8739P")
    traveller = pnr.travellers[0]
    assert [(f.carrier, f.number, f.tier) for f in traveller.frequent_flyers] == [("DL", "1234567890", "ELITE")]
    assert traveller.unique_reference == "38739393AN8739P"


# --------------------------------------------------------------------------------------------- SSR documents


def test_docs_fills_birth_gender_nationality_and_document() -> None:
    pnr = one_pnr("TIF+BELT+ISABELLE MRS:A:2",
                  "SSR+DOCS:HK:1:SQ:::::/P/GBR/509229987/FRA/01JUL78/F/12NOV22/BELT/ISABELLE RUTH/")
    traveller = pnr.travellers[0]
    assert (traveller.date_of_birth, traveller.gender, traveller.nationality) == (date(1978, 7, 1), "F", "FRA")
    document = traveller.documents[0]
    assert (document.type, document.number, document.issuing_country) == ("P", "509229987", "GBR")
    assert document.expiry == date(2022, 11, 12)
    assert document.source == "DOCS"


def test_docs_two_letter_countries_are_kept_as_sent() -> None:
    pnr = one_pnr("TIF+KUMAR+LAL MS:A:1", "SSR+DOCS:HK:1:BA:::::/P/PH/XX8898996/PH/12DEC67/F/04JAN15/KUMAR/LAL+::1")
    traveller = pnr.travellers[0]
    assert traveller.nationality == "PH"
    assert traveller.documents[0].issuing_country == "PH"


def test_docs_tied_by_reference_in_the_last_element() -> None:
    pnr = one_pnr("TIF+ONE+ANNA:A:1", "TIF+TWO+BERT:A:2",
                  f"{PRIME}:D", "SSR+DOCS:HK:1:SQ:::SIN:ICN:/P/GBR/222/GBR/02FEB82/M/01JAN30/TWO/BERT+::2")
    assert by_surname(pnr, "TWO").documents[0].number == "222"
    assert by_surname(pnr, "ONE").documents == []


def test_infant_docs_sent_before_the_infant_tif_go_to_the_infant() -> None:
    pnr = one_pnr("TIF+BELT:I+ISABELLE MRS:A:2:1",
                  "SSR+DOCS:HK:1:SQ:::::/P/GBR/512731999/GBR/20SEP12/FI/25OCT17/BELT/SOPHY OLIVIA/",
                  "SSR+DOCS:HK:1:SQ:::::/P/GBR/509229987/GBR/01JUL78/F/12NOV22/BELT/ISABELLE RUTH/",
                  "TIF+BELT:I+SOPHY:IN:3")
    adult, infant = pnr.travellers
    assert [d.number for d in adult.documents] == ["509229987"]
    assert [d.number for d in infant.documents] == ["512731999"]
    assert (infant.date_of_birth, infant.gender, infant.role) == (date(2012, 9, 20), "F", Role.INFANT)


def test_same_passport_twice_is_one_document() -> None:
    docs = "/P/GBR/509229987/GBR/01JUL78/F/12NOV22/BELT/ISABELLE/"
    pnr = one_pnr("TIF+BELT+ISABELLE:A:2", f"SSR+DOCS:HK:1:SQ:::::{docs}", f"{PRIME}:D",
                  f"SSR+DOCS:HK:1:SQ:::SIN:ICN:{docs}+::2")
    assert len(pnr.travellers[0].documents) == 1
    assert [s.code for s in pnr.ssrs] == ["DOCS", "DOCS"]


def test_inft_gives_the_infant_its_date_of_birth_or_creates_it() -> None:
    pnr = one_pnr("TIF+BELT+ISABELLE MRS:A:2:1", f"{PRIME}:D", "SSR+INFT:HK:1:SQ:::SIN:ICN:BELT/SOPHY 20SEP12+::2")
    infant = next(t for t in pnr.travellers if t.role is Role.INFANT)
    assert (infant.surname, infant.given_names, infant.date_of_birth) == ("BELT", "SOPHY", date(2012, 9, 20))
    assert infant.accompanying_ref == "2"


def test_doco_visa() -> None:
    pnr = one_pnr("TIF+ACKARY+CHARLESMR:A:1", "SSR+DOCS:HK::DL:::::/P/GBR/602120901//26DEC48/M/30JAN21/ACKARY/CHARLES",
                  "SSR+DOCO:KH:1:UA::::: HERE VA/V/8675309/OTHER PLACE/22DEC06/LI+::1")
    visa = pnr.travellers[0].documents[1]
    assert (visa.type, visa.number, visa.place_of_issue) == ("V", "8675309", "OTHER PLACE")
    assert (visa.issue_date, visa.expiry, visa.source) == (date(2006, 12, 22), None, "DOCO")
    assert pnr.travellers[0].birth_place == "HERE VA"


def test_doca_residence_address() -> None:
    pnr = one_pnr("TIF+DOE+JANE:A:1", "SSR+DOCA:HK:1:SQ:::::/R/GBR/1 HIGH STREET/LONDON/LDN/SW1A1AA+::1")
    traveller = pnr.travellers[0]
    assert traveller.address is not None
    assert (traveller.address.street, traveller.address.city, traveller.address.postcode) == (
        "1 HIGH STREET", "LONDON", "SW1A1AA")
    assert (traveller.address.kind, traveller.residence_country) == ("residence", "GBR")


def test_foid_card_number_is_not_kept_in_clear() -> None:
    pnr = one_pnr("TIF+DOE+JANE:A:1", "SSR+FOID:HK:1:SQ:::::CC4111111111111111+::1",
                  "SSR+FOID:HK:1:SQ:::::PP123456789+::1")
    assert "4111111111111111" not in str(to_jsonable(pnr))
    assert [(d.type, d.number) for d in pnr.travellers[0].documents] == [("PP", "123456789")]


def test_tkne_sets_the_ticket_number() -> None:
    pnr = one_pnr("TIF+DOE+JANE:A:1", f"{PRIME}:D", "SSR+TKNE:HK:1:SQ:::SIN:ICN:6182402058077C1+::1")
    assert pnr.travellers[0].ticket_number == "6182402058077"
    assert [(t.number, t.coupons) for t in pnr.tickets] == [("6182402058077", "1")]


def test_ssrs_are_kept_with_code_status_and_carrier() -> None:
    pnr = one_pnr("SSR+AVML:HK:2:DL", "TIF+DOE+JANE:A:1", "SSR+WCHR:HK:1:SQ:::::NEEDS ASSISTANCE")
    assert [(s.code, s.status, s.carrier, s.traveller_ref, s.text) for s in pnr.ssrs] == [
        ("AVML", "HK", "DL", None, None), ("WCHR", "HK", "SQ", "1", "NEEDS ASSISTANCE")]


def test_docs_reference_no_tif_has_is_warned_and_tied_to_its_group() -> None:
    pnr = one_pnr("TIF+DOE+JANE:A:1", "SSR+DOCO:KH:1:UA:::::/LONDON/V/111/PARIS/01JAN10/USA+::002")
    assert pnr.travellers[0].documents[0].number == "111"
    assert any("reference 2" in w.message for w in pnr.warnings)


# ------------------------------------------------------------------------------------------ contacts, address


def test_ctce_email_decoding_and_release_character() -> None:
    pnr = one_pnr("TIF+LOBB+MOLLYMRS:A:1", "IFT+4:28::YY+CTCE MOLLY..LOUUNT?+50BB//GMAIL.COM")
    assert [e.address for e in pnr.emails] == ["MOLLY_LOUUNT+50BB@GMAIL.COM"]
    assert pnr.emails[0].traveller_ref == "1"
    assert pnr.travellers[0].emails[0].address == "MOLLY_LOUUNT+50BB@GMAIL.COM"


def test_ctcm_phone_and_other_free_text_as_remark() -> None:
    pnr = one_pnr("IFT+4:28::DL+CTCM 447700900123/EN", "IFT+4:28::DL+THIS PASSENGER IS A VIP")
    assert [(p.number, p.kind) for p in pnr.phones] == [("447700900123", "mobile")]
    assert pnr.remarks == ["THIS PASSENGER IS A VIP"]


def test_ssr_ctce_is_tied_to_its_traveller() -> None:
    pnr = one_pnr("TIF+ONE+ANNA:A:1", "TIF+TWO+BERT:A:2", "SSR+CTCE:HK:1:SQ:::::BERT//EXAMPLE.COM+::2")
    assert by_surname(pnr, "TWO").emails[0].address == "BERT@EXAMPLE.COM"
    assert by_surname(pnr, "ONE").emails == []


def test_add_component_positions_and_phones() -> None:
    pnr = one_pnr("ADD++700:123 ANY STREET:LAKE TOWN:MN::US:55123:H5555555555 W 1 555 555 5555")
    address = pnr.addresses[0]
    assert (address.street, address.city, address.region, address.country, address.postcode) == (
        "123 ANY STREET", "LAKE TOWN", "MN", "US", "55123")
    assert [(p.kind, p.number) for p in pnr.phones] == [("home", "5555555555"), ("business", "15555555555")]


def test_add_postcode_in_the_phone_position() -> None:
    pnr = one_pnr("ADD++702:351 LANDSDOWN ROAD:SLOUGH:BERKSHIRE::GB::SL1AA")
    assert pnr.addresses[0].postcode == "SL1AA"
    assert pnr.phones == []
    assert any("postcode" in w.message for w in pnr.warnings)


def test_org_booking_agency() -> None:
    pnr = one_pnr("ORG+1A:MUC+32393340:SINSQ08AA+NCE+SQ:NCE+A+SG:SGD+ELPD")
    agency = pnr.agency
    assert agency is not None
    assert (agency.system, agency.iata_number, agency.office, agency.location) == ("1A", "32393340", "SINSQ08AA",
                                                                                    "NCE")
    assert (agency.originator_type, agency.country, agency.currency, agency.agent) == ("A", "SG", "SGD", "ELPD")


# ----------------------------------------------------------------------------------------- tickets, payments


def test_ticket_fare_taxes_and_issue() -> None:
    pnr = one_pnr("TIF+DOE+JANE:A:1", "TKT+44029044029044:T:1", "MON+B:235.85:GBP+T:250.00:GBP",
                  "PTK+NR++150417:1010+DL+006+LON", "TXD++1.42:::AY6+2.12:::YQ+0.61:::YC", "DAT+710:110518")
    ticket = pnr.tickets[0]
    assert (ticket.number, ticket.type, ticket.coupons, ticket.traveller_ref) == ("44029044029044", "T", "1", "1")
    assert (ticket.base_fare, ticket.fare, ticket.currency, ticket.taxes) == ("235.85", "250.00", "GBP", "4.15")
    assert (ticket.issue_date, ticket.issuing_carrier, ticket.place_of_issue) == (date(2018, 5, 11), "DL", "LON")
    assert pnr.travellers[0].ticket_number == "44029044029044"


def test_tax_amounts_that_are_no_amounts_are_left_out_of_the_total() -> None:
    """``31e9999997`` is a decimal that overflowed the sum (and crashed the parser); NaN and infinity are none."""
    pnr = one_pnr("TIF+DOE+JANE:A:1", "TKT+44029044029044:T:1",
                  "TXD++1.42:::AY6+31e9999997:::YQ+NaN:::XX+-Infinity:::YY+2.50:::YC")
    assert pnr.tickets[0].taxes == "3.92"
    assert sum("left out of the total" in w.message for w in pnr.warnings) == 3


def test_card_number_is_masked_and_hashed_with_the_key() -> None:
    pnr = one_pnr("TIF+DOE+JANE:A:1", "TKT+1:T:1", "MON+T:800.00:GBP", "FOP+CC::800.00:VI:4111 1111 1111 1234:0318",
                  "IFT+4:43+JANE DOE+1 HIGH STREET LONDON+447700900123")
    payment = pnr.payments[0]
    assert (payment.type, payment.amount, payment.currency, payment.card_type) == ("CC", "800.00", "GBP", "VI")
    assert payment.card_last4 == "1234"
    assert payment.card_hash == hmac.new(KEY, b"4111111111111234", hashlib.sha256).hexdigest()
    assert (payment.card_expiry, payment.card_holder) == ("0318", "JANE DOE")
    assert payment.billing_address is not None and payment.billing_address.street == "1 HIGH STREET LONDON"
    assert "4111" not in str(to_jsonable(pnr)).replace(payment.card_hash, "")


def test_masked_card_number_gets_no_hash_and_cash_no_card() -> None:
    pnr = one_pnr("TIF+DOE+JANE:A:1", "FOP+CC:::VI:XXXXXXXX1186:0211+CA::250.00")
    card, cash = pnr.payments
    assert (card.card_last4, card.card_hash) == ("1186", None)
    assert (cash.type, cash.amount, cash.card_last4) == ("CA", "250.00", None)


# ------------------------------------------------------------------------------------------ itinerary, codeshare


def test_itinerary_leg_with_status_party_and_equipment() -> None:
    pnr = one_pnr("TIF+DOE+JANE:A:1", "TVL+270918:1420::2120+WDH+ADD+ET+834:B", "RPI+2+HK", "APD+777")
    leg = pnr.itinerary[0]
    assert (leg.carrier, leg.number, leg.origin, leg.destination, leg.booking_class) == ("ET", "834", "WDH", "ADD",
                                                                                          "B")
    assert (leg.departure, leg.arrival) == (datetime(2018, 9, 27, 14, 20), datetime(2018, 9, 27, 21, 20))
    assert (leg.status, leg.party_size, leg.equipment) == ("HK", 2, "777")


def test_codeshare_marketing_then_operating_tvl_as_in_the_guide() -> None:
    pnr = one_pnr("TVL+010410:2235:020410:1200+ATL+AMS+DL:KL+9362:K", "TVL+++++972:M")
    leg = pnr.itinerary[0]
    assert (leg.carrier, leg.number, leg.operating_carrier, leg.operating_number) == ("DL", "9362", "KL", "972")
    assert [(c.marketing_carrier, c.marketing_number, c.operating_carrier, c.operating_number)
            for c in pnr.codeshares] == [("DL", "9362", "KL", "972")]


def test_codeshare_without_numbers_is_not_swapped() -> None:
    """Neither the pushed flight nor the marketing TVL gives a number: nothing to read against (this crashed the
    compiled parser, whose tuple swap of a narrowed attribute refused the None)."""
    msg = read(message("SRC", "RCI+1A:2LS6KP", "TVL+270513:1430:270513:2205+SIN+ICN+KE:SQ", "TVL+++++303:Y",
                       header=("MSG+:22", "ORG+1A:MUC", "TVL+270513:1430:270513:2205+SIN+ICN+SQ", "EQN+1")))
    leg = msg.pnrs[0].itinerary[0]
    assert (leg.carrier, leg.number, leg.operating_carrier, leg.operating_number) == ("KE", None, "SQ", "303")


def test_codeshare_via_tra() -> None:
    pnr = one_pnr("TVL+121210:0915::1230+LHR+JFK+DL+324:B", "TRA+KL+8734:B")
    assert [(c.marketing_carrier, c.operating_carrier, c.operating_number) for c in pnr.codeshares] == [
        ("DL", "KL", "8734")]


def test_codeshare_swapped_numbers_are_read_against_the_pushed_flight() -> None:
    msg = read(message("SRC", "RCI+1A:2LS6KP", "TIF+PARK+SEJOONMR::1",
                       "TVL+270513:1430:270513:2205+SIN+ICN+KE:SQ+602:B", "RPI+1+HK", "TVL+++++303:Y", "DAT",
                       "TRI++SIN-1:::1", "TIF+PARK+SEJOONMR::1", "SSD+039G++++Y"))
    pnr = msg.pnrs[0]
    assert [(c.marketing_carrier, c.marketing_number, c.operating_carrier, c.operating_number)
            for c in pnr.codeshares] == [("KE", "303", "SQ", "602")]
    assert any("codeshare" in w.message for w in pnr.warnings)
    assert pnr.travellers[0].seat == "39G"  # the leg is still recognised as the pushed flight
    assert (pnr.seats[0].carrier, pnr.seats[0].flight_number) == ("SQ", "602")


def test_non_air_segment_is_a_remark_not_a_flight() -> None:
    pnr = one_pnr("TVL+121210:0915::1230+LHR+JFK+DL+324:B", "EQN+1", "RCI+DL:ABCDEF", "MSG+8",
                  "TVL+121210:1500:151210+YVR:VANCOUVER ARMS++VN+67576:ROH")
    assert len(pnr.itinerary) == 1
    assert pnr.remarks and "VANCOUVER ARMS" in pnr.remarks[0]


def test_seat_requests_per_traveller_and_leading_zeros() -> None:
    pnr = one_pnr("TIF+DOE+JANE:A:1", "TIF+ROE+RICH:A:2", f"{PRIME}:D",
                  "SSR+SEAT:HK:2:SQ:::SIN:ICN+015A::1+XXX::2", "SSR+NSST:HK:001:YY:::SFO:IAD:UA 0226 +074E::1")
    assert [(s.number, s.traveller_ref, s.origin, s.destination, s.source) for s in pnr.seats] == [
        ("15A", "1", "SIN", "ICN", "request"), ("74E", "1", "SFO", "IAD", "request")]
    assert (pnr.seats[1].carrier, pnr.seats[1].flight_number) == ("UA", "226")
    assert by_surname(pnr, "DOE").seat == "15A"
    assert by_surname(pnr, "ROE").seat is None


# -------------------------------------------------------------------------------------------------- check-in


def test_checkin_seat_bags_and_sequence_on_the_prime_flight() -> None:
    pnr = one_pnr("TIF+BELT:I+ISABELLE MRS:A:2:1", "TIF+BELT:I+SOPHY:IN:3", f"{PRIME}:D", "RPI+1+HK",
                  "DAT", "ORG+SQ++++A", "TRI++SIN-168:::2", "TIF+BELT:I+ISABELLE MRS:A:2", "SSD+011D++++J",
                  "TBD++3:33:700++HP:SIN-168+618:0123456789:2:ICN+618:0123456791:1:ICN",
                  "DAT", "TRI++SIN-169:::3", "TIF+BELT:I+SOPHY:IN:3", "SSD+011D++++J")
    adult, infant = pnr.travellers
    assert len(pnr.travellers) == 2  # check-in TIFs name the travellers, they do not add new ones
    assert (adult.seat, adult.check_in_sequence, adult.bag_count, adult.bag_weight_kg) == ("11D", "SIN-168", 3, 33.0)
    assert adult.bag_tags == ["0123456789", "0123456790", "0123456791"]
    assert (infant.seat, infant.bag_count) == ("11D", None)
    seat = pnr.seats[0]
    assert (seat.number, seat.cabin, seat.source, seat.traveller_ref) == ("11D", "J", "checkin", "2")
    bag = pnr.bags[0]
    assert (bag.carrier, bag.destination, bag.pool, bag.excess) == ("618", "ICN", "HP:SIN-168", False)


def test_bags_on_another_leg_are_not_the_prime_flights() -> None:
    pnr = one_pnr("TIF+LOBB+MOLLYMRS:A:1", "TVL+270918:1420::2120+WDH+ADD+ET+834:B", "DAT+2:270918:1333",
                  "TRI++253:::253", "TIF+LOBB+MOLLYMRS:A:1", "SSD+XXX++++Y", "TBD++01:46:701+++ET:0847::FRA:006")
    traveller = pnr.travellers[0]
    assert traveller.bag_count is None and traveller.seat is None
    assert [(b.count, b.weight_kg, b.tags, b.destination) for b in pnr.bags] == [(1, 20.9, ["0847"], "FRA")]


def test_implausible_consecutive_tag_count_keeps_the_listed_tag() -> None:
    pnr = one_pnr("TIF+DOE+JANE:A:1", f"{PRIME}:D", "DAT", "TRI++1:::1", "TIF+DOE+JANE:A:1",
                  "TBD++1:20:700+++618:0123456787:722356:ICN")
    assert pnr.bags[0].tags == ["0123456787"]
    assert any("722356" in w.message for w in pnr.warnings)


def test_unknown_checked_in_traveller_is_added() -> None:
    pnr = one_pnr("TIF+DOE+JANE:A:1", f"{PRIME}:D", "DAT", "TRI++9:::9", "TIF+GHOST+CASPER:A:9", "SSD+012C++++Y")
    assert by_surname(pnr, "GHOST").seat == "12C"
    assert any("not among the PNR's travellers" in w.message for w in pnr.warnings)


def test_ebd_excess_bags() -> None:
    pnr = one_pnr("EBD+GBP:40.00+4::N", "TIF+DOE+JANE:A:1", "EBD+GBP:20.00+23:K:700")
    assert [(b.count, b.weight_kg, b.excess, b.traveller_ref) for b in pnr.bags] == [
        (4, None, True, None), (None, 23.0, True, "1")]


# --------------------------------------------------------------------------------------------------- history


def test_structured_history() -> None:
    pnr = one_pnr("TIF+DOE+JANE:A:1", "ABI+4++++TZ", "DAT+T:230513:1813", "SAC+++X", "IFT+4:19+XF MC 0 DOE JANE",
                  "SAC+++A", "TIF+DOE+JOHN:A:1")
    assert len(pnr.travellers) == 1  # a TIF inside history is history
    first, second = pnr.history
    assert (first.action, first.when, first.who, first.text) == ("X", datetime(2013, 5, 23, 18, 13), "TZ",
                                                                 "XF MC 0 DOE JANE")
    assert second.action == "A" and "DOE" in second.text


def test_lts_history_lines_are_kept_as_sent() -> None:
    pnr = one_pnr("TIF+DOE+JANE:A:1", "LTS+0/O/NM/DOE/JANE MS(ADT)", "LTS+14/A/7/RX SEAT X MEAL")
    assert [h.text for h in pnr.history] == ["0/O/NM/DOE/JANE MS(ADT)", "14/A/7/RX SEAT X MEAL"]


# ---------------------------------------------------------------------------------------------------- corpus

PNRGOV_CORPUS = corpus_files("pnrgov")


def corpus_message(corpus: Path, name: str) -> Message:
    result = parse((corpus / "pnrgov" / name).read_bytes(), card_key=KEY)
    assert not result.errors, result.errors
    assert len(result.messages) == 1
    return result.messages[0]


@pytest.mark.parametrize("name", PNRGOV_CORPUS)
def test_every_corpus_message_reads_with_a_flight_and_located_pnrs(corpus: Path, name: str) -> None:
    result = parse((corpus / name).read_bytes(), card_key=KEY)
    assert not result.errors, result.errors
    for msg in result.messages:
        assert msg.flights and msg.flights[0].number
        assert msg.pnrs
        for pnr in msg.pnrs:
            assert pnr.record_locator
            assert all(t.record_locator == pnr.record_locator for t in pnr.travellers)
            assert all(w.segment is not None for w in pnr.warnings)


def test_corpus_ig_appendix_b(corpus: Path) -> None:
    msg = corpus_message(corpus, "ig-appendix-b-example1-sq602.edi")
    assert msg.sender == "1A" and msg.originator is not None and msg.originator.location == "MUC"
    prime = msg.flights[0]
    assert (prime.carrier, prime.number, prime.origin, prime.destination) == ("SQ", "602", "SIN", "ICN")
    assert (prime.departure, prime.arrival) == (datetime(2013, 5, 27, 14, 30), datetime(2013, 5, 27, 22, 5))
    pnr, = msg.pnrs
    assert (pnr.record_locator, pnr.created, pnr.last_modified) == (
        "3PGZOV", datetime(2013, 3, 19, 13, 54), datetime(2013, 5, 27, 5, 59))
    adult, infant = pnr.travellers
    assert (adult.surname, adult.given_names, adult.role, adult.reference) == ("BELT", "ISABELLE", Role.PASSENGER, "2")
    assert [(f.carrier, f.number) for f in adult.frequent_flyers] == [("SQ", "8794285757")]
    assert (infant.given_names, infant.role, infant.reference) == ("SOPHY", Role.INFANT, "3")
    assert [(s.number, s.cabin) for s in pnr.seats if s.traveller_ref == "2"] == [("11D", "J")]
    assert (adult.seat, adult.bag_count, adult.bag_weight_kg) == ("11D", 3, 33.0)
    assert [(leg.booking_class, leg.status) for leg in pnr.itinerary] == [("D", "HK")]
    assert [s.code for s in pnr.ssrs] == ["DOCS", "DOCS", "INFT", "DOCS", "DOCS"]


def test_corpus_gtas_pnr_message_example(corpus: Path) -> None:
    pnr, = corpus_message(corpus, "gtas-pnrMessageExample.txt").pnrs
    assert pnr.record_locator == "7C789A"
    assert len(pnr.travellers) == 5
    assert "WDH" in [leg.origin for leg in pnr.itinerary]
    # GTAS counts 18: each traveller's TBD is sent once per leg the bags fly (WDH-ADD and ADD-FRA), 1+1+1+2+4 twice.
    assert sum(b.count or 0 for b in pnr.bags) == 18
    assert len({tag for b in pnr.bags for tag in b.tags}) == 8  # physical tags (0853 is sent for two travellers)
    assert "Y" in {s.cabin for s in pnr.seats if s.source == "checkin"}


def test_corpus_gtas_pnr_edge_email(corpus: Path) -> None:
    pnr, = corpus_message(corpus, "gtas-pnrEdge.txt").pnrs
    assert pnr.emails[0].address == "MOLLY_LOUUNT+50BB@GMAIL.COM"


def test_corpus_gtas_seat_formats(corpus: Path) -> None:
    pnr, = corpus_message(corpus, "gtas-pnrSeatFormats.txt").pnrs
    assert len(pnr.seats) == 2
    assert ("74E", "SFO", "IAD", "1") in [(s.number, s.origin, s.destination, s.traveller_ref) for s in pnr.seats]


def test_corpus_gtas_doco(corpus: Path) -> None:
    pnr, = corpus_message(corpus, "gtas-pnrWithDoco.txt").pnrs
    visa = pnr.travellers[0].documents[1]
    assert (visa.number, visa.type, visa.place_of_issue, visa.issue_date, visa.expiry) == (
        "8675309", "V", "OTHER PLACE", date(2006, 12, 22), None)


def test_corpus_gtas_page_77(corpus: Path) -> None:
    msg = corpus_message(corpus, "gtas-pnrMessagePg77.txt")
    prime = msg.flights[0]
    assert (prime.carrier, prime.number, prime.origin, prime.destination) == ("TZ", "6", "SIN", "OOL")
    pnr, = msg.pnrs
    assert (pnr.record_locator, pnr.created) == ("W9TEND", datetime(2013, 5, 23, 18, 13, 48))
    assert pnr.travellers[0].reference == "43576"
    assert [h.action for h in pnr.history] == ["X", "X", "X", "A", "A", "A"]


def test_corpus_127_pnrs(corpus: Path) -> None:
    msg = corpus_message(corpus, "gtas-pnrWithBags-127pnr.txt")
    assert len(msg.pnrs) == 127
    assert sum(len(p.travellers) for p in msg.pnrs) == 268
    assert all(t.documents for p in msg.pnrs for t in p.travellers)


def test_corpus_ba3401(corpus: Path) -> None:
    msg = corpus_message(corpus, "ba3401-2pnr-bad-unt.edi")
    prime = msg.flights[0]
    assert (prime.carrier, prime.number, prime.origin, prime.destination) == ("BA", "3401", "DXB", "LHR")
    assert [p.record_locator for p in msg.pnrs] == ["ONE", "TWO"]
    assert [d.number for p in msg.pnrs for t in p.travellers for d in t.documents] == ["XX8898996", "EB8091899"]


def test_corpus_codeshare(corpus: Path) -> None:
    msg = corpus_message(corpus, "gtas-codeshare-broken-una.edi")
    prime = msg.flights[0]
    assert (prime.carrier, prime.number, prime.origin, prime.destination) == ("SQ", "609", "ICN", "SIN")
    assert [p.record_locator for p in msg.pnrs] == ["2LS6KP", "X49V9U"]
    assert ("KE", "SQ", "609") in [(c.marketing_carrier, c.operating_carrier, c.operating_number)
                                   for p in msg.pnrs for c in p.codeshares]
    assert msg.pnrs[0].other_locators == [("KE", "EDP2RW")]


def test_corpus_infant_typographic_terminator(corpus: Path) -> None:
    pnr, = corpus_message(corpus, "gtas-infant-typographic-terminator.edi").pnrs
    assert pnr.record_locator == "3PGZOV"
    infant = next(t for t in pnr.travellers if t.role is Role.INFANT)
    assert (infant.given_names, infant.date_of_birth) == ("SOPHY", date(2012, 9, 20))


def test_corpus_two_pnrs_basic(corpus: Path) -> None:
    msg = corpus_message(corpus, "gtas-2_pnrs_basic.edi")
    assert len(msg.pnrs) == 2
    assert sum(len(p.travellers) for p in msg.pnrs) == 4


@pytest.mark.parametrize(("name", "locator", "flight"), [
    ("gtas-pnr1.txt", "MFN4TI", ("DL", "324", "LHR", "JFK")),
    ("gtas-pnr3.txt", "52865E", ("UA", "988", "FRA", "IAD")),
])
def test_corpus_gtas_pnr1_and_pnr3(corpus: Path, name: str, locator: str, flight: tuple[str, ...]) -> None:
    msg = corpus_message(corpus, name)
    prime = msg.flights[0]
    assert (prime.carrier, prime.number, prime.origin, prime.destination) == flight
    assert msg.pnrs[0].record_locator == locator
