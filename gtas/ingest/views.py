"""The current view of a PNR: its itinerary, contacts, payments … rewritten from its newest version."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from sqlalchemy import delete
from sqlalchemy.orm import Session

from gtas.ingest.context import (
    add_rows,
    chunks,
    on_postgresql,
    select_arrays,
    table_of,
)
from gtas.ingest.keys import fit_rows, normalise
from gtas.model import (
    Agency,
    Bag,
    Codeshare,
    Contact,
    ContactKind,
    FrequentFlyer,
    HistoryEntry,
    ItineraryLeg,
    Payment,
    Seat,
    Ticket,
)
from gtas.model.base import Base
from gtas.parsers.records import Address
from gtas.parsers.records import Pnr as PnrRecord

VIEWS: tuple[type[Base], ...] = (ItineraryLeg, Contact, Payment, Agency, FrequentFlyer, Ticket, Bag, Seat, Codeshare,
                                 HistoryEntry)


def rewrite_views(session: Session, pnrs: Mapping[int, PnrRecord], travellers: Mapping[tuple[int, str], int],
                  flight_ids: Mapping[tuple[str, str, str, str], int], warnings: list[dict[str, Any]], *,
                  fresh: Collection[int] = ()) -> None:
    """Replace the current-view rows of these PNRs by those of the given records (bulk delete, bulk insert).

    ``fresh``: PNRs this load inserted, which have no view rows yet to delete.
    """
    ids = [pnr_id for pnr_id in pnrs if pnr_id not in fresh]
    rows: dict[type[Base], list[dict[str, Any]]] = {view: [] for view in VIEWS}
    for pnr_id, pnr in pnrs.items():
        for name, values in _rows(pnr).items():
            for row in values:
                row["pnr_id"] = pnr_id
                if "traveller_ref" in row:
                    row["traveller_id"] = travellers.get((pnr_id, row["traveller_ref"] or ""))
                if name is ItineraryLeg:
                    key = (row["carrier"] or "", row["number"] or "", row["origin"] or "", row["destination"] or "")
                    row["flight_id"] = flight_ids.get(key)
                rows[name].append(row)
    _delete_views(session, ids)
    add_rows(session, {table_of(view): fit_rows(table_of(view), rows[view], warnings) for view in VIEWS})


def _delete_views(session: Session, pnr_ids: list[int]) -> None:
    """Delete the current-view rows of these PNRs: in one statement on PostgreSQL, a table at a time elsewhere."""
    if not pnr_ids:
        return
    tables = [table_of(view) for view in VIEWS]
    if on_postgresql(session):
        deletes = ", ".join(f"gone_{table.name} AS (DELETE FROM {table.name} WHERE pnr_id = ANY(%(pnrs)s))"
                            for table in tables)
        select_arrays(session, f"WITH {deletes} SELECT 1", {"pnrs": pnr_ids})
        return
    for table in tables:
        for chunk in chunks(pnr_ids):
            session.execute(delete(table).where(table.c.pnr_id.in_(chunk)))


def _address_text(a: Address) -> str:
    return ", ".join(part for part in (a.street, a.city, a.region, a.postcode, a.country) if part)


def _contacts(pnr: PnrRecord) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    phones = list(pnr.phones) + [p for t in pnr.travellers for p in t.phones]
    emails = list(pnr.emails) + [e for t in pnr.travellers for e in t.emails]
    addresses = list(pnr.addresses) + [t.address for t in pnr.travellers if t.address]
    for phone in phones:
        digits = "".join(ch for ch in phone.number if ch.isdigit())
        out.append({"kind": ContactKind.PHONE, "value": phone.number, "normalised": digits or phone.number,
                    "label": phone.kind, "traveller_ref": phone.traveller_ref})
    for email in emails:
        out.append({"kind": ContactKind.EMAIL, "value": email.address, "normalised": email.address.strip().lower(),
                    "label": None, "traveller_ref": email.traveller_ref})
    for address in addresses:
        text = _address_text(address)
        if text:
            out.append({"kind": ContactKind.ADDRESS, "value": text, "normalised": normalise(text),
                        "label": address.kind, "traveller_ref": address.traveller_ref})
    return out


def _rows(pnr: PnrRecord) -> dict[type[Base], list[dict[str, Any]]]:
    """The view rows of one PNR record, by table (without pnr_id and traveller_id)."""
    return {
        ItineraryLeg: [
            {"position": n, "carrier": leg.carrier, "number": leg.number, "suffix": leg.suffix, "origin": leg.origin,
             "destination": leg.destination, "departure_local": leg.departure, "arrival_local": leg.arrival,
             "booking_class": leg.booking_class, "status": leg.status, "operating_carrier": leg.operating_carrier,
             "operating_number": leg.operating_number} for n, leg in enumerate(pnr.itinerary, start=1)],
        Contact: _contacts(pnr),
        Payment: [
            {"type": p.type, "amount": p.amount, "currency": p.currency, "card_type": p.card_type,
             "card_last4": p.card_last4, "card_hash": p.card_hash, "card_expiry": p.card_expiry,
             "card_holder": p.card_holder, "traveller_ref": p.traveller_ref} for p in pnr.payments],
        Agency: [
            {"name": a.name, "iata_number": a.iata_number, "office": a.office, "location": a.location,
             "country": a.country, "agent": a.agent, "system": a.system} for a in [pnr.agency] if a],
        FrequentFlyer: [
            {"carrier": f.carrier, "number": f.number, "tier": f.tier, "traveller_ref": t.reference}
            for t in pnr.travellers for f in t.frequent_flyers],
        Ticket: [
            {"number": t.number, "type": t.type, "issue_date": t.issue_date, "issuing_carrier": t.issuing_carrier,
             "place_of_issue": t.place_of_issue, "fare": t.fare, "currency": t.currency, "one_way": t.one_way,
             "traveller_ref": t.traveller_ref} for t in pnr.tickets],
        Bag: [
            {"count": b.count, "weight_kg": b.weight_kg, "tags": list(b.tags), "destination": b.destination,
             "carrier": b.carrier, "pool": b.pool, "traveller_ref": b.traveller_ref} for b in pnr.bags],
        Seat: [
            {"number": s.number, "cabin": s.cabin, "origin": s.origin, "destination": s.destination,
             "carrier": s.carrier, "flight_number": s.flight_number, "source": s.source,
             "traveller_ref": s.traveller_ref} for s in pnr.seats],
        Codeshare: [
            {"marketing_carrier": c.marketing_carrier, "marketing_number": c.marketing_number,
             "operating_carrier": c.operating_carrier, "operating_number": c.operating_number}
            for c in pnr.codeshares],
        HistoryEntry: [
            {"position": n, "text": h.text, "action": h.action, "happened_at": h.when, "who": h.who}
            for n, h in enumerate(pnr.history, start=1)],
    }
