"""The API's JSON shapes, built from the same objects the pages show; field names are stable, times ISO-8601 UTC
(``…Z``), airport-local times as sent (no offset), dates ``YYYY-MM-DD``. ``gtas.web.api.schemas`` describes them."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from flask import url_for

from gtas.model import Disposition, Document, Flight, Hit, HitKind, Outcome, Traveller, TravellerRisk
from gtas.web.flights.board import BoardFlight
from gtas.web.flights.manifest import ManifestRow, hit_label
from gtas.web.hits.queue import QueueRow
from gtas.web.search.service import SearchRow
from gtas.web.travellers.profile import Booking, HitView, TravellerPage

Json = dict[str, Any]


def utc(moment: datetime | None) -> str | None:
    """A point in time as ISO-8601 UTC with a Z, to the second."""
    if moment is None:
        return None
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="seconds") + "Z"


def local(moment: datetime | None) -> str | None:
    """An airport-local time as the airline sent it (no offset)."""
    return moment.isoformat(timespec="seconds") if moment else None


def day(value: date | None) -> str | None:
    """A date as YYYY-MM-DD."""
    return value.isoformat() if value else None


def flight_json(flight: Flight) -> Json:
    """A flight leg, with its API and page URLs."""
    return {"id": flight.id, "designator": flight.designator, "carrier": flight.carrier, "number": flight.number,
            "suffix": flight.suffix, "origin": flight.origin, "destination": flight.destination,
            "direction": flight.direction.value if flight.direction else None,
            "departure_date": day(flight.departure_date), "departure_local": local(flight.departure_local),
            "arrival_local": local(flight.arrival_local), "departure_utc": utc(flight.departure_utc),
            "arrival_utc": utc(flight.arrival_utc), "api_received_at": utc(flight.api_received_at),
            "pnr_received_at": utc(flight.pnr_received_at),
            "url": url_for("api.flight", flight_id=flight.id),
            "page": url_for("flights.flight", flight_id=flight.id)}


def board_json(row: BoardFlight) -> Json:
    """A flight of the board with its counts."""
    return {**flight_json(row.flight), "arrival_zone": row.zone_name or None, "passengers": row.passengers,
            "crew": row.crew, "flagged_travellers": row.flagged, "open_hits": row.open_hits,
            "hits_by_kind": [{"kind": kind.value, "severity": severity.value, "count": count}
                             for (kind, severity), count in sorted(row.hits.items())]}


def traveller_ref(traveller: Traveller) -> Json:
    """Who a traveller is, in short, with his API and page URLs."""
    return {"id": traveller.id, "surname": traveller.surname, "given_names": traveller.given_names,
            "date_of_birth": day(traveller.date_of_birth), "role": traveller.role.value,
            "url": url_for("api.traveller", traveller_id=traveller.id),
            "page": url_for("travellers.traveller", traveller_id=traveller.id)}


def document_json(document: Document) -> Json:
    """A travel document."""
    return {"type": document.type, "number": document.number, "issuing_country": document.issuing_country,
            "nationality": document.nationality, "expiry": day(document.expiry), "issue_date": day(document.issue_date)}


def manifest_json(row: ManifestRow) -> Json:
    """A traveller of a flight's manifest."""
    t = row.traveller
    return {**traveller_ref(t), "gender": t.gender, "nationality": t.nationality, "seat": t.seat,
            "record_locator": t.record_locator, "risk_band": row.band.value, "risk_score": row.score,
            "document": document_json(row.document) if row.document else None,
            "open_hits": [{"kind": hit.kind.value, "severity": hit.severity.value, "label": hit.label}
                          for hit in row.hits]}


def disposition_json(disposition: Disposition) -> Json:
    """A decision about a hit."""
    return {"id": disposition.id, "hit_id": disposition.hit_id, "disposition": disposition.kind.value,
            "label": disposition.kind.label, "notes": disposition.notes, "decided_by": disposition.user.username,
            "decided_at": utc(disposition.decided_at), "suppressed": disposition.suppression_id is not None}


def outcome_json(outcome: Outcome) -> Json:
    """What an inspection found."""
    return {"id": outcome.id, "traveller_id": outcome.traveller_id, "outcome": outcome.kind.value,
            "seizure": outcome.seizure.value if outcome.seizure else None, "notes": outcome.notes,
            "recorded_by": outcome.user.username, "recorded_at": utc(outcome.recorded_at)}


