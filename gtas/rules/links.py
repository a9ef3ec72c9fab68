"""Link hits: a traveller who shares a phone, e-mail, address, payment card, document or booking with a traveller
flagged by a watchlist.

Contacts and payments recorded for the whole booking (not for one traveller) count for every traveller on it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from gtas.model import Contact, Document, Flight, Hit, HitKind, HitStatus, Payment, Traveller

Element = tuple[str, str]  # (kind, normalised value): ("phone", "4915112345678"), ("booking", "123") …


@dataclass(frozen=True, slots=True)
class LinkResult:
    """A traveller who shares one element with flagged travellers: what to persist as a hit."""

    traveller_id: int
    element: Element
    explanation: dict[str, Any]

    @property
    def cause_key(self) -> str:
        """The hit's cause: the shared element (digested: the key must stay short), whoever it links to."""
        digest = hashlib.sha256(f"{self.element[0]}:{self.element[1]}".encode()).hexdigest()[:24]
        return f"link:{self.element[0]}:{digest}"


def flagged_travellers(session: Session) -> dict[int, list[str]]:
    """Travellers with an open watchlist hit, and the causes of those hits."""
    flagged: dict[int, list[str]] = {}
    for traveller_id, cause in session.execute(select(Hit.traveller_id, Hit.cause_key).where(
            Hit.kind == HitKind.WATCHLIST, Hit.status == HitStatus.OPEN)):
        flagged.setdefault(traveller_id, []).append(cause)
    return flagged


def elements(session: Session, traveller_ids: Iterable[int]) -> dict[int, set[Element]]:
    """The contact, payment, document and booking elements of each traveller still on his flight."""
    ids = list(traveller_ids)
    found: dict[int, set[Element]] = {}
    bookings: dict[int, list[int]] = {}
    for traveller_id, pnr_id in session.execute(select(Traveller.id, Traveller.pnr_id).where(
            Traveller.id.in_(ids), Traveller.removed_at.is_(None))):
        found[traveller_id] = set()
        if pnr_id is not None:
            found[traveller_id].add(("booking", str(pnr_id)))
            bookings.setdefault(pnr_id, []).append(traveller_id)

    def holders(traveller_id: int | None, pnr_id: int) -> list[int]:
        if traveller_id is None:
            return bookings.get(pnr_id, [])
        return [traveller_id] if traveller_id in found else []

    booked = list(bookings)

    contacts = select(Contact.traveller_id, Contact.pnr_id, Contact.kind, Contact.normalised).where(
        or_(Contact.traveller_id.in_(ids), Contact.pnr_id.in_(booked)))
    for contact in session.execute(contacts):
        for holder in holders(contact.traveller_id, contact.pnr_id) if contact.normalised else ():
            found[holder].add((str(contact.kind), contact.normalised))
    payments = select(Payment.traveller_id, Payment.pnr_id, Payment.card_hash).where(
        or_(Payment.traveller_id.in_(ids), Payment.pnr_id.in_(booked)))
    for payment in session.execute(payments):
        for holder in holders(payment.traveller_id, payment.pnr_id) if payment.card_hash else ():
            found[holder].add(("card", payment.card_hash))
    for traveller_id, number, country in session.execute(
            select(Document.traveller_id, Document.number, Document.issuing_country)
            .where(Document.traveller_id.in_(list(found)))):
        found[traveller_id].add(("document", f"{country or ''}:{number.upper()}"))
    return found


def sharing(session: Session, traveller_ids: Iterable[int]) -> set[int]:
    """The travellers (still on their flights) who share any element with these travellers, these included."""
    owned = {e for found in elements(session, traveller_ids).values() for e in found}
    if not owned:
        return set()
    values: dict[str, set[str]] = {}
    for kind, value in owned:
        values.setdefault(kind, set()).add(value)
    pnr_ids = [int(v) for v in values.pop("booking", ())]
    cards = list(values.pop("card", ()))
    documents = [v.partition(":")[2] for v in values.pop("document", ())]
    contacts = [v for found in values.values() for v in found]
    holders = (
        select(Traveller.id).where(Traveller.pnr_id.in_(pnr_ids)),
        select(Traveller.id).join(Contact, or_(Contact.traveller_id == Traveller.id,
                                               (Contact.traveller_id.is_(None)) & (Contact.pnr_id == Traveller.pnr_id)))
        .where(Contact.normalised.in_(contacts)),
        select(Traveller.id).join(Payment, or_(Payment.traveller_id == Traveller.id,
                                               (Payment.traveller_id.is_(None)) & (Payment.pnr_id == Traveller.pnr_id)))
        .where(Payment.card_hash.in_(cards)),
        select(Document.traveller_id).where(func.upper(Document.number).in_(documents)),
    )
    found = {t for query in holders for t in session.scalars(query)}
    current = session.scalars(select(Traveller.id).where(Traveller.id.in_(found), Traveller.removed_at.is_(None)))
    return set(current)


def link_results(session: Session, traveller_ids: Iterable[int]) -> list[LinkResult]:
    """A link for every element a traveller shares with another traveller who has an open watchlist hit."""
    flagged = flagged_travellers(session)
    if not flagged:
        return []
    by_element: dict[Element, list[int]] = {}
    for traveller_id, owned in elements(session, flagged).items():
        for element in owned:
            by_element.setdefault(element, []).append(traveller_id)
    mine = elements(session, traveller_ids)
    shared = {e for owned in mine.values() for e in owned if e in by_element}
    if not shared:
        return []
    others = {t for e in shared for t in by_element[e]}
    described = _describe(session, others)
    results = []
    for traveller_id, owned in mine.items():
        for element in sorted(owned & shared):
            with_ = [dict(described[t], hits=flagged[t]) for t in by_element[element] if t != traveller_id]
            if with_:
                results.append(LinkResult(traveller_id, element, {
                    "shared": element[0], "value": _shown(element), "with": with_}))
    return results


def _describe(session: Session, traveller_ids: set[int]) -> dict[int, dict[str, Any]]:
    rows = session.execute(select(Traveller.id, Traveller.surname, Traveller.given_names, Flight.carrier,
                                  Flight.number, Flight.departure_date)
                           .join(Flight, Flight.id == Traveller.flight_id).where(Traveller.id.in_(traveller_ids)))
    return {r.id: {"traveller_id": r.id, "name": " ".join(p for p in (r.surname, r.given_names) if p),
                   "flight": f"{r.carrier}{r.number} {r.departure_date.isoformat()}"} for r in rows}


def _shown(element: Element) -> str:
    """The element as an officer may read it in the explanation (a card hash says nothing; say so)."""
    kind, value = element
    if kind == "card":
        return "the same payment card"
    if kind == "booking":
        return "the same booking"
    return value
