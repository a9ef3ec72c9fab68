"""Typed records produced by every parser (PAXLST, PNRGOV EDIFACT, PNRGOV XML).

The records are plain data: no database, no I/O. Dates are ``date``; flight times are naive ``datetime`` in the
local time of the airport they belong to, exactly as the airline sent them (never assume UTC).

Each record writes its ``__init__`` out instead of letting ``dataclasses`` generate it: mypyc compiles a written
one to native code, which builds a record about nine times faster, and a parse builds tens of thousands of them.
``dataclasses`` still provides equality, repr and ``fields()``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any, Literal


class Role(StrEnum):
    """What a person is on a flight."""

    PASSENGER = "passenger"
    CREW = "crew"
    IN_TRANSIT = "in_transit"
    IN_TRANSIT_CREW = "in_transit_crew"
    INFANT = "infant"


@dataclass(slots=True, frozen=True)
class Diagnostic:
    """A warning or error that points at the segment that caused it."""

    message: str
    segment: int | None = None  # index of the segment in the file, 0-based
    line: int | None = None  # 1-based
    column: int | None = None  # 1-based
    tag: str | None = None
    severity: Literal["warning", "error"] = "warning"


class ParseError(Exception):
    """A file or message that cannot be read at all; carries the diagnostic that says where and why."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


@dataclass(slots=True, init=False)
class FlightLeg:
    """One flight leg: the reported leg of an API list, a PNR's prime flight, or one itinerary segment."""

    carrier: str | None
    number: str | None  # digits without leading zeros, e.g. "6" for TZ0006
    suffix: str | None  # operational suffix letter, e.g. "A" in LH400A
    origin: str | None  # IATA airport code
    destination: str | None
    departure: datetime | None  # scheduled, airport-local
    arrival: datetime | None  # scheduled, airport-local
    progressive: bool  # reported with LOC+92 (routing) rather than LOC+125/87
    # Itinerary details (PNR)
    booking_class: str | None
    status: str | None  # reservation status, e.g. HK, UN, XX
    party_size: int | None
    operating_carrier: str | None  # set when another carrier operates the flight (codeshare)
    operating_number: str | None
    equipment: str | None

    def __init__(
        self,
        carrier: str | None = None,
        number: str | None = None,
        suffix: str | None = None,
        origin: str | None = None,
        destination: str | None = None,
        departure: datetime | None = None,
        arrival: datetime | None = None,
        progressive: bool = False,
        booking_class: str | None = None,
        status: str | None = None,
        party_size: int | None = None,
        operating_carrier: str | None = None,
        operating_number: str | None = None,
        equipment: str | None = None,
    ) -> None:
        self.carrier = carrier
        self.number = number
        self.suffix = suffix
        self.origin = origin
        self.destination = destination
        self.departure = departure
        self.arrival = arrival
        self.progressive = progressive
        self.booking_class = booking_class
        self.status = status
        self.party_size = party_size
        self.operating_carrier = operating_carrier
        self.operating_number = operating_number
        self.equipment = equipment


@dataclass(slots=True, init=False)
class Document:
    """A travel document: passport, visa, ID card, residence card …"""

    type: str | None  # P, V, I, A, C … as sent
    number: str | None
    issuing_country: str | None  # as sent: ISO alpha-3 normally, alpha-2 in some PNR feeds
    expiry: date | None
    issue_date: date | None
    nationality: str | None  # from SSR DOCS / PDT
    place_of_issue: str | None  # free text (DOCO)
    source: str | None  # DOC, DOCS, DOCO, FOID, PDT, XML

    def __init__(
        self,
        type: str | None = None,
        number: str | None = None,
        issuing_country: str | None = None,
        expiry: date | None = None,
        issue_date: date | None = None,
        nationality: str | None = None,
        place_of_issue: str | None = None,
        source: str | None = None,
    ) -> None:
        self.type = type
        self.number = number
        self.issuing_country = issuing_country
        self.expiry = expiry
        self.issue_date = issue_date
        self.nationality = nationality
        self.place_of_issue = place_of_issue
        self.source = source


