"""PNRGOV SSRs and contacts: decoding their free text, and tying them to the travellers of a PNR.

The first half is pure string functions (SSR DOCS/DOCO/DOCA/FOID/TKNE/INFT texts, CTC contacts, names with
titles, seats). The second half is the per-PNR state the reader keeps and what happens when a PNR ends: SSRs
whose traveller is known only then (DOCS before their TIF, infants) are tied, and the pushed flight's seat and bags
are set on each traveller.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Final

from gtas.parsers import values
from gtas.parsers.edifact import Segment
from gtas.parsers.records import (
    Address,
    Bag,
    Diagnostic,
    Document,
    Email,
    FlightLeg,
    FrequentFlyer,
    HistoryEntry,
    Payment,
    Phone,
    Pnr,
    Role,
    Seat,
    Ticket,
    Traveller,
)

TITLES: Final = frozenset({
    "MR", "MRS", "MS", "MISS", "MSTR", "MSTER", "DR", "PROF", "REV", "SIR", "LADY", "MME", "MLLE", "CAPT", "HON",
})
# Titles that airlines glue to the given name (``JOHNMR``). MS and DR are left alone: WILLIAMS, ALEXANDR.
GLUED_TITLES: Final = ("MSTR", "MISS", "MRS", "MR")
SEAT_SSRS: Final = frozenset({"SEAT", "RQST", "NSST", "NSSA", "NSSW", "NSSB", "SMST", "SMSA", "SMSW", "SMSB", "EXST"})
PHONE_KINDS: Final = {"M": "mobile", "H": "home", "B": "business", "W": "business", "T": "agency", "A": "agency",
                      "F": "fax", "P": "phone"}

_LINE_BREAKS: Final = re.compile(r"[\r\n]+")
_NOT_LETTERS: Final = re.compile(r"[^A-Z]+")
_SEAT: Final = re.compile(r"0*(\d{1,3})([A-Z])")
_PHONE: Final = re.compile(r"(?:\b([A-Z])\s*)?(\+?\d[\d \-/().]{4,}\d)")
_TICKET: Final = re.compile(r"(\d{13,15})(?:C(\d))?")
_FLIGHT: Final = re.compile(r"\b([A-Z0-9]{2})\s*0*(\d{1,4})\b")
_LANGUAGE_SUFFIX: Final = re.compile(r"/[A-Z]{2}$")
_CONTACT: Final = re.compile(r"\s*(CTC[A-Z])\b\s*(.*)", re.DOTALL)
_FOID: Final = re.compile(r"\s*/?([A-Z]{2})\s*([A-Z0-9]+)")
_CARD_DIGITS: Final = re.compile(r"\d{8,}(\d{4})")
_INFT: Final = re.compile(r"\s*([A-Z' -]+)/([A-Z' -]+?)\s*(\d{1,2}[A-Z]{3}\d{2,4})?\s*$")
_FREQUENT_FLYER: Final = re.compile(r"\s*([A-Z0-9]{2})\s*([A-Z0-9]{4,})")


def unwrap(text: str) -> str:
    """Text with the line breaks of fixed-width wrapping removed (``SMITHJ\\r\\nR`` → ``SMITHJR``)."""
    if "\n" not in text and "\r" not in text:
        return text  # the usual case: no regular expression needed
    return _LINE_BREAKS.sub("", text)


_COMPACT_SEEN: Final[dict[str, str]] = {}


def compact(name: str | None) -> str:
    """A name reduced to its letters, for comparing ``SE JOON`` with ``SEJOON`` (memoised: names repeat)."""
    if not name:
        return ""
    found = _COMPACT_SEEN.get(name)
    if found is None:
        if len(_COMPACT_SEEN) > 50_000:
            _COMPACT_SEEN.clear()
        found = _COMPACT_SEEN[name] = _NOT_LETTERS.sub("", name.upper())
    return found


def split_title(given: str) -> tuple[str | None, str | None]:
    """(given names, title): a trailing ``MRS``/``MR``/… word, or a glued ``JOHNMR``, becomes the title."""
    words = given.split()
    if len(words) > 1 and words[-1].upper() in TITLES:
        return " ".join(words[:-1]) or None, words[-1].upper()
    if len(words) == 1:
        word = words[0]
        for title in GLUED_TITLES:
            if word.upper().endswith(title) and len(word) - len(title) >= 2:
                return word[: -len(title)], title
        if word.upper() in TITLES:
            return None, word.upper()
    return " ".join(words) or None, None


_SEATS_SEEN: Final[dict[str, str | None]] = {}


def seat_number(value: str) -> str | None:
    """``011D`` → ``11D``; ``XXX`` (no seat yet) and anything else → None (memoised: seats repeat)."""
    found = _SEATS_SEEN.get(value, "")  # "" is never a seat number: not seen yet
    if found == "":
        if len(_SEATS_SEEN) > 50_000:
            _SEATS_SEEN.clear()
        m = _SEAT.fullmatch(value.strip().upper())
        found = _SEATS_SEEN[value] = f"{int(m.group(1))}{m.group(2)}" if m else None
    return found


def decode_email(text: str) -> str | None:
    """A CTCE address: ``//`` is ``@``, ``..`` is ``_``; a trailing ``/EN`` language code is dropped."""
    value = unwrap(text).strip()
    if "@" not in value and "//" not in value:
        return None
    value = value.replace("//", "@").replace("..", "_")
    if "/" in value:
        value = _LANGUAGE_SUFFIX.sub("", value)
    value = value.strip()
    return value or None


