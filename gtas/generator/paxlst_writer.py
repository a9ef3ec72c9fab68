"""PAXLST writer: a passenger or crew list message as UN/EDIFACT interchanges, split into parts on request."""

from __future__ import annotations

from datetime import date, datetime

from gtas.generator.edifact_out import Envelope, SegmentWriter, close_message, interchange
from gtas.parsers.edifact import DEFAULT_CHARS, ServiceChars
from gtas.parsers.records import Document, FlightLeg, Message, Role, Traveller

PERSON_QUALIFIER = {
    Role.PASSENGER: "FL",
    Role.INFANT: "FL",
    Role.CREW: "FM",
    Role.IN_TRANSIT: "DDT",
    Role.IN_TRANSIT_CREW: "DDU",
}


def write(message: Message, *, max_travellers_per_part: int | None = None,
          chars: ServiceChars = DEFAULT_CHARS) -> list[str]:
    """One interchange per part (a single one unless the list is longer than ``max_travellers_per_part``).

    Every part repeats the header groups and carries the flight total in CNT; UNH S010 reads ``01:C``, ``02``,
    … ``NN:F`` (``01:F`` for a single message).
    """
    travellers = message.travellers
    size = max_travellers_per_part or len(travellers) or 1
    chunks = [travellers[i : i + size] for i in range(0, len(travellers), size)] or [[]]
    base = message.interchange_reference or "1"
    prepared = message.prepared or datetime(2000, 1, 1)
    out = []
    for number, chunk in enumerate(chunks, start=1):
        final = number == len(chunks)
        reference = base if len(chunks) == 1 else f"{base}{number:02d}"
        body = _message(message, chunk, number, final, chars)
        envelope = Envelope(("UNOA", "4"), message.sender or "", message.recipient or "", prepared, reference,
                            "PAXLST", "UN", ("D", (message.version or "D05B")[1:]))
        out.append(interchange(envelope, [body], chars))
    return out


def _message(message: Message, travellers: list[Traveller], number: int, final: bool,
             chars: ServiceChars) -> SegmentWriter:
    w = SegmentWriter(chars)
    reference = message.reference or "1"
    version = message.version or "D05B"
    status = (f"{number:02d}", "F") if final else ((f"{number:02d}", "C") if number == 1 else f"{number:02d}")
    w.add("UNH", reference, ("PAXLST", version[0], version[1:], "UN", "IATA"), message.part.key, status)
    w.add("BGM", message.list_code or ("250" if message.list_type == "crew" else "745"), message.list_function)
    if message.transaction_reference:
        w.add("RFF", ("TN", message.transaction_reference, None, None, message.revision))
    party = message.reporting_party
    if party is not None:
        w.add("NAD", "MS", party.id, None, party.name)
        contacts = [(value, code) for value, code in ((party.phone, "TE"), (party.fax, "FX"), (party.email, "EM"))
                    if value]
        if contacts:
            w.add("COM", *[(value, code) for value, code in contacts])
    for leg in message.flights:
        _leg(w, leg)
    for traveller in travellers:
        _traveller(w, traveller)
    if message.declared_crew is not None or message.list_type == "crew":
        w.add("CNT", ("41", str(message.declared_crew if message.declared_crew is not None
                                else len(message.travellers))))
    else:
        w.add("CNT", ("42", str(message.declared_passengers if message.declared_passengers is not None
                                else len(message.travellers))))
    close_message(w, reference)
    return w


def _leg(w: SegmentWriter, leg: FlightLeg) -> None:
    flight = f"{leg.carrier or ''}{leg.number or ''}{leg.suffix or ''}"
    w.add("TDT", "20", flight, None, None, leg.carrier)
    w.add("LOC", "92" if leg.progressive else "125", leg.origin)
    if leg.departure is not None:
        w.add("DTM", ("189", f"{leg.departure:%y%m%d%H%M}", "201"))
    w.add("LOC", "92" if leg.progressive else "87", leg.destination)
    if leg.arrival is not None:
        w.add("DTM", ("232", f"{leg.arrival:%y%m%d%H%M}", "201"))


def _yymmdd(day: date) -> str:
    return f"{day.year % 100:02d}{day.month:02d}{day.day:02d}"


def _traveller(w: SegmentWriter, t: Traveller) -> None:
    """One NAD group; written straight into segments (the hot path: hundreds per list)."""
    e, c, x, out = w.chars.element, w.chars.component, w.escape, w.segments
    given = (t.given_names or "").split(" ", 1)
    name = x(t.surname or "")
    if given[0]:
        name += c + x(given[0]) + (c + x(given[1]) if len(given) > 1 else "")
    a = t.address
    if a is not None:
        w.add("NAD", PERSON_QUALIFIER[t.role], None, None, (t.surname or "", *given), a.street, a.city, a.region,
              a.postcode, a.country)
    else:
        out.append(f"NAD{e}{PERSON_QUALIFIER[t.role]}{e}{e}{e}{name}")
    if t.gender:
        out.append(f"ATT{e}2{e}{e}{x(t.gender)}")
    if t.date_of_birth is not None:
        out.append(f"DTM{e}329{c}{_yymmdd(t.date_of_birth)}")
    if t.bag_count is not None:
        out.append(f"MEA{e}CT{e}{e}{c}{t.bag_count}")
    if t.bag_weight_kg is not None:
        weight = t.bag_weight_kg
        out.append(f"MEA{e}WT{e}{e}KGM{c}{int(weight) if weight == int(weight) else weight}")
    if t.verified is not None:
        out.append(f"GEI{e}4{e}{'173' if t.verified else '174'}")
    for tag in t.bag_tags:
        out.append(f"FTX{e}BAG{e}{e}{e}{x(tag)}{c}1")
    for qualifier, place in (("22", t.clearance), ("174", t.residence_country), ("178", t.embarkation),
                             ("179", t.debarkation)):
        if place:
            out.append(f"LOC{e}{qualifier}{e}{x(place)}")
    if t.nationality:
        out.append(f"NAT{e}2{e}{x(t.nationality)}")
    for qualifier, value in (("AVF", t.record_locator), ("ABO", t.reference), ("SEA", t.seat)):
        if value:
            out.append(f"RFF{e}{qualifier}{c}{x(value)}")
    for doc in t.documents:
        _document(w, doc)


def _document(w: SegmentWriter, doc: Document) -> None:
    e, c, x, out = w.chars.element, w.chars.component, w.escape, w.segments
    out.append(f"DOC{e}{x(doc.type or 'P')}{c}110{c}111{e}{x(doc.number or '')}")
    if doc.expiry is not None:
        out.append(f"DTM{e}36{c}{_yymmdd(doc.expiry)}")
    if doc.issue_date is not None:
        out.append(f"DTM{e}182{c}{_yymmdd(doc.issue_date)}")
    if doc.issuing_country:
        out.append(f"LOC{e}91{e}{x(doc.issuing_country)}")