@dataclass(slots=True, init=False)
class Address:
    street: str | None
    city: str | None
    region: str | None
    postcode: str | None
    country: str | None
    kind: str | None  # e.g. "residence", "destination", "billing", "agency"
    traveller_ref: str | None

    def __init__(
        self,
        street: str | None = None,
        city: str | None = None,
        region: str | None = None,
        postcode: str | None = None,
        country: str | None = None,
        kind: str | None = None,
        traveller_ref: str | None = None,
    ) -> None:
        self.street = street
        self.city = city
        self.region = region
        self.postcode = postcode
        self.country = country
        self.kind = kind
        self.traveller_ref = traveller_ref


@dataclass(slots=True, init=False)
class Phone:
    number: str
    kind: str | None  # mobile, home, business, agency, fax …
    traveller_ref: str | None

    def __init__(
        self,
        number: str,
        kind: str | None = None,
        traveller_ref: str | None = None,
    ) -> None:
        self.number = number
        self.kind = kind
        self.traveller_ref = traveller_ref


@dataclass(slots=True, init=False)
class Email:
    address: str
    traveller_ref: str | None

    def __init__(
        self,
        address: str,
        traveller_ref: str | None = None,
    ) -> None:
        self.address = address
        self.traveller_ref = traveller_ref


@dataclass(slots=True, init=False)
class FrequentFlyer:
    carrier: str | None
    number: str
    tier: str | None

    def __init__(
        self,
        carrier: str | None,
        number: str,
        tier: str | None = None,
    ) -> None:
        self.carrier = carrier
        self.number = number
        self.tier = tier


@dataclass(slots=True, init=False)
class Ticket:
    number: str
    type: str | None  # T = e-ticket …
    coupons: str | None
    issue_date: date | None
    issuing_carrier: str | None
    place_of_issue: str | None
    fare: str | None  # decimal string
    currency: str | None
    base_fare: str | None
    taxes: str | None  # total of TXD amounts, decimal string
    one_way: bool | None
    traveller_ref: str | None

    def __init__(
        self,
        number: str,
        type: str | None = None,
        coupons: str | None = None,
        issue_date: date | None = None,
        issuing_carrier: str | None = None,
        place_of_issue: str | None = None,
        fare: str | None = None,
        currency: str | None = None,
        base_fare: str | None = None,
        taxes: str | None = None,
        one_way: bool | None = None,
        traveller_ref: str | None = None,
    ) -> None:
        self.number = number
        self.type = type
        self.coupons = coupons
        self.issue_date = issue_date
        self.issuing_carrier = issuing_carrier
        self.place_of_issue = place_of_issue
        self.fare = fare
        self.currency = currency
        self.base_fare = base_fare
        self.taxes = taxes
        self.one_way = one_way
        self.traveller_ref = traveller_ref


@dataclass(slots=True, init=False)
class Payment:
    """A form of payment. Card numbers are never kept in clear: last four digits plus a keyed hash."""

    type: str  # CA cash, CC card, MS miscellaneous, CK cheque, IN invoice …
    amount: str | None
    currency: str | None
    card_type: str | None  # VI, CA, AX …
    card_last4: str | None
    card_hash: str | None  # HMAC-SHA256 of the digits, keyed (see gtas.parsers.cards)
    card_expiry: str | None
    card_holder: str | None
    billing_address: Address | None
    traveller_ref: str | None

    def __init__(
        self,
        type: str,
        amount: str | None = None,
        currency: str | None = None,
        card_type: str | None = None,
        card_last4: str | None = None,
        card_hash: str | None = None,
        card_expiry: str | None = None,
        card_holder: str | None = None,
        billing_address: Address | None = None,
        traveller_ref: str | None = None,
    ) -> None:
        self.type = type
        self.amount = amount
        self.currency = currency
        self.card_type = card_type
        self.card_last4 = card_last4
        self.card_hash = card_hash
        self.card_expiry = card_expiry
        self.card_holder = card_holder
        self.billing_address = billing_address
        self.traveller_ref = traveller_ref