def phones(text: str) -> list[tuple[str | None, str]]:
    """Phone numbers in a text as (kind, digits): ``H5555555555 W 1 555 555 5555`` gives home and business."""
    found: list[tuple[str | None, str]] = []
    for m in _PHONE.finditer(unwrap(text.upper())):
        sent: str = m.group(2)
        digits = sent if sent.isdigit() else "".join([ch for ch in sent if ch.isdigit()])
        if len(digits) < 6:
            continue
        number = ("+" if sent.startswith("+") else "") + digits
        found.append((PHONE_KINDS.get(m.group(1) or ""), number))
    return found


def contact(code: str, text: str) -> tuple[str, str, str | None] | None:
    """A CTCx contact as ("email", address, None) or ("phone", number, kind); None when there is none."""
    code = code.upper()
    if code == "CTCE":
        address = decode_email(text)
        return ("email", address, None) if address else None
    numbers = phones(text)
    if not numbers:
        return None
    kind = PHONE_KINDS.get(code[3:4]) if code != "CTCR" else None
    return "phone", numbers[0][1], kind or numbers[0][0]


def contact_in_text(text: str) -> tuple[str, str] | None:
    """(code, rest) for a free text that starts with a contact code: ``CTCE MOLLY//GMAIL.COM``."""
    if "CTC" not in text:
        return None  # the usual remark: no regular expression needed
    m = _CONTACT.match(text)
    return (m.group(1), m.group(2)) if m else None


def _fields(text: str) -> list[str]:
    value = unwrap(text).strip()
    if value.startswith("/"):
        value = value[1:]
    return [f.strip() for f in value.split("/")]


def _padded_fields(text: str, size: int) -> list[str]:
    """``_fields`` padded with empty strings to at least ``size``."""
    fields = _fields(text)
    while len(fields) < size:
        fields.append("")
    return fields


def _at(fields: list[str], i: int) -> str:
    return fields[i] if i < len(fields) else ""


@dataclass(slots=True, init=False)
class Docs:
    """SSR DOCS: /type/issuer/number/nationality/DOB/gender/expiry/surname/given/middle[/H]."""

    type: str
    issuer: str
    number: str
    nationality: str
    birth: str
    gender: str
    expiry: str
    surname: str
    given: str
    middle: str

    def __init__(
        self,
        type: str,
        issuer: str,
        number: str,
        nationality: str,
        birth: str,
        gender: str,
        expiry: str,
        surname: str,
        given: str,
        middle: str,
    ) -> None:
        self.type = type
        self.issuer = issuer
        self.number = number
        self.nationality = nationality
        self.birth = birth
        self.gender = gender
        self.expiry = expiry
        self.surname = surname
        self.given = given
        self.middle = middle

    @property
    def infant(self) -> bool:
        return self.gender.upper() in ("MI", "FI")


def read_docs(text: str) -> Docs:
    f = [field.upper() for field in _padded_fields(text, 10)]
    return Docs(f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8], f[9])


