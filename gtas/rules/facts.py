"""The facts of travellers, read from the database in bulk: one set of queries per batch of travellers, not per person.

Each traveller's facts are a dict keyed by the catalogue's field keys (``gtas.rules.catalogue``); multi-valued
fields hold lists. PNR-level rows (a contact, payment or bag with no traveller reference) count for every traveller
of the booking. Times written by airlines without a zone (booking time, history) are read as UTC; itinerary times
are airport-local and converted with the airport's time zone.
"""

from __future__ import annotations

import itertools
import unicodedata
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any, cast

import pycountry
from sqlalchemy import Row, Table, and_, func, select
from sqlalchemy.orm import Session

from gtas.model import (
    Agency,
    Bag,
    Contact,
    ContactKind,
    Document,
    Flight,
    FrequentFlyer,
    HistoryEntry,
    ItineraryLeg,
    Message,
    Payment,
    Pnr,
    PnrVersion,
    Seat,
    Ticket,
    Traveller,
    TravellerSource,
)
from gtas.model.base import Base
from gtas.reference import airport_country, to_utc
from gtas.rules.catalogue import OPERATIONAL_SSR_CODES

CHUNK = 500
STAY_HOURS = 24.0  # a gap this long between two legs is a stay, shorter is a connection (IATA stopover rule)

Facts = dict[str, Any]


def facts_for_flights(session: Session, flight_ids: Iterable[int], *,
                      listed_traveller_ids: Collection[int] = ()) -> dict[int, Facts]:
    """The facts of every current (not removed) traveller of these flights, by traveller id."""
    flights = sorted(set(flight_ids))
    ids: list[int] = []
    for chunk in _chunks(flights):
        ids += session.scalars(select(Traveller.id).where(Traveller.flight_id.in_(chunk),
                                                          Traveller.removed_at.is_(None))).all()
    return build_facts(session, ids, listed_traveller_ids=listed_traveller_ids)


def build_facts(session: Session, traveller_ids: Iterable[int], *,
                listed_traveller_ids: Collection[int] = ()) -> dict[int, Facts]:
    """The facts of these travellers, by id, in batches of CHUNK travellers (one query per table and batch).

    ``listed_traveller_ids`` are the travellers with a watchlist hit: the assessment passes them so that
    ``derived.travelling_with_listed_person`` can be filled.
    """
    listed = frozenset(listed_traveller_ids)
    out: dict[int, Facts] = {}
    for chunk in _chunks(sorted(set(traveller_ids))):
        out.update(_Batch(session, chunk, listed).facts())
    return out


def _chunks(values: Sequence[int]) -> Iterator[Sequence[int]]:
    for start in range(0, len(values), CHUNK):
        yield values[start:start + CHUNK]


def _by(rows: Iterable[Any], key: str) -> dict[Any, list[Any]]:
    grouped: dict[Any, list[Any]] = defaultdict(list)
    for row in rows:
        grouped[getattr(row, key)].append(row)
    return grouped