@dataclass(slots=True, init=False)
class Bag:
    traveller_ref: str | None
    count: int | None
    weight_kg: float | None
    tags: list[str]
    destination: str | None
    carrier: str | None  # airline (2-letter or 3-digit numeric code) that issued the tags
    pool: str | None  # head-of-pool reference when bags are pooled
    excess: bool  # EBD excess baggage

    def __init__(
        self,
        traveller_ref: str | None = None,
        count: int | None = None,
        weight_kg: float | None = None,
        tags: list[str] | None = None,
        destination: str | None = None,
        carrier: str | None = None,
        pool: str | None = None,
        excess: bool = False,
    ) -> None:
        self.traveller_ref = traveller_ref
        self.count = count
        self.weight_kg = weight_kg
        self.tags = list() if tags is None else tags
        self.destination = destination
        self.carrier = carrier
        self.pool = pool
        self.excess = excess


@dataclass(slots=True, init=False)
class Seat:
    number: str  # e.g. "11D", leading zeros of the row stripped
    traveller_ref: str | None
    cabin: str | None
    origin: str | None
    destination: str | None
    carrier: str | None
    flight_number: str | None
    source: str | None  # "checkin" (SSD / API) or "request" (SSR SEAT)

    def __init__(
        self,
        number: str,
        traveller_ref: str | None = None,
        cabin: str | None = None,
        origin: str | None = None,
        destination: str | None = None,
        carrier: str | None = None,
        flight_number: str | None = None,
        source: str | None = None,
    ) -> None:
        self.number = number
        self.traveller_ref = traveller_ref
        self.cabin = cabin
        self.origin = origin
        self.destination = destination
        self.carrier = carrier
        self.flight_number = flight_number
        self.source = source


@dataclass(slots=True, init=False)
class Agency:
    name: str | None
    iata_number: str | None
    office: str | None  # pseudo-city / office id
    location: str | None
    country: str | None
    agent: str | None  # agent sign / duty code
    system: str | None  # reservation system, e.g. 1A
    originator_type: str | None
    currency: str | None

    def __init__(
        self,
        name: str | None = None,
        iata_number: str | None = None,
        office: str | None = None,
        location: str | None = None,
        country: str | None = None,
        agent: str | None = None,
        system: str | None = None,
        originator_type: str | None = None,
        currency: str | None = None,
    ) -> None:
        self.name = name
        self.iata_number = iata_number
        self.office = office
        self.location = location
        self.country = country
        self.agent = agent
        self.system = system
        self.originator_type = originator_type
        self.currency = currency


@dataclass(slots=True, init=False)
class Codeshare:
    marketing_carrier: str | None
    marketing_number: str | None
    operating_carrier: str | None
    operating_number: str | None

    def __init__(
        self,
        marketing_carrier: str | None,
        marketing_number: str | None,
        operating_carrier: str | None,
        operating_number: str | None,
    ) -> None:
        self.marketing_carrier = marketing_carrier
        self.marketing_number = marketing_number
        self.operating_carrier = operating_carrier
        self.operating_number = operating_number


@dataclass(slots=True, init=False)
class HistoryEntry:
    """One line of PNR history (LTS free text, or ABI/SAC structured history)."""

    text: str
    action: str | None  # A add, X cancel, C change …
    when: datetime | None
    who: str | None

    def __init__(
        self,
        text: str,
        action: str | None = None,
        when: datetime | None = None,
        who: str | None = None,
    ) -> None:
        self.text = text
        self.action = action
        self.when = when
        self.who = who


@dataclass(slots=True, init=False)
class Ssr:
    """A special service request as sent, kept whole for explanations and audits."""

    code: str
    text: str | None
    status: str | None
    carrier: str | None
    traveller_ref: str | None
    segment_ref: str | None

    def __init__(
        self,
        code: str,
        text: str | None = None,
        status: str | None = None,
        carrier: str | None = None,
        traveller_ref: str | None = None,
        segment_ref: str | None = None,
    ) -> None:
        self.code = code
        self.text = text
        self.status = status
        self.carrier = carrier
        self.traveller_ref = traveller_ref
        self.segment_ref = segment_ref