@dataclass(slots=True, init=False)
class Doco:
    """SSR DOCO: /place of birth/type/number/place of issue/issue date/country where valid[/I]."""

    birth_place: str
    type: str
    number: str
    place_of_issue: str
    issued: str
    valid_for: str
    infant: bool

    def __init__(
        self,
        birth_place: str,
        type: str,
        number: str,
        place_of_issue: str,
        issued: str,
        valid_for: str,
        infant: bool,
    ) -> None:
        self.birth_place = birth_place
        self.type = type
        self.number = number
        self.place_of_issue = place_of_issue
        self.issued = issued
        self.valid_for = valid_for
        self.infant = infant


def read_doco(text: str) -> Doco:
    f = _padded_fields(text, 7)
    return Doco(f[0], f[1], f[2], f[3], f[4], f[5], f[6].upper() == "I")


@dataclass(slots=True, init=False)
class Doca:
    """SSR DOCA: /R or D/country/street/city/state/postcode[/I]."""

    kind: str
    country: str
    street: str
    city: str
    region: str
    postcode: str
    infant: bool

    def __init__(
        self,
        kind: str,
        country: str,
        street: str,
        city: str,
        region: str,
        postcode: str,
        infant: bool,
    ) -> None:
        self.kind = kind
        self.country = country
        self.street = street
        self.city = city
        self.region = region
        self.postcode = postcode
        self.infant = infant


def read_doca(text: str) -> Doca:
    f = _padded_fields(text, 7)
    return Doca(f[0].upper(), f[1], f[2], f[3], f[4], f[5], f[6].upper() == "I")


def read_foid(text: str) -> tuple[str, str] | None:
    """SSR FOID ``PP123456789`` → ("PP", "123456789"): form of identification code and number."""
    m = _FOID.match(unwrap(text).upper())
    return (m.group(1), m.group(2)) if m else None


def mask_digits(text: str) -> str:
    """Every run of 12+ digits (a card number) replaced by its last four: ``CC4111111111111111`` → ``CC…1111``."""
    return _CARD_DIGITS.sub(lambda m: "…" + m.group(1), text)


def read_ticket(text: str) -> tuple[str, str | None] | None:
    """SSR TKNE ``6182402058077C1`` or ``TKT NBR 55890050196026 …`` → (ticket number, coupon)."""
    m = _TICKET.search(unwrap(text))
    return (m.group(1), m.group(2)) if m else None


def read_inft(text: str) -> tuple[str, str, str] | None:
    """SSR INFT ``BELT/SOPHY 20SEP12`` → (surname, given names, DOB text)."""
    m = _INFT.match(unwrap(text).upper())
    if not m:
        return None
    return m.group(1).strip(), m.group(2).strip(), m.group(3) or ""


def read_frequent_flyer(text: str) -> tuple[str, str] | None:
    """SSR FQTV ``SQ8794285757`` → ("SQ", "8794285757")."""
    m = _FREQUENT_FLYER.match(unwrap(text).upper())
    return (m.group(1), m.group(2)) if m else None


def flight_in_text(text: str) -> tuple[str, str] | None:
    """A flight designator in free text: ``UA 0226`` → ("UA", "226")."""
    m = _FLIGHT.search(text.upper())
    return (m.group(1), m.group(2)) if m else None


# ------------------------------------------------------------------------------------------------------------------
# Tying SSRs and check-in data to travellers once the whole PNR is read
# ------------------------------------------------------------------------------------------------------------------


class Zone(Enum):
    """Where in a PNR the reader is; it decides what TIF, TVL, DAT, SSR, IFT and ADD mean."""

    BOOKING = "booking"
    TRAVELLER = "traveller"
    LEG = "leg"
    CHECKIN = "checkin"
    NONAIR = "nonair"
    HISTORY = "history"


# The members as final module constants: looking a member up on an Enum class costs a descriptor call every time, a
# plain module name a dictionary look-up; compiled, a final one is a C variable. The reader compares zones on nearly
# every segment.
BOOKING: Final = Zone.BOOKING
TRAVELLER: Final = Zone.TRAVELLER
LEG: Final = Zone.LEG
CHECKIN: Final = Zone.CHECKIN
NONAIR: Final = Zone.NONAIR
HISTORY: Final = Zone.HISTORY
LEG_ZONES: Final = (LEG, CHECKIN)  # a tuple, not a set: members compare by identity, hashing one calls Python code
INFANT: Final = Role.INFANT
PASSENGER: Final = Role.PASSENGER


