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
from decimal import Decimal, InvalidOperation
from xml.etree.ElementTree import Element, ParseError, TreeBuilder

from defusedxml import DefusedXmlException, DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import DefusedXMLParser

from gtas.parsers import values
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

__all__ = ["MAX_INPUT_BYTES", "NAMESPACE", "ROOT", "parse"]

NAMESPACE = "http://www.iata.org/IATA/2007/00"
ROOT = "IATA_PNRGOV_NotifRQ"
MAX_INPUT_BYTES = 100 * 1024 * 1024  # one flight's push is a few MB; anything far larger is refused

_WRAPPER = "GTAS_FRAGMENT"
_JUNK_AFTER_ROOT = 9  # expat XML_ERROR_JUNK_AFTER_DOC_ELEMENT
_ABSENT = frozenset({"", "-"})
_INFANT_TYPES = frozenset({"IN", "INF", "INS"})
_ADDRESS_KINDS = {"R": "residence", "D": "destination"}
_POSITION_SUFFIX = re.compile(r":\s*line \d+, column \d+$")
_XML_DECLARATION = re.compile(r"\A(?:\ufeff)?\s*(?:<\?xml.*?\?>)?", re.S)
_XML_DECLARATION_BYTES = re.compile(rb"\A(?:\xef\xbb\xbf)?\s*(?:<\?xml.*?\?>)?", re.S)
_CONTACT_PREFIX = re.compile(r"^(?:E|CTCE)[+/ ]+(?=\S+@)")  # "E+NAME@HOST" as sent in PhoneNumber
_SEAT = re.compile(r"0*(\d{1,3})([A-Z])")
_UPI = re.compile(r"[0-9A-F]{16}")
_WEIGHT_UNITS = {"K": 1.0, "KG": 1.0, "KGS": 1.0, "L": 0.45359237, "LB": 0.45359237, "LBS": 0.45359237}
_PIECE_UNITS = frozenset({"N", "PC", "PCS", "P"})


# ---------------------------------------------------------------------------------------------------------
# Element access: local names, case-insensitive attributes, absent values


def _local(tag: str) -> str:
    """Tag or attribute name without its ``{namespace}``."""
    return tag.rpartition("}")[2]


def _children(element: Element | None, name: str) -> list[Element]:
    """Direct children with the given local name."""
    if element is None:
        return []
    return [child for child in element if isinstance(child.tag, str) and _local(child.tag) == name]


def _child(element: Element | None, name: str) -> Element | None:
    """First direct child with the given local name."""
    if element is None:
        return None
    for child in element:
        if isinstance(child.tag, str) and _local(child.tag) == name:
            return child
    return None


def _first(element: Element | None, *names: str) -> Element | None:
    """First direct child with one of the local names (tested against None: empty elements are falsy)."""
    for name in names:
        child = _child(element, name)
        if child is not None:
            return child
    return None


def _raw(element: Element | None, name: str) -> str | None:
    """Attribute value as sent, the name compared without namespace and case."""
    if element is None:
        return None
    value = element.get(name)
    if value is not None:
        return value
    wanted = name.lower()
    for key, found in element.attrib.items():
        if _local(key).lower() == wanted:
            return found
    return None


def _unlist(text: str) -> str:
    """``['PYF']`` (a Python list repr) → ``PYF``; other text unchanged."""
    if not (text.startswith("[") and text.endswith("]")):
        return text
    items = (item.strip().strip("'\"").strip() for item in text[1:-1].split(","))
    return ", ".join(item for item in items if item)


def _attr(element: Element | None, *names: str) -> str | None:
    """First present attribute among ``names``, blank-collapsed; ``-`` and empty count as absent."""
    for name in names:
        value = values.clean(_raw(element, name))
        if value is not None and value not in _ABSENT:
            return values.clean(_unlist(value))
    return None


def _text(element: Element | None, name: str) -> str | None:
    """Blank-collapsed text of the first child with the given local name."""
    child = _child(element, name)
    if child is None:
        return None
    value = values.clean(child.text)
    return None if value in _ABSENT else value


def _field(element: Element | None, *names: str) -> str | None:
    """A value sent either as an attribute or as a child element's text."""
    return _attr(element, *names) or next((v for v in (_text(element, n) for n in names) if v), None)


