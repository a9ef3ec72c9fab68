"""PAXLST (API passenger and crew lists) to records: one pass over the body, one handler per segment family.

Reads the WCO/IATA/ICAO guide's PAXLST (D02B … D15B), CBP ACE land manifests (D03B: BGM 10, NAD VW, DTM 132/102)
and the older US-EDIFACT variant (CTA, TDT, LOC 005/008, DTM 136/132, UNS, PDT). Bad or missing values become
warnings on the message; a person group always yields a traveller with whatever it holds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from gtas.numbers import COUNT_DIGITS, whole_number
from gtas.parsers import Envelope, edifact, register, values
from gtas.parsers.records import (
    Address,
    Document,
    Email,
    FlightLeg,
    Message,
    ParseError,
    Part,
    Phone,
    ReportingParty,
    Role,
    Traveller,
)

Segment = edifact.Segment

LIST_TYPES = {"745": "passenger", "250": "crew"}
ROLES = {"FL": Role.PASSENGER, "FM": Role.CREW, "DDT": Role.IN_TRANSIT, "DDU": Role.IN_TRANSIT_CREW,
         "VW": Role.CREW}  # VW: the person named in a CBP ACE (land border) crew manifest
PDT_ROLES = {"PAX": Role.PASSENGER, "CRW": Role.CREW}
CREW_ROLES = (Role.CREW, Role.IN_TRANSIT_CREW)
GENDERS = frozenset({"M", "F", "U", "X"})
LEG_PLACES = frozenset({"125", "87", "92", "005", "008"})
DEPARTURE_PLACES = frozenset({"125", "005"})
ARRIVAL_PLACES = frozenset({"87", "008"})
DEPARTURE_TIMES = frozenset({"189", "136"})
LEG_TIMES = frozenset({"189", "232", "136", "132"})
PERSON_PLACES = frozenset({"22", "174", "178", "179", "180"})
PHONE_KINDS = {"TE": None, "FX": "fax", "AL": "mobile", "HP": "home", "WP": "business"}
IGNORED_TAGS = frozenset({"EMP", "UNS", "QTY", "ERP", "ERC"})
POUND_KG = 0.45359237
MAX_BAG_TAGS = 100  # consecutive tags one FTX+BAG may expand to
MAX_WARNINGS = 200  # per message; a flood of identical faults says nothing more


@dataclass(slots=True)
class _Stop:
    """One LOC of a TDT group with the DTMs that follow it."""

    qualifier: str
    place: str | None
    departure: datetime | None = None
    arrival: datetime | None = None


@dataclass(slots=True)
class _Group:
    """A TDT group (Gr2/Gr3): the flight designator and its itinerary LOCs."""

    carrier: str | None
    number: str | None
    suffix: str | None
    stops: list[_Stop] = field(default_factory=list)
    departure: datetime | None = None  # a DTM before any LOC (CBP ACE)
    arrival: datetime | None = None

    def leg(self, origin: _Stop | None, destination: _Stop | None) -> FlightLeg:
        """The leg from one stop to another (either may be unknown)."""
        return FlightLeg(
            carrier=self.carrier, number=self.number, suffix=self.suffix,
            origin=origin.place if origin else None, destination=destination.place if destination else None,
            departure=(origin.departure if origin else None) or self.departure,
            arrival=(destination.arrival if destination else None) or self.arrival,
            progressive=(origin is not None and origin.qualifier == "92")
            or (destination is not None and destination.qualifier == "92"),
        )

    def legs(self) -> list[FlightLeg]:
        """The legs the LOCs imply: 125→87, and LOC+92 in pairs, chained where a stop also departs."""
        legs: list[FlightLeg] = []
        origin: _Stop | None = None
        for stop in self.stops:
            if origin is not None and stop.qualifier in DEPARTURE_PLACES:
                legs.append(self.leg(origin, None))
                origin = None
            if origin is None and stop.qualifier not in ARRIVAL_PLACES:
                origin = stop
                continue
            legs.append(self.leg(origin, stop))
            origin = stop if stop.qualifier == "92" and stop.departure is not None else None
        if origin is not None:
            legs.append(self.leg(origin, None))
        return legs or [self.leg(None, None)]


def _number(value: str) -> int | None:
    """A count such as ``2`` or ``0002``; None when not a whole number."""
    return whole_number(value.strip(), COUNT_DIGITS)


def _code(value: str) -> str | None:
    """A code (country, airport, locator) as sent, upper case, or None when blank."""
    return value.strip().upper() or None


def _place(value: str) -> str | None:
    """An airport code (US-EDIFACT's ``NZAKL`` → ``AKL``), else the code as sent."""
    code = value.strip().upper()
    if len(code) == 3 and code.isalpha():
        return code
    return values.airport(code) or code or None


def _moment(seg: Segment, reference: date | None) -> datetime | None:
    """A flight DTM: ``189:YYMMDDHHMM:201``, ``:CCYYMMDDHHMM:203``, ``:CCYYMMDD:102`` or US ``136+YYMMDD+HHMM``."""
    value, time = seg.get(0, 1), ""
    if not value:
        value, time = seg.get(1), seg.get(2)
    digits = value.replace(" ", "")
    if len(digits) in (10, 12):
        return values.yymmddhhmm(digits, reference)
    if len(digits) in (6, 8):
        return values.at(values.yymmdd(digits, reference, past=False), time)
    return None


def _version(header: Segment) -> str | None:
    """``PAXLST:D:02B:UN:IATA`` → ``D02B``; the US-EDIFACT ``PAXLST:001:000:NZ`` → ``US``."""
    kind, release = header.get(1, 1).strip().upper(), header.get(1, 2).strip().upper()
    if kind == "D":
        return f"D{release}"
    if kind.isdigit():
        return "US"
    return values.clean(kind + release)


class _Reader:
    """The state of one pass over a PAXLST message body."""

    def __init__(self, raw: edifact.EdifactMessage, envelope: Envelope) -> None:
        self.raw = raw
        self.envelope = envelope
        self.message = Message(
            type="PAXLST", version=_version(raw.header), sender=envelope.sender, recipient=envelope.recipient,
            prepared=envelope.prepared, interchange_reference=envelope.reference,
            reference=values.clean(raw.header.get(0)),
        )
        self.warnings = self.message.warnings
        self.group: _Group | None = None
        self.person: Traveller | None = None
        self.document: Document | None = None
        self.birth_reference: date | None = None
        self.reference_known = False
        self.unknown: set[str] = set()
        self.seen_bgm = False

    def warn(self, seg: Segment, text: str) -> None:
        """Record a warning at a segment (up to MAX_WARNINGS per message)."""
        if len(self.warnings) < MAX_WARNINGS:
            self.warnings.append(seg.diagnostic(text))
        elif len(self.warnings) == MAX_WARNINGS:
            self.warnings.append(seg.diagnostic("too many warnings; the rest of this message's are not shown"))

    def run(self) -> Message:
        """Read every body segment, then check what the message declares against what it holds."""
        self.message.part = self.part(self.raw.header)
        handler, other = _HANDLERS.get, _Reader.other
        for seg in self.raw.body:
            handler(seg.tag, other)(self, seg)
        self.close_group()
        return self.finish()

    def other(self, seg: Segment) -> None:
        """A segment PAXLST does not define: warned about once per tag (known extras such as EMP are quiet)."""
        if seg.tag not in IGNORED_TAGS and seg.tag not in self.unknown:
            self.unknown.add(seg.tag)
            self.warn(seg, f"{seg.tag} segment is not part of PAXLST; ignored")

    def finish(self) -> Message:
        """Refuse an empty message; warn about what is missing or does not add up."""
        message, header = self.message, self.raw.header
        if not (self.seen_bgm or message.flights or message.travellers):
            raise ParseError(header.diagnostic("PAXLST message holds no list: no BGM, flight or person",
                                               severity="error"))
        if not self.seen_bgm and message.version != "US":
            self.warn(header, "no BGM segment: list type unknown")
        if not message.flights:
            self.warn(header, "no flight (TDT) in the list")
        if message.part.sequence == 1 and message.part.final:
            self.check_count(message.declared_passengers, "passengers", False)
            self.check_count(message.declared_crew, "crew members", True)
        return message

    def check_count(self, declared: int | None, what: str, crew: bool) -> None:
        """Warn when a single-part list holds a different number of persons than its CNT declares."""
        if declared is None:
            return
        held = sum(1 for t in self.message.travellers if (t.role in CREW_ROLES) is crew)
        if held != declared:
            self.warn(self.raw.trailer or self.raw.header,
                      f"CNT declares {declared} {what} for the flight but this single-part list holds {held}")

    def part(self, header: Segment) -> Part:
        """Multi-part position from UNH: common access reference, then ``sequence:C|F``."""
        key = values.clean(header.get(2))
        sequence_text, indicator = header.get(3, 0).strip(), header.get(3, 1).strip().upper()
        if not sequence_text and not indicator:
            return Part(key=key)
        sequence = _number(sequence_text)
        if not sequence:
            self.warn(header, f"UNH sequence number {sequence_text!r} is not a number; read as part 1")
            sequence = 1
        if indicator not in ("", "C", "F"):
            self.warn(header, f"UNH first/last indicator {indicator!r} is neither C nor F; read as not last")
        # No indicator: an intermediate part, except part 1, which would say C if more followed.
        return Part(key=key, sequence=sequence, final=indicator == "F" or (not indicator and sequence == 1))

    def reference_day(self) -> date | None:
        """The day dates of birth must not be after: the first leg's departure, else the interchange date."""
        if not self.reference_known:
            self.close_group()
            days = [leg.departure for leg in self.message.flights if leg.departure]
            days += [leg.arrival for leg in self.message.flights if leg.arrival]
            self.birth_reference = days[0].date() if days else self.envelope.reference_date
            self.reference_known = True
        return self.birth_reference

    def day(self, seg: Segment, value: str, past: bool) -> date | None:
        """A person or document date (``YYMMDD`` or ``CCYYMMDD``); a warning when present but unreadable."""
        if not value or value.isspace():
            return None
        result = values.yymmdd(value, self.birth_reference if self.reference_known else self.reference_day(),
                               past=past)
        if result is None:
            self.warn(seg, f"{seg.tag} date {value!r} is not a date; ignored")
        return result

    def no_person(self, seg: Segment) -> None:
        """Warn about a person-group segment that comes before any person."""
        self.warn(seg, f"{seg.tag}+{seg.get(0, 0)} before any person (NAD); ignored")

    def bgm(self, seg: Segment) -> None:
        """BGM: list type (745 passengers, 250 crew, others as sent) and document identifier."""
        self.seen_bgm = True
        code = values.clean(seg.get(0, 0))
        self.message.list_code = code
        self.message.list_type = LIST_TYPES.get(code or "", code)
        self.message.list_function = values.clean(seg.get(1, 0))

    def reporting_party(self) -> ReportingParty:
        """The message sender's contact, created on first use."""
        if self.message.reporting_party is None:
            self.message.reporting_party = ReportingParty()
        return self.message.reporting_party

    def com(self, seg: Segment) -> None:
        """COM: phone, fax or e-mail of the person or the sender."""
        self.contact(seg, 0)

    def contact(self, seg: Segment, first: int) -> None:
        """COM-style elements ``number:TE|FX|EM`` from element ``first`` on, for the person or the sender."""
        person = self.person
        for e in range(first, len(seg)):
            number, kind = values.clean(seg.get(e, 0)), seg.get(e, 1).strip().upper()
            if number is None:
                continue
            if person is not None:
                if kind == "EM":
                    person.emails.append(Email(number))
                else:
                    person.phones.append(Phone(number, PHONE_KINDS.get(kind, kind.lower() or None)))
                continue
            party = self.reporting_party()
            if kind == "EM":
                party.email = party.email or number
            elif kind == "FX":
                party.fax = party.fax or number
            else:
                party.phone = party.phone or number

    def cta(self, seg: Segment) -> None:
        """US-EDIFACT CTA: sender contact name, sometimes with its numbers in the same segment."""
        party = self.reporting_party()
        party.name = party.name or values.clean(seg.get(1, 1) or seg.get(1, 0))
        self.contact(seg, 2)

    def rff(self, seg: Segment) -> None:
        """RFF: TN transaction reference (message) or a person's AVF/ABO/SEA/YZY/AEA/CR reference."""
        parts = seg.components(0)
        qualifier = parts[0].strip().upper() if parts else ""
        value = parts[1].strip() if len(parts) > 1 else ""
        person = self.person
        if person is None:
            if qualifier == "TN":
                self.message.transaction_reference = value or None
                self.message.revision = values.clean(parts[4]) if len(parts) > 4 else None
            return
        if not value:
            return
        if qualifier == "AVF":
            person.record_locator = value
        elif qualifier == "ABO":
            person.reference = value  # ABO wins over AEA/CR whatever the order
        elif qualifier == "SEA":
            person.seat = values.seat(value)
        elif qualifier == "YZY":
            person.ticket_number = value
        elif qualifier in ("AEA", "CR") and person.reference is None:
            person.reference = value

    def tdt(self, seg: Segment) -> None:
        """TDT: opens a flight group; the designator in element 1, the carrier in element 4 (US: 3)."""
        self.close_group()
        self.reference_known = False
        designator = seg.get(1).strip().upper()
        explicit = seg.get(4, 0).strip().upper()
        if not explicit and self.message.version == "US":
            explicit = seg.get(3, 0).strip().upper()
        carrier, number, suffix = values.flight_number(designator, explicit or None)
        if designator and number is None:
            self.warn(seg, f"flight identifier {designator!r} not understood; kept whole as the number")
            carrier, number = explicit or None, designator
        elif explicit and carrier != explicit and len(explicit) == 2 and carrier and len(carrier) == 2:
            self.warn(seg, f"flight identifier {designator!r} does not start with carrier {explicit!r}; "
                           f"kept whole as the number")
            carrier, number, suffix = explicit, designator, None
        self.group = _Group(carrier or None, number, suffix)

    def close_group(self) -> None:
        """Turn the open TDT group into flight legs."""
        if self.group is not None:
            self.message.flights.extend(self.group.legs())
            self.group = None

    def leg_place(self, seg: Segment, qualifier: str) -> None:
        """LOC 125/87/92 (US 005/008): a stop of the open flight group."""
        if self.group is None:
            self.warn(seg, f"LOC+{qualifier} outside a flight (TDT) group; read as a flight without designator")
            self.group, self.reference_known = _Group(None, None, None), False
        code = seg.get(1, 0)
        place = _place(code)
        if place is not None and len(place) != 3:
            self.warn(seg, f"LOC+{qualifier} place {code!r} is not an IATA airport code; kept as sent")
        self.group.stops.append(_Stop(qualifier, place))

    def leg_time(self, seg: Segment, qualifier: str) -> None:
        """DTM 189/136 (departure) or 232/132 (arrival) of the stop before it."""
        group = self.group
        if group is None:
            self.warn(seg, f"DTM+{qualifier} outside a flight (TDT) group; ignored")
            return
        moment = _moment(seg, self.envelope.reference_date)
        if moment is None:
            self.warn(seg, f"DTM+{qualifier} value {seg.get(0, 1) or seg.get(1)!r} is not a date and time")
            return
        target: _Stop | _Group = group.stops[-1] if group.stops else group
        if qualifier in DEPARTURE_TIMES:
            target.departure = moment
        else:
            target.arrival = moment

    def nad(self, seg: Segment) -> None:
        """NAD: MS reporting party, or a person (FL, FM, DDT, DDU, VW) with name and address."""
        qualifier = seg.get(0, 0).strip().upper()
        role = ROLES.get(qualifier)
        if role is None:
            if qualifier == "MS":
                party = self.reporting_party()
                party.name = party.name or values.clean(" ".join(seg.components(3)[:5]))
                party.id = party.id or values.clean(seg.get(1, 0))
                return
            if not self.message.flights and self.group is None:
                self.warn(seg, f"NAD+{qualifier} before any flight is not a person; ignored")
                return
            self.warn(seg, f"NAD qualifier {qualifier!r} unknown; read as a passenger")
            role = Role.PASSENGER
        names = seg.components(3)
        surname = values.clean(names[0]) if names else None
        if surname is None:
            self.warn(seg, "person without surname")
        traveller = Traveller(surname=surname, role=role,
                              given_names=values.clean(" ".join(names[1:5])) if len(names) > 1 else None)
        if len(seg) > 4:
            traveller.address = self.address(seg)
        self.start_person(traveller)

    def address(self, seg: Segment) -> Address | None:
        """NAD elements 4-8: street, city, region (code, or text in component 3), postcode, country."""
        address = Address(
            street=values.clean(" ".join(seg.components(4))), city=values.clean(seg.get(5, 0)),
            region=values.clean(seg.get(6, 0) or seg.get(6, 3)), postcode=values.clean(seg.get(7, 0)),
            country=values.clean(seg.get(8, 0)),
        )
        if address.street or address.city or address.region or address.postcode or address.country:
            return address
        return None

    def start_person(self, traveller: Traveller) -> None:
        """Make a traveller the current person group."""
        if not self.reference_known:
            self.reference_day()
        self.message.travellers.append(traveller)
        self.person, self.document = traveller, None

    def att(self, seg: Segment) -> None:
        """ATT+2: gender; a repeated value (``M*M*M``) gives its first."""
        if (person := self.person) is None:
            return self.no_person(seg)
        if seg.get(0, 0).strip() != "2":
            return
        raw = seg.get(2, 0) or seg.get(1, 0)
        code = raw.strip().upper()
        if code not in GENDERS:
            first = code.replace("*", " ").split()
            code = (values.gender(first[0]) or "") if first else ""
            if raw.strip() and not code:
                self.warn(seg, f"gender {raw!r} is not M, F, U or X; ignored")
        person.gender = code or None

    def dtm(self, seg: Segment) -> None:
        """DTM: flight times (189/232, US 136/132), date of birth (329), document expiry (36) and issue (182)."""
        parts = seg.components(0)
        qualifier = parts[0].strip() if parts else ""
        if qualifier in LEG_TIMES:
            self.leg_time(seg, qualifier)
            return
        if (person := self.person) is None:
            return self.no_person(seg)
        value = parts[1] if len(parts) > 1 else seg.get(1)
        if qualifier == "329":
            person.date_of_birth = self.day(seg, value, past=True)
        elif qualifier in ("36", "182"):
            document = self.document
            if document is None:
                self.warn(seg, f"DTM+{qualifier} outside a document (DOC) group; ignored")
            elif qualifier == "36":
                document.expiry = self.day(seg, value, past=False)
            else:
                document.issue_date = self.day(seg, value, past=True)

    def mea(self, seg: Segment) -> None:
        """MEA: CT checked bag count (``++:2`` or ``++2``), WT bag weight in KGM (LBR converted)."""
        if (person := self.person) is None:
            return self.no_person(seg)
        qualifier = seg.get(0, 0).strip().upper()
        measure = seg.components(2)
        unit = measure[0].strip().upper() if measure else ""
        amount = measure[1] if len(measure) > 1 else (unit if unit[:1].isdigit() else "")
        if qualifier == "CT":
            person.bag_count = _number(amount)
            if person.bag_count is None:
                self.warn(seg, f"bag count {amount!r} is not a number; ignored")
        elif qualifier == "WT":
            weight = values.decimal(amount, self.envelope.decimal_mark)
            if weight is None:
                self.warn(seg, f"bag weight {amount!r} is not a number; ignored")
            elif unit == "LBR":
                weight = round(weight * POUND_KG, 2)
            elif unit != "KGM" and not unit[:1].isdigit():
                self.warn(seg, f"bag weight unit {unit!r} unknown; read as kilograms")
            person.bag_weight_kg = weight

    def gei(self, seg: Segment) -> None:
        """GEI+4: 173 verified, 174 not verified."""
        code = seg.get(1, 0).strip()
        if self.person is None:
            self.no_person(seg)
        elif seg.get(0, 0).strip() == "4" and code in ("173", "174"):
            self.person.verified = code == "173"

    def ftx(self, seg: Segment) -> None:
        """FTX+BAG: first bag tag and the count of consecutive tags."""
        if seg.get(0, 0).strip().upper() != "BAG":
            return
        if (person := self.person) is None:
            return self.no_person(seg)
        tag = seg.components(3)
        first = tag[0].strip().upper() if tag else ""
        if not first:
            return
        count_text = tag[1].strip() if len(tag) > 1 else ""
        count = _number(count_text) if count_text else 1
        if count is None or count > MAX_BAG_TAGS:
            self.warn(seg, f"bag tag count {count_text!r} unreadable or above {MAX_BAG_TAGS}; first tag kept")
            count = 1
        if count == 1:
            person.bag_tags.append(first)
        else:
            person.bag_tags.extend(values.bag_tags(first, count))

    def loc(self, seg: Segment) -> None:
        """LOC: flight stops (125/87/92, US 005/008), person places (22/174/178/179/180), issuer (91)."""
        qualifier = seg.get(0, 0).strip()
        if qualifier in LEG_PLACES:
            self.leg_place(seg, qualifier)
            return
        if qualifier == "91":
            self.issuer(seg)
            return
        if (person := self.person) is None:
            return self.no_person(seg)
        if qualifier not in PERSON_PLACES:
            self.warn(seg, f"LOC qualifier {qualifier!r} unknown; ignored")
            return
        where = seg.components(1)
        code = where[0] if where else ""
        if qualifier == "178":
            person.embarkation = _place(code) or self.place_text(seg)
        elif qualifier == "179":
            person.debarkation = _place(code) or self.place_text(seg)
        elif qualifier == "22":
            person.clearance = _place(code) or self.place_text(seg)
        elif qualifier == "174":
            person.residence_country = _code(code) or self.place_text(seg)
        else:
            person.birth_country = _code(code)
            person.birth_place = self.place_text(seg)

    @staticmethod
    def place_text(seg: Segment) -> str | None:
        """The free-text place name of a LOC: component 3 of element 1, 2 or 3."""
        return values.clean(seg.get(1, 3) or seg.get(2, 3) or seg.get(3, 3))

    def nat(self, seg: Segment) -> None:
        """NAT+2: nationality."""
        if self.person is None:
            self.no_person(seg)
        else:
            self.person.nationality = _code(seg.get(1, 0)) or self.person.nationality

    def doc(self, seg: Segment) -> None:
        """DOC: opens a document group (type, number); several per person."""
        if (person := self.person) is None:
            return self.no_person(seg)
        document = Document(type=_code(seg.get(0, 0)), number=seg.get(1, 0).strip() or None, source="DOC")
        if document.number is None:
            self.warn(seg, "document without number")
        person.documents.append(document)
        self.document = document

    def issuer(self, seg: Segment) -> None:
        """LOC+91: issuing country (``GBR:::LONDON`` adds the place); a sub-entity code (list 163) is a place."""
        document = self.document
        if document is None:
            self.warn(seg, "LOC+91 outside a document (DOC) group; ignored")
            return
        where = seg.components(1)
        code = _code(where[0]) if where else None
        text = values.clean(where[3]) if len(where) > 3 else None
        if len(where) > 1 and where[1].strip() == "163":
            document.place_of_issue = document.place_of_issue or code or text
            return
        if code is not None and document.issuing_country is None:
            document.issuing_country = code
        document.place_of_issue = text or document.place_of_issue

    def pdt(self, seg: Segment) -> None:
        """US-EDIFACT PDT: ``type/number:expiry:issuer + surname:given:middle:DOB:gender + PAX|CRW + from:to``."""
        self.message.version = "US"
        self.close_group()
        names = [*seg.components(1), "", "", "", "", ""]
        role_code = seg.get(2, 0).strip().upper()
        if role_code not in PDT_ROLES:
            self.warn(seg, f"PDT person type {role_code!r} is neither PAX nor CRW; read as a passenger")
        reference = self.reference_day()
        traveller = Traveller(
            surname=values.clean(names[0]), given_names=values.clean(f"{names[1]} {names[2]}"),
            role=PDT_ROLES.get(role_code, Role.PASSENGER),
            date_of_birth=self.day(seg, names[3], past=True), gender=values.gender(names[4]),
            embarkation=_place(seg.get(3, 0)), debarkation=_place(seg.get(3, 1)),
        )
        if traveller.surname is None:
            self.warn(seg, "person without surname")
        kind, _, number = seg.get(0, 0).partition("/")
        if not number and len(kind.strip()) > 2:
            kind, number = "", kind
        expiry = seg.get(0, 1)
        if kind.strip() or number.strip():
            traveller.documents.append(Document(
                type=_code(kind), number=number.strip() or None, issuing_country=_code(seg.get(0, 2)),
                expiry=values.yymmdd(expiry, reference, past=False) if expiry.strip() else None, source="PDT"))
        self.start_person(traveller)

    def cnt(self, seg: Segment) -> None:
        """CNT 42 (passengers) / 41 (crew): totals for the whole flight (``42:160``, also ``41+8``)."""
        qualifier = seg.get(0, 0).strip()
        if qualifier not in ("41", "42"):
            return
        value = seg.get(0, 1) or seg.get(1, 0)
        total = _number(value)
        if total is None:
            self.warn(seg, f"CNT+{qualifier} total {value!r} is not a number; ignored")
        elif qualifier == "42":
            self.message.declared_passengers = total
        else:
            self.message.declared_crew = total


# Dispatch on the segment tag. A table of the class's functions, not of bound methods: bound methods kept on the
# reader would tie it into a reference cycle, and every segment of the message would wait for the cycle collector.
_HANDLERS: dict[str, Callable[[_Reader, Segment], None]] = {
    "BGM": _Reader.bgm, "RFF": _Reader.rff, "NAD": _Reader.nad, "COM": _Reader.com, "CTA": _Reader.cta,
    "TDT": _Reader.tdt, "LOC": _Reader.loc, "DTM": _Reader.dtm, "ATT": _Reader.att, "MEA": _Reader.mea,
    "GEI": _Reader.gei, "FTX": _Reader.ftx, "NAT": _Reader.nat, "DOC": _Reader.doc, "CNT": _Reader.cnt,
    "PDT": _Reader.pdt,
}


@register("PAXLST")
def parse_paxlst(message: edifact.EdifactMessage, envelope: Envelope) -> Message:
    """Read one PAXLST message into a :class:`Message` of flight legs and travellers."""
    return _Reader(message, envelope).run()