@dataclass(slots=True, init=False)
class Pending:
    """An SSR whose traveller can only be known at the end of the PNR (DOCS may precede its TIF)."""

    code: str
    text: str
    ref: str | None  # reference in the SSR's last element (``+::2``)
    context: Traveller | None  # the TIF of the traveller group the SSR sits in
    seg: Segment

    def __init__(
        self,
        code: str,
        text: str,
        ref: str | None,
        context: Traveller | None,
        seg: Segment,
    ) -> None:
        self.code = code
        self.text = text
        self.ref = ref
        self.context = context
        self.seg = seg


@dataclass(slots=True, init=False)
class CheckIn:
    """One traveller's check-in data on one leg (TRI / TIF / SSD / TBD)."""

    leg: int | None
    traveller: Traveller | None
    tif_seen: bool
    sequence: str | None
    seat: Seat | None
    bags: list[Bag]

    def __init__(
        self,
        leg: int | None,
        traveller: Traveller | None,
        tif_seen: bool = False,
        sequence: str | None = None,
        seat: Seat | None = None,
        bags: list[Bag] | None = None,
    ) -> None:
        self.leg = leg
        self.traveller = traveller
        self.tif_seen = tif_seen
        self.sequence = sequence
        self.seat = seat
        self.bags = list() if bags is None else bags


def norm_ref(value: str) -> str | None:
    """A traveller reference without blanks and leading zeros: ``002`` → ``2``."""
    ref = value.strip()
    return (ref.lstrip("0") or "0") if ref.isdigit() else (ref or None)


def name_score(traveller: Traveller, surname: str | None, given: str | None) -> int:
    """2 = surname and given names agree, 1 = surname only, 0 = different (blanks and titles ignored)."""
    if not surname or compact(traveller.surname) != compact(surname):
        return 0
    mine, theirs = compact(traveller.given_names), compact(given)
    if mine and theirs and (mine.startswith(theirs) or theirs.startswith(mine)):
        return 2
    return 1


def same_flight(leg: FlightLeg, prime: FlightLeg | None) -> bool:
    """Whether an itinerary leg is the pushed flight: same route and day, marketing or operating designator."""
    if prime is None or (leg.origin, leg.destination) != (prime.origin, prime.destination):
        return False
    if leg.departure is not None and prime.departure is not None and leg.departure.date() != prime.departure.date():
        return False
    if prime.number is None or leg.number is None:
        return True
    designators = {(leg.carrier, leg.number), (leg.operating_carrier, leg.operating_number),
                   (leg.operating_carrier, leg.number)}
    return (prime.carrier, prime.number) in designators


