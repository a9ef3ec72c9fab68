"""A flight's manifest: every traveller still on it with his risk, document, booking, seat and open hits.

Travellers with open hits come first (most severe, then highest score), then everyone else by name; bookings of
more than one traveller are listed as parties of co-travellers. Three queries, whatever the size of the flight.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from gtas.model import Document, Hit, HitKind, HitStatus, RiskBand, Traveller, TravellerRisk
from gtas.model.watchlist import WatchlistSeverity as Severity

SEVERITY_RANK = {severity: rank for rank, severity in enumerate(Severity)}
COLUMNS = ("risk", "role", "surname", "given names", "date of birth", "nationality", "document", "document country",
           "PNR locator", "seat", "open hits")


@dataclass(frozen=True, slots=True)
class HitLine:
    """An open hit as the manifest names it."""

    kind: HitKind
    severity: Severity
    label: str


@dataclass(slots=True)
class ManifestRow:
    """One traveller of the manifest."""

    traveller: Traveller
    band: RiskBand
    score: float
    document: Document | None = None
    hits: list[HitLine] = field(default_factory=list)

    @property
    def worst(self) -> Severity | None:
        """The most severe of his open hits."""
        return max((hit.severity for hit in self.hits), key=SEVERITY_RANK.__getitem__, default=None)

    def summary(self) -> str:
        """His open hits in one line, most severe first."""
        ordered = sorted(self.hits, key=lambda hit: -SEVERITY_RANK[hit.severity])
        return "; ".join(f"{hit.label} ({hit.severity})" for hit in ordered)

    def cells(self) -> list[str]:
        """The row's values under COLUMNS, as text (for exports)."""
        t, d = self.traveller, self.document
        born: date | None = t.date_of_birth
        document = (f"{d.type} {d.number}".strip(), d.issuing_country or "") if d else ("", "")
        return [str(self.band), str(t.role), t.surname or "", t.given_names or "", born.isoformat() if born else "",
                t.nationality or "", *document, t.record_locator or "", t.seat or "", self.summary()]


def hit_label(kind: HitKind, explanation: dict[str, Any]) -> str:
    """What raised a hit, in a few words: the rule's title, the list and entry, or what is shared."""
    if kind is HitKind.RULE:
        return f"rule: {explanation.get('title') or explanation.get('rule', '?')}"
    if kind is HitKind.WATCHLIST:
        return f"watchlist: {explanation.get('watchlist', '?')} {explanation.get('entry', '')}".rstrip()
    return f"link: shares {explanation.get('shared', 'details')} with a flagged traveller"


def manifest(session: Session, flight_id: int) -> list[ManifestRow]:
    """The travellers still on the flight, those with open hits first."""
    rows = {traveller.id: ManifestRow(traveller, band or RiskBand.NONE, score or 0.0)
            for traveller, band, score in session.execute(
                select(Traveller, TravellerRisk.band, TravellerRisk.score)
                .outerjoin(TravellerRisk, TravellerRisk.traveller_id == Traveller.id)
                .where(Traveller.flight_id == flight_id, Traveller.removed_at.is_(None)))}
    on_flight = select(Traveller.id).where(Traveller.flight_id == flight_id, Traveller.removed_at.is_(None))
    for document in session.scalars(select(Document).where(Document.traveller_id.in_(on_flight))
                                    .order_by(Document.traveller_id, Document.id)):
        row = rows[document.traveller_id]
        if row.document is None or (row.document.type != "P" and document.type == "P"):
            row.document = document  # the passport when there is one, else the first document
    for traveller_id, kind, severity, explanation in session.execute(
            select(Hit.traveller_id, Hit.kind, Hit.severity, Hit.explanation)
            .where(Hit.traveller_id.in_(on_flight), Hit.status == HitStatus.OPEN).order_by(Hit.id)):
        rows[traveller_id].hits.append(HitLine(HitKind(kind), Severity(severity), hit_label(HitKind(kind),
                                                                                              explanation)))
    return sorted(rows.values(), key=_order)


def _order(row: ManifestRow) -> tuple[int, int, float, str, str, int]:
    worst = row.worst
    t = row.traveller
    return (0 if row.hits else 1, -SEVERITY_RANK[worst] if worst else 0, -row.score, t.surname or "",
            t.given_names or "", t.id)


def parties(rows: list[ManifestRow]) -> list[tuple[str, list[ManifestRow]]]:
    """Bookings with more than one traveller on the flight: locator and its travellers, flagged parties first."""
    by_locator: dict[str, list[ManifestRow]] = defaultdict(list)
    for row in rows:
        if row.traveller.record_locator:
            by_locator[row.traveller.record_locator].append(row)
    groups = [(locator, members) for locator, members in by_locator.items() if len(members) > 1]
    return sorted(groups, key=lambda group: (not any(member.hits for member in group[1]), group[0]))
