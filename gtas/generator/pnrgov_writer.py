"""PNRGOV writer: one push of PNRs for a flight as a PADIS EDIFACT (13.1) interchange."""

from __future__ import annotations

import hashlib
from datetime import date, datetime

from gtas.generator import cards
from gtas.generator.bookings import TAX_CODES, ddmonyy
from gtas.generator.edifact_out import Envelope, SegmentWriter, close_message, interchange
from gtas.parsers.edifact import DEFAULT_CHARS, ServiceChars
from gtas.parsers.records import Bag, Document, FlightLeg, Message, Payment, Pnr, Role, Seat, Ticket, Traveller

PAYMENT_CODES = {"CA", "CC", "IN", "MS", "CK"}


def write(message: Message, *, chars: ServiceChars = DEFAULT_CHARS) -> str:
    """The whole interchange: UNA, UNB, UNG, UNH … UNT, UNE, UNZ."""
    w = SegmentWriter(chars)
    reference = message.reference or "1"
    version = (message.version or "13.1").split(".")
    w.add("UNH", reference, ("PNRGOV", version[0], version[1] if len(version) > 1 else "1", "IA"),
          message.part.key)
    w.add("MSG", (None, "22"))
    if message.originator is not None:
        w.add("ORG", (message.originator.system, message.originator.location))
    prime = message.flights[0] if message.flights else None
    if prime is not None:
        w.add("TVL", _when(prime), prime.origin, prime.destination, prime.carrier, prime.number)
    w.add("EQN", str(message.declared_pnrs if message.declared_pnrs is not None else len(message.pnrs)))
    for pnr in message.pnrs:
        _pnr(w, pnr, prime)
    close_message(w, reference)
    envelope = Envelope(("IATA", "1"), message.sender or "", message.recipient or "",
                        message.prepared or datetime(2000, 1, 1), message.interchange_reference or "1", "PNRGOV",
                        "IA", (version[0], version[1] if len(version) > 1 else "1"))
    return interchange(envelope, [w], chars)


def _ddmmyy(day: date) -> str:
    return f"{day.day:02d}{day.month:02d}{day.year % 100:02d}"


def _when(leg: FlightLeg) -> tuple[str, ...]:
    dep, arr = leg.departure, leg.arrival
    return (
        _ddmmyy(dep) if dep else "", f"{dep:%H%M}" if dep else "",
        _ddmmyy(arr) if arr else "", f"{arr:%H%M}" if arr else "",
    )


def _money(value: str | None, chars: ServiceChars) -> str:
    return (value or "").replace(".", chars.decimal)


def _pnr(w: SegmentWriter, pnr: Pnr, prime: FlightLeg | None) -> None:
    w.add("SRC")
    created = pnr.created
    rci: list[tuple[str | None, ...]] = [(pnr.carrier, pnr.record_locator, None, _ddmmyy(created) if created else None,
            f"{created:%H%M}" if created else None)]
    rci.extend((carrier or "", locator) for carrier, locator in pnr.other_locators)
    w.add("RCI", *rci)
    for ssr in pnr.ssrs:
        w.add("SSR", (ssr.code, ssr.status, "1", ssr.carrier, None, None, None, None, ssr.text),
              (None, None, ssr.traveller_ref) if ssr.traveller_ref else None)
    if pnr.last_modified is not None:
        w.add("DAT", ("700", _ddmmyy(pnr.last_modified), f"{pnr.last_modified:%H%M}"))
    for phone in pnr.phones:
        w.add("IFT", ("4", "28", None, pnr.carrier), f"CTCM {phone.number}")
    for email in pnr.emails:
        encoded = email.address.replace("_", "..").replace("@", "//")
        w.add("IFT", ("4", "28", None, pnr.carrier), f"CTCE {encoded}")
    for remark in pnr.remarks:
        w.add("IFT", ("4", "3"), remark)
    agency = pnr.agency
    if agency is not None:
        w.add("ORG", (agency.system, agency.location), (agency.iata_number, agency.office), agency.location,
              None, agency.originator_type, (agency.country, agency.currency), agency.agent)
    for address in pnr.addresses:
        w.add("ADD", None, ("700", address.street, address.city, address.region, None, address.country,
                            address.postcode))
    tickets = {t.traveller_ref: t for t in pnr.tickets}
    payments = {p.traveller_ref: p for p in pnr.payments}
    travelled = [s for s in pnr.itinerary if s.departure is not None]
    for traveller in pnr.travellers:
        _traveller(w, pnr, traveller, tickets.get(traveller.reference), payments.get(traveller.reference),
                   travelled)
    for segment in pnr.itinerary:
        _segment(w, pnr, segment, prime)
    for entry in pnr.history:
        w.add("LTS", entry.text)