@dataclass(slots=True, init=False)
class PnrState:
    """Everything the reader knows about the PNR it is reading."""

    pnr: Pnr
    reference_day: date | None
    card_key: bytes
    zone: Zone
    by_ref: dict[str, Traveller]
    traveller: Traveller | None
    ticket: Ticket | None
    payment: Payment | None
    after_payment: bool
    leg: FlightLeg | None
    leg_seats: list[Seat]  # seats whose flight is the current leg's
    checkin: CheckIn | None
    checkins: list[CheckIn]
    requests: list[tuple[int | None, Seat]]
    pending: list[Pending]
    history: HistoryEntry | None
    history_who: str | None
    history_when: datetime | None

    def __init__(
        self,
        pnr: Pnr,
        reference_day: date | None,
        card_key: bytes,
        zone: Zone = BOOKING,
        by_ref: dict[str, Traveller] | None = None,
        traveller: Traveller | None = None,
        ticket: Ticket | None = None,
        payment: Payment | None = None,
        after_payment: bool = False,
        leg: FlightLeg | None = None,
        leg_seats: list[Seat] | None = None,
        checkin: CheckIn | None = None,
        checkins: list[CheckIn] | None = None,
        requests: list[tuple[int | None, Seat]] | None = None,
        pending: list[Pending] | None = None,
        history: HistoryEntry | None = None,
        history_who: str | None = None,
        history_when: datetime | None = None,
    ) -> None:
        self.pnr = pnr
        self.reference_day = reference_day
        self.card_key = card_key
        self.zone = zone
        self.by_ref = dict() if by_ref is None else by_ref
        self.traveller = traveller
        self.ticket = ticket
        self.payment = payment
        self.after_payment = after_payment
        self.leg = leg
        self.leg_seats = list() if leg_seats is None else leg_seats
        self.checkin = checkin
        self.checkins = list() if checkins is None else checkins
        self.requests = list() if requests is None else requests
        self.pending = list() if pending is None else pending
        self.history = history
        self.history_who = history_who
        self.history_when = history_when

    def traveller_in_context(self) -> Traveller | None:
        """The traveller the current segment is about, if any."""
        zone = self.zone
        if zone is TRAVELLER:
            return self.traveller
        if zone is CHECKIN and self.checkin is not None:
            return self.checkin.traveller
        return None

    def leg_index(self) -> int | None:
        return len(self.pnr.itinerary) - 1 if self.leg is not None else None

    def open_checkin(self, traveller: Traveller | None) -> CheckIn:
        self.checkin = CheckIn(leg=self.leg_index(), traveller=traveller)
        self.checkins.append(self.checkin)
        return self.checkin

    def add_traveller(self, traveller: Traveller, seg: Segment) -> None:
        self.pnr.travellers.append(traveller)
        ref = traveller.reference
        if ref is None:
            return
        if ref in self.by_ref:
            self.pnr.warnings.append(seg.diagnostic(f"traveller reference {ref} is used for two travellers; "
                                                    f"references to it mean the first"))
        else:
            self.by_ref[ref] = traveller

    def find(self, ref: str | None, surname: str | None, given: str | None) -> Traveller | None:
        """The traveller a check-in TIF names: by reference when the names agree, else by full name."""
        known = self.by_ref.get(ref) if ref else None
        if known is not None and (not surname or name_score(known, surname, given)):
            return known
        matches = [t for t in self.pnr.travellers if name_score(t, surname, given) == 2]
        return matches[0] if matches else None

    def match_name(self, surname: str | None, given: str | None, *, infant: bool) -> Traveller | None:
        """A traveller of the wanted role by name: full match, else the only one with that surname."""
        pool = [t for t in self.pnr.travellers if (t.role is INFANT) is infant]
        full = [t for t in pool if name_score(t, surname, given) == 2]
        if full:
            return full[0]
        partial = [t for t in pool if name_score(t, surname, given) == 1]
        return partial[0] if len(partial) == 1 else None

    def adult_for_infant(self) -> str | None:
        """Reference of the adult a new infant travels with: the last one flagged with infant and not yet taken."""
        taken = {t.accompanying_ref for t in self.pnr.travellers if t.role is INFANT}
        adults = [t for t in reversed(self.pnr.travellers) if t.role is not INFANT]
        for adult in adults:
            if adult.with_infant and adult.reference not in taken:
                return adult.reference
        return adults[0].reference if adults else None

    def infant_of(self, adult: Traveller | None) -> Traveller | None:
        infants = [t for t in self.pnr.travellers if t.role is INFANT]
        if adult is not None:
            infants = [t for t in infants if t.accompanying_ref == adult.reference]
        return infants[0] if len(infants) == 1 or (adult is not None and infants) else None

    def add_phone(self, phone: Phone, owner: Traveller | None) -> None:
        if all((p.number, p.traveller_ref) != (phone.number, phone.traveller_ref) for p in self.pnr.phones):
            self.pnr.phones.append(phone)
        if owner is not None and all(p.number != phone.number for p in owner.phones):
            owner.phones.append(phone)

    def add_email(self, email: Email, owner: Traveller | None) -> None:
        if all((e.address, e.traveller_ref) != (email.address, email.traveller_ref) for e in self.pnr.emails):
            self.pnr.emails.append(email)
        if owner is not None and all(e.address != email.address for e in owner.emails):
            owner.emails.append(email)

    def add_contact(self, owner: Traveller | None, code: str, value: str) -> bool:
        """A CTCx contact (IFT or SSR text) as an e-mail or phone of the owner, or of the PNR."""
        found = contact(code, value)
        if found is None:
            return False
        kind, item, phone_kind = found
        ref = owner.reference if owner is not None else None
        if kind == "email":
            self.add_email(Email(item, ref), owner)
        else:
            self.add_phone(Phone(item, phone_kind, ref), owner)
        return True

    def add_seat(self, seat: Seat) -> bool:
        """Add a seat unless the same one is there already; whether it was added."""
        key = (seat.number, seat.traveller_ref, seat.origin, seat.destination, seat.source)
        if any((s.number, s.traveller_ref, s.origin, s.destination, s.source) == key for s in self.pnr.seats):
            return False
        self.pnr.seats.append(seat)
        return True

    def warn(self, seg: Segment, message: str) -> None:
        self.pnr.warnings.append(seg.diagnostic(message))


