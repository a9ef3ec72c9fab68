"""PNRGOV XML (IATA PADIS XML, root ``IATA_PNRGOV_NotifRQ``) into the same records as the EDIFACT parsers.

Accepted shapes: the root in the IATA namespace ``http://www.iata.org/IATA/2007/00``, the root without a
namespace, and fragments (PNR elements under some other root, a bare ``PNR`` root, or several top-level
elements, which are wrapped). Tags and attribute names are matched by local name, attribute names without
regard to case (``ISOCOuntry`` = ``ISOCountry``).

Choices:

* ``Message.version`` is ``"XML"``, or ``"XML <Version>"`` (e.g. ``"XML 16.1"``) when the root says it.
* Time stamps are ``xs:dateTime`` or ``2019-05-02 15:59:30+00:00``; the clock time is kept as written and a
  UTC offset is dropped (records hold naive airport-local times; one warning per document says so).
* ``-`` and empty attributes count as absent; a Python list repr such as ``['PYF']`` is read as ``PYF``;
  generator placeholders (``SYSTEMCODE``, ``PTC_CODE``, ``TICKET_TYPE`` …) are kept as sent.
* Payment card numbers are replaced by their last four digits and a keyed hash (``values.mask_card``).
* Itinerary legs: carrier = ``MarketingAirline/@Code``, number = ``Flight/@FlightNumber``; the operating
  carrier/number is set (and a :class:`Codeshare` added) only when ``OperatingAirline`` differs.
* ``Ssr.segment_ref`` is ``"<BoardPoint>-<OffPoint>"`` for SSRs that name their board and off points.

Not mapped (no record field): ``FlightLeg/@DateChangeNbr``, ``PNR/@LastTktDate`` (ticketing time limit),
``BookingRefID/CompanyName/@TravelSector``, ``FareInfo`` (fare basis, discounts), ``PricingInfo`` indicators,
``Tax`` breakdown (only the total is kept), ``PaymentInfo/@PaymentUse``, ``TicketDocument/@PrimaryDocInd``,
``CheckInInfo/@Time``, ``DOC_SSR/@ServiceQuantity``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from xml.etree.ElementTree import Element

from gtas.numbers import COUNT_DIGITS, whole_number
from gtas.parsers import values
from gtas.parsers import xmltree as xml
from gtas.parsers.records import (
    Address,
    Agency,
    Bag,
    Codeshare,
    Diagnostic,
    Document,
    Email,
    FlightLeg,
    FrequentFlyer,
    Message,
    ParsedFile,
    Payment,
    Phone,
    Pnr,
    ReportingParty,
    Role,
    Seat,
    Ssr,
    Ticket,
    Traveller,
)

__all__ = ["NAMESPACE", "ROOT", "parse"]

NAMESPACE = "http://www.iata.org/IATA/2007/00"
ROOT = "IATA_PNRGOV_NotifRQ"

_INFANT_TYPES = frozenset({"IN", "INF", "INS"})
_ADDRESS_KINDS = {"R": "residence", "D": "destination"}
_CONTACT_PREFIX = re.compile(r"^(?:E|CTCE)[+/ ]+(?=\S+@)")  # "E+NAME@HOST" as sent in PhoneNumber
_UPI = re.compile(r"[0-9A-F]{16}")
_WEIGHT_UNITS = {"K": 1.0, "KG": 1.0, "KGS": 1.0, "L": 0.45359237, "LB": 0.45359237, "LBS": 0.45359237}
_PIECE_UNITS = frozenset({"N", "PC", "PCS", "P"})


# ---------------------------------------------------------------------------------------------------------
# The reader: one document into one Message


@dataclass
class _Reader:
    """Maps one parsed document onto records; collects warnings with element positions."""

    tree: xml.Tree
    card_key: bytes
    sink: list[Diagnostic] = field(default_factory=list)
    offset_dropped: bool = False
    prime: FlightLeg | None = None

    # --- diagnostics ------------------------------------------------------------------------------------

    def diagnostic(self, message: str, element: Element | None, name: str | None = None) -> Diagnostic:
        """Warning at the element's position, tagged ``Element`` or ``Element@attribute``."""
        line = column = None
        tag = None
        if element is not None:
            line, column = self.tree.where(*self.tree.positions.get(element, (None, None)))
            tag = xml.local(element.tag) + (f"@{name}" if name else "")
        return Diagnostic(message, line=line, column=column, tag=tag)

    def warn(self, message: str, element: Element | None, name: str | None = None) -> None:
        """Record a warning in the current sink (the PNR being read, or the message)."""
        self.sink.append(self.diagnostic(message, element, name))

    # --- values with warnings ---------------------------------------------------------------------------

    def timestamp(self, element: Element | None, name: str) -> datetime | None:
        """Date-time attribute; a bad value is a warning and gives None."""
        raw = xml.attr(element, name)
        if raw is None:
            return None
        stamp, offset = xml.iso_datetime(raw)
        if stamp is None:
            self.warn(f"{name} {raw!r} is not a date-time; ignored", element, name)
        self.offset_dropped |= offset
        return stamp

    def day(self, element: Element | None, name: str) -> date | None:
        """Date attribute; a bad value is a warning and gives None."""
        raw = xml.attr(element, name)
        if raw is None:
            return None
        result = xml.iso_date(raw)
        if result is None:
            self.warn(f"{name} {raw!r} is not a date; ignored", element, name)
        return result

    def count(self, element: Element | None, name: str) -> int | None:
        """Non-negative integer attribute; anything else is a warning and gives None."""
        raw = xml.attr(element, name)
        if raw is None:
            return None
        number = whole_number(raw, COUNT_DIGITS)
        if number is None:
            self.warn(f"{name} {raw!r} is not a count; ignored", element, name)
        return number

    def amount(self, element: Element | None, name: str) -> str | None:
        """Decimal amount attribute as normalised text; a bad value is a warning and gives None."""
        raw = xml.attr(element, name)
        if raw is None:
            return None
        number = xml.decimal(raw)
        if number is None:
            self.warn(f"{name} {raw!r} is not an amount; ignored", element, name)
            return None
        return str(number)

    def airport(self, element: Element | None) -> str | None:
        """``LocationCode`` of an airport element; a non-IATA code is kept as sent, with a warning."""
        raw = xml.attr(element, "LocationCode")
        if raw is None:
            return None
        code = values.airport(raw)
        if code is None:
            self.warn(f"LocationCode {raw!r} is not an IATA airport code; kept as sent", element, "LocationCode")
            return raw
        return code

    # --- message ----------------------------------------------------------------------------------------

    def message(self, container: Element | None, pnr_elements: list[Element]) -> Message:
        """The Message: header from the container (root), then every PNR."""
        message = Message(type="PNRGOV", version="XML")
        self.sink = message.warnings
        if container is not None:
            self.header(container, message)
        for index, element in enumerate(pnr_elements):
            message.pnrs.append(self.pnr_safely(element, index))
        self.sink = message.warnings
        self.check_counts(container, message)
        if self.offset_dropped:
            message.warnings.append(Diagnostic(
                "time stamps carry a UTC offset; the clock time is kept as written and the offset dropped"))
        return message

    def header(self, container: Element, message: Message) -> None:
        """Root attributes, ``Originator`` and the pushed flight (``FlightLeg``)."""
        version = xml.attr(container, "Version")
        message.version = f"XML {version}" if version else "XML"
        message.prepared = self.timestamp(container, "TimeStamp")
        message.reference = xml.attr(container, "TransactionIdentifier", "EchoToken")
        originator = xml.child(container, "Originator")
        if originator is not None:
            message.sender = xml.attr(originator, "AirlineCode")
            system = xml.attr(originator, "SystemCode")
            message.originator = Agency(system=system, name=message.sender) if system or message.sender else None
            contact = xml.attr(originator, "AirlineContactInfo")
            if contact:
                message.reporting_party = ReportingParty(name=contact, id=message.sender)
        leg = xml.child(container, "FlightLeg")
        if leg is not None:
            self.prime = self.prime_flight(leg)
            message.flights.append(self.prime)
        pnrs = xml.child(container, "PNRs")
        message.declared_pnrs = self.count(pnrs, "NumberOfPnrs")

    def prime_flight(self, element: Element) -> FlightLeg:
        """The flight this push is for."""
        carrier = xml.attr(element, "CarrierCode", "AirlineCode")
        number_text = xml.attr(element, "FlightNumber")
        if number_text:
            carrier, number, suffix = values.flight_number(number_text, carrier)
            if number is None:
                self.warn(f"FlightNumber {number_text!r} is not a flight number", element, "FlightNumber")
        else:
            number = suffix = None
        return FlightLeg(
            carrier=carrier, number=number, suffix=suffix,
            origin=self.airport(xml.child(element, "DepartureAirport")),
            destination=self.airport(xml.child(element, "ArrivalAirport")),
            departure=self.timestamp(element, "DepartureDateTime"),
            arrival=self.timestamp(element, "ArrivalDateTime"),
        )

    def check_counts(self, container: Element | None, message: Message) -> None:
        """Warn when the declared PNR count disagrees, or a record locator repeats."""
        if message.declared_pnrs is not None and message.declared_pnrs != len(message.pnrs):
            self.warn(f"NumberOfPnrs says {message.declared_pnrs}, {len(message.pnrs)} PNR elements read",
                      xml.child(container, "PNRs"), "NumberOfPnrs")
        seen: dict[str, int] = {}
        for pnr in message.pnrs:
            if pnr.record_locator:
                seen[pnr.record_locator] = seen.get(pnr.record_locator, 0) + 1
        for locator, times in seen.items():
            if times > 1:
                message.warnings.append(Diagnostic(f"record locator {locator} appears in {times} PNRs"))

    # --- PNR --------------------------------------------------------------------------------------------

    def pnr_safely(self, element: Element, index: int) -> Pnr:
        """Read one PNR; an unexpected failure becomes an error warning on that PNR, not an exception."""
        pnr = Pnr(first_segment=index)
        self.sink = pnr.warnings
        try:
            self.pnr(element, pnr)
        except Exception as exc:  # never raise on bad input; the type only (values may be personal data)
            diagnostic = self.diagnostic(f"PNR {index + 1} could not be read completely ({type(exc).__name__})",
                                         element)
            pnr.warnings.append(Diagnostic(diagnostic.message, line=diagnostic.line, column=diagnostic.column,
                                           tag=diagnostic.tag, severity="error"))
        return pnr

    def pnr(self, element: Element, pnr: Pnr) -> None:
        """Fill one Pnr from a ``PNR`` element."""
        self.booking_refs(element, pnr)
        pnr.created = self.timestamp(element, "PNR_CreationDate")
        pnr.last_modified = self.timestamp(element, "PNR_TransDate")
        pnr.passenger_count = self.count(element, "NumberOfPassengers")
        pnr.agency = self.agency(xml.child(element, "POS"))
        for contact in xml.children(element, "ContactInfo"):
            self.contact(contact, pnr, None)
        for bag in xml.children(element, "PrepaidBag"):
            pnr.bags.append(self.bag(bag, None, excess=False))
        for ssr in xml.children(element, "SSR"):
            pnr.ssrs.append(self.ssr(ssr, None))
        for name in ("Remark", "Remarks", "OSI", "OtherServiceInfo"):
            pnr.remarks.extend(text for text in (values.clean(r.text) for r in xml.children(element, name)) if text)
        for passenger in xml.children(element, "Passenger"):
            pnr.travellers.append(self.traveller(passenger, pnr))
        for flight in xml.children(element, "Flight"):
            pnr.itinerary.append(self.flight(flight, pnr))
        for traveller in pnr.travellers:
            traveller.record_locator = pnr.record_locator
        issued = [ticket.issue_date for ticket in pnr.tickets if ticket.issue_date]
        pnr.ticketed = min(issued) if issued else None
        if pnr.record_locator is None:
            self.warn("PNR without BookingRefID/@ID (record locator)", element)
        if pnr.passenger_count is not None and pnr.passenger_count != len(pnr.travellers):
            self.warn(f"NumberOfPassengers says {pnr.passenger_count}, {len(pnr.travellers)} Passenger "
                      "elements read", element, "NumberOfPassengers")

    def booking_refs(self, element: Element, pnr: Pnr) -> None:
        """First ``BookingRefID`` is the record locator; the others (``Type="O"`` …) are other locators."""
        for ref in xml.children(element, "BookingRefID"):
            locator = xml.attr(ref, "ID")
            if locator is None:
                self.warn("BookingRefID without ID", ref, "ID")
                continue
            owner = xml.attr(xml.child(ref, "CompanyName"), "Code")
            if pnr.record_locator is None:
                pnr.record_locator, pnr.carrier = locator, owner
            else:
                pnr.other_locators.append((owner, locator))

    def agency(self, pos: Element | None) -> Agency | None:
        """``POS/Source`` (+ ``RequestorID``): the booking office and agent."""
        source = xml.child(pos, "Source")
        if source is None:
            return None
        requestor = xml.child(source, "RequestorID")
        company = xml.child(requestor, "CompanyName")
        company_text = values.clean(company.text) if company is not None else None
        return Agency(
            name=xml.attr(company, "CompanyShortName", "Code") or company_text,
            iata_number=xml.attr(requestor, "ID") or xml.attr(source, "ISOAgencyNumber", "AgencyNumber"),
            office=xml.attr(source, "PseudoCityCode"),
            location=xml.attr(source, "AirportCode"),
            country=xml.attr(source, "ISOCountry"),
            agent=xml.attr(source, "AgentSine", "AgentDutyCode"),
            system=xml.attr(source, "AirlineVendorID"),
            originator_type=xml.attr(requestor, "Type"),
            currency=xml.attr(source, "ISOCurrency"),
        )

    # --- contacts and addresses -------------------------------------------------------------------------

    def contact(self, element: Element, pnr: Pnr, traveller: Traveller | None) -> None:
        """``ContactInfo``: phones, e-mails (also e-mails sent as ``PhoneNumber="E+…"``) and an address."""
        ref = traveller.reference if traveller else None
        kind = xml.attr(element, "PhoneUseType", "PhoneTechType", "Type")
        emails = [
            xml.attr(element, "EmailAddress", "Email"), xml.text(element, "Email"), xml.text(element, "EmailAddress")
        ]
        for name in ("PhoneNumber", "Telephone", "Phone", "MobileNumber"):
            value = xml.field(element, name)
            if value and "@" in value:
                emails.append(value)
            elif value:
                phone = Phone(number=value, kind=kind, traveller_ref=ref)
                pnr.phones.append(phone)
                if traveller:
                    traveller.phones.append(phone)
        for raw in emails:
            if raw:
                email = Email(address=_CONTACT_PREFIX.sub("", raw), traveller_ref=ref)
                pnr.emails.append(email)
                if traveller:
                    traveller.emails.append(email)
        nested = xml.child(element, "Address")
        address = self.address(element if nested is None else nested, "contact", ref)
        if address is not None:
            pnr.addresses.append(address)

    def address(self, element: Element | None, kind: str | None, ref: str | None) -> Address | None:
        """An address from attributes or child elements; None when it has no part at all."""
        if element is None:
            return None
        street = xml.lines(xml.raw(element, "Address")) if xml.attr(element, "Address") else None
        address = Address(
            street=street or xml.field(element, "StreetNmbr", "AddressLine", "Street"),
            city=xml.field(element, "CityName", "City"),
            region=xml.field(element, "StateProvCounty", "StateProv", "County"),
            postcode=xml.field(element, "PostalCode"),
            country=xml.field(element, "CountryCode", "Country", "CountryName"),
            kind=kind,
            traveller_ref=ref,
        )
        parts = (address.street, address.city, address.region, address.postcode, address.country)
        return address if any(parts) else None

    # --- travellers -------------------------------------------------------------------------------------

    def traveller(self, element: Element, pnr: Pnr) -> Traveller:
        """A ``Passenger`` with names, documents, contacts, tickets, payments, loyalty, bags and SSRs."""
        surname_ref = xml.attr(element, "SurnameRefNumber")
        traveller = Traveller(
            surname=xml.text(element, "Surname"),
            given_names=xml.text(element, "GivenName"),
            title=xml.text(element, "NameTitle") or xml.text(element, "NamePrefix"),
            reference=xml.attr(element, "RPH") or surname_ref,
            unique_reference=surname_ref if surname_ref and _UPI.fullmatch(surname_ref) else None,
            boarding_status=xml.attr(element, "BoardingStatus"),
            with_infant=xml.flag(xml.attr(element, "AccompaniedByInfantInd")),
            passenger_type=xml.attr(element, "PassengerTypeCode", "PTC", "PTC_Code")
            or xml.attr(xml.child(element, "FareInfo"), "PTC_Code", "PassengerTypeCode"),
        )
        if traveller.passenger_type and traveller.passenger_type.upper() in _INFANT_TYPES:
            traveller.role = Role.INFANT
        ref = traveller.reference
        for loyalty in xml.children(element, "CustLoyalty"):
            self.loyalty(loyalty, traveller)
        for contact in xml.children(element, "ContactInfo"):
            self.contact(contact, pnr, traveller)
        for doc_ssr in xml.children(element, "DOC_SSR"):
            self.doc_ssr(doc_ssr, traveller, pnr)
        for ssr in xml.children(element, "SSR"):
            pnr.ssrs.append(self.ssr(ssr, ref))
        for name, excess in (("ExcessBaggage", True), ("PrepaidBag", False), ("BagTags", False)):
            for bag in xml.children(element, name):
                pnr.bags.append(self.bag(bag, ref, excess=excess))
        for document in xml.children(element, "TicketDocument"):
            self.ticket_document(document, traveller, pnr)
        if not traveller.surname and not traveller.given_names:
            self.warn("Passenger without GivenName or Surname", element)
        return traveller

    def loyalty(self, element: Element, traveller: Traveller) -> None:
        """``CustLoyalty`` → frequent flyer (programme, membership number, tier)."""
        number = xml.attr(element, "MembershipID")
        if number is None:
            self.warn("CustLoyalty without MembershipID", element, "MembershipID")
            return
        traveller.frequent_flyers.append(FrequentFlyer(
            carrier=xml.attr(element, "ProgramID"), number=number, tier=xml.attr(element, "LoyalLevel")))

    def doc_ssr(self, element: Element, traveller: Traveller, pnr: Pnr) -> None:
        """``DOC_SSR`` with its ``DOCS`` / ``DOCA`` / ``DOCO`` child; also kept as an Ssr."""
        code = xml.attr(element, "SSR_Code")
        pnr.ssrs.append(Ssr(
            code=code or "DOC", status=xml.attr(element, "Status"),
            carrier=xml.attr(xml.child(element, "FlightInfo"), "Code"), traveller_ref=traveller.reference))
        for child in element:
            name = xml.local(child.tag) if isinstance(child.tag, str) else ""
            if name == "DOCS":
                self.docs(child, traveller)
            elif name == "DOCA":
                self.doca(child, traveller, pnr)
            elif name == "DOCO":
                self.doco(child, traveller)

    def docs(self, element: Element, traveller: Traveller) -> None:
        """``DOCS``: date of birth, gender, nationality, names and the travel document."""
        birth = self.day(element, "DateOfBirth")
        reference = self.prime.departure.date() if self.prime and self.prime.departure else None
        if birth is not None and not values.plausible_birth(birth, reference):
            self.warn(f"DateOfBirth {birth.isoformat()} is not plausible; ignored", element, "DateOfBirth")
            birth = None
        traveller.date_of_birth = traveller.date_of_birth or birth
        self.docs_gender(element, traveller)
        nationality = xml.attr(element, "PaxNationality", "Nationality")
        traveller.nationality = traveller.nationality or nationality
        traveller.surname = traveller.surname or xml.attr(element, "Surname")
        given = " ".join(n for n in (xml.attr(element, "FirstGivenName"), xml.attr(element, "SecondGivenName")) if n)
        traveller.given_names = traveller.given_names or given or None
        document = Document(
            type=xml.attr(element, "DocType", "DocumentType"),
            number=xml.attr(element, "DocID", "DocumentNumber", "DocNumber"),
            issuing_country=xml.attr(element, "DocIssueCountry", "IssuingLoc", "IssueCountry"),
            expiry=self.day(element, "ExpiryDate"),
            nationality=nationality,
            source="DOCS",
        )
        if document.number or document.type or document.expiry or document.issuing_country:
            traveller.documents.append(document)

    def docs_gender(self, element: Element, traveller: Traveller) -> None:
        """``DOCS/@Gender``: M, F, U, X; MI/FI mean an infant."""
        raw = xml.attr(element, "Gender")
        if raw is None:
            return
        gender = values.gender(raw)
        if gender is None:
            self.warn(f"Gender {raw!r} is not M, F, U, X, MI or FI; ignored", element, "Gender")
            return
        traveller.gender = traveller.gender or gender
        if raw.strip().upper() in ("MI", "FI"):
            traveller.role = Role.INFANT

    def doca(self, element: Element, traveller: Traveller, pnr: Pnr) -> None:
        """``DOCA``: residence (R) or destination (D) address of the traveller."""
        code = xml.attr(element, "AddressType")
        kind = _ADDRESS_KINDS.get(code.upper(), code) if code else None
        address = self.address(element, kind, traveller.reference)
        if address is None:
            return
        pnr.addresses.append(address)
        if traveller.address is None or (kind == "residence" and traveller.address.kind != "residence"):
            traveller.address = address

    def doco(self, element: Element, traveller: Traveller) -> None:
        """``DOCO``: place of birth and the other document (visa …)."""
        traveller.birth_place = traveller.birth_place or xml.attr(element, "BirthLocation", "BirthPlace")
        document = Document(
            type=xml.attr(element, "TravelDocType", "DocType"),
            number=xml.attr(element, "TravelDocNbr", "DocID"),
            issuing_country=xml.attr(element, "CountryState", "DocIssueCountry"),
            place_of_issue=xml.attr(element, "PlaceOfIssue"),
            issue_date=self.day(element, "DateOfIssue"),
            expiry=self.day(element, "ExpiryDate"),
            source="DOCO",
        )
        if document.number or document.type:
            traveller.documents.append(document)

    # --- tickets and payments ---------------------------------------------------------------------------

    def ticket_document(self, element: Element, traveller: Traveller, pnr: Pnr) -> None:
        """``TicketDocument`` → Ticket (fare, taxes total) and its ``PaymentInfo`` → Payment."""
        ticket = self.ticket(element, traveller.reference)
        if ticket is not None:
            pnr.tickets.append(ticket)
            traveller.ticket_number = traveller.ticket_number or ticket.number
        for payment in xml.children(element, "PaymentInfo"):
            pnr.payments.append(self.payment(payment, ticket, traveller.reference))

    def ticket(self, element: Element, ref: str | None) -> Ticket | None:
        """One ticket; None (with a warning) when it has no number."""
        number = xml.attr(element, "TicketDocumentNbr", "TicketNumber")
        if number is None:
            self.warn("TicketDocument without TicketDocumentNbr", element, "TicketDocumentNbr")
            return None
        total = xml.child(element, "TotalFare")
        coupons = xml.children(element, "CouponInfo")
        return Ticket(
            number=number,
            type=xml.attr(element, "Type"),
            coupons=str(len(coupons)) if coupons else None,
            issue_date=self.day(element, "DateOfIssue"),
            issuing_carrier=xml.attr(element, "IssuingAirline", "ValidatingAirline"),
            place_of_issue=xml.attr(element, "TicketLocation"),
            fare=self.amount(total, "Amount"),
            currency=xml.attr(total, "CurrencyCode"),
            base_fare=self.amount(xml.child(element, "BaseFare"), "Amount"),
            taxes=self.taxes(xml.child(element, "Taxes")),
            traveller_ref=ref,
        )

    def taxes(self, element: Element | None) -> str | None:
        """Sum of the ``Tax/@Amount`` values, or None without any."""
        amounts = [self.amount(tax, "Amount") for tax in xml.children(element, "Tax")]
        present = [Decimal(a) for a in amounts if a is not None]
        return str(sum(present, Decimal(0))) if present else None

    def payment(self, element: Element, ticket: Ticket | None, ref: str | None) -> Payment:
        """``PaymentInfo`` with the card number masked (last four digits and keyed hash only)."""
        account = xml.raw(element, "AccountNbr") or ""
        last4, digest = values.mask_card(account, self.card_key) if account.strip() else (None, None)
        if account.strip() and last4 is None:
            self.warn("PaymentInfo/@AccountNbr is too short to be a card number; dropped", element, "AccountNbr")
        kind = xml.attr(element, "PaymentType") or ("CC" if account.strip() else "unknown")
        amount = self.amount(element, "PaymentAmount")
        currency = xml.attr(element, "CurrencyCode") or (ticket.currency if ticket and amount else None)
        return Payment(
            type=kind, amount=amount, currency=currency,
            card_type=xml.attr(element, "VendorCode", "CardCode"),
            card_last4=last4, card_hash=digest,
            card_expiry=xml.attr(element, "ExpiryDate", "ExpireDate"),
            card_holder=xml.attr(element, "CardHolderName"),
            billing_address=self.address(xml.first(element, "Address", "BillingAddress"), "billing", ref),
            traveller_ref=ref,
        )

    # --- bags and SSRs ----------------------------------------------------------------------------------

    def bag(self, element: Element, ref: str | None, *, excess: bool) -> Bag:
        """``ExcessBaggage`` / ``PrepaidBag`` / ``BagTags``: tag, count, weight, issuing airline, pool."""
        bag = Bag(
            traveller_ref=xml.attr(element, "RPH") or ref,
            count=self.count(element, "SequenceCount"),
            carrier=xml.attr(element, "IssuerCode", "CarrierCode"),
            pool=xml.attr(element, "BaggagePool"),
            destination=xml.attr(element, "ArrivalAirport", "Destination"),
            excess=excess,
        )
        tag = xml.attr(element, "SerialNumber", "TagNumber")
        bag.tags.extend([tag] if tag else [])
        quantity = xml.attr(element, "UnitOfMeasureQuantity", "Quantity")
        unit = (xml.attr(element, "UnitOfMeasureCode", "UnitOfMeasure") or "").upper()
        number = xml.decimal(quantity) if quantity else None
        if quantity and number is None:
            self.warn(f"UnitOfMeasureQuantity {quantity!r} is not a number; ignored", element,
                      "UnitOfMeasureQuantity")
        elif number is not None and unit in _WEIGHT_UNITS:
            bag.weight_kg = round(float(number) * _WEIGHT_UNITS[unit], 1)
        elif number is not None and unit in _PIECE_UNITS and bag.count is None:
            bag.count = int(number)
        return bag

    def ssr(self, element: Element, ref: str | None) -> Ssr:
        """An ``SSR`` element kept whole: code, text, status, airline, traveller and board/off points."""
        board, off = xml.attr(element, "BoardPoint"), xml.attr(element, "OffPoint")
        code = xml.attr(element, "SSR_Code", "Code")
        if code is None:
            self.warn("SSR without SSR_Code", element, "SSR_Code")
        return Ssr(
            code=code or "",
            text=xml.text(element, "TEXT") or xml.text(element, "Text"),
            status=xml.attr(element, "Status"),
            carrier=xml.attr(xml.child(element, "Airline"), "Code"),
            traveller_ref=xml.attr(element, "RPH") or ref,
            segment_ref=f"{board}-{off}" if board and off else None,
        )

    # --- itinerary and check-in -------------------------------------------------------------------------

    def flight(self, element: Element, pnr: Pnr) -> FlightLeg:
        """A ``Flight`` of the itinerary; codeshare when the operating airline/number differs."""
        marketing, operating = xml.child(element, "MarketingAirline"), xml.child(element, "OperatingAirline")
        carrier = xml.attr(marketing, "Code") or xml.attr(operating, "Code")
        number_text = xml.attr(marketing, "FlightNumber") or xml.attr(element, "FlightNumber")
        number = suffix = None
        if number_text:
            carrier, number, suffix = values.flight_number(number_text, carrier)
        leg = FlightLeg(
            carrier=carrier, number=number, suffix=suffix,
            origin=self.airport(xml.child(element, "DepartureAirport")),
            destination=self.airport(xml.child(element, "ArrivalAirport")),
            departure=self.timestamp(element, "DepartureDateTime"),
            arrival=self.timestamp(element, "ArrivalDateTime"),
            booking_class=xml.attr(element, "ResBookDesigCode"),
            status=xml.attr(element, "Status"),
            party_size=self.count(element, "NumberInParty"),
            equipment=xml.attr(xml.child(element, "Equipment"), "AirEquipType"),
        )
        self.operating(operating, leg, pnr)
        for ssr in xml.children(element, "SSR"):
            pnr.ssrs.append(self.ssr(ssr, None))
        for check_in in xml.children(element, "CheckInInfo"):
            for boarding in xml.children(check_in, "BoardingNumber"):
                self.boarding(boarding, leg, pnr)
        return leg

    def operating(self, element: Element | None, leg: FlightLeg, pnr: Pnr) -> None:
        """Set the operating carrier/number (and a Codeshare) when they differ from the marketing ones."""
        code = xml.attr(element, "Code")
        if code is None:
            return
        number_text = xml.attr(element, "FlightNumber")
        number = values.flight_number(number_text, code)[1] if number_text else None
        if code == leg.carrier and (number is None or number == leg.number):
            return
        leg.operating_carrier, leg.operating_number = code, number
        pnr.codeshares.append(Codeshare(leg.carrier, leg.number, code, number))

    def boarding(self, element: Element, leg: FlightLeg, pnr: Pnr) -> None:
        """``BoardingNumber``: check-in sequence, seat and bag tags of one traveller on one leg."""
        traveller = self.find_traveller(element, pnr)
        ref = xml.attr(element, "RPH") or (traveller.reference if traveller else None)
        seat_element = xml.child(element, "SeatNumber")
        text = values.clean(seat_element.text) if seat_element is not None else None
        number = values.seat(text) if text else None
        if number:
            pnr.seats.append(Seat(
                number=number, traveller_ref=ref, cabin=xml.attr(seat_element, "CabinClass"),
                origin=leg.origin, destination=leg.destination, carrier=leg.carrier,
                flight_number=leg.number, source="checkin"))
        bags = [self.bag(tag, ref, excess=False) for tag in xml.children(element, "BagTags")]
        pnr.bags.extend(bags)
        if traveller is None:
            self.warn("BoardingNumber does not match any Passenger of the PNR", element)
            return
        if self.is_prime(leg):
            traveller.seat = number or traveller.seat
            traveller.check_in_sequence = xml.attr(element, "Number") or traveller.check_in_sequence
            traveller.bag_tags.extend(tag for bag in bags for tag in bag.tags)

    def find_traveller(self, element: Element, pnr: Pnr) -> Traveller | None:
        """The traveller a check-in record belongs to: by RPH, else by surname and given name."""
        ref = xml.attr(element, "RPH")
        for traveller in pnr.travellers:
            if ref and traveller.reference == ref:
                return traveller
        person = xml.child(element, "Passenger")
        surname, given = xml.text(person, "Surname"), xml.text(person, "GivenName")
        for traveller in pnr.travellers:
            if surname and traveller.surname == surname and traveller.given_names == given:
                return traveller
        return None

    def is_prime(self, leg: FlightLeg) -> bool:
        """Whether an itinerary leg is the pushed flight (always true when the push names none)."""
        prime = self.prime
        if prime is None:
            return True
        same_route = (leg.origin, leg.destination) == (prime.origin, prime.destination)
        same_flight = {(leg.carrier, leg.number), (leg.operating_carrier, leg.operating_number)}
        return same_route and (prime.carrier, prime.number) in same_flight


