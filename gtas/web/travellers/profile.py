"""Everything GTAS knows about one traveller, for his page: identity, documents, what each message said, the
booking and its versions, co-travellers, travel history, hits with their explanations and decisions, outcomes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from gtas.model import (
    Agency,
    Airport,
    Bag,
    Contact,
    Disposition,
    Flight,
    Hit,
    HitKind,
    HitStatus,
    HitWork,
    ItineraryLeg,
    Message,
    Outcome,
    Payment,
    Pnr,
    Rule,
    RuleVersion,
    Seat,
    Traveller,
    TravellerRisk,
    TravellerSource,
    User,
)
from gtas.web.flights.manifest import SEVERITY_RANK
from gtas.web.hits.work import dispositions
from gtas.web.travellers.explain import Explanation, explain, shown
from gtas.web.travellers.pnrs import Version, versions


@dataclass(frozen=True, slots=True)
class Source:
    """A message that named the traveller and the values it gave."""

    message: Message
    fields: list[tuple[str, str]]


@dataclass(slots=True)
class HitView:
    """A hit with its readable explanation, the rule behind it, who holds it and its decisions."""

    hit: Hit
    explanation: Explanation
    rule: Rule | None
    handling: str
    holder: User | None
    decisions: list[Disposition] = field(default_factory=list)

    @property
    def is_open(self) -> bool:
        """Whether the hit's cause still holds."""
        return self.hit.status == HitStatus.OPEN

    @property
    def decision(self) -> Disposition | None:
        """The latest decision: the hit's state."""
        return self.decisions[-1] if self.decisions else None


@dataclass(slots=True)
class Booking:
    """The traveller's booking as it stands, and its versions as pushed."""

    pnr: Pnr
    versions: list[Version]
    itinerary: list[ItineraryLeg]
    contacts: list[Contact]
    payments: list[Payment]
    agencies: list[Agency]
    bags: list[Bag]
    seats: list[Seat]


@dataclass(slots=True)
class TravellerPage:
    """The traveller page's content."""

    traveller: Traveller
    flight: Flight
    zone: str | None
    risk: TravellerRisk | None
    sources: list[Source]
    booking: Booking | None
    co_travellers: list[Traveller]
    history: list[tuple[Traveller, Flight]]
    hits: list[HitView]
    outcomes: list[Outcome]

    @property
    def open_hits(self) -> list[HitView]:
        """Hits whose cause still holds."""
        return [view for view in self.hits if view.is_open]

    @property
    def withdrawn_hits(self) -> list[HitView]:
        """Hits withdrawn because their cause went away."""
        return [view for view in self.hits if not view.is_open]


def traveller_page(session: Session, traveller: Traveller) -> TravellerPage:
    """The page of a traveller (found by the caller, who checked the user may see him)."""
    flight = session.get_one(Flight, traveller.flight_id)
    airport = session.get(Airport, flight.destination)
    return TravellerPage(traveller, flight, airport.timezone if airport else None,
                         session.get(TravellerRisk, traveller.id), _sources(session, traveller.id),
                         _booking(session, traveller), _co_travellers(session, traveller),
                         _history(session, traveller), hit_views(session, traveller.id),
                         _outcomes(session, traveller.id))


def _sources(session: Session, traveller_id: int) -> list[Source]:
    return [Source(message, [(name, shown(value)) for name, value in sorted(source.fields.items())
                             if not isinstance(value, dict | list) or value])
            for source, message in session.execute(
                select(TravellerSource, Message).join(Message, Message.id == TravellerSource.message_id)
                .where(TravellerSource.traveller_id == traveller_id).order_by(Message.received_at, Message.id))]


def _booking(session: Session, traveller: Traveller) -> Booking | None:
    if traveller.pnr_id is None:
        return None
    pnr = session.get_one(Pnr, traveller.pnr_id)
    mine = or_(Contact.traveller_id == traveller.id, Contact.traveller_id.is_(None))

    def rows(model: Any, *where: Any) -> list[Any]:
        return list(session.scalars(select(model).where(model.pnr_id == pnr.id, *where).order_by(model.id)))

    itinerary = sorted(rows(ItineraryLeg), key=lambda leg: (leg.departure_local is None, leg.departure_local,
                                                           leg.position))
    return Booking(pnr, versions(session, pnr.id, pnr.record_locator), itinerary, rows(Contact, mine),
                   rows(Payment, or_(Payment.traveller_id == traveller.id, Payment.traveller_id.is_(None))),
                   rows(Agency), rows(Bag, or_(Bag.traveller_id == traveller.id, Bag.traveller_id.is_(None))),
                   rows(Seat, Seat.traveller_id == traveller.id))


def _co_travellers(session: Session, traveller: Traveller) -> list[Traveller]:
    """The others of the same booking on the same flight."""
    if traveller.pnr_id is not None:
        same = Traveller.pnr_id == traveller.pnr_id
    elif traveller.record_locator:
        same = Traveller.record_locator == traveller.record_locator
    else:
        return []
    return list(session.scalars(select(Traveller).where(same, Traveller.flight_id == traveller.flight_id,
                                                        Traveller.id != traveller.id, Traveller.removed_at.is_(None))
                                .order_by(Traveller.surname, Traveller.given_names, Traveller.id)))


def _history(session: Session, traveller: Traveller) -> list[tuple[Traveller, Flight]]:
    """The same person on other flights, latest first."""
    if traveller.person_id is None:
        return []
    return [(other, flight) for other, flight in session.execute(
        select(Traveller, Flight).join(Flight, Flight.id == Traveller.flight_id)
        .where(Traveller.person_id == traveller.person_id, Traveller.id != traveller.id)
        .order_by(Flight.departure_date.desc(), Flight.id.desc()))]


def hit_views(session: Session, traveller_id: int) -> list[HitView]:
    """The traveller's hits, open ones first, most severe first, each readable with its decisions."""
    found = list(session.execute(
        select(Hit, RuleVersion, Rule, User)
        .outerjoin(RuleVersion, RuleVersion.id == Hit.rule_version_id).outerjoin(Rule, Rule.id == RuleVersion.rule_id)
        .outerjoin(HitWork, HitWork.hit_id == Hit.id).outerjoin(User, User.id == HitWork.claimed_by)
        .where(Hit.traveller_id == traveller_id)))
    decided = dispositions(session, [hit.id for hit, *_ in found])
    views = [HitView(hit, explain(HitKind(hit.kind), hit.explanation), rule,
                     str((version.details or {}).get("handling") or "") if version is not None else "", holder,
                     decided.get(hit.id, [])) for hit, version, rule, holder in found]
    return sorted(views, key=lambda view: (not view.is_open, -SEVERITY_RANK[view.hit.severity], view.hit.id))


def _outcomes(session: Session, traveller_id: int) -> list[Outcome]:
    return list(session.scalars(select(Outcome).where(Outcome.traveller_id == traveller_id)
                                .order_by(Outcome.recorded_at, Outcome.id)))