def finish_pnr(state: PnrState, prime: FlightLeg | None) -> None:
    """Settle the PNR: tie pending SSRs, fill the prime flight's seat and bags per traveller, count."""
    pnr = state.pnr
    for pending in state.pending:
        _resolve(state, pending)
    _apply_prime_flight(state, prime)
    for traveller in pnr.travellers:
        traveller.record_locator = pnr.record_locator
    pnr.passenger_count = len(pnr.travellers)
    if pnr.record_locator is None and pnr.first_segment is not None:
        pnr.warnings.append(Diagnostic("PNR without a record locator (no readable RCI)", segment=pnr.first_segment,
                                       tag="SRC"))


def _apply_prime_flight(state: PnrState, prime: FlightLeg | None) -> None:
    """Seat, check-in sequence and bags of each traveller on the pushed flight (check-in data before requests)."""
    prime_legs = {i for i, leg in enumerate(state.pnr.itinerary) if same_flight(leg, prime)}
    for checkin in state.checkins:
        traveller = checkin.traveller
        if checkin.leg not in prime_legs or traveller is None:
            continue
        traveller.check_in_sequence = traveller.check_in_sequence or checkin.sequence
        if checkin.seat is not None:
            traveller.seat = checkin.seat.number
        for bag in checkin.bags:
            if bag.count is not None:
                traveller.bag_count = (traveller.bag_count or 0) + bag.count
            if bag.weight_kg is not None:
                traveller.bag_weight_kg = round((traveller.bag_weight_kg or 0.0) + bag.weight_kg, 1)
            traveller.bag_tags.extend(t for t in bag.tags if t not in traveller.bag_tags)
    for leg, seat in state.requests:
        on_prime = leg in prime_legs if leg is not None else (
            prime is not None and (seat.origin, seat.destination) == (prime.origin, prime.destination)
            and seat.flight_number in (None, prime.number))
        owner = state.by_ref.get(seat.traveller_ref) if seat.traveller_ref else None
        if on_prime and owner is not None and owner.seat is None:
            owner.seat = seat.number


def _owner(state: PnrState, p: Pending, *, infant: bool = False) -> Traveller | None:
    """The traveller an SSR without a name is about: its reference, else its traveller group."""
    by_ref = state.by_ref.get(p.ref) if p.ref else None
    if p.ref and by_ref is None:
        where = "tied to the traveller group it is in" if p.context is not None else "not tied to a traveller"
        state.warn(p.seg, f"SSR {p.code} names traveller reference {p.ref}, which no TIF has; {where}")
    adult = by_ref or p.context
    if adult is None and len(state.pnr.travellers) == 1:
        adult = state.pnr.travellers[0]
    if not infant:
        return adult
    found = state.infant_of(adult)
    if found is None:
        found = Traveller(role=INFANT, accompanying_ref=adult.reference if adult else None)
        state.add_traveller(found, p.seg)
        state.warn(p.seg, f"SSR {p.code} is for an infant that has no TIF; infant traveller added")
    return found


def _resolve_docs(state: PnrState, p: Pending) -> None:
    """SSR DOCS: passport data onto the traveller it names (by name, reference or group; else a new one)."""
    docs = read_docs(p.text)
    owner = _docs_owner(state, p, docs)
    if owner.surname is None and docs.surname:
        owner.surname = docs.surname
    if owner.given_names is None and docs.given:
        owner.given_names, title = split_title(" ".join(x for x in (docs.given, docs.middle) if x))
        owner.title = owner.title or title
    if docs.birth:
        born = values.ddmmmyy(docs.birth, state.reference_day, past=True)
        if born is None:
            state.warn(p.seg, f"SSR DOCS date of birth {docs.birth!r} is not DDMMMYY")
        owner.date_of_birth = owner.date_of_birth or born
    owner.gender = owner.gender or values.gender(docs.gender)
    owner.nationality = owner.nationality or docs.nationality or None
    if docs.type or docs.number:
        expiry = values.ddmmmyy(docs.expiry, state.reference_day, past=False) if docs.expiry else None
        _add_document(owner, Document(type=docs.type or None, number=docs.number or None,
                                      issuing_country=docs.issuer or None, expiry=expiry,
                                      nationality=docs.nationality or None, source="DOCS"))