@dataclass(slots=True, init=False)
class Traveller:
    """A person on a flight (API) or in a booking (PNR)."""

    surname: str | None
    given_names: str | None
    role: Role
    date_of_birth: date | None
    gender: str | None  # M, F, U, X as sent (PNR MI/FI become M/F with role infant)
    nationality: str | None
    residence_country: str | None
    birth_place: str | None
    birth_country: str | None
    embarkation: str | None
    debarkation: str | None
    clearance: str | None  # LOC+22: place of clearance
    documents: list[Document]
    bag_count: int | None
    bag_weight_kg: float | None
    bag_tags: list[str]
    seat: str | None
    record_locator: str | None  # API: RFF+AVF; PNR: the booking's locator
    reference: str | None  # API: RFF+ABO unique passenger reference; PNR: traveller ref (TIF)
    unique_reference: str | None  # PNR: REF unique passenger identifier (UPI)
    verified: bool | None  # API: GEI+4+173 (True) / 174 (False)
    address: Address | None
    phones: list[Phone]
    emails: list[Email]
    ticket_number: str | None
    title: str | None  # MR, MRS … split off the given names
    passenger_type: str | None  # PNR PTC: A/ADT, C/CHD, IN/INF …
    with_infant: bool
    accompanying_ref: str | None  # for an infant: the traveller ref of the adult
    frequent_flyers: list[FrequentFlyer]
    boarding_status: str | None
    check_in_sequence: str | None

    def __init__(
        self,
        surname: str | None = None,
        given_names: str | None = None,
        role: Role = Role.PASSENGER,
        date_of_birth: date | None = None,
        gender: str | None = None,
        nationality: str | None = None,
        residence_country: str | None = None,
        birth_place: str | None = None,
        birth_country: str | None = None,
        embarkation: str | None = None,
        debarkation: str | None = None,
        clearance: str | None = None,
        documents: list[Document] | None = None,
        bag_count: int | None = None,
        bag_weight_kg: float | None = None,
        bag_tags: list[str] | None = None,
        seat: str | None = None,
        record_locator: str | None = None,
        reference: str | None = None,
        unique_reference: str | None = None,
        verified: bool | None = None,
        address: Address | None = None,
        phones: list[Phone] | None = None,
        emails: list[Email] | None = None,
        ticket_number: str | None = None,
        title: str | None = None,
        passenger_type: str | None = None,
        with_infant: bool = False,
        accompanying_ref: str | None = None,
        frequent_flyers: list[FrequentFlyer] | None = None,
        boarding_status: str | None = None,
        check_in_sequence: str | None = None,
    ) -> None:
        self.surname = surname
        self.given_names = given_names
        self.role = role
        self.date_of_birth = date_of_birth
        self.gender = gender
        self.nationality = nationality
        self.residence_country = residence_country
        self.birth_place = birth_place
        self.birth_country = birth_country
        self.embarkation = embarkation
        self.debarkation = debarkation
        self.clearance = clearance
        self.documents = list() if documents is None else documents
        self.bag_count = bag_count
        self.bag_weight_kg = bag_weight_kg
        self.bag_tags = list() if bag_tags is None else bag_tags
        self.seat = seat
        self.record_locator = record_locator
        self.reference = reference
        self.unique_reference = unique_reference
        self.verified = verified
        self.address = address
        self.phones = list() if phones is None else phones
        self.emails = list() if emails is None else emails
        self.ticket_number = ticket_number
        self.title = title
        self.passenger_type = passenger_type
        self.with_infant = with_infant
        self.accompanying_ref = accompanying_ref
        self.frequent_flyers = list() if frequent_flyers is None else frequent_flyers
        self.boarding_status = boarding_status
        self.check_in_sequence = check_in_sequence


