"""Typed records produced by every parser (PAXLST, PNRGOV EDIFACT, PNRGOV XML).

The records are plain data: no database, no I/O. Dates are ``date``; flight times are naive ``datetime`` in the
local time of the airport they belong to, exactly as the airline sent them (never assume UTC).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
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


@dataclass(slots=True)
class FlightLeg:
    """One flight leg: the reported leg of an API list, a PNR's prime flight, or one itinerary segment."""

    carrier: str | None = None
    number: str | None = None  # digits without leading zeros, e.g. "6" for TZ0006
    suffix: str | None = None  # operational suffix letter, e.g. "A" in LH400A
    origin: str | None = None  # IATA airport code
    destination: str | None = None
    departure: datetime | None = None  # scheduled, airport-local
    arrival: datetime | None = None  # scheduled, airport-local
    progressive: bool = False  # reported with LOC+92 (routing) rather than LOC+125/87
    # Itinerary details (PNR)
    booking_class: str | None = None
    status: str | None = None  # reservation status, e.g. HK, UN, XX
    party_size: int | None = None
    operating_carrier: str | None = None  # set when another carrier operates the flight (codeshare)
    operating_number: str | None = None
    equipment: str | None = None


@dataclass(slots=True)
class Document:
    """A travel document: passport, visa, ID card, residence card …"""

    type: str | None = None  # P, V, I, A, C … as sent
    number: str | None = None
    issuing_country: str | None = None  # as sent: ISO alpha-3 normally, alpha-2 in some PNR feeds
    expiry: date | None = None
    issue_date: date | None = None
    nationality: str | None = None  # from SSR DOCS / PDT
    place_of_issue: str | None = None  # free text (DOCO)
    source: str | None = None  # DOC, DOCS, DOCO, FOID, PDT, XML


@dataclass(slots=True)
class Address:
    street: str | None = None
    city: str | None = None
    region: str | None = None
    postcode: str | None = None
    country: str | None = None
    kind: str | None = None  # e.g. "residence", "destination", "billing", "agency"
    traveller_ref: str | None = None


@dataclass(slots=True)
class Phone:
    number: str
    kind: str | None = None  # mobile, home, business, agency, fax …
    traveller_ref: str | None = None


@dataclass(slots=True)
class Email:
    address: str
    traveller_ref: str | None = None


@dataclass(slots=True)
class FrequentFlyer:
    carrier: str | None
    number: str
    tier: str | None = None


@dataclass(slots=True)
class Ticket:
    number: str
    type: str | None = None  # T = e-ticket …
    coupons: str | None = None
    issue_date: date | None = None
    issuing_carrier: str | None = None
    place_of_issue: str | None = None
    fare: str | None = None  # decimal string
    currency: str | None = None
    base_fare: str | None = None
    taxes: str | None = None  # total of TXD amounts, decimal string
    one_way: bool | None = None
    traveller_ref: str | None = None


@dataclass(slots=True)
class Payment:
    """A form of payment. Card numbers are never kept in clear: last four digits plus a keyed hash."""

    type: str  # CA cash, CC card, MS miscellaneous, CK cheque, IN invoice …
    amount: str | None = None
    currency: str | None = None
    card_type: str | None = None  # VI, CA, AX …
    card_last4: str | None = None
    card_hash: str | None = None  # HMAC-SHA256 of the digits, keyed (see gtas.parsers.cards)
    card_expiry: str | None = None
    card_holder: str | None = None
    billing_address: Address | None = None
    traveller_ref: str | None = None


@dataclass(slots=True)
class Bag:
    traveller_ref: str | None = None
    count: int | None = None
    weight_kg: float | None = None
    tags: list[str] = field(default_factory=list)
    destination: str | None = None
    carrier: str | None = None  # airline (2-letter or 3-digit numeric code) that issued the tags
    pool: str | None = None  # head-of-pool reference when bags are pooled
    excess: bool = False  # EBD excess baggage


@dataclass(slots=True)
class Seat:
    number: str  # e.g. "11D", leading zeros of the row stripped
    traveller_ref: str | None = None
    cabin: str | None = None
    origin: str | None = None
    destination: str | None = None
    carrier: str | None = None
    flight_number: str | None = None
    source: str | None = None  # "checkin" (SSD / API) or "request" (SSR SEAT)


@dataclass(slots=True)
class Agency:
    name: str | None = None
    iata_number: str | None = None
    office: str | None = None  # pseudo-city / office id
    location: str | None = None
    country: str | None = None
    agent: str | None = None  # agent sign / duty code
    system: str | None = None  # reservation system, e.g. 1A
    originator_type: str | None = None
    currency: str | None = None


@dataclass(slots=True)
class Codeshare:
    marketing_carrier: str | None
    marketing_number: str | None
    operating_carrier: str | None
    operating_number: str | None


@dataclass(slots=True)
class HistoryEntry:
    """One line of PNR history (LTS free text, or ABI/SAC structured history)."""

    text: str
    action: str | None = None  # A add, X cancel, C change …
    when: datetime | None = None
    who: str | None = None


@dataclass(slots=True)
class Ssr:
    """A special service request as sent, kept whole for explanations and audits."""

    code: str
    text: str | None = None
    status: str | None = None
    carrier: str | None = None
    traveller_ref: str | None = None
    segment_ref: str | None = None