@dataclass(slots=True)
class _Batch:
    """The rows of one batch of travellers and their bookings, read once, then turned into facts."""

    session: Session
    ids: Sequence[int]
    listed: frozenset[int]

    def facts(self) -> dict[int, Facts]:
        s = self.session
        flights = {f.id: f for f in s.execute(select(*_columns(Flight, FLIGHT_COLUMNS)).where(Flight.id.in_(
            select(Traveller.flight_id).where(Traveller.id.in_(self.ids)))))}
        travellers = [(t, flights[t.flight_id]) for t in s.execute(
            select(*_columns(Traveller, TRAVELLER_COLUMNS)).where(Traveller.id.in_(self.ids)))]
        pnr_ids = sorted({t.pnr_id for t, _ in travellers if t.pnr_id is not None})
        pnrs = {p.id: p for p in s.execute(select(*_columns(Pnr, PNR_COLUMNS)).where(Pnr.id.in_(pnr_ids)))}
        documents = _by(s.execute(select(_table(Document)).where(Document.traveller_id.in_(self.ids))),
                        "traveller_id")
        view: dict[type, dict[Any, list[Any]]] = {
            model: _by(s.execute(select(_table(model)).where(_table(model).c.pnr_id.in_(pnr_ids))), "pnr_id")
            for model in (ItineraryLeg, Contact, Payment, Agency, FrequentFlyer, Ticket, Bag, Seat)}
        changes: dict[int, int] = {pnr_id: count for pnr_id, count in s.execute(
            select(HistoryEntry.pnr_id, func.count()).where(HistoryEntry.pnr_id.in_(pnr_ids))
            .group_by(HistoryEntry.pnr_id))}
        ssrs = self._ssr_codes(pnr_ids)
        parties = self._parties(pnr_ids)
        sources = self._sources(sorted({*self.ids, *(member for party in parties.values() for member in party)}))
        history = self._travel_history({t.person_id for t, _ in travellers if t.person_id is not None})
        out: dict[int, Facts] = {}
        for traveller, flight in travellers:
            pnr = pnrs.get(traveller.pnr_id) if traveller.pnr_id is not None else None
            rows = {model: _mine(traveller.id, rows_of.get(traveller.pnr_id, []))
                    for model, rows_of in view.items()}
            legs = sorted(view[ItineraryLeg].get(traveller.pnr_id, []), key=lambda leg: leg.position)
            party = parties.get((flight.id, traveller.pnr_id), []) if pnr else []
            facts = _traveller_facts(traveller, flight) | _document_facts(documents.get(traveller.id, []), flight)
            facts |= _flight_facts(flight) | _pnr_facts(pnr, changes, ssrs) | _view_facts(rows)
            facts |= _derived(traveller, flight, pnr, legs, rows)
            facts["traveller.has_api"] = "PAXLST" in sources.get(traveller.id, {})
            facts["derived.party_size"] = len(party) if pnr else None
            facts["derived.travelling_with_listed_person"] = any(
                other in self.listed for other in party if other != traveller.id)
            facts["derived.api_pnr_name_mismatch"] = _name_mismatch(
                sources.get(traveller.id, {}), [sources.get(member, {}).get("PNRGOV") for member in party])
            facts["derived.first_trip_to_country"] = _first_trip(traveller, flight, history)
            out[traveller.id] = facts
        return out

    def _ssr_codes(self, pnr_ids: Sequence[int]) -> dict[int, list[str]]:
        """The operational SSR codes of each booking's current version (sensitive codes never leave this method)."""
        if not pnr_ids:
            return {}
        current = and_(PnrVersion.pnr_id == Pnr.id, PnrVersion.message_id == Pnr.current_message_id)
        codes: dict[int, list[str]] = {}
        for pnr_id, ssrs in self.session.execute(select(Pnr.id, PnrVersion.snapshot["ssrs"]).join(PnrVersion, current)
                                                 .where(Pnr.id.in_(pnr_ids))):
            found = {str(ssr.get("code") or "").upper() for ssr in ssrs or [] if isinstance(ssr, dict)}
            codes[pnr_id] = sorted(found & OPERATIONAL_SSR_CODES)
        return codes

    def _parties(self, pnr_ids: Sequence[int]) -> dict[tuple[int, int | None], list[int]]:
        """The current travellers of each booking on each flight."""
        parties: dict[tuple[int, int | None], list[int]] = defaultdict(list)
        if pnr_ids:
            for traveller_id, flight_id, pnr_id in self.session.execute(
                    select(Traveller.id, Traveller.flight_id, Traveller.pnr_id)
                    .where(Traveller.pnr_id.in_(pnr_ids), Traveller.removed_at.is_(None))):
                parties[(flight_id, pnr_id)].append(traveller_id)
        return parties

    def _sources(self, ids: Sequence[int]) -> dict[int, dict[str, NameKey | None]]:
        """Per traveller and message type (PAXLST, PNRGOV): the name the newest such message gave, as a key."""
        names: dict[int, dict[str, NameKey | None]] = defaultdict(dict)
        fields = TravellerSource.fields
        for chunk in _chunks(ids):
            for traveller_id, kind, surname, given in self.session.execute(
                    select(TravellerSource.traveller_id, Message.type, fields["surname"].as_string(),
                           fields["given_names"].as_string())
                    .join(Message, Message.id == TravellerSource.message_id)
                    .where(TravellerSource.traveller_id.in_(chunk)).order_by(TravellerSource.message_id)):
                names[traveller_id][kind or ""] = _name_key(surname, given)
        return names

    def _travel_history(self, person_ids: set[int]) -> dict[int | None, list[tuple[datetime | date, str | None]]]:
        """Every flight of these persons: (departure, destination country)."""
        history: dict[int | None, list[tuple[datetime | date, str | None]]] = defaultdict(list)
        for chunk in _chunks(sorted(person_ids)):
            for person_id, departure_utc, departure_date, destination in self.session.execute(
                    select(Traveller.person_id, Flight.departure_utc, Flight.departure_date, Flight.destination)
                    .join(Flight, Flight.id == Traveller.flight_id).where(Traveller.person_id.in_(chunk))):
                history[person_id].append((departure_utc or departure_date, airport_country(destination)))
        return history