# ---------------------------------------------------------------------------------------------------------
# Entry point


def _locate(tree: xml.Tree, result: ParsedFile) -> tuple[Element | None, list[Element]] | None:
    """(container whose header to read, PNR elements); None (with an error) when there are none."""
    root = tree.root
    name = xml.local(root.tag)
    if name == ROOT:
        namespace = root.tag[1:].partition("}")[0] if root.tag.startswith("{") else None
        if namespace and namespace != NAMESPACE:
            result.warnings.append(Diagnostic(f"root element in unexpected namespace {namespace!r}", line=1))
        return root, _pnr_elements(root)
    inner = next((el for el in root.iter() if isinstance(el.tag, str) and xml.local(el.tag) == ROOT), None)
    if inner is not None:
        result.warnings.append(Diagnostic(f"{ROOT} found inside <{name}>; the wrapper is ignored"))
        return inner, _pnr_elements(inner)
    if name == "PNR":
        result.warnings.append(Diagnostic("fragment: a single PNR element without IATA_PNRGOV_NotifRQ root"))
        return None, [root]
    pnrs = _pnr_elements(root)
    container: Element | None = root
    if not pnrs:
        container = None
        pnrs = [el for el in root.iter() if isinstance(el.tag, str) and xml.local(el.tag) == "PNR"]
    if not pnrs:
        shown = "several top-level elements" if tree.wrapped else f"<{name}>"
        result.errors.append(Diagnostic(
            f"not a PNRGOV XML document: root {shown} is not {ROOT} and holds no PNR element",
            line=1, tag=name, severity="error"))
        return None
    where = "several top-level elements (wrapped)" if tree.wrapped else f"root <{name}>"
    result.warnings.append(Diagnostic(
        f"fragment: {where} instead of {ROOT}; read {len(pnrs)} PNR element(s)", tag=name))
    return container, pnrs