def _lines(text: str | None) -> str | None:
    """Multi-line free text (addresses) on one line, lines separated by commas."""
    if text is None:
        return None
    return ", ".join(part for part in (values.clean(line) for line in text.splitlines()) if part) or None


def _flag(value: str | None) -> bool:
    """XML boolean: ``true``/``1`` (any case) is true."""
    return value is not None and value.strip().lower() in ("true", "1", "y", "yes")


# ---------------------------------------------------------------------------------------------------------
# Reading the tree safely


class _PositionedBuilder(TreeBuilder):
    """Tree builder that remembers where (line, column; 1-based) each element started."""

    def __init__(self) -> None:
        super().__init__()
        self.expat: object | None = None
        self.positions: dict[Element, tuple[int, int]] = {}

    def start(self, tag: str, attrs: dict[str, str]) -> Element:
        """Build the element and note the parser's current position."""
        element = super().start(tag, attrs)
        if self.expat is not None:
            self.positions[element] = (
                getattr(self.expat, "CurrentLineNumber", 0),
                getattr(self.expat, "CurrentColumnNumber", 0) + 1,
            )
        return element


@dataclass(slots=True)
class _Tree:
    """A parsed document, element positions, and the column shift a fragment wrapper introduced."""

    root: Element
    positions: dict[Element, tuple[int, int]]
    shift: tuple[int, int, int] | None = None  # (line, column from which to shift, width of wrapper)
    wrapped: bool = False

    def where(self, line: int | None, column: int | None) -> tuple[int | None, int | None]:
        """Position in the caller's text (undoing the wrapper's column shift)."""
        if self.shift and line == self.shift[0] and column is not None and column > self.shift[1]:
            return line, max(1, column - self.shift[2])
        return line, column


class _Refused(Exception):
    """The document cannot be read; carries the error diagnostic."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


def _build(data: bytes | str) -> tuple[Element, dict[Element, tuple[int, int]]]:
    """Parse with defusedxml (DTDs, entities and external references refused)."""
    builder = _PositionedBuilder()
    parser = DefusedXMLParser(target=builder, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    builder.expat = parser.parser
    try:
        parser.feed(data)
        root: Element = parser.close()
    except DefusedXmlException as exc:
        raise _Refused(_refusal(exc, parser.parser)) from None
    return root, builder.positions


def _refusal(exc: DefusedXmlException, expat: object) -> Diagnostic:
    """Error diagnostic for a document defusedxml refused."""
    if isinstance(exc, DTDForbidden):
        what = "a document type declaration (DOCTYPE)"
    elif isinstance(exc, EntitiesForbidden):
        what = "an entity declaration"
    elif isinstance(exc, ExternalReferenceForbidden):
        what = "an external entity reference"
    else:
        what = "a forbidden XML construct"
    return Diagnostic(
        f"XML refused: the document contains {what}; DTDs, entity declarations and external entities are "
        "not accepted (protection against entity-expansion bombs and external-entity attacks)",
        line=getattr(expat, "CurrentLineNumber", None),
        column=getattr(expat, "CurrentColumnNumber", -1) + 1 or None,
        tag="DOCTYPE",
        severity="error",
    )


def _malformed(exc: ParseError, tree_shift: _Tree | None = None) -> Diagnostic:
    """Error diagnostic for malformed XML, at the line and column expat reported."""
    line, column = exc.position
    where = tree_shift.where(line, column + 1) if tree_shift else (line, column + 1)
    reason = _POSITION_SUFFIX.sub("", str(exc))
    return Diagnostic(f"malformed XML: {reason}", line=where[0], column=where[1], severity="error")


def _wrap(data: bytes | str) -> tuple[bytes | str, tuple[int, int, int]]:
    """Put several top-level elements under one wrapper element (after any XML declaration)."""
    opening, closing = f"<{_WRAPPER}>", f"</{_WRAPPER}>"
    if isinstance(data, bytes):
        match = _XML_DECLARATION_BYTES.match(data)
        end = match.end() if match else 0
        head = data[:end].decode("latin-1")
        wrapped: bytes | str = data[:end] + opening.encode() + data[end:] + closing.encode()
    else:
        match_text = _XML_DECLARATION.match(data)
        end = match_text.end() if match_text else 0
        head = data[:end]
        wrapped = data[:end] + opening + data[end:] + closing
    line = head.count("\n") + 1
    column = len(head) - (head.rfind("\n") + 1) + 1
    return wrapped, (line, column, len(opening))


def _read_tree(data: bytes | str) -> _Tree:
    """Parse the document, wrapping a multi-root fragment; raises :class:`_Refused` when unreadable."""
    try:
        root, positions = _build(data)
        return _Tree(root, positions)
    except ParseError as exc:
        if exc.code != _JUNK_AFTER_ROOT:
            raise _Refused(_malformed(exc)) from None
    wrapped, shift = _wrap(data)
    shell = _Tree(Element(_WRAPPER), {}, shift, wrapped=True)
    try:
        root, positions = _build(wrapped)
    except ParseError as exc:
        raise _Refused(_malformed(exc, shell)) from None
    return _Tree(root, positions, shift, wrapped=True)


def _too_large(data: bytes | str) -> bool:
    """Longer than :data:`MAX_INPUT_BYTES` (counted in characters for text input)."""
    return len(data) > MAX_INPUT_BYTES


# ---------------------------------------------------------------------------------------------------------
# Dates, amounts, counts


def _iso_datetime(text: str) -> tuple[datetime | None, bool]:
    """(naive clock time as written, whether a UTC offset was dropped) for ISO-like date-times."""
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        return None, False
    return value.replace(tzinfo=None), value.tzinfo is not None


def _iso_date(text: str) -> date | None:
    """``2019-05-31``, or the date part of a date-time."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        pass
    stamp, _ = _iso_datetime(text)
    return stamp.date() if stamp else None