# The columns facts need (bookkeeping times and JSON the rules do not use are not read).
TRAVELLER_COLUMNS = ("id", "flight_id", "person_id", "pnr_id", "role", "surname", "given_names", "date_of_birth",
                     "gender", "nationality", "residence_country", "birth_place", "birth_country", "embarkation",
                     "debarkation", "seat", "bag_count", "bag_weight_kg", "verified", "boarded")
FLIGHT_COLUMNS = ("id", "carrier", "number", "suffix", "origin", "destination", "departure_date", "departure_utc",
                  "arrival_utc", "direction", "passenger_count")
PNR_COLUMNS = ("id", "carrier", "record_locator", "created_on", "created_at", "last_modified")


def _columns(model: type[Base], names: Sequence[str]) -> list[Any]:
    table = _table(model)
    return [table.c[name] for name in names]


def _table(model: type[Base]) -> Table:
    """The table of a model: the batch reads plain rows, much cheaper than ORM objects for this volume."""
    return cast(Table, model.__table__)


def _mine(traveller_id: int, rows: list[Any]) -> list[Any]:
    """The view rows of a booking that concern one traveller: his own and the booking-wide ones."""
    if not rows or not hasattr(rows[0], "traveller_id"):
        return rows
    return [row for row in rows if row.traveller_id in (traveller_id, None) and
            (row.traveller_id is not None or row.traveller_ref is None)]


def _traveller_facts(t: Row[Any], flight: Row[Any]) -> Facts:
    return {
        "traveller.role": str(t.role), "traveller.surname": t.surname, "traveller.given_names": t.given_names,
        "traveller.date_of_birth": t.date_of_birth, "traveller.age": _age(t.date_of_birth, flight.departure_date),
        "traveller.gender": t.gender, "traveller.nationality": _country(t.nationality),
        "traveller.residence_country": _country(t.residence_country), "traveller.birth_place": t.birth_place,
        "traveller.birth_country": _country(t.birth_country), "traveller.embarkation": t.embarkation,
        "traveller.debarkation": t.debarkation, "traveller.seat": t.seat, "traveller.verified": t.verified,
        "traveller.boarded": t.boarded, "traveller.has_pnr": t.pnr_id is not None,
    }


