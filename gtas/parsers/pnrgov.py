"""PNRGOV EDIFACT (PADIS 10.1 to 16.1): the PNRs an airline pushes for one flight, read into records.

One pass over the segments. The header (MSG ORG TVL EQN) names the pushed (prime) flight; each SRC opens a PNR, and
inside it a zone (booking, traveller, itinerary leg, check-in, non-air, history) decides what the segments that
occur in several groups (TIF, TVL, DAT, SSR, IFT, ADD, RCI) mean. What can only be tied together once the whole PNR
is read (SSR DOCS sent before their TIF, infants, seats and bags of the prime flight) is settled when the PNR ends,
in :mod:`gtas.parsers.pnrgov_ssr`.
"""

from __future__ import annotations

import hashlib
import sys
from datetime import date, datetime
from decimal import Decimal
from importlib import metadata
from pathlib import Path
from typing import Final

from gtas.numbers import COUNT_DIGITS, whole_number
from gtas.parsers import Envelope, edifact, register, values
from gtas.parsers import pnrgov_ssr as text
from gtas.parsers.edifact import Segment
from gtas.parsers.pnrgov_ssr import (
    BOOKING,
    CHECKIN,
    HISTORY,
    INFANT,
    LEG,
    LEG_ZONES,
    NONAIR,
    PASSENGER,
    TRAVELLER,
    Pending,
    PnrState,
    finish_pnr,
    name_score,
    norm_ref,
)
from gtas.parsers.records import (
    Address,
    Agency,
    Bag,
    Codeshare,
    FlightLeg,
    FrequentFlyer,
    HistoryEntry,
    Message,
    ParseError,
    Part,
    Payment,
    Phone,
    Pnr,
    Seat,
    Ssr,
    Ticket,
    Traveller,
)

HEADER_TAGS: Final = frozenset({"MSG", "ORG", "TVL", "EQN"})
SEGMENT_TAGS: Final = frozenset({
    "SSR", "DAT", "TIF", "IFT", "REF", "TKT", "MON", "PTK", "TXD", "FOP", "TRI", "SSD", "TVL", "RPI",
    "APD", "TBD", "LTS", "ORG", "RCI", "ADD", "FTI", "EBD", "FAR", "TRA", "ABI", "SAC", "MSG", "EQN",
})
PENDING_SSRS: Final = frozenset({"DOCS", "DOCO", "DOCA", "FOID", "PSPT", "TKNE", "INFT", "FQTV",
                                 "CTCE", "CTCM", "CTCH", "CTCB", "CTCP", "CTCF", "CTCT", "CTCR"})
PAYMENT_DETAILS: Final = frozenset({"FOP", "IFT", "ADD"})  # the segments that may follow a FOP and belong to it
INFANT_TYPES: Final = frozenset({"IN", "INF", "INS"})
POUND_KG: Final = 0.45359237
MAX_TAGS_PER_RUN: Final = 999
MAX_UNEXPECTED_WARNINGS: Final = 100
_UNSEEN_DAY: Final = date.min  # sentinels for the memos, compared by identity
_UNSEEN_MOMENT: Final = datetime.min


READING_MODULES: Final = ("edifact", "values", "records", "pnrgov_ssr", "pnrgov")
_READING: list[bytes] = []  # the fingerprint, once computed


def reading_fingerprint() -> bytes:
    """A digest of the code that reads a PNR (these modules' sources, and the release): a new one reads PNRs anew."""
    if not _READING:
        try:
            release = metadata.version("gtas")
        except metadata.PackageNotFoundError:  # run from a source tree that was never installed
            release = ""
        digest = hashlib.sha256(release.encode())
        for name in READING_MODULES:
            module = sys.modules.get(f"gtas.parsers.{name}")
            path = Path(str(getattr(module, "__file__", "") or ""))
            source = path.with_name(f"{name}.py")
            if source.is_file():
                digest.update(source.read_bytes())
        _READING.append(digest.digest())
    return _READING[0]


@register("PNRGOV")
def parse_pnrgov(message: edifact.EdifactMessage, envelope: Envelope) -> Message:
    """Read one PNRGOV message (UNH..UNT) into a :class:`Message` with its prime flight and PNRs."""
    return _Reader(message, envelope).read()


def _clock(value: str) -> tuple[int, int, int] | None:
    """``HHMM`` or ``HHMMSS``."""
    digits = value.strip()
    if len(digits) == 6 and digits.isdecimal():
        hm = values.hhmm(digits[:4])
        second = int(digits[4:])
        return (hm[0], hm[1], second) if hm is not None and second < 60 else None
    hm = values.hhmm(digits)
    return (hm[0], hm[1], 0) if hm is not None else None


def _parts(seg: Segment, element: int, size: int) -> list[str]:
    """The components of an element, padded with empty strings to at least ``size``."""
    comps = seg.components(element)
    while len(comps) < size:
        comps.append("")
    return comps


def _triple(seg: Segment, element: int) -> tuple[str, str, str]:
    """The first three components of an element, stripped (empty strings where absent)."""
    comps = seg.components(element)
    count = len(comps)
    return (comps[0].strip() if count else "", comps[1].strip() if count > 1 else "",
            comps[2].strip() if count > 2 else "")


def _targets(seg: Segment) -> list[tuple[str, str | None]]:
    """The ``value::reference`` elements after the first, as (value, traveller reference): ``+15A::1+15B::2``."""
    targets: list[tuple[str, str | None]] = []
    for i in range(1, len(seg)):
        comps = seg.components(i)
        targets.append((comps[0].strip(), norm_ref(comps[2]) if len(comps) > 2 else None))
    return targets