def _decimal(text: str) -> Decimal | None:
    """A finite decimal amount, or None."""
    try:
        number = Decimal(text.strip().replace(",", ""))
    except InvalidOperation:
        return None
    return number if number.is_finite() and abs(number) < Decimal(10) ** 12 else None


def _seat_number(text: str | None) -> str | None:
    """``006F`` → ``6F``; other shapes kept as sent."""
    if not text:
        return None
    value = text.strip().upper()
    match = _SEAT.fullmatch(value)
    return f"{int(match.group(1))}{match.group(2)}" if match else value


# ---------------------------------------------------------------------------------------------------------
# The reader: one document into one Message


@dataclass
class _Reader:
    """Maps one parsed document onto records; collects warnings with element positions."""

    tree: _Tree
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
            tag = _local(element.tag) + (f"@{name}" if name else "")
        return Diagnostic(message, line=line, column=column, tag=tag)

    def warn(self, message: str, element: Element | None, name: str | None = None) -> None:
        """Record a warning in the current sink (the PNR being read, or the message)."""
        self.sink.append(self.diagnostic(message, element, name))

    # --- values with warnings ---------------------------------------------------------------------------

    def timestamp(self, element: Element | None, name: str) -> datetime | None:
        """Date-time attribute; a bad value is a warning and gives None."""
        raw = _attr(element, name)
        if raw is None:
            return None
        stamp, offset = _iso_datetime(raw)
        if stamp is None:
            self.warn(f"{name} {raw!r} is not a date-time; ignored", element, name)
        self.offset_dropped |= offset
        return stamp

    def day(self, element: Element | None, name: str) -> date | None:
        """Date attribute; a bad value is a warning and gives None."""
        raw = _attr(element, name)
        if raw is None:
            return None
        result = _iso_date(raw)
        if result is None:
            self.warn(f"{name} {raw!r} is not a date; ignored", element, name)
        return result

    def count(self, element: Element | None, name: str) -> int | None:
        """Non-negative integer attribute; anything else is a warning and gives None."""
        raw = _attr(element, name)
        if raw is None:
            return None
        if not raw.isdigit():
            self.warn(f"{name} {raw!r} is not a count; ignored", element, name)
            return None
        return int(raw)

    def amount(self, element: Element | None, name: str) -> str | None:
        """Decimal amount attribute as normalised text; a bad value is a warning and gives None."""
        raw = _attr(element, name)
        if raw is None:
            return None
        number = _decimal(raw)
        if number is None:
            self.warn(f"{name} {raw!r} is not an amount; ignored", element, name)
            return None
        return str(number)

    def airport(self, element: Element | None) -> str | None:
        """``LocationCode`` of an airport element; a non-IATA code is kept as sent, with a warning."""
        raw = _attr(element, "LocationCode")
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
        version = _attr(container, "Version")
        message.version = f"XML {version}" if version else "XML"
        message.prepared = self.timestamp(container, "TimeStamp")
        message.reference = _attr(container, "TransactionIdentifier", "EchoToken")
        originator = _child(container, "Originator")
        if originator is not None:
            message.sender = _attr(originator, "AirlineCode")
            system = _attr(originator, "SystemCode")
            message.originator = Agency(system=system, name=message.sender) if system or message.sender else None
            contact = _attr(originator, "AirlineContactInfo")
            if contact:
                message.reporting_party = ReportingParty(name=contact, id=message.sender)
        leg = _child(container, "FlightLeg")
        if leg is not None:
            self.prime = self.prime_flight(leg)
            message.flights.append(self.prime)
        pnrs = _child(container, "PNRs")
        message.declared_pnrs = self.count(pnrs, "NumberOfPnrs")

    def prime_flight(self, element: Element) -> FlightLeg:
        """The flight this push is for."""
        carrier = _attr(element, "CarrierCode", "AirlineCode")
        number_text = _attr(element, "FlightNumber")
        if number_text:
            carrier, number, suffix = values.flight_number(number_text, carrier)
            if number is None:
                self.warn(f"FlightNumber {number_text!r} is not a flight number", element, "FlightNumber")
        else:
            number = suffix = None
        return FlightLeg(
            carrier=carrier, number=number, suffix=suffix,
            origin=self.airport(_child(element, "DepartureAirport")),
            destination=self.airport(_child(element, "ArrivalAirport")),
            departure=self.timestamp(element, "DepartureDateTime"),
            arrival=self.timestamp(element, "ArrivalDateTime"),
        )

    def check_counts(self, container: Element | None, message: Message) -> None:
        """Warn when the declared PNR count disagrees, or a record locator repeats."""
        if message.declared_pnrs is not None and message.declared_pnrs != len(message.pnrs):
            self.warn(f"NumberOfPnrs says {message.declared_pnrs}, {len(message.pnrs)} PNR elements read",
                      _child(container, "PNRs"), "NumberOfPnrs")
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
        pnr.agency = self.agency(_child(element, "POS"))
        for contact in _children(element, "ContactInfo"):
            self.contact(contact, pnr, None)
        for bag in _children(element, "PrepaidBag"):
            pnr.bags.append(self.bag(bag, None, excess=False))
        for ssr in _children(element, "SSR"):
            pnr.ssrs.append(self.ssr(ssr, None))
        for name in ("Remark", "Remarks", "OSI", "OtherServiceInfo"):
            pnr.remarks.extend(text for text in (values.clean(r.text) for r in _children(element, name)) if text)
        for passenger in _children(element, "Passenger"):
            pnr.travellers.append(self.traveller(passenger, pnr))
        for flight in _children(element, "Flight"):
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
        for ref in _children(element, "BookingRefID"):
            locator = _attr(ref, "ID")
            if locator is None:
                self.warn("BookingRefID without ID", ref, "ID")
                continue
            owner = _attr(_child(ref, "CompanyName"), "Code")
            if pnr.record_locator is None:
                pnr.record_locator, pnr.carrier = locator, owner
            else:
                pnr.other_locators.append((owner, locator))

    def agency(self, pos: Element | None) -> Agency | None:
        """``POS/Source`` (+ ``RequestorID``): the booking office and agent."""
        source = _child(pos, "Source")
        if source is None:
            return None
        requestor = _child(source, "RequestorID")
        company = _child(requestor, "CompanyName")
        company_text = values.clean(company.text) if company is not None else None
        return Agency(
            name=_attr(company, "CompanyShortName", "Code") or company_text,
            iata_number=_attr(requestor, "ID") or _attr(source, "ISOAgencyNumber", "AgencyNumber"),
            office=_attr(source, "PseudoCityCode"),
            location=_attr(source, "AirportCode"),
            country=_attr(source, "ISOCountry"),
            agent=_attr(source, "AgentSine", "AgentDutyCode"),
            system=_attr(source, "AirlineVendorID"),
            originator_type=_attr(requestor, "Type"),
            currency=_attr(source, "ISOCurrency"),
        )

    # --- contacts and addresses -------------------------------------------------------------------------

    def contact(self, element: Element, pnr: Pnr, traveller: Traveller | None) -> None:
        """``ContactInfo``: phones, e-mails (also e-mails sent as ``PhoneNumber="E+…"``) and an address."""
        ref = traveller.reference if traveller else None
        kind = _attr(element, "PhoneUseType", "PhoneTechType", "Type")
        emails = [_attr(element, "EmailAddress", "Email"), _text(element, "Email"), _text(element, "EmailAddress")]
        for name in ("PhoneNumber", "Telephone", "Phone", "MobileNumber"):
            value = _field(element, name)
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
        nested = _child(element, "Address")
        address = self.address(element if nested is None else nested, "contact", ref)
        if address is not None:
            pnr.addresses.append(address)

    def address(self, element: Element | None, kind: str | None, ref: str | None) -> Address | None:
        """An address from attributes or child elements; None when it has no part at all."""
        if element is None:
            return None
        street = _lines(_raw(element, "Address")) if _attr(element, "Address") else None
        address = Address(
            street=street or _field(element, "StreetNmbr", "AddressLine", "Street"),
            city=_field(element, "CityName", "City"),
            region=_field(element, "StateProvCounty", "StateProv", "County"),
            postcode=_field(element, "PostalCode"),
            country=_field(element, "CountryCode", "Country", "CountryName"),
            kind=kind,
            traveller_ref=ref,
        )
        parts = (address.street, address.city, address.region, address.postcode, address.country)
        return address if any(parts) else None

    # --- travellers -------------------------------------------------------------------------------------

    def traveller(self, element: Element, pnr: Pnr) -> Traveller:
        """A ``Passenger`` with names, documents, contacts, tickets, payments, loyalty, bags and SSRs."""
        surname_ref = _attr(element, "SurnameRefNumber")
        traveller = Traveller(
            surname=_text(element, "Surname"),
            given_names=_text(element, "GivenName"),
            title=_text(element, "NameTitle") or _text(element, "NamePrefix"),
            reference=_attr(element, "RPH") or surname_ref,
            unique_reference=surname_ref if surname_ref and _UPI.fullmatch(surname_ref) else None,
            boarding_status=_attr(element, "BoardingStatus"),
            with_infant=_flag(_attr(element, "AccompaniedByInfantInd")),
            passenger_type=_attr(element, "PassengerTypeCode", "PTC", "PTC_Code")
            or _attr(_child(element, "FareInfo"), "PTC_Code", "PassengerTypeCode"),
        )
        if traveller.passenger_type and traveller.passenger_type.upper() in _INFANT_TYPES:
            traveller.role = Role.INFANT
        ref = traveller.reference
        for loyalty in _children(element, "CustLoyalty"):
            self.loyalty(loyalty, traveller)
        for contact in _children(element, "ContactInfo"):
            self.contact(contact, pnr, traveller)
        for doc_ssr in _children(element, "DOC_SSR"):
            self.doc_ssr(doc_ssr, traveller, pnr)
        for ssr in _children(element, "SSR"):
            pnr.ssrs.append(self.ssr(ssr, ref))
        for name, excess in (("ExcessBaggage", True), ("PrepaidBag", False), ("BagTags", False)):
            for bag in _children(element, name):
                pnr.bags.append(self.bag(bag, ref, excess=excess))
        for document in _children(element, "TicketDocument"):
            self.ticket_document(document, traveller, pnr)
        if not traveller.surname and not traveller.given_names:
            self.warn("Passenger without GivenName or Surname", element)
        return traveller

    def loyalty(self, element: Element, traveller: Traveller) -> None:
        """``CustLoyalty`` → frequent flyer (programme, membership number, tier)."""
        number = _attr(element, "MembershipID")
        if number is None:
            self.warn("CustLoyalty without MembershipID", element, "MembershipID")
            return
        traveller.frequent_flyers.append(FrequentFlyer(
            carrier=_attr(element, "ProgramID"), number=number, tier=_attr(element, "LoyalLevel")))

    def doc_ssr(self, element: Element, traveller: Traveller, pnr: Pnr) -> None:
        """``DOC_SSR`` with its ``DOCS`` / ``DOCA`` / ``DOCO`` child; also kept as an Ssr."""
        code = _attr(element, "SSR_Code")
        pnr.ssrs.append(Ssr(
            code=code or "DOC", status=_attr(element, "Status"),
            carrier=_attr(_child(element, "FlightInfo"), "Code"), traveller_ref=traveller.reference))
        for child in element:
            name = _local(child.tag) if isinstance(child.tag, str) else ""
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
        nationality = _attr(element, "PaxNationality", "Nationality")
        traveller.nationality = traveller.nationality or nationality
        traveller.surname = traveller.surname or _attr(element, "Surname")
        given = " ".join(n for n in (_attr(element, "FirstGivenName"), _attr(element, "SecondGivenName")) if n)
        traveller.given_names = traveller.given_names or given or None
        document = Document(
            type=_attr(element, "DocType", "DocumentType"),
            number=_attr(element, "DocID", "DocumentNumber", "DocNumber"),
            issuing_country=_attr(element, "DocIssueCountry", "IssuingLoc", "IssueCountry"),
            expiry=self.day(element, "ExpiryDate"),
            nationality=nationality,
            source="DOCS",
        )
        if document.number or document.type or document.expiry or document.issuing_country:
            traveller.documents.append(document)

    def docs_gender(self, element: Element, traveller: Traveller) -> None:
        """``DOCS/@Gender``: M, F, U, X; MI/FI mean an infant."""
        raw = _attr(element, "Gender")
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
        code = _attr(element, "AddressType")
        kind = _ADDRESS_KINDS.get(code.upper(), code) if code else None
        address = self.address(element, kind, traveller.reference)
        if address is None:
            return
        pnr.addresses.append(address)
        if traveller.address is None or (kind == "residence" and traveller.address.kind != "residence"):
            traveller.address = address

    def doco(self, element: Element, traveller: Traveller) -> None:
        """``DOCO``: place of birth and the other document (visa …)."""
        traveller.birth_place = traveller.birth_place or _attr(element, "BirthLocation", "BirthPlace")
        document = Document(
            type=_attr(element, "TravelDocType", "DocType"),
            number=_attr(element, "TravelDocNbr", "DocID"),
            issuing_country=_attr(element, "CountryState", "DocIssueCountry"),
            place_of_issue=_attr(element, "PlaceOfIssue"),
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
        for payment in _children(element, "PaymentInfo"):
            pnr.payments.append(self.payment(payment, ticket, traveller.reference))

    def ticket(self, element: Element, ref: str | None) -> Ticket | None:
        """One ticket; None (with a warning) when it has no number."""
        number = _attr(element, "TicketDocumentNbr", "TicketNumber")
        if number is None:
            self.warn("TicketDocument without TicketDocumentNbr", element, "TicketDocumentNbr")
            return None
        total = _child(element, "TotalFare")
        coupons = _children(element, "CouponInfo")
        return Ticket(
            number=number,
            type=_attr(element, "Type"),
            coupons=str(len(coupons)) if coupons else None,
            issue_date=self.day(element, "DateOfIssue"),
            issuing_carrier=_attr(element, "IssuingAirline", "ValidatingAirline"),
            place_of_issue=_attr(element, "TicketLocation"),
            fare=self.amount(total, "Amount"),
            currency=_attr(total, "CurrencyCode"),
            base_fare=self.amount(_child(element, "BaseFare"), "Amount"),
            taxes=self.taxes(_child(element, "Taxes")),
            traveller_ref=ref,
        )

    def taxes(self, element: Element | None) -> str | None:
        """Sum of the ``Tax/@Amount`` values, or None without any."""
        amounts = [self.amount(tax, "Amount") for tax in _children(element, "Tax")]
        present = [Decimal(a) for a in amounts if a is not None]
        return str(sum(present, Decimal(0))) if present else None

    def payment(self, element: Element, ticket: Ticket | None, ref: str | None) -> Payment:
        """``PaymentInfo`` with the card number masked (last four digits and keyed hash only)."""
        account = _raw(element, "AccountNbr") or ""
        last4, digest = values.mask_card(account, self.card_key) if account.strip() else (None, None)
        if account.strip() and last4 is None:
            self.warn("PaymentInfo/@AccountNbr is too short to be a card number; dropped", element, "AccountNbr")
        kind = _attr(element, "PaymentType") or ("CC" if account.strip() else "unknown")
        amount = self.amount(element, "PaymentAmount")
        currency = _attr(element, "CurrencyCode") or (ticket.currency if ticket and amount else None)
        return Payment(
            type=kind, amount=amount, currency=currency,
            card_type=_attr(element, "VendorCode", "CardCode"),
            card_last4=last4, card_hash=digest,
            card_expiry=_attr(element, "ExpiryDate", "ExpireDate"),
            card_holder=_attr(element, "CardHolderName"),
            billing_address=self.address(_first(element, "Address", "BillingAddress"), "billing", ref),
            traveller_ref=ref,
        )

    # --- bags and SSRs ----------------------------------------------------------------------------------

    def bag(self, element: Element, ref: str | None, *, excess: bool) -> Bag:
        """``ExcessBaggage`` / ``PrepaidBag`` / ``BagTags``: tag, count, weight, issuing airline, pool."""
        bag = Bag(
            traveller_ref=_attr(element, "RPH") or ref,
            count=self.count(element, "SequenceCount"),
            carrier=_attr(element, "IssuerCode", "CarrierCode"),
            pool=_attr(element, "BaggagePool"),
            destination=_attr(element, "ArrivalAirport", "Destination"),
            excess=excess,
        )
        tag = _attr(element, "SerialNumber", "TagNumber")
        bag.tags.extend([tag] if tag else [])
        quantity = _attr(element, "UnitOfMeasureQuantity", "Quantity")
        unit = (_attr(element, "UnitOfMeasureCode", "UnitOfMeasure") or "").upper()
        number = _decimal(quantity) if quantity else None
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
        board, off = _attr(element, "BoardPoint"), _attr(element, "OffPoint")
        code = _attr(element, "SSR_Code", "Code")
        if code is None:
            self.warn("SSR without SSR_Code", element, "SSR_Code")
        return Ssr(
            code=code or "",
            text=_text(element, "TEXT") or _text(element, "Text"),
            status=_attr(element, "Status"),
            carrier=_attr(_child(element, "Airline"), "Code"),
            traveller_ref=_attr(element, "RPH") or ref,
            segment_ref=f"{board}-{off}" if board and off else None,
        )

    # --- itinerary and check-in -------------------------------------------------------------------------

    def flight(self, element: Element, pnr: Pnr) -> FlightLeg:
        """A ``Flight`` of the itinerary; codeshare when the operating airline/number differs."""
        marketing, operating = _child(element, "MarketingAirline"), _child(element, "OperatingAirline")
        carrier = _attr(marketing, "Code") or _attr(operating, "Code")
        number_text = _attr(marketing, "FlightNumber") or _attr(element, "FlightNumber")
        number = suffix = None
        if number_text:
            carrier, number, suffix = values.flight_number(number_text, carrier)
        leg = FlightLeg(
            carrier=carrier, number=number, suffix=suffix,
            origin=self.airport(_child(element, "DepartureAirport")),
            destination=self.airport(_child(element, "ArrivalAirport")),
            departure=self.timestamp(element, "DepartureDateTime"),
            arrival=self.timestamp(element, "ArrivalDateTime"),
            booking_class=_attr(element, "ResBookDesigCode"),
            status=_attr(element, "Status"),
            party_size=self.count(element, "NumberInParty"),
            equipment=_attr(_child(element, "Equipment"), "AirEquipType"),
        )
        self.operating(operating, leg, pnr)
        for ssr in _children(element, "SSR"):
            pnr.ssrs.append(self.ssr(ssr, None))
        for check_in in _children(element, "CheckInInfo"):
            for boarding in _children(check_in, "BoardingNumber"):
                self.boarding(boarding, leg, pnr)
        return leg

    def operating(self, element: Element | None, leg: FlightLeg, pnr: Pnr) -> None:
        """Set the operating carrier/number (and a Codeshare) when they differ from the marketing ones."""
        code = _attr(element, "Code")
        if code is None:
            return
        number_text = _attr(element, "FlightNumber")
        number = values.flight_number(number_text, code)[1] if number_text else None
        if code == leg.carrier and (number is None or number == leg.number):
            return
        leg.operating_carrier, leg.operating_number = code, number
        pnr.codeshares.append(Codeshare(leg.carrier, leg.number, code, number))

    def boarding(self, element: Element, leg: FlightLeg, pnr: Pnr) -> None:
        """``BoardingNumber``: check-in sequence, seat and bag tags of one traveller on one leg."""
        traveller = self.find_traveller(element, pnr)
        ref = _attr(element, "RPH") or (traveller.reference if traveller else None)
        seat_element = _child(element, "SeatNumber")
        number = _seat_number(values.clean(seat_element.text) if seat_element is not None else None)
        if number:
            pnr.seats.append(Seat(
                number=number, traveller_ref=ref, cabin=_attr(seat_element, "CabinClass"),
                origin=leg.origin, destination=leg.destination, carrier=leg.carrier,
                flight_number=leg.number, source="checkin"))
        bags = [self.bag(tag, ref, excess=False) for tag in _children(element, "BagTags")]
        pnr.bags.extend(bags)
        if traveller is None:
            self.warn("BoardingNumber does not match any Passenger of the PNR", element)
            return
        if self.is_prime(leg):
            traveller.seat = number or traveller.seat
            traveller.check_in_sequence = _attr(element, "Number") or traveller.check_in_sequence
            traveller.bag_tags.extend(tag for bag in bags for tag in bag.tags)

    def find_traveller(self, element: Element, pnr: Pnr) -> Traveller | None:
        """The traveller a check-in record belongs to: by RPH, else by surname and given name."""
        ref = _attr(element, "RPH")
        for traveller in pnr.travellers:
            if ref and traveller.reference == ref:
                return traveller
        person = _child(element, "Passenger")
        surname, given = _text(person, "Surname"), _text(person, "GivenName")
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


def _locate(tree: _Tree, result: ParsedFile) -> tuple[Element | None, list[Element]] | None:
    """(container whose header to read, PNR elements); None (with an error) when there are none."""
    root = tree.root
    name = _local(root.tag)
    if name == ROOT:
        namespace = root.tag[1:].partition("}")[0] if root.tag.startswith("{") else None
        if namespace and namespace != NAMESPACE:
            result.warnings.append(Diagnostic(f"root element in unexpected namespace {namespace!r}", line=1))
        return root, _pnr_elements(root)
    inner = next((el for el in root.iter() if isinstance(el.tag, str) and _local(el.tag) == ROOT), None)
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
        pnrs = [el for el in root.iter() if isinstance(el.tag, str) and _local(el.tag) == "PNR"]
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
        name = _local(child.tag) if isinstance(child.tag, str) else ""
        if name == "PNR":
            found.append(child)
        elif name == "PNRs":
            found.extend(_children(child, "PNR"))
    return found


def parse(data: bytes | str, *, card_key: bytes = b"") -> ParsedFile:
    """Read one PNRGOV XML document. Never raises on bad input: what cannot be read is in ``errors``.

    :param card_key: key of the keyed hash that replaces payment card numbers.
    """
    result = ParsedFile()
    if not data.strip():
        result.errors.append(Diagnostic("empty input: no XML document", severity="error"))
        return result
    if _too_large(data):
        unit = "bytes" if isinstance(data, bytes) else "characters"
        result.errors.append(Diagnostic(
            f"input of {len(data)} {unit} exceeds the limit of {MAX_INPUT_BYTES} for one PNRGOV XML document",
            severity="error"))
        return result
    try:
        tree = _read_tree(data)
    except _Refused as exc:
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