def _docs_owner(state: PnrState, p: Pending, docs: Docs) -> Traveller:
    by_ref = state.by_ref.get(p.ref) if p.ref else None
    adult = by_ref or p.context
    if docs.infant:
        infant = state.match_name(docs.surname, docs.given, infant=True) or state.infant_of(adult)
        if infant is not None and (not docs.surname or not infant.surname or name_score(infant, docs.surname, None)):
            return infant
        created = Traveller(surname=docs.surname or None, role=INFANT,
                            accompanying_ref=adult.reference if adult else None)
        state.add_traveller(created, p.seg)
        state.warn(p.seg, f"SSR DOCS for infant {docs.surname}/{docs.given} has no TIF; infant traveller added")
        return created
    if by_ref is not None and (not docs.surname or name_score(by_ref, docs.surname, docs.given)):
        return by_ref
    by_name = state.match_name(docs.surname, docs.given, infant=False)
    if by_name is not None:
        return by_name
    if by_ref is not None:
        state.warn(p.seg, f"SSR DOCS name {docs.surname}/{docs.given} differs from traveller {by_ref.reference} "
                          f"{by_ref.surname}/{by_ref.given_names}; tied by reference")
        return by_ref
    if p.context is not None and not docs.surname:
        return p.context
    if not docs.surname and len(state.pnr.travellers) == 1:
        return state.pnr.travellers[0]
    created = Traveller(surname=docs.surname or None)
    state.add_traveller(created, p.seg)
    state.warn(p.seg, f"SSR DOCS for {docs.surname}/{docs.given} matches no TIF; traveller added from DOCS")
    return created


def _add_document(owner: Traveller, document: Document) -> None:
    """Add a document, or complete the one with the same type and number already there."""
    for known in owner.documents:
        if document.number and known.number == document.number and known.type == document.type:
            known.issuing_country = known.issuing_country or document.issuing_country
            known.expiry = known.expiry or document.expiry
            known.issue_date = known.issue_date or document.issue_date
            known.nationality = known.nationality or document.nationality
            known.place_of_issue = known.place_of_issue or document.place_of_issue
            return
    owner.documents.append(document)


def _resolve_doco(state: PnrState, p: Pending) -> None:
    """SSR DOCO: visa or other document (number, type, place and date of issue), place of birth."""
    doco = read_doco(p.text)
    owner = _owner(state, p, infant=doco.infant)
    if owner is None:
        state.warn(p.seg, "SSR DOCO not tied to any traveller; kept among the SSRs only")
        return
    issued = values.ddmmmyy(doco.issued, state.reference_day, past=True) if doco.issued else None
    if doco.issued and issued is None:
        state.warn(p.seg, f"SSR DOCO issue date {doco.issued!r} is not DDMMMYY")
    owner.birth_place = owner.birth_place or doco.birth_place or None
    if doco.type or doco.number:
        # The country a visa is valid for is the state that issued it.
        _add_document(owner, Document(type=doco.type.upper() or None, number=doco.number or None,
                                      issuing_country=doco.valid_for.upper() or None,
                                      place_of_issue=doco.place_of_issue or None, issue_date=issued, source="DOCO"))


def _resolve_doca(state: PnrState, p: Pending) -> None:
    """SSR DOCA: residence (R) or destination (D) address."""
    doca = read_doca(p.text)
    owner = _owner(state, p, infant=doca.infant)
    kind = {"R": "residence", "D": "destination"}.get(doca.kind, doca.kind or None)
    address = Address(street=doca.street or None, city=doca.city or None, region=doca.region or None,
                      postcode=doca.postcode or None, country=doca.country or None, kind=kind,
                      traveller_ref=owner.reference if owner else None)
    state.pnr.addresses.append(address)
    if owner is not None:
        if owner.address is None or (kind == "residence" and owner.address.kind != "residence"):
            owner.address = address
        if kind == "residence" and doca.country:
            owner.residence_country = owner.residence_country or doca.country