@dataclass(slots=True)
class Traveller:
    """A person on a flight (API) or in a booking (PNR)."""

    surname: str | None = None
    given_names: str | None = None
    role: Role = Role.PASSENGER
    date_of_birth: date | None = None
    gender: str | None = None  # M, F, U, X as sent (PNR MI/FI become M/F with role infant)
    nationality: str | None = None
    residence_country: str | None = None
    birth_place: str | None = None
    birth_country: str | None = None
    embarkation: str | None = None
    debarkation: str | None = None
    clearance: str | None = None  # LOC+22: place of clearance
    documents: list[Document] = field(default_factory=list)
    bag_count: int | None = None
    bag_weight_kg: float | None = None
    bag_tags: list[str] = field(default_factory=list)
    seat: str | None = None
    record_locator: str | None = None  # API: RFF+AVF; PNR: the booking's locator
    reference: str | None = None  # API: RFF+ABO unique passenger reference; PNR: traveller ref (TIF)
    unique_reference: str | None = None  # PNR: REF unique passenger identifier (UPI)
    verified: bool | None = None  # API: GEI+4+173 (True) / 174 (False)
    address: Address | None = None
    phones: list[Phone] = field(default_factory=list)
    emails: list[Email] = field(default_factory=list)
    ticket_number: str | None = None
    title: str | None = None  # MR, MRS … split off the given names
    passenger_type: str | None = None  # PNR PTC: A/ADT, C/CHD, IN/INF …
    with_infant: bool = False
    accompanying_ref: str | None = None  # for an infant: the traveller ref of the adult
    frequent_flyers: list[FrequentFlyer] = field(default_factory=list)
    boarding_status: str | None = None
    check_in_sequence: str | None = None


@dataclass(slots=True)
class ReportingParty:
    name: str | None = None
    id: str | None = None
    phone: str | None = None
    fax: str | None = None
    email: str | None = None


@dataclass(slots=True)
class Part:
    """Position of a message in a multi-part series (UNH S010): key = common access reference."""

    key: str | None = None
    sequence: int = 1
    final: bool = True


@dataclass(slots=True)
class Pnr:
    record_locator: str | None = None
    carrier: str | None = None  # owner of the locator (reservation system or airline)
    other_locators: list[tuple[str | None, str]] = field(default_factory=list)  # (carrier, locator)
    created: datetime | None = None
    last_modified: datetime | None = None
    ticketed: date | None = None
    travellers: list[Traveller] = field(default_factory=list)
    itinerary: list[FlightLeg] = field(default_factory=list)
    phones: list[Phone] = field(default_factory=list)
    emails: list[Email] = field(default_factory=list)
    addresses: list[Address] = field(default_factory=list)
    payments: list[Payment] = field(default_factory=list)
    tickets: list[Ticket] = field(default_factory=list)
    bags: list[Bag] = field(default_factory=list)
    seats: list[Seat] = field(default_factory=list)
    agency: Agency | None = None
    codeshares: list[Codeshare] = field(default_factory=list)
    history: list[HistoryEntry] = field(default_factory=list)
    ssrs: list[Ssr] = field(default_factory=list)
    remarks: list[str] = field(default_factory=list)
    passenger_count: int | None = None
    first_segment: int | None = None  # index of the SRC (or XML element order) that opened this PNR
    warnings: list[Diagnostic] = field(default_factory=list)


@dataclass(slots=True)
class Message:
    """One API or PNR message (one UNH..UNT, or one XML document) with what it says."""

    type: Literal["PAXLST", "PNRGOV"]
    version: str | None = None  # e.g. D02B, D15B, US, 11.1, XML
    sender: str | None = None
    recipient: str | None = None
    prepared: datetime | None = None  # UNB/UNG date and time of preparation
    interchange_reference: str | None = None
    reference: str | None = None  # UNH message reference
    part: Part = field(default_factory=Part)
    flights: list[FlightLeg] = field(default_factory=list)  # API: every leg; PNR: the pushed (prime) flight
    # API
    list_type: str | None = None  # "passenger", "crew", or the BGM code as sent
    list_code: str | None = None  # BGM 1001 as sent (745, 250, 266 …)
    list_function: str | None = None  # BGM 1004 document identifier: C, CP, CLOB, CLNB, XR …
    transaction_reference: str | None = None  # RFF+TN
    revision: str | None = None
    reporting_party: ReportingParty | None = None
    travellers: list[Traveller] = field(default_factory=list)
    declared_passengers: int | None = None  # CNT+42 (whole flight, not this message)
    declared_crew: int | None = None  # CNT+41
    # PNR
    originator: Agency | None = None  # header ORG: system / location that pushed
    pnrs: list[Pnr] = field(default_factory=list)
    declared_pnrs: int | None = None  # EQN
    first_segment: int | None = None
    last_segment: int | None = None
    warnings: list[Diagnostic] = field(default_factory=list)


@dataclass(slots=True)
class ParsedFile:
    """Everything read from one file or request body."""

    messages: list[Message] = field(default_factory=list)
    warnings: list[Diagnostic] = field(default_factory=list)  # envelope: wrappers, UNA, encoding, counts
    errors: list[Diagnostic] = field(default_factory=list)  # what could not be read, and where

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