def _tif(w: SegmentWriter, t: Traveller) -> None:
    given = " ".join(part for part in (t.given_names, t.title) if part)
    surname = (t.surname or "", "I") if t.with_infant else t.surname or ""
    w.add("TIF", surname, (given, t.passenger_type, t.reference, "1" if t.with_infant else None))


def _ssr(w: SegmentWriter, code: str, carrier: str, text: str, ref: str | None, origin: str | None = None,
         destination: str | None = None) -> None:
    """``SSR+<code>:HK:1:<carrier>:::<from>:<to>:<text>+::<traveller ref>``."""
    e, c, x = w.chars.element, w.chars.component, w.escape
    tail = f"{e}{c}{c}{x(ref)}" if ref else ""
    w.segments.append(f"SSR{e}{code}{c}HK{c}1{c}{x(carrier)}{c}{c}{c}{x(origin or '')}{c}{x(destination or '')}"
                      f"{c}{x(text)}{tail}")


def _traveller(w: SegmentWriter, pnr: Pnr, t: Traveller, ticket: Ticket | None, payment: Payment | None,
               itinerary: list[FlightLeg]) -> None:
    _tif(w, t)
    for ffp in t.frequent_flyers:
        w.add("FTI", (ffp.carrier, ffp.number, ffp.tier))
    if t.unique_reference:
        w.add("REF", (None, t.unique_reference))
    ref = t.reference
    carrier = pnr.carrier or ""
    for doc in t.documents:
        if doc.source == "DOCO":
            _ssr(w, "DOCO", carrier, _doco(doc), ref)
        else:
            _ssr(w, "DOCS", carrier, _docs(t, doc), ref)
    if t.address is not None:
        a = t.address
        kind = "R" if a.kind == "residence" else "D"
        text = "/".join((kind, a.country or "", a.street or "", a.city or "", a.region or "", a.postcode or ""))
        _ssr(w, "DOCA", carrier, "/" + text, ref)
    first = itinerary[0] if itinerary else None
    if t.ticket_number and first is not None:
        _ssr(w, "TKNE", carrier, f"{t.ticket_number}C1", ref, first.origin, first.destination)
    if t.with_infant:
        infant = next((i for i in pnr.travellers if i.accompanying_ref == t.reference), None)
        if infant is not None and infant.date_of_birth is not None and first is not None:
            text = f"{infant.surname}/{infant.given_names} {ddmonyy(infant.date_of_birth)}"
            _ssr(w, "INFT", carrier, text, ref, first.origin, first.destination)
    if ticket is not None:
        _ticket(w, ticket, payment, pnr.record_locator)


def _docs(t: Traveller, doc: Document) -> str:
    gender = t.gender or ""
    if t.role is Role.INFANT and gender in ("M", "F"):
        gender += "I"
    fields = (
        doc.type or "P", doc.issuing_country or "", doc.number or "", doc.nationality or t.nationality or "",
        ddmonyy(t.date_of_birth) if t.date_of_birth else "", gender,
        ddmonyy(doc.expiry) if doc.expiry else "", t.surname or "", t.given_names or "",
    )
    return "/" + "/".join(fields)


def _doco(doc: Document) -> str:
    fields = ("", doc.type or "V", doc.number or "", doc.place_of_issue or "",
              ddmonyy(doc.issue_date) if doc.issue_date else "", doc.issuing_country or "")
    return "/" + "/".join(fields)


def _ticket(w: SegmentWriter, ticket: Ticket, payment: Payment | None, locator: str | None) -> None:
    e, c, x, out, chars = w.chars.element, w.chars.component, w.escape, w.segments, w.chars
    w.add("TKT", (ticket.number, ticket.type, ticket.coupons))
    currency = f"{c}{x(ticket.currency)}" if ticket.currency else ""
    if ticket.fare is not None:
        base = f"B{c}{_money(ticket.base_fare, chars)}{currency}{e}" if ticket.base_fare is not None else ""
        out.append(f"MON{e}{base}T{c}{_money(ticket.fare, chars)}{currency}")
    if ticket.issue_date is not None:
        w.add("PTK", "NR", None, _ddmmyy(ticket.issue_date), ticket.issuing_carrier, None, ticket.place_of_issue)
    if ticket.taxes is not None:
        taxes = e.join(f"{_money(amount, chars)}{c}{c}{c}{code}" for code, amount in _tax_lines(ticket))
        out.append(f"TXD{e}{e}{taxes}")
    if ticket.issue_date is not None:
        out.append(f"DAT{e}710{c}{_ddmmyy(ticket.issue_date)}")
    if payment is not None:
        _payment(w, payment, locator)