@dataclass(slots=True, init=False)
class ReportingParty:
    name: str | None
    id: str | None
    phone: str | None
    fax: str | None
    email: str | None

    def __init__(
        self,
        name: str | None = None,
        id: str | None = None,
        phone: str | None = None,
        fax: str | None = None,
        email: str | None = None,
    ) -> None:
        self.name = name
        self.id = id
        self.phone = phone
        self.fax = fax
        self.email = email


@dataclass(slots=True, init=False)
class Part:
    """Position of a message in a multi-part series (UNH S010): key = common access reference."""

    key: str | None
    sequence: int
    final: bool

    def __init__(
        self,
        key: str | None = None,
        sequence: int = 1,
        final: bool = True,
    ) -> None:
        self.key = key
        self.sequence = sequence
        self.final = final


@dataclass(slots=True, init=False)
class Pnr:
    record_locator: str | None
    carrier: str | None  # owner of the locator (reservation system or airline)
    other_locators: list[tuple[str | None, str]]  # (carrier, locator)
    created: datetime | None
    last_modified: datetime | None
    ticketed: date | None
    travellers: list[Traveller]
    itinerary: list[FlightLeg]
    phones: list[Phone]
    emails: list[Email]
    addresses: list[Address]
    payments: list[Payment]
    tickets: list[Ticket]
    bags: list[Bag]
    seats: list[Seat]
    agency: Agency | None
    codeshares: list[Codeshare]
    history: list[HistoryEntry]
    ssrs: list[Ssr]
    remarks: list[str]
    passenger_count: int | None
    first_segment: int | None  # index of the SRC (or XML element order) that opened this PNR
    raw_digest: str | None  # digest of the PNR's segments as sent and what reading them depends on (EDIFACT)
    warnings: list[Diagnostic]

    def __init__(
        self,
        record_locator: str | None = None,
        carrier: str | None = None,
        other_locators: list[tuple[str | None, str]] | None = None,
        created: datetime | None = None,
        last_modified: datetime | None = None,
        ticketed: date | None = None,
        travellers: list[Traveller] | None = None,
        itinerary: list[FlightLeg] | None = None,
        phones: list[Phone] | None = None,
        emails: list[Email] | None = None,
        addresses: list[Address] | None = None,
        payments: list[Payment] | None = None,
        tickets: list[Ticket] | None = None,
        bags: list[Bag] | None = None,
        seats: list[Seat] | None = None,
        agency: Agency | None = None,
        codeshares: list[Codeshare] | None = None,
        history: list[HistoryEntry] | None = None,
        ssrs: list[Ssr] | None = None,
        remarks: list[str] | None = None,
        passenger_count: int | None = None,
        first_segment: int | None = None,
        raw_digest: str | None = None,
        warnings: list[Diagnostic] | None = None,
    ) -> None:
        self.record_locator = record_locator
        self.carrier = carrier
        self.other_locators = list() if other_locators is None else other_locators
        self.created = created
        self.last_modified = last_modified
        self.ticketed = ticketed
        self.travellers = list() if travellers is None else travellers
        self.itinerary = list() if itinerary is None else itinerary
        self.phones = list() if phones is None else phones
        self.emails = list() if emails is None else emails
        self.addresses = list() if addresses is None else addresses
        self.payments = list() if payments is None else payments
        self.tickets = list() if tickets is None else tickets
        self.bags = list() if bags is None else bags
        self.seats = list() if seats is None else seats
        self.agency = agency
        self.codeshares = list() if codeshares is None else codeshares
        self.history = list() if history is None else history
        self.ssrs = list() if ssrs is None else ssrs
        self.remarks = list() if remarks is None else remarks
        self.passenger_count = passenger_count
        self.first_segment = first_segment
        self.raw_digest = raw_digest
        self.warnings = list() if warnings is None else warnings