def _age(born: date | None, on: date) -> int | None:
    if born is None:
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _document_facts(documents: list[Row[Any]], flight: Row[Any]) -> Facts:
    arrival = flight.arrival_utc.date() if flight.arrival_utc else flight.departure_date
    return {
        "document.type": [d.type for d in documents], "document.number": [d.number for d in documents],
        "document.issuing_country": [_country(d.issuing_country) for d in documents],
        "document.nationality": [_country(d.nationality) for d in documents],
        "document.expiry": [d.expiry for d in documents], "document.issue_date": [d.issue_date for d in documents],
        "document.place_of_issue": [d.place_of_issue for d in documents],
        "document.days_valid_after_arrival": [(d.expiry - arrival).days for d in documents if d.expiry],
    }


def _flight_facts(f: Row[Any]) -> Facts:
    return {
        "flight.carrier": f.carrier, "flight.number": f.number,
        "flight.designator": f"{f.carrier}{f.number}{f.suffix or ''}",
        "flight.origin": f.origin, "flight.destination": f.destination,
        "flight.origin_country": airport_country(f.origin),
        "flight.destination_country": airport_country(f.destination),
        "flight.departure": f.departure_utc, "flight.arrival": f.arrival_utc, "flight.departure_date": f.departure_date,
        "flight.direction": str(f.direction) if f.direction else None, "flight.passenger_count": f.passenger_count,
    }


def _pnr_facts(pnr: Row[Any] | None, changes: dict[int, int], ssrs: dict[int, list[str]]) -> Facts:
    return {
        "pnr.record_locator": pnr.record_locator if pnr else None, "pnr.carrier": pnr.carrier if pnr else None,
        "pnr.created": _as_utc(pnr.created_at) if pnr else None, "pnr.created_on": pnr.created_on if pnr else None,
        "pnr.last_modified": _as_utc(pnr.last_modified) if pnr else None,
        "pnr.change_count": changes.get(pnr.id, 0) if pnr else None,
        "pnr.ssr_codes": ssrs.get(pnr.id, []) if pnr else [],
    }


def _as_utc(moment: datetime | None) -> datetime | None:
    """A time sent without a zone, read as UTC."""
    return moment.replace(tzinfo=UTC) if moment is not None and moment.tzinfo is None else moment


def _number(text: str | None) -> float | None:
    """A decimal amount sent as text, or None when it is not a number."""
    if not text:
        return None
    try:
        return float(Decimal(text.replace(",", "")))
    except InvalidOperation:
        return None


def _view_facts(rows: dict[type, list[Any]]) -> Facts:
    legs = sorted(rows[ItineraryLeg], key=lambda leg: leg.position)
    contacts, payments, agencies = rows[Contact], rows[Payment], rows[Agency]
    tickets, bags, seats, cards = rows[Ticket], rows[Bag], rows[Seat], rows[FrequentFlyer]
    emails = [c.normalised for c in contacts if c.kind == ContactKind.EMAIL]
    return {
        "itinerary.carrier": [leg.carrier for leg in legs],
        "itinerary.flight": [f"{leg.carrier}{leg.number}{leg.suffix or ''}" for leg in legs if leg.carrier],
        "itinerary.operating_carrier": [leg.operating_carrier for leg in legs],
        "itinerary.origin": [leg.origin for leg in legs], "itinerary.destination": [leg.destination for leg in legs],
        "itinerary.departure_date": [leg.departure_local.date() for leg in legs if leg.departure_local],
        "itinerary.booking_class": [leg.booking_class for leg in legs],
        "itinerary.status": [leg.status for leg in legs], "itinerary.leg_count": len(legs) if legs else None,
        "ticket.number": [t.number for t in tickets], "ticket.issue_date": [t.issue_date for t in tickets],
        "ticket.issuing_carrier": [t.issuing_carrier for t in tickets],
        "ticket.place_of_issue": [t.place_of_issue for t in tickets],
        "ticket.fare": [_number(t.fare) for t in tickets], "ticket.currency": [t.currency for t in tickets],
        "ticket.one_way": [t.one_way for t in tickets],
        "contact.phone": [c.normalised for c in contacts if c.kind == ContactKind.PHONE],
        "contact.email": emails, "contact.email_domain": [e.rpartition("@")[2] for e in emails if "@" in e],
        "contact.address": [c.value for c in contacts if c.kind == ContactKind.ADDRESS],
        "payment.type": [p.type for p in payments], "payment.amount": [_number(p.amount) for p in payments],
        "payment.currency": [p.currency for p in payments], "payment.card_type": [p.card_type for p in payments],
        "payment.card_last4": [p.card_last4 for p in payments],
        "payment.card_holder": [p.card_holder for p in payments],
        "agency.name": [a.name for a in agencies], "agency.iata_number": [a.iata_number for a in agencies],
        "agency.office": [a.office for a in agencies], "agency.location": [a.location for a in agencies],
        "agency.country": [_country(a.country) for a in agencies], "agency.system": [a.system for a in agencies],
        "bag.tags": [tag for b in bags for tag in b.tags], "bag.destination": [b.destination for b in bags],
        "bag.pooled": any(b.pool for b in bags) if bags else None,
        "seat.number": [s.number for s in seats], "seat.cabin": [s.cabin for s in seats],
        "frequent_flyer.carrier": [c.carrier for c in cards], "frequent_flyer.number": [c.number for c in cards],
        "frequent_flyer.tier": [c.tier for c in cards],
    }