def _free_text(seg: Segment, first: int) -> list[str]:
    """The free-text elements from ``first`` on, unreleased colons put back."""
    return [seg.text(i) for i in range(first, len(seg))]


def _display(seg: Segment) -> str:
    """A segment written back with the default separators, for history and remarks."""
    return "+".join([seg.tag, *_free_text(seg, 0)]).rstrip("+:")


class _Reader:
    """Reads one message; ``state`` is the PNR being read (None in the header)."""

    def __init__(self, message: edifact.EdifactMessage, envelope: Envelope) -> None:
        self.raw = message
        self.envelope = envelope
        self.out = Message(type="PNRGOV", sender=envelope.sender, recipient=envelope.recipient,
                           prepared=envelope.prepared, interchange_reference=envelope.reference)
        self.prime: FlightLeg | None = None
        self.state: PnrState | None = None
        self.unexpected = 0
        self.eqn: Segment | None = None
        self.moments: dict[tuple[str, str, bool, bool], datetime | None] = {}
        self.designators: dict[tuple[str, str | None], tuple[str | None, str | None, str | None]] = {}
        self.days: dict[tuple[str, bool, bool], date | None] = {}
        self.cards: dict[str, tuple[str | None, str | None]] = {}

    # ----------------------------------------------------------------------------------------------------- driver

    def read(self) -> Message:
        """Walk the body once (PNRs the caller knows unchanged are skipped), then settle the last PNR and the counts."""
        self.header()
        body = self.raw.body
        starts = [n for n, seg in enumerate(body) if seg.tag == "SRC"]
        for seg in body[:starts[0] if starts else len(body)]:
            self.step(seg)
        ends = [*starts[1:], len(body)] if starts else []
        digests = self.raw_digests(starts, ends)
        unchanged = self.envelope.unchanged
        known = set(unchanged(self.out, digests)) if unchanged is not None and digests else set()
        for n, (start, end) in enumerate(zip(starts, ends, strict=True)):
            digest = digests[n] if digests else None
            if digest is not None and digest in known:
                self.out.unchanged_pnrs.append(digest)
                continue
            for seg in body[start:end]:
                self.step(seg)
            if self.state is not None:
                self.state.pnr.raw_digest = digest
        self.close_pnr()
        self.check_counts()
        return self.out

    def step(self, seg: Segment) -> None:
        """Read one segment of the body."""
        tag = seg.tag
        if tag == "SRC":
            self.src(seg)
            return
        state = self.state
        if state is not None:
            if state.zone is HISTORY and tag not in ("ABI", "LTS"):
                self.history_part(seg)
                return
            if tag not in PAYMENT_DETAILS:
                state.after_payment = False
        if state is None and tag not in HEADER_TAGS and tag in SEGMENT_TAGS:
            self.implicit_pnr(seg)
        if not self.dispatch(seg):
            self.unexpected_segment(seg, f"{tag} is not a PNRGOV segment; ignored")

    def raw_digests(self, starts: list[int], ends: list[int]) -> list[str] | None:
        """Per PNR (SRC to the next SRC), a digest of its text as sent and of all that reading it depends on.

        That is the prime flight, the reference day of two-digit years, the decimal mark, the card key and the
        reading code itself: equal digests read into equal records. None when the header started a PNR of its own
        or named no prime flight.
        """
        if self.state is not None or self.out.pnrs or self.prime is None or not starts:
            return None
        body, trailer = self.raw.body, self.raw.trailer
        text = body[starts[0]].source.text
        context = hashlib.sha256(repr((self.prime, self.reference_day, self.envelope.decimal_mark)).encode())
        context.update(hashlib.sha256(self.envelope.card_key).digest())
        context.update(reading_fingerprint())
        out: list[str] = []
        for start, end in zip(starts, ends, strict=True):
            stop = body[end].offset if end < len(body) else trailer.offset if trailer is not None else len(text)
            digest = context.copy()
            digest.update(text[body[start].offset:stop].encode())
            out.append(digest.hexdigest())
        return out

    def dispatch(self, seg: Segment) -> bool:
        """Hand a segment to the method for its tag; False when the tag is not a PNRGOV segment.

        A chain of direct calls, the most frequent tags first: compiled, it is faster than a table of methods.
        """
        tag = seg.tag
        if tag == "SSR":
            self.ssr(seg)
        elif tag == "DAT":
            self.dat(seg)
        elif tag == "TIF":
            self.tif(seg)
        elif tag == "LTS":
            self.lts(seg)
        elif tag == "IFT":
            self.ift(seg)
        elif tag == "REF":
            self.ref(seg)
        elif tag == "TKT":
            self.tkt(seg)
        elif tag == "MON":
            self.mon(seg)
        elif tag == "PTK":
            self.ptk(seg)
        elif tag == "TXD":
            self.txd(seg)
        elif tag == "FOP":
            self.fop(seg)
        elif tag == "TRI":
            self.tri(seg)
        elif tag == "SSD":
            self.ssd(seg)
        elif tag == "TVL":
            self.tvl(seg)
        elif tag == "RPI":
            self.rpi(seg)
        elif tag == "APD":
            self.apd(seg)
        elif tag == "TBD":
            self.tbd(seg)
        elif tag == "ORG":
            self.org(seg)
        elif tag == "RCI":
            self.rci(seg)
        elif tag == "ADD":
            self.add(seg)
        elif tag == "FTI":
            self.fti(seg)
        elif tag == "EBD":
            self.ebd(seg)
        elif tag == "FAR":
            self.far(seg)
        elif tag == "TRA":
            self.tra(seg)
        elif tag == "ABI":
            self.abi(seg)
        elif tag == "SAC":
            self.sac(seg)
        elif tag == "MSG":
            self.msg(seg)
        elif tag == "EQN":
            self.eqn_segment(seg)
        else:
            return False
        return True

    def header(self) -> None:
        """UNH: message reference, version and position in a multi-part series."""
        unh = self.raw.header
        self.out.reference = values.clean(unh.get(0))
        number, release = unh.get(1, 1).strip(), unh.get(1, 2).strip()
        self.out.version = f"{number}.{release}" if number and release else number or None
        raw_key = unh.get(2)
        key = "".join(raw_key.split()) or None
        if key and key != raw_key.strip():
            self.out.warnings.append(unh.diagnostic("line break or blank inside the UNH common access reference "
                                                    "removed"))
        sequence, flag = unh.get(3, 0).strip(), unh.get(3, 1).strip().upper()
        position = whole_number(sequence, COUNT_DIGITS)
        self.out.part = Part(key=key, sequence=1 if position is None else position,
                             final=flag == "F" if flag else not sequence)
        if not self.raw.body:
            raise ParseError(unh.diagnostic("PNRGOV message without any segment between UNH and UNT",
                                            severity="error"))

    def check_counts(self) -> None:
        out = self.out
        if not out.pnrs and not out.unchanged_pnrs and self.prime is None:
            raise ParseError(self.raw.header.diagnostic("PNRGOV message with neither a flight (TVL) nor a PNR "
                                                        "(SRC)", severity="error"))
        if self.prime is None:
            out.warnings.append(self.raw.header.diagnostic("no flight (header TVL) in this PNRGOV message"))
        pnrs = len(out.pnrs) + len(out.unchanged_pnrs)
        if self.eqn is not None and out.declared_pnrs is not None and out.declared_pnrs != pnrs:
            out.warnings.append(self.eqn.diagnostic(f"EQN says {out.declared_pnrs} PNRs, the message has {pnrs}"))

    def warn(self, seg: Segment, message: str) -> None:
        """A warning on the PNR being read, or on the message outside PNRs."""
        target = self.state.pnr.warnings if self.state is not None else self.out.warnings
        target.append(seg.diagnostic(message))

    def unexpected_segment(self, seg: Segment, message: str) -> None:
        self.unexpected += 1
        if self.unexpected <= MAX_UNEXPECTED_WARNINGS:
            self.warn(seg, message)

    @property
    def reference_day(self) -> date | None:
        """The day two-digit years are read against: the prime flight's departure, else the UNB date."""
        if self.prime is not None and self.prime.departure is not None:
            return self.prime.departure.date()
        return self.envelope.reference_date

    def when(self, day: str, clock: str, *, past: bool = False) -> datetime | None:
        """``DDMMYY`` and ``HHMM[SS]`` as a datetime (memoised: a push repeats the same few dates)."""
        key = (day, clock, past, self.prime is not None)
        seen = self.moments.get(key, _UNSEEN_MOMENT)
        if seen is not _UNSEEN_MOMENT:
            return seen
        found = self.day(day, past=past)
        moment = None
        if found is not None:
            h, m, s = _clock(clock) or (0, 0, 0)
            moment = datetime(found.year, found.month, found.day, h, m, s)
        self.moments[key] = moment
        return moment

    def day(self, value: str, *, past: bool = False) -> date | None:
        """``DDMMYY`` as a date (memoised like :meth:`when`)."""
        key = (value, past, self.prime is not None)
        seen = self.days.get(key, _UNSEEN_DAY)
        if seen is not _UNSEEN_DAY:
            return seen
        found = self.days[key] = values.ddmmyy(value, self.reference_day, past=past)
        return found

    # ------------------------------------------------------------------------------------------------- PNR groups

    def src(self, seg: Segment) -> None:
        """SRC: a new PNR."""
        self.close_pnr()
        pnr = Pnr(first_segment=seg.index)
        self.out.pnrs.append(pnr)
        self.state = PnrState(pnr=pnr, reference_day=self.reference_day, card_key=self.envelope.card_key)

    def implicit_pnr(self, seg: Segment) -> None:
        self.out.warnings.append(seg.diagnostic(f"{seg.tag} before any SRC: a PNR is started here"))
        self.src(seg)

    def close_pnr(self) -> None:
        state = self.state
        if state is None:
            return
        self.close_leg(state)
        finish_pnr(state, self.prime)
        self.state = None

    def need_state(self, seg: Segment) -> PnrState:
        if self.state is None:
            self.implicit_pnr(seg)
        assert self.state is not None
        return self.state

    # ------------------------------------------------------------------------------------------- header segments

    def msg(self, seg: Segment) -> None:
        """MSG: message function in the header; inside a PNR it announces non-air segments (hotel, car)."""
        if self.state is not None:
            self.state.zone = NONAIR

    def org(self, seg: Segment) -> None:
        """ORG: the sender (header) or the booking agency (PNR); check-in ORGs name the DCS agent."""
        agency = Agency(
            system=values.clean(seg.get(0, 0)), location=values.clean(seg.get(0, 1)),
            iata_number=values.clean(seg.get(1, 0)), office=values.clean(seg.get(1, 1)),
            originator_type=values.clean(seg.get(4, 0)), country=values.clean(seg.get(5, 0)),
            currency=values.clean(seg.get(5, 1)), agent=values.clean(seg.get(6, 0)),
        )
        agency.location = values.clean(seg.get(2, 0)) or agency.location
        state = self.state
        if state is None:
            self.out.originator = agency
        elif state.zone in (BOOKING, TRAVELLER) and state.pnr.agency is None:
            state.pnr.agency = agency

    def eqn_segment(self, seg: Segment) -> None:
        """EQN: number of PNRs (header); inside a PNR it opens the non-air segments."""
        if self.state is None:
            self.eqn = seg
            self.out.declared_pnrs = values.integer(seg.get(0, 0))
        else:
            self.state.zone = NONAIR

    # ----------------------------------------------------------------------------------------------- flights

    def tvl(self, seg: Segment) -> None:
        """TVL: the prime flight (header), an itinerary leg, its operating flight, or a non-air segment."""
        state = self.state
        elements = [*seg.elements[:5], "", "", "", "", ""]
        bare = not (elements[0] or elements[1] or elements[2]) and bool(elements[4])
        if state is None:
            if bare and self.prime is not None:
                self.apply_operating(self.prime, seg)
            elif self.prime is None:
                self.prime = self.flight(seg)
                self.out.flights.append(self.prime)
            else:
                self.warn(seg, "second header TVL ignored; the first names the pushed flight")
            return
        if state.zone is NONAIR:
            state.pnr.remarks.append("non-air segment: " + _display(seg))
            return
        if bare:
            if seg.get(4).strip().upper() != "ARNK":
                if state.leg is None:
                    self.warn(seg, "operating-flight TVL without an itinerary leg before it; ignored")
                else:
                    self.apply_operating(state.leg, seg)
            return
        self.close_leg(state)
        leg = self.flight(seg)
        state.pnr.itinerary.append(leg)
        state.leg, state.zone, state.checkin, state.leg_seats = leg, LEG, None, []

    def flight(self, seg: Segment) -> FlightLeg:
        """A TVL as a flight leg: dates DDMMYY:HHMM, places, marketing:operating carrier, number:class."""
        departure, arrival = self.leg_times(seg)
        company, product = _parts(seg, 3, 2), _parts(seg, 4, 2)
        marketing = company[0].strip().upper() or None
        operating = company[1].strip().upper() or None
        designator = product[0].strip().upper()
        leg = FlightLeg(origin=self.place(seg, 1), destination=self.place(seg, 2), departure=departure,
                        arrival=arrival, booking_class=product[1].strip() or None)
        if designator == "OPEN":
            leg.carrier, leg.status = marketing, "OPEN"
            return leg
        leg.carrier, leg.number, leg.suffix = self.designator(designator, marketing)
        leg.carrier = leg.carrier or marketing
        if designator and leg.number is None:
            self.warn(seg, f"flight number {designator!r} not understood")
        if operating and operating != leg.carrier:
            leg.operating_carrier = operating
        return leg

    def designator(self, text: str, carrier: str | None) -> tuple[str | None, str | None, str | None]:
        """``values.flight_number``, memoised."""
        key = (text, carrier)
        found = self.designators.get(key)
        if found is None:
            found = self.designators[key] = values.flight_number(text, carrier)
        return found

    def place(self, seg: Segment, element: int) -> str | None:
        raw = seg.get(element, 0).strip().upper()
        if not raw:
            return None
        code = raw if len(raw) == 3 and raw.isalpha() else values.airport(raw)
        if code is None:
            self.warn(seg, f"place {raw!r} is not an IATA airport code; kept as sent")
            return raw
        return code

    def leg_times(self, seg: Segment) -> tuple[datetime | None, datetime | None]:
        """``DDMMYY:HHMM:DDMMYY:HHMM``, also ``DDMMYY:HHMM:HHMM`` (arrival time only) and ``DDMMYY:HHMM``."""
        parts = _parts(seg, 0, 4)
        day, clock, third, fourth = parts[0].strip(), parts[1].strip(), parts[2].strip(), parts[3].strip()
        if not day:
            return None, None
        departure = self.when(day, clock)
        if departure is None:
            self.warn(seg, f"departure date {day!r} is not DDMMYY")
        if len(third) == 4 and not fourth:
            arrival_day, arrival_clock = day, third
        else:
            arrival_day, arrival_clock = third or day, fourth
        arrival = self.when(arrival_day, arrival_clock) if (third or fourth) else None
        return departure, arrival

    def apply_operating(self, leg: FlightLeg, seg: Segment) -> None:
        """A bare ``TVL+++++972:M`` (or TRA) after a codeshare TVL: the operating flight's number."""
        carrier = seg.get(3, 0).strip().upper() or leg.operating_carrier
        _, number, _ = values.flight_number(seg.get(4, 0), carrier)
        leg.operating_carrier = carrier or leg.operating_carrier
        leg.operating_number = number
        self.reconcile(leg, seg)

    def reconcile(self, leg: FlightLeg, seg: Segment) -> None:
        """Swap marketing and operating numbers when the TVL gave the pushed flight's number to the marketer."""
        prime = self.prime
        if (prime is not None and leg is not prime and leg.operating_number and prime.number
                and leg.operating_carrier == prime.carrier and leg.number == prime.number
                and leg.operating_number != prime.number
                and (leg.origin, leg.destination) == (prime.origin, prime.destination)):
            self.warn(seg, f"codeshare TVL gives the pushed flight's number {prime.number} with the marketing "
                           f"carrier {leg.carrier}; read as operating {prime.carrier}{prime.number}, marketing "
                           f"{leg.carrier}{leg.operating_number}")
            leg.number, leg.operating_number = leg.operating_number, leg.number

    def close_leg(self, state: PnrState) -> None:
        """Record the codeshare of the leg just read; its seats get the flight that operates it."""
        leg = state.leg
        if leg is None:
            return
        for seat in state.leg_seats:
            seat.carrier = leg.operating_carrier or leg.carrier
            seat.flight_number = leg.operating_number or leg.number
        if not (leg.operating_carrier or leg.operating_number):
            return
        share = (leg.carrier, leg.number, leg.operating_carrier, leg.operating_number)
        if all((c.marketing_carrier, c.marketing_number, c.operating_carrier, c.operating_number) != share
               for c in state.pnr.codeshares):
            state.pnr.codeshares.append(Codeshare(*share))

    def tra(self, seg: Segment) -> None:
        """TRA: operating carrier and flight of the current (codeshare) leg."""
        state = self.need_state(seg)
        if state.leg is None:
            self.warn(seg, "TRA without an itinerary leg; ignored")
            return
        carrier = seg.get(0, 0).strip().upper() or None
        _, number, _ = values.flight_number(seg.get(1, 0), carrier)
        state.leg.operating_carrier, state.leg.operating_number = carrier, number
        self.reconcile(state.leg, seg)

    def rpi(self, seg: Segment) -> None:
        """RPI: number in party and reservation status of the current leg."""
        state = self.need_state(seg)
        if state.leg is None:
            self.warn(seg, "RPI without an itinerary leg; ignored")
            return
        state.leg.party_size = values.integer(seg.get(0, 0))
        status = seg.get(1, 0).strip().upper()
        if len(status) > 3:
            self.warn(seg, f"reservation status {status!r} is longer than a status code (missing terminator?)")
        state.leg.status = status or None

    def apd(self, seg: Segment) -> None:
        """APD: aircraft type of the current leg."""
        state = self.need_state(seg)
        if state.leg is not None:
            state.leg.equipment = values.clean(seg.get(0, 0))

    # ---------------------------------------------------------------------------------------- booking segments

    def rci(self, seg: Segment) -> None:
        """RCI: record locator(s) and creation time; later RCIs give other systems' locators."""
        state = self.need_state(seg)
        pnr = state.pnr
        for i in range(len(seg)):
            comps = [*seg.components(i), "", "", "", "", ""]
            owner, locator = comps[0].strip().upper() or None, comps[1].strip().upper()
            if not locator:
                continue
            if pnr.record_locator is None:
                pnr.carrier, pnr.record_locator = owner, locator
                pnr.created = self.created(comps, seg)
            elif (owner, locator) != (pnr.carrier, pnr.record_locator) and (owner, locator) not in pnr.other_locators:
                pnr.other_locators.append((owner, locator))

    def created(self, comps: list[str], seg: Segment) -> datetime | None:
        """Creation date/time in components 4:5, or 3:4 when the empty type component is left out."""
        day, clock = comps[3].strip(), comps[4].strip()
        shifted = comps[2].strip()
        if len(shifted) == 6 and shifted.isdecimal() and not clock and (not day or _clock(day) is not None):
            day, clock = shifted, day
        if not day:
            return None
        found = self.when(day, clock)
        if found is None:
            self.warn(seg, f"PNR creation date {day!r} is not DDMMYY")
        return found

    def dat(self, seg: Segment) -> None:
        """DAT: 700 last change, 710 ticket issue; in an itinerary leg it opens the check-in data."""
        state = self.need_state(seg)
        if state.zone in LEG_ZONES:
            state.zone, state.checkin = CHECKIN, None
            return
        for i in range(len(seg)):
            qualifier, day, clock = _triple(seg, i)
            if not day:
                continue
            moment = self.when(day, clock)
            if moment is None:
                self.warn(seg, f"date {day!r} is not DDMMYY")
            elif qualifier == "700":
                state.pnr.last_modified = moment
            elif qualifier == "710":
                if state.zone is TRAVELLER and state.ticket is not None:
                    state.ticket.issue_date = moment.date()
                state.pnr.ticketed = state.pnr.ticketed or moment.date()

    def ift(self, seg: Segment) -> None:
        """IFT: contact text (CTCE/CTCM/…), payer details after FOP (4:43), everything else a remark."""
        state = self.need_state(seg)
        lines = _free_text(seg, 1)
        if not any(line.strip() for line in lines):
            return
        if seg.get(0, 1) == "43":
            self.payer(state, seg, lines)
            return
        for line in lines:
            found = text.contact_in_text(line)
            if found is not None and state.add_contact(state.traveller_in_context(), found[0], found[1]):
                continue
            remark = values.clean(line)
            if remark:
                state.pnr.remarks.append(remark)

    def payer(self, state: PnrState, seg: Segment, lines: list[str]) -> None:
        """IFT 4:43: name, address and phone of the payer (card holder when it follows FOP)."""
        name = values.clean(lines[0]) if lines else None
        street = values.clean(lines[1]) if len(lines) > 1 else None
        owner = state.traveller_in_context()
        ref = owner.reference if owner is not None else None
        address = Address(street=street, kind="billing", traveller_ref=ref) if street else None
        if address is not None:
            state.pnr.addresses.append(address)
        for line in lines[2:]:
            for kind, number in text.phones(line):
                state.add_phone(Phone(number, kind or "billing", ref), None)
        payment = state.payment if state.after_payment else None
        if payment is not None:
            payment.card_holder = payment.card_holder or name
            payment.billing_address = payment.billing_address or address
        elif name:
            state.pnr.remarks.append(f"payer: {name}")

    def add(self, seg: Segment) -> None:
        """ADD: addresses (``700:street:city:state::country:postcode:phone``) of the PNR, traveller or payer."""
        state = self.need_state(seg)
        owner = state.traveller_in_context()
        ref = owner.reference if owner is not None else None
        for i in range(1, max(len(seg), 2)):
            comps = [c.strip() for c in [*seg.components(i), *[""] * 8]]
            phone_text, postcode = comps[7], comps[6]
            if phone_text and not postcode and sum(ch.isdigit() for ch in phone_text) < 6:
                self.warn(seg, f"{phone_text!r} in the phone position looks like a postcode; read as postcode")
                postcode, phone_text = phone_text, ""
            address = Address(street=values.clean(comps[1]), city=values.clean(comps[2]),
                              region=values.clean(comps[3]), country=values.clean(comps[5]),
                              postcode=values.clean(postcode), kind=values.clean(comps[0]), traveller_ref=ref)
            if state.after_payment and state.payment is not None:
                address.kind = "billing"
                state.payment.billing_address = state.payment.billing_address or address
            if any((address.street, address.city, address.region, address.country, address.postcode)):
                state.pnr.addresses.append(address)
                if owner is not None and owner.address is None and address.kind != "billing":
                    owner.address = address
            for kind, number in text.phones(phone_text):
                state.add_phone(Phone(number, kind, ref), owner)

    def ebd(self, seg: Segment) -> None:
        """EBD: excess baggage (count or weight) of the PNR or traveller."""
        state = self.need_state(seg)
        owner = state.traveller_in_context()
        quantity, unit = seg.get(1, 0).strip(), seg.get(1, 2).strip().upper()
        bag = Bag(traveller_ref=owner.reference if owner is not None else None, excess=True)
        if unit in ("700", "701", "K", "L", "KG", "LB"):
            bag.weight_kg = self.kilograms(values.decimal(quantity), unit)
        else:
            bag.count = values.integer(quantity)
        state.pnr.bags.append(bag)

    # -------------------------------------------------------------------------------------- traveller segments

    def tif(self, seg: Segment) -> None:
        """TIF: a traveller (traveller group), or who the following check-in or history data is about."""
        state = self.need_state(seg)
        person = _parts(seg, 1, 4)
        surname = values.clean(seg.get(0, 0))
        given, title = text.split_title(person[0])
        ref = norm_ref(person[2])
        if state.zone in (LEG, CHECKIN, NONAIR):
            self.checkin_traveller(state, seg, surname, given, ref)
            return
        passenger_type = person[1].strip() or None
        role = INFANT if (passenger_type or "").upper() in INFANT_TYPES else PASSENGER
        traveller = state.by_ref.get(ref) if ref else None
        if traveller is None or traveller.role is not role or not name_score(traveller, surname, given):
            traveller = Traveller(surname=surname, given_names=given, title=title, role=role, reference=ref,
                                  passenger_type=passenger_type, with_infant=person[3].strip() == "1")
            if role is INFANT:
                traveller.accompanying_ref = state.adult_for_infant()
            state.add_traveller(traveller, seg)
        else:
            self.warn(seg, f"traveller {surname}/{given} (ref {ref}) appears twice; read as one")
        state.zone, state.traveller, state.ticket, state.payment = TRAVELLER, traveller, None, None

    def checkin_traveller(self, state: PnrState, seg: Segment, surname: str | None, given: str | None,
                          ref: str | None) -> None:
        found = state.find(ref, surname, given)
        if found is None:
            found = Traveller(surname=surname, given_names=given, reference=ref)
            state.add_traveller(found, seg)
            self.warn(seg, f"checked-in traveller {surname}/{given} is not among the PNR's travellers; added")
        checkin = state.checkin
        if checkin is None or checkin.tif_seen:
            checkin = state.open_checkin(found)
        checkin.traveller, checkin.tif_seen = found, True
        state.zone = CHECKIN

    def fti(self, seg: Segment) -> None:
        """FTI: frequent flyer numbers of the current traveller."""
        state = self.need_state(seg)
        owner = state.traveller_in_context()
        for i in range(len(seg)):
            comps = [c.strip() for c in seg.components(i)]
            if len(comps) < 2 or not comps[1]:
                continue
            tier = next((c for c in (comps[4:5] + comps[3:4] + comps[5:]) if c), None)
            card = FrequentFlyer(carrier=comps[0].upper() or None, number=comps[1], tier=tier)
            if owner is None:
                self.warn(seg, "frequent flyer number outside a traveller group; ignored")
            elif all(f.number != card.number for f in owner.frequent_flyers):
                owner.frequent_flyers.append(card)

    def ref(self, seg: Segment) -> None:
        """REF: unique passenger reference (UPI) of the current traveller."""
        state = self.need_state(seg)
        owner = state.traveller_in_context()
        value = next((c.strip() for c in seg.components(0) if c.strip()), None)
        if owner is not None and value:
            owner.unique_reference = value

    def far(self, seg: Segment) -> None:
        """FAR: fare and passenger-type details (age, fare basis); no record field holds them."""

    # ------------------------------------------------------------------------------------ tickets and payment

    def tkt(self, seg: Segment) -> None:
        """TKT: a ticket of the current traveller."""
        state = self.need_state(seg)
        owner = state.traveller_in_context()
        ticket = Ticket(number=seg.get(0, 0).strip(), type=values.clean(seg.get(0, 1)),
                        coupons=values.clean(seg.get(0, 2)), traveller_ref=owner.reference if owner else None)
        state.pnr.tickets.append(ticket)
        state.ticket = ticket
        if owner is not None and ticket.number and owner.ticket_number is None:
            owner.ticket_number = ticket.number

    def current_ticket(self, state: PnrState) -> Ticket:
        if state.ticket is None:
            owner = state.traveller_in_context()
            state.ticket = Ticket(number="", traveller_ref=owner.reference if owner else None)
            state.pnr.tickets.append(state.ticket)
        return state.ticket

    def mon(self, seg: Segment) -> None:
        """MON: B base fare, T total fare (amount:currency)."""
        ticket = self.current_ticket(self.need_state(seg))
        for i in range(len(seg)):
            qualifier, amount, currency = _triple(seg, i)
            if qualifier == "B":
                ticket.base_fare = amount or None
            elif qualifier == "T":
                ticket.fare = amount or None
            if currency and qualifier in ("B", "T"):
                ticket.currency = ticket.currency or currency

    def ptk(self, seg: Segment) -> None:
        """PTK: issue date, issuing airline and place of the ticket."""
        ticket = self.current_ticket(self.need_state(seg))
        day = seg.get(2, 0).strip()
        if day and ticket.issue_date is None:
            ticket.issue_date = self.day(day)
        ticket.issuing_carrier = values.clean(seg.get(3, 0))
        ticket.place_of_issue = values.clean(seg.get(5, 0))

    def txd(self, seg: Segment) -> None:
        """TXD: taxes; the ticket keeps their total."""
        ticket = self.current_ticket(self.need_state(seg))
        total = Decimal(0)
        mark = self.envelope.decimal_mark
        for i in range(1, len(seg)):
            text = seg.get(i, 0).strip().replace(mark, ".")
            if not text:
                continue
            amount = values.amount(text)
            if amount is None:
                self.warn(seg, f"tax amount {text[:30]!r} is not a number; left out of the total")
            else:
                total += amount
        ticket.taxes = str(total)

    def fop(self, seg: Segment) -> None:
        """FOP: forms of payment; a card number is kept only as last four digits and keyed hash."""
        state = self.need_state(seg)
        owner = state.traveller_in_context()
        for i in range(len(seg)):
            comps = [c.strip() for c in _parts(seg, i, 6)]
            if not comps[0]:
                continue
            payment = Payment(type=comps[0].upper(), amount=comps[2] or None, card_type=comps[3] or None,
                              card_expiry=comps[5] or None, traveller_ref=owner.reference if owner else None,
                              currency=state.ticket.currency if state.ticket is not None else None)
            if comps[4]:
                payment.card_last4, payment.card_hash = self.mask_card(comps[4])
                if not comps[4].replace(" ", "").replace("-", "").isdigit():
                    payment.card_hash = None  # a masked number: a hash of its visible digits links nothing
            state.pnr.payments.append(payment)
            state.payment, state.after_payment = payment, True

    def mask_card(self, number: str) -> tuple[str | None, str | None]:
        """``values.mask_card`` with the envelope's key, memoised: a PNR pays every ticket with the same card."""
        found = self.cards.get(number)
        if found is None:
            found = self.cards[number] = values.mask_card(number, self.envelope.card_key)
        return found

    # ----------------------------------------------------------------------------------------------- SSR

    def ssr(self, seg: Segment) -> None:
        """SSR: kept as sent; documents, contacts, tickets and infants are tied to travellers at PNR end."""
        state = self.need_state(seg)
        comps = _parts(seg, 0, 9)
        code = comps[0].strip().upper()
        if not code:
            self.warn(seg, "SSR without a code; ignored")
            return
        free = text.unwrap(":".join(comps[8:]) if len(comps) > 9 else comps[8]).strip()
        context = state.traveller_in_context()
        board, off = comps[6].strip().upper(), comps[7].strip().upper()
        leg = state.leg if state.zone in LEG_ZONES else None
        route = f"{board}-{off}" if board and off else (f"{leg.origin}-{leg.destination}" if leg else None)
        targets = _targets(seg)
        named: list[str | None] = [ref for _, ref in targets if ref]
        refs = named or [context.reference if context else None]
        shown = text.mask_digits(free) if code == "FOID" else free
        sent = {} if shown else {ref: value for value, ref in targets if value}
        status, carrier = values.clean(comps[1]), values.clean(comps[3])
        for ref in refs:
            state.pnr.ssrs.append(Ssr(code=code, text=shown or sent.get(ref) or None, status=status,
                                      carrier=carrier, traveller_ref=ref, segment_ref=route))
        if code in text.SEAT_SSRS:
            self.seat_requests(state, seg, targets, context, board, off, free, comps[3].strip().upper())
        if code in PENDING_SSRS and free:
            for ref in named or [None]:
                state.pending.append(Pending(code, free, ref, context, seg))

    def seat_requests(self, state: PnrState, seg: Segment, targets: list[tuple[str, str | None]],
                      context: Traveller | None, board: str, off: str, free: str, carrier: str) -> None:
        """Seats asked for in SSR SEAT/NSST/RQST…: ``+15A::1+15B::2``."""
        leg = state.leg if state.zone in LEG_ZONES else None
        origin = board or (leg.origin if leg else None)
        destination = off or (leg.destination if leg else None)
        on_leg = leg is not None and (origin, destination) == (leg.origin, leg.destination)
        flight = text.flight_in_text(free)
        number = flight[1] if flight is not None else None
        carrier = flight[0] if flight is not None else carrier
        for value, ref in targets:
            seat = text.seat_number(value)
            if seat is None:
                continue
            owner_ref = ref or (context.reference if context else None)
            item = Seat(number=seat, traveller_ref=owner_ref, origin=origin, destination=destination,
                        carrier=None if carrier in ("", "YY") else carrier, flight_number=number, source="request")
            if state.add_seat(item) and on_leg and flight is None:
                state.leg_seats.append(item)
            state.requests.append((state.leg_index() if on_leg else None, item))

    # ------------------------------------------------------------------------------------------------ check-in

    def tri(self, seg: Segment) -> None:
        """TRI: check-in sequence number and traveller reference; opens one traveller's check-in data."""
        state = self.need_state(seg)
        if state.zone is not CHECKIN:
            state.zone = CHECKIN
        target = _parts(seg, 1, 4)
        ref = norm_ref(target[3])
        checkin = state.open_checkin(state.by_ref.get(ref) if ref else None)
        checkin.sequence = target[0].strip() or None

    def ssd(self, seg: Segment) -> None:
        """SSD: the seat given at check-in (``011D`` → ``11D``) and the cabin."""
        state = self.need_state(seg)
        checkin = state.checkin or state.open_checkin(None)
        raw = seg.get(0, 0).strip().upper()
        number = text.seat_number(raw)
        if number is None:
            if raw and raw != "XXX":
                self.warn(seg, f"seat {raw!r} not understood")
            return
        leg = state.leg
        owner = checkin.traveller
        seat = Seat(number=number, traveller_ref=owner.reference if owner else None,
                    cabin=values.clean(seg.get(4, 0)), origin=leg.origin if leg else None,
                    destination=leg.destination if leg else None, source="checkin")
        if state.add_seat(seat):
            state.leg_seats.append(seat)
        checkin.seat = seat

    def tbd(self, seg: Segment) -> None:
        """TBD: checked bags: count, weight (700 kg, 701 lb), pool, then carrier:first tag:quantity:destination."""
        state = self.need_state(seg)
        checkin = state.checkin or state.open_checkin(None)
        owner = checkin.traveller
        count, weight, unit = _triple(seg, 1)
        bag = Bag(traveller_ref=owner.reference if owner else None, count=values.integer(count))
        if weight:
            if not unit:
                self.warn(seg, "bag weight without a unit; read as kilograms")
            bag.weight_kg = self.kilograms(values.decimal(weight, self.envelope.decimal_mark), unit or "700")
        destinations: list[str] = []
        runs: list[list[str]] = []
        for i in range(2, len(seg)):
            comps = seg.components(i)
            if comps[0] in ("HP", "MP"):
                bag.pool = ":".join(c for c in comps if c)
            elif len(comps) > 1 and comps[1]:
                comps = [c.strip() for c in comps]
                comps += [""] * (5 - len(comps))
                bag.carrier = bag.carrier or comps[0].upper() or comps[4] or None
                runs.append(self.tag_run(seg, comps))
                if comps[3] and comps[3].upper() not in destinations:
                    destinations.append(comps[3].upper())
        if bag.count is not None and sum(len(run) for run in runs) > max(bag.count, len(runs)):
            self.warn(seg, f"consecutive bag tags add up to {sum(len(run) for run in runs)} but the TBD declares "
                           f"{bag.count} bags; only the listed tag numbers kept")
            runs = [run[:1] for run in runs]
        for tag in (tag for run in runs for tag in run):
            if tag not in bag.tags:
                bag.tags.append(tag)
        bag.destination = "/".join(destinations) or None
        if bag.count is None and bag.tags:
            bag.count = len(bag.tags)
        state.pnr.bags.append(bag)
        checkin.bags.append(bag)

    def tag_run(self, seg: Segment, comps: list[str]) -> list[str]:
        """``618:0123456789:2`` → the two consecutive tag numbers 0123456789 and 0123456790."""
        first = comps[1].replace(" ", "")
        quantity = values.integer(comps[2]) if comps[2] else 1
        start = whole_number(first)
        if start is None:
            return [first]
        if quantity is None or not 1 <= quantity <= MAX_TAGS_PER_RUN:
            self.warn(seg, f"{comps[2]!r} consecutive bag tags from {first} is not plausible; only the first kept")
            return [first]
        return [str(start + k).zfill(len(first)) for k in range(quantity)]

    def kilograms(self, amount: float | None, unit: str) -> float | None:
        if amount is None:
            return None
        return round(amount * POUND_KG, 1) if unit in ("701", "L", "LB") else amount

    # ------------------------------------------------------------------------------------------------- history

    def abi(self, seg: Segment) -> None:
        """ABI: a block of structured history (who changed the PNR)."""
        state = self.need_state(seg)
        self.close_leg(state)
        state.zone, state.history = HISTORY, None
        who = [seg.get(1, 0), seg.get(1, 1), seg.get(2, 0), seg.get(4, 0)]
        state.history_who = " ".join(w.strip() for w in who if w.strip()) or None
        state.history_when = None

    def sac(self, seg: Segment) -> None:
        """SAC outside a history block starts one."""
        state = self.need_state(seg)
        self.close_leg(state)
        state.zone, state.history_who, state.history_when = HISTORY, None, None
        self.history_part(seg)

    def lts(self, seg: Segment) -> None:
        """LTS: one line of unstructured history, kept as sent."""
        state = self.need_state(seg)
        if state.zone is not HISTORY:
            self.close_leg(state)
        state.zone, state.history = HISTORY, None
        line = "+".join(_free_text(seg, 0)).strip()
        if line:
            state.pnr.history.append(HistoryEntry(text=line))

    def history_part(self, seg: Segment) -> None:
        """A segment inside structured history: DAT sets the time, SAC starts an entry, the rest is its text."""
        state = self.state
        assert state is not None
        tag = seg.tag
        if tag == "DAT":
            state.history_when = self.when(seg.get(0, 1), seg.get(0, 2))
            return
        if tag == "SAC":
            action = next((seg.get(i, 0).strip() for i in range(len(seg)) if seg.get(i, 0).strip()), None)
            state.history = HistoryEntry(text="", action=action, when=state.history_when, who=state.history_who)
            state.pnr.history.append(state.history)
            return
        if tag not in SEGMENT_TAGS:
            self.unexpected_segment(seg, f"{tag} is not a PNRGOV segment; ignored")
            return
        part = values.clean(" ".join(_free_text(seg, 1))) if tag == "IFT" else _display(seg)
        if not part:
            return
        if state.history is None:
            state.history = HistoryEntry(text="", when=state.history_when, who=state.history_who)
            state.pnr.history.append(state.history)
        state.history.text = f"{state.history.text}; {part}" if state.history.text else part