def _resolve_foid(state: PnrState, p: Pending) -> None:
    """SSR FOID: form of identification (PP passport, NI national id …); CC card numbers are not kept."""
    found = read_foid(p.text)
    owner = _owner(state, p)
    if found is None or owner is None:
        return
    code, number = found
    if code == "CC":
        return
    if code == "FF":
        if all(f.number != number for f in owner.frequent_flyers):
            owner.frequent_flyers.append(FrequentFlyer(carrier=None, number=number))
        return
    _add_document(owner, Document(type=code, number=number, source="FOID"))


def _resolve_pspt(state: PnrState, p: Pending) -> None:
    """SSR PSPT (older passport SSR): number/issuing country/…"""
    fields = _fields(p.text)
    owner = _owner(state, p)
    if owner is not None and fields and fields[0]:
        country = _at(fields, 1).upper()
        _add_document(owner, Document(type="P", number=fields[0].upper(), source="PSPT",
                                      issuing_country=country if country.isalpha() and len(country) in (2, 3)
                                      else None))


def _resolve_tkne(state: PnrState, p: Pending) -> None:
    """SSR TKNE: e-ticket number and coupon; tied by reference, group, or the TKT with that number."""
    found = read_ticket(p.text)
    if found is None:
        return
    number, coupon = found
    known = next((t for t in state.pnr.tickets if t.number == number), None)
    owner = state.by_ref.get(p.ref) if p.ref else None
    owner = owner or p.context or (state.by_ref.get(known.traveller_ref) if known and known.traveller_ref else None)
    if owner is not None and owner.ticket_number is None:
        owner.ticket_number = number
    if known is None:
        state.pnr.tickets.append(Ticket(number=number, type="E", coupons=coupon,
                                        traveller_ref=owner.reference if owner else None))


def _resolve_inft(state: PnrState, p: Pending) -> None:
    """SSR INFT: name and date of birth of an infant travelling on an adult's seat."""
    found = read_inft(p.text)
    if found is None:
        return
    surname, given, born_text = found
    adult = (state.by_ref.get(p.ref) if p.ref else None) or p.context
    infant = state.match_name(surname, given, infant=True) or state.infant_of(adult)
    if infant is None or (infant.surname and not name_score(infant, surname, None)):
        infant = Traveller(surname=surname, given_names=given or None, role=INFANT,
                           accompanying_ref=adult.reference if adult else None)
        state.add_traveller(infant, p.seg)
        state.warn(p.seg, f"SSR INFT names infant {surname}/{given} without a TIF; infant traveller added")
    infant.surname = infant.surname or surname
    infant.given_names = infant.given_names or given or None
    if born_text:
        infant.date_of_birth = infant.date_of_birth or values.ddmmmyy(born_text, state.reference_day, past=True)
    if adult is not None:
        adult.with_infant = True


def _resolve_fqtv(state: PnrState, p: Pending) -> None:
    """SSR FQTV: frequent flyer number."""
    found = read_frequent_flyer(p.text)
    owner = _owner(state, p)
    if found is not None and owner is not None and all(f.number != found[1] for f in owner.frequent_flyers):
        owner.frequent_flyers.append(FrequentFlyer(carrier=found[0], number=found[1]))


def _resolve_contact(state: PnrState, p: Pending) -> None:
    """SSR CTCE/CTCM/…: e-mail or phone of the traveller."""
    state.add_contact(_owner(state, p), p.code, p.text)


def _resolve(state: PnrState, p: Pending) -> None:
    """Tie one pending SSR (DOCS, DOCO, DOCA, FOID, PSPT, TKNE, INFT, FQTV or a CTCx contact)."""
    code = p.code
    if code == "DOCS":
        _resolve_docs(state, p)
    elif code == "TKNE":
        _resolve_tkne(state, p)
    elif code == "DOCA":
        _resolve_doca(state, p)
    elif code == "DOCO":
        _resolve_doco(state, p)
    elif code == "INFT":
        _resolve_inft(state, p)
    elif code == "FOID":
        _resolve_foid(state, p)
    elif code == "FQTV":
        _resolve_fqtv(state, p)
    elif code == "PSPT":
        _resolve_pspt(state, p)
    else:
        _resolve_contact(state, p)