def _pnr_elements(container: Element) -> list[Element]:
    """``PNR`` children of the container and of its ``PNRs`` children, in document order."""
    found: list[Element] = []
    for child in container:
        name = xml.local(child.tag) if isinstance(child.tag, str) else ""
        if name == "PNR":
            found.append(child)
        elif name == "PNRs":
            found.extend(xml.children(child, "PNR"))
    return found


def parse(data: bytes | str, *, card_key: bytes = b"") -> ParsedFile:
    """Read one PNRGOV XML document. Never raises on bad input: what cannot be read is in ``errors``.

    :param card_key: key of the keyed hash that replaces payment card numbers.
    """
    result = ParsedFile()
    if not data.strip():
        result.errors.append(Diagnostic("empty input: no XML document", severity="error"))
        return result
    if xml.too_large(data):
        unit = "bytes" if isinstance(data, bytes) else "characters"
        result.errors.append(Diagnostic(
            f"input of {len(data)} {unit} exceeds the limit of {xml.MAX_INPUT_BYTES} for one PNRGOV XML document",
            severity="error"))
        return result
    try:
        tree = xml.read_tree(data)
    except xml.Refused as exc:
        result.errors.append(exc.diagnostic)
        return result
    except LookupError:
        result.errors.append(Diagnostic("unreadable XML: the declared character encoding is unknown",
                                        severity="error"))
        return result
    except (ValueError, UnicodeError) as exc:
        result.errors.append(Diagnostic(f"unreadable XML: the text cannot be decoded ({type(exc).__name__})",
                                        severity="error"))
        return result
    located = _locate(tree, result)
    if located is None:
        return result
    container, pnr_elements = located
    result.messages.append(_Reader(tree, card_key).message(container, pnr_elements))
    return result