def _tax_lines(ticket: Ticket) -> list[tuple[str, str]]:
    """The tax total split over a few tax codes (stable for a ticket number); the amounts add up exactly."""
    cents = round(float(ticket.taxes or "0") * 100)
    seed = int(hashlib.sha256(ticket.number.encode()).hexdigest()[:8], 16)
    count = 1 + seed % 4 if cents >= 400 else 1
    codes = [TAX_CODES[(seed >> (4 * i)) % len(TAX_CODES)] for i in range(count)]
    codes = list(dict.fromkeys(codes))
    shares = [cents * (i + 2) // sum(range(2, len(codes) + 2)) for i in range(len(codes))]
    shares[-1] += cents - sum(shares)
    return [(code, f"{share // 100}.{share % 100:02d}") for code, share in zip(codes, shares, strict=True)]


def _payment(w: SegmentWriter, payment: Payment, locator: str | None = None) -> None:
    amount = _money(payment.amount, w.chars)
    if payment.type == "CC":
        number = _card_number(payment, locator)
        w.add("FOP", ("CC", None, amount, payment.card_type, number, payment.card_expiry))
        if payment.card_holder:
            w.add("IFT", ("4", "43"), payment.card_holder)
    else:
        w.add("FOP", (payment.type, None, amount))


def _card_number(payment: Payment, locator: str | None) -> str:
    """The synthetic card number when it can be reproduced; otherwise a masked one ending in the last four."""
    if locator and payment.card_type:
        number = cards.card_number(payment.card_type, locator)
        if number[-4:] == payment.card_last4:
            return number
    return "X" * 12 + (payment.card_last4 or "0000")


def _segment(w: SegmentWriter, pnr: Pnr, s: FlightLeg, prime: FlightLeg | None) -> None:
    company = (s.carrier or "", s.operating_carrier) if s.operating_carrier else s.carrier
    w.add("TVL", _when(s), s.origin, s.destination, company, (f"{s.number or ''}{s.suffix or ''}", s.booking_class))
    if s.operating_carrier and s.operating_number:
        w.add("TVL", None, None, None, None, (s.operating_number, s.booking_class))  # the operating flight
    if s.party_size is not None or s.status:
        w.add("RPI", str(s.party_size) if s.party_size is not None else None, s.status)
    if s.equipment:
        w.add("APD", s.equipment)
    if prime is None or not _is_prime(s, prime):
        return
    seats = {seat.traveller_ref: seat for seat in pnr.seats}
    bags = {bag.traveller_ref: bag for bag in pnr.bags}
    for t in pnr.travellers:
        if not t.check_in_sequence:
            continue
        _check_in(w, t, seats.get(t.reference), bags.get(t.reference), prime)


def _is_prime(s: FlightLeg, prime: FlightLeg) -> bool:
    operator = s.operating_carrier or s.carrier
    return (operator == prime.carrier and s.origin == prime.origin and s.destination == prime.destination
            and s.departure == prime.departure)


def _check_in(w: SegmentWriter, t: Traveller, seat: Seat | None, bag: Bag | None, prime: FlightLeg) -> None:
    e, c, x, out = w.chars.element, w.chars.component, w.escape, w.segments
    out.append("DAT")
    w.add("TRI", None, (t.check_in_sequence, None, None, t.reference))
    given = " ".join(part for part in (t.given_names, t.title) if part)
    w.add("TIF", t.surname, (given, t.passenger_type, t.reference))
    if seat is not None:
        row = "".join(ch for ch in seat.number if ch.isdigit())
        letter = seat.number[len(row):]
        cabin = f"{e}{e}{e}{e}{x(seat.cabin)}" if seat.cabin else ""
        out.append(f"SSD{e}{int(row):03d}{x(letter)}{cabin}")
    if bag is not None:
        weight = bag.weight_kg
        weight_text = "" if weight is None else (str(int(weight)) if weight == int(weight) else str(weight))
        count = "" if bag.count is None else str(bag.count)
        destination = x(bag.destination or prime.destination or "")
        carrier = x(bag.carrier or "")
        tags = "".join(f"{e}{carrier}{c}{x(tag)}{c}1{c}{destination}" for tag in bag.tags)
        out.append(f"TBD{e}{e}{count}{c}{weight_text}{c}700{e}{e}{tags}")