@cache
def _country(code: str | None) -> str | None:
    """A country code as alpha-3 (some PNR feeds send alpha-2)."""
    if code is None or len(code) != 2:
        return code
    found = pycountry.countries.get(alpha_2=code.upper())
    return found.alpha_3 if found else code


@dataclass(frozen=True, slots=True)
class _Leg:
    origin: str
    destination: str
    departure: datetime | None  # UTC
    arrival: datetime | None
    day: date | None  # local departure date


def _legs(rows: list[Row[Any]]) -> list[_Leg]:
    legs = []
    for row in rows:
        if not row.origin or not row.destination:
            continue
        departure = to_utc(row.departure_local, row.origin) if row.departure_local else None
        arrival = to_utc(row.arrival_local, row.destination) if row.arrival_local else None
        legs.append(_Leg(row.origin, row.destination, departure, arrival,
                         row.departure_local.date() if row.departure_local else None))
    return legs


def _gap_hours(before: _Leg, after: _Leg) -> float | None:
    end = before.arrival or before.departure
    if end is None or after.departure is None:
        return None
    return (after.departure - end).total_seconds() / 3600


def _derived(t: Row[Any], flight: Row[Any], pnr: Row[Any] | None, rows: list[Row[Any]],
             view: dict[type, list[Any]]) -> Facts:
    """Bags and the facts computed from the itinerary, the booking time and the payments."""
    legs = _legs(rows)
    gaps = [_gap_hours(a, b) for a, b in itertools.pairwise(legs)]
    trip_type, trip_days = _trip(legs, gaps)
    airports = list(dict.fromkeys(
        [code for leg in legs for code in (leg.origin, leg.destination)]
        or [code for code in (t.embarkation or flight.origin, t.debarkation or flight.destination) if code]))
    booked = _as_utc(pnr.created_at) if pnr else None
    bags = t.bag_count if t.bag_count is not None else (
        sum(b.count or 0 for b in view[Bag]) if view[Bag] else None)
    return {
        "bag.count": bags,
        "bag.weight_kg": t.bag_weight_kg if t.bag_weight_kg is not None else (
            sum(b.weight_kg or 0.0 for b in view[Bag]) or None),
        "derived.hours_booking_to_departure": round((flight.departure_utc - booked).total_seconds() / 3600, 2)
        if booked and flight.departure_utc else None,
        "derived.trip_type": trip_type,
        "derived.trip_length_days": trip_days,
        "derived.connection_dwell_hours": [round(gap, 2) for a, b, gap in zip(legs, legs[1:], gaps, strict=False)
                                           if gap is not None and gap < STAY_HOURS and a.destination == b.origin],
        "derived.route_airports": airports,
        "derived.route_countries": list(dict.fromkeys(c for c in map(airport_country, airports) if c)),
        "derived.paid_in_cash": any((p.type or "").upper() == "CA" for p in view[Payment]) if pnr else None,
        "derived.bags_per_day": round(bags / max(trip_days, 1), 3) if bags is not None and trip_days is not None
        else None,
    }