@dataclass(slots=True, init=False)
class Message:
    """One API or PNR message (one UNH..UNT, or one XML document) with what it says."""

    type: Literal["PAXLST", "PNRGOV"]
    version: str | None  # e.g. D02B, D15B, US, 11.1, XML
    sender: str | None
    recipient: str | None
    prepared: datetime | None  # UNB/UNG date and time of preparation
    interchange_reference: str | None
    reference: str | None  # UNH message reference
    part: Part
    flights: list[FlightLeg]  # API: every leg; PNR: the pushed (prime) flight
    # API
    list_type: str | None  # "passenger", "crew", or the BGM code as sent
    list_code: str | None  # BGM 1001 as sent (745, 250, 266 …)
    list_function: str | None  # BGM 1004 document identifier: C, CP, CLOB, CLNB, XR …
    transaction_reference: str | None  # RFF+TN
    revision: str | None
    reporting_party: ReportingParty | None
    travellers: list[Traveller]
    declared_passengers: int | None  # CNT+42 (whole flight, not this message)
    declared_crew: int | None  # CNT+41
    # PNR
    originator: Agency | None  # header ORG: system / location that pushed
    pnrs: list[Pnr]
    unchanged_pnrs: list[str]  # raw digests of PNRs not read again: the caller knows them unchanged (see Envelope)
    declared_pnrs: int | None  # EQN
    first_segment: int | None
    last_segment: int | None
    warnings: list[Diagnostic]

    def __init__(
        self,
        type: Literal["PAXLST", "PNRGOV"],
        version: str | None = None,
        sender: str | None = None,
        recipient: str | None = None,
        prepared: datetime | None = None,
        interchange_reference: str | None = None,
        reference: str | None = None,
        part: Part | None = None,
        flights: list[FlightLeg] | None = None,
        list_type: str | None = None,
        list_code: str | None = None,
        list_function: str | None = None,
        transaction_reference: str | None = None,
        revision: str | None = None,
        reporting_party: ReportingParty | None = None,
        travellers: list[Traveller] | None = None,
        declared_passengers: int | None = None,
        declared_crew: int | None = None,
        originator: Agency | None = None,
        pnrs: list[Pnr] | None = None,
        unchanged_pnrs: list[str] | None = None,
        declared_pnrs: int | None = None,
        first_segment: int | None = None,
        last_segment: int | None = None,
        warnings: list[Diagnostic] | None = None,
    ) -> None:
        self.type = type
        self.version = version
        self.sender = sender
        self.recipient = recipient
        self.prepared = prepared
        self.interchange_reference = interchange_reference
        self.reference = reference
        self.part = Part() if part is None else part
        self.flights = list() if flights is None else flights
        self.list_type = list_type
        self.list_code = list_code
        self.list_function = list_function
        self.transaction_reference = transaction_reference
        self.revision = revision
        self.reporting_party = reporting_party
        self.travellers = list() if travellers is None else travellers
        self.declared_passengers = declared_passengers
        self.declared_crew = declared_crew
        self.originator = originator
        self.pnrs = list() if pnrs is None else pnrs
        self.unchanged_pnrs = list() if unchanged_pnrs is None else unchanged_pnrs
        self.declared_pnrs = declared_pnrs
        self.first_segment = first_segment
        self.last_segment = last_segment
        self.warnings = list() if warnings is None else warnings


@dataclass(slots=True, init=False)
class ParsedFile:
    """Everything read from one file or request body."""

    messages: list[Message]
    warnings: list[Diagnostic]  # envelope: wrappers, UNA, encoding, counts
    errors: list[Diagnostic]  # what could not be read, and where

    def __init__(
        self,
        messages: list[Message] | None = None,
        warnings: list[Diagnostic] | None = None,
        errors: list[Diagnostic] | None = None,
    ) -> None:
        self.messages = list() if messages is None else messages
        self.warnings = list() if warnings is None else warnings
        self.errors = list() if errors is None else errors

    @property
    def readable(self) -> bool:
        return bool(self.messages)


def to_jsonable(value: Any) -> Any:
    """Turn records into JSON-ready values: dates as ISO text, enums as their value, tuples as lists."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    return value