def hit_json(view: HitView) -> Json:
    """A hit with its explanation: readable (headline, facts, lines) and as stored (``details``)."""
    hit, readable = view.hit, view.explanation
    return {**_hit_core(hit), "status": hit.status.value, "withdrawn_reason": hit.withdrawn_reason,
            "rule": view.rule.title if view.rule else None, "handling": view.handling or None,
            "holder": view.holder.username if view.holder else None,
            "explanation": {"headline": readable.headline,
                            "facts": [{"label": label, "value": value} for label, value in readable.facts],
                            "lines": [{"label": line.label, "traveller": line.traveller, "reference": line.reference,
                                       "verdict": line.verdict, "holds": line.holds} for line in readable.lines]},
            "details": hit.explanation, "decisions": [disposition_json(d) for d in view.decisions]}


def _hit_core(hit: Hit) -> Json:
    kind = HitKind(hit.kind)
    return {"id": hit.id, "kind": kind.value, "severity": hit.severity.value, "score": hit.score,
            "label": hit_label(kind, hit.explanation), "created_at": utc(hit.created_at)}


def _booking_json(booking: Booking) -> Json:
    pnr = booking.pnr
    return {"record_locator": pnr.record_locator, "carrier": pnr.carrier, "created_on": day(pnr.created_on),
            "versions": len(booking.versions), "cancelled_at": utc(pnr.cancelled_at),
            "itinerary": [{"position": leg.position, "carrier": leg.carrier, "number": leg.number,
                           "origin": leg.origin, "destination": leg.destination,
                           "departure_local": local(leg.departure_local), "arrival_local": local(leg.arrival_local),
                           "status": leg.status} for leg in booking.itinerary],
            "contacts": [{"kind": c.kind.value, "value": c.value, "label": c.label} for c in booking.contacts],
            "payments": [{"type": p.type, "amount": p.amount, "currency": p.currency, "card_type": p.card_type,
                          "card_last4": p.card_last4} for p in booking.payments],
            "agencies": [{"name": a.name, "iata_number": a.iata_number} for a in booking.agencies],
            "bags": len(booking.bags)}


def _risk_json(risk: TravellerRisk | None) -> Json:
    if risk is None:
        return {"band": "none", "score": 0.0, "assessed_at": None}
    return {"band": risk.band.value, "score": risk.score, "assessed_at": utc(risk.assessed_at)}


def traveller_json(page: TravellerPage, documents: list[Document]) -> Json:
    """Everything the API tells about a traveller: identity, documents, booking, risk, hits, outcomes."""
    t = page.traveller
    return {**traveller_ref(t), "gender": t.gender, "nationality": t.nationality,
            "residence_country": t.residence_country, "birth_place": t.birth_place, "birth_country": t.birth_country,
            "embarkation": t.embarkation, "debarkation": t.debarkation, "seat": t.seat,
            "record_locator": t.record_locator,
            "boarded": t.boarded, "bags": {"count": t.bag_count, "weight_kg": t.bag_weight_kg, "tags": t.bag_tags},
            "flight": flight_json(page.flight), "documents": [document_json(d) for d in documents],
            "booking": _booking_json(page.booking) if page.booking else None, "risk": _risk_json(page.risk),
            "co_travellers": [traveller_ref(other) for other in page.co_travellers],
            "hits": [hit_json(view) for view in page.hits], "outcomes": [outcome_json(o) for o in page.outcomes]}


def queue_json(row: QueueRow) -> Json:
    """A hit of the priority queue, with its traveller, flight, holder and latest decision."""
    return {**_hit_core(row.hit), "category": row.category, "traveller": traveller_ref(row.traveller),
            "flight": flight_json(row.flight), "holder": row.holder.username if row.holder else None,
            "decision": disposition_json(row.decision) if row.decision else None}


def search_json(row: SearchRow) -> Json:
    """A traveller found by a search, and why."""
    return {"traveller": traveller_ref(row.traveller), "flight": flight_json(row.flight),
            "risk_band": row.band.value, "open_hits": row.open_hits,
            "worst_severity": row.worst.value if row.worst else None, "score": row.found.score,
            "why": row.found.why, "match": row.found.explanation}