def _trip(legs: list[_Leg], gaps: list[float | None]) -> tuple[str | None, int | None]:
    """One-way, return or open-jaw, and the trip length in days (return and open-jaw only).

    The trip turns around at the longest gap of a day or more between legs (the stay); without one it is one-way
    unless it ends where it began. Open-jaw: the outbound and inbound halves leave or reach different airports
    of the same country (fly into one city, home from another; or come home to another airport).
    """
    if not legs:
        return None, None
    first, last = legs[0], legs[-1]
    stays = [(gap, i) for i, gap in enumerate(gaps) if gap is not None and gap >= STAY_HOURS]
    if not stays:
        kind = "return" if len(legs) > 1 and last.destination == first.origin else "one_way"
    else:
        turn = max(stays)[1]
        out_end, back_start = legs[turn].destination, legs[turn + 1].origin
        if last.destination == first.origin and out_end == back_start:
            kind = "return"
        elif (airport_country(last.destination) == airport_country(first.origin)
              or airport_country(out_end) == airport_country(back_start)):
            kind = "open_jaw"
        else:
            kind = "one_way"
    if kind == "one_way":
        return kind, None
    end = (last.arrival or last.departure)
    if first.departure and end:
        return kind, (end.date() - first.departure.date()).days
    if first.day and last.day:
        return kind, (last.day - first.day).days
    return kind, None


NameKey = tuple[str, frozenset[str]]


def _name_key(surname: str | None, given: str | None) -> NameKey | None:
    """Surname letters and given-name tokens, accents and case removed."""
    if not surname:
        return None

    def clean(text: str) -> str:
        plain = unicodedata.normalize("NFKD", text)
        return "".join(ch for ch in plain if ch.isalpha() or ch == " ").upper()

    return clean(surname).replace(" ", ""), frozenset(clean(given or "").split())


def _name_mismatch(own: dict[str, NameKey | None], booked: list[NameKey | None]) -> bool | None:
    """Whether the name an API list gave is absent from the booking it is linked to (None when either is unknown).

    ``booked`` are the names the PNR gave for the travellers of that booking on this flight (the traveller himself
    when API and PNR merged into one row). The same surname with given names of which one side's are a subset of
    the other's (a missing middle name) is the same name.
    """
    api = own.get("PAXLST")
    names = [key for key in booked if key is not None]
    if api is None or not names:
        return None
    return not any(api[0] == surname and (api[1] <= given or given <= api[1]) for surname, given in names)


def _first_trip(t: Row[Any], flight: Row[Any], history: dict[int | None, list[tuple[datetime | date, str | None]]]
                ) -> bool | None:
    """Whether no earlier flight of the same person went to this flight's destination country."""
    country = airport_country(flight.destination)
    if t.person_id is None or country is None:
        return None
    this = flight.departure_utc or flight.departure_date
    earlier = history.get(t.person_id, [])
    return not any(went == country and _before(when, this) for when, went in earlier)


def _before(a: datetime | date, b: datetime | date) -> bool:
    """Whether a is earlier than b; a date and a time compare by day."""
    if isinstance(a, datetime) and isinstance(b, datetime):
        return a < b
    day_a = a.date() if isinstance(a, datetime) else a
    day_b = b.date() if isinstance(b, datetime) else b
    return day_a < day_b
