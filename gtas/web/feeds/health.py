"""The figures of the feed-health dashboard: traffic per carrier and hour, failures and their reasons, flights whose
API or PNR is missing or late, and the share of active carriers sending each feed.

A message's carrier is the one its delivery named (queue header, or the carrier a refused message was for), else
the carrier of the flights it fed (the first in alphabetical order when a PNR named several); a message that never
parsed far enough has no carrier ("unknown").

Deadlines, relative to the flight (documented in README.md, "Feed health"):

- API is due by the scheduled departure (the departure control system pushes it when the doors close);
- PNR is due 24 hours before the scheduled departure (the PNR directive's first push).

A feed is *late* when its first message for the flight came after the deadline, *missing* when none came and the
deadline has passed, *pending* when none came yet but the deadline is still ahead. A flight without a departure
time uses its arrival time.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from gtas.model import Direction, Flight, FlightMessage, Message, MessageStatus

API, PNR = "PAXLST", "PNRGOV"
FEEDS = (API, PNR)
FAILED = (MessageStatus.FAILED_PARSE, MessageStatus.FAILED_LOAD)
PNR_LEAD = timedelta(hours=24)  # PNR due this long before departure
WINDOWS = (24, 48)  # hours of traffic the dashboard offers
HORIZONS = (3, 6, 12, 24)  # hours ahead for the flights at risk
UNKNOWN = "unknown"
REASON_LENGTH = 160
HEAT_LEVELS = 4  # shades of the carrier × hour table
WATCHED = (Direction.INBOUND, Direction.OUTBOUND)  # overflight legs of itineraries get no API of their own


class FeedState(StrEnum):
    """How one feed of one flight stands against its deadline."""

    OK = "ok"
    PENDING = "pending"
    LATE = "late"
    MISSING = "missing"


@dataclass(frozen=True, slots=True)
class HourCount:
    """Messages of one carrier in one hour, by feed, and how many of them failed."""

    api: int = 0
    pnr: int = 0
    other: int = 0
    failed: int = 0

    @property
    def total(self) -> int:
        """Every message of the hour."""
        return self.api + self.pnr + self.other


@dataclass(slots=True)
class Traffic:
    """Messages per carrier per hour over the window, oldest hour first."""

    hours: list[datetime]
    carriers: list[str]
    cells: dict[tuple[str, datetime], HourCount]
    largest: int = 0

    def cell(self, carrier: str, hour: datetime) -> HourCount:
        """The counts of a carrier in an hour (zeros when none)."""
        return self.cells.get((carrier, hour), HourCount())

    def level(self, count: int) -> int:
        """The shade of a cell: 0 for none, up to HEAT_LEVELS for the busiest hour."""
        if count <= 0 or self.largest <= 0:
            return 0
        return max(1, round(count / self.largest * HEAT_LEVELS))

    def per_hour(self, feed: str) -> list[int]:
        """Messages of a feed (API, PNR, or "failed") in each hour, all carriers together."""
        totals: Counter[datetime] = Counter()
        for (_carrier, hour), count in self.cells.items():
            totals[hour] += {API: count.api, PNR: count.pnr}.get(feed, count.failed)
        return [totals[hour] for hour in self.hours]

    def carrier_total(self, carrier: str) -> int:
        """Every message of a carrier over the window."""
        return sum(count.total for (name, _hour), count in self.cells.items() if name == carrier)


@dataclass(frozen=True, slots=True)
class FailureReason:
    """Failed messages that share a reason: how many, and the latest one."""

    reason: str
    count: int
    latest_id: int
    latest_at: datetime


@dataclass(frozen=True, slots=True)
class FeedCheck:
    """One feed of a flight: its state and when its first message came."""

    state: FeedState
    first_at: datetime | None
    due_at: datetime | None


@dataclass(frozen=True, slots=True)
class FlightAtRisk:
    """A flight arriving soon whose API or PNR is missing or late."""

    flight: Flight
    api: FeedCheck
    pnr: FeedCheck


@dataclass(frozen=True, slots=True)
class CarrierCoverage:
    """A carrier's flights in the window and how many of them had API and PNR."""

    carrier: str
    flights: int
    with_api: int
    with_pnr: int

    @property
    def api_share(self) -> float:
        """Percentage of its flights with API."""
        return round(100 * self.with_api / self.flights, 1) if self.flights else 0.0

    @property
    def pnr_share(self) -> float:
        """Percentage of its flights with PNR."""
        return round(100 * self.with_pnr / self.flights, 1) if self.flights else 0.0


@dataclass(slots=True)
class Coverage:
    """The carriers active in the window (they operate flights in it) and which of them send API and PNR."""

    carriers: list[CarrierCoverage] = field(default_factory=list)

    @property
    def sending_api(self) -> int:
        """Active carriers that sent API for at least one of their flights."""
        return sum(1 for carrier in self.carriers if carrier.with_api)

    @property
    def sending_pnr(self) -> int:
        """Active carriers that sent PNR for at least one of their flights."""
        return sum(1 for carrier in self.carriers if carrier.with_pnr)

    def share(self, sending: int) -> float:
        """Percentage of the active carriers."""
        return round(100 * sending / len(self.carriers), 1) if self.carriers else 0.0


def message_carrier() -> ColumnElement[str | None]:
    """A message's carrier: the one its delivery named, else the first carrier of the flights it fed."""
    fed = (select(func.min(Flight.carrier)).join(FlightMessage, FlightMessage.flight_id == Flight.id)
           .where(FlightMessage.message_id == Message.id).scalar_subquery())
    return func.coalesce(Message.carrier, fed)


def _hour_of(session: Session) -> ColumnElement[Any]:
    """The receipt time cut to the hour, in the database's own way."""
    if session.get_bind().dialect.name == "postgresql":
        return func.date_trunc("hour", Message.received_at)
    return func.strftime("%Y-%m-%d %H:00:00", Message.received_at)


def _as_hour(value: datetime | str, like: datetime) -> datetime:
    """A truncated hour from the database as an aware UTC datetime."""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.replace(tzinfo=like.tzinfo) if moment.tzinfo is None else moment.astimezone(like.tzinfo)


def traffic(session: Session, now: datetime, hours: int) -> Traffic:
    """Messages received in the last ``hours`` hours (duplicates left out), per carrier and hour."""
    current = now.replace(minute=0, second=0, microsecond=0)
    span = [current - timedelta(hours=back) for back in range(hours - 1, -1, -1)]
    hour, carrier = _hour_of(session).label("hour"), message_carrier().label("carrier")
    rows = session.execute(
        select(hour, carrier, Message.type, Message.status, func.count())
        .where(Message.received_at >= span[0], Message.status != MessageStatus.DUPLICATE)
        .group_by(hour, carrier, Message.type, Message.status))
    counts: dict[tuple[str, datetime], dict[str, int]] = defaultdict(Counter)
    for bucket, code, kind, status, number in rows:
        key = (code or UNKNOWN, _as_hour(bucket, now))
        counts[key][{API: "api", PNR: "pnr"}.get(kind or "", "other")] += number
        if status in FAILED:
            counts[key]["failed"] += number
    cells = {key: HourCount(**values) for key, values in counts.items()}
    carriers = sorted({code for code, _ in cells}, key=lambda code: (code == UNKNOWN, code))
    return Traffic(span, carriers, cells, max((count.total for count in cells.values()), default=0))


def failure_reason(errors: list[dict[str, Any]] | None) -> str:
    """What a failed message's first error says (without its position), shortened."""
    if not errors:
        return "failed without a recorded reason"
    text = str(errors[0].get("message") or "failed without a recorded reason")
    return text if len(text) <= REASON_LENGTH else text[: REASON_LENGTH - 1] + "…"


def failures(session: Session, since: datetime) -> list[FailureReason]:
    """Messages that failed since ``since``, grouped by reason, most frequent first."""
    rows = session.execute(select(Message.id, Message.received_at, Message.errors)
                           .where(Message.received_at >= since, Message.status.in_(FAILED))
                           .order_by(Message.received_at.desc(), Message.id.desc()))
    counts: Counter[str] = Counter()
    latest: dict[str, tuple[int, datetime]] = {}
    for message_id, received_at, errors in rows:
        reason = failure_reason(errors)
        counts[reason] += 1
        latest.setdefault(reason, (message_id, received_at))
    return [FailureReason(reason, count, *latest[reason]) for reason, count in counts.most_common()]


def check_feed(first_at: datetime | None, due_at: datetime | None, now: datetime) -> FeedCheck:
    """How a feed stands: received in time, late, missing after its deadline, or still pending."""
    if first_at is not None:
        late = due_at is not None and first_at > due_at
        return FeedCheck(FeedState.LATE if late else FeedState.OK, first_at, due_at)
    overdue = due_at is not None and now >= due_at
    return FeedCheck(FeedState.MISSING if overdue else FeedState.PENDING, None, due_at)


def due_times(flight: Flight) -> tuple[datetime | None, datetime | None]:
    """When the flight's API and its PNR are due."""
    reference = flight.departure_utc or flight.arrival_utc
    if reference is None:
        return None, None
    return reference, reference - PNR_LEAD


def _first_messages(session: Session, flight_ids: list[int]) -> dict[tuple[int, str], datetime]:
    """When the first message of each feed reached each flight (failed and duplicate copies left out)."""
    if not flight_ids:
        return {}
    rows = session.execute(
        select(FlightMessage.flight_id, Message.type, func.min(Message.received_at))
        .join(Message, Message.id == FlightMessage.message_id)
        .where(FlightMessage.flight_id.in_(flight_ids), Message.type.in_(FEEDS),
               Message.status.not_in((*FAILED, MessageStatus.DUPLICATE)))
        .group_by(FlightMessage.flight_id, Message.type))
    return {(flight_id, kind or ""): first for flight_id, kind, first in rows}


def _watched_flights(session: Session, start: datetime, end: datetime, airports: list[str]) -> list[Flight]:
    """Inbound and outbound flights arriving between ``start`` and ``end`` on the airports (none: all)."""
    query = (select(Flight).where(Flight.arrival_utc >= start, Flight.arrival_utc < end,
                                  Flight.direction.in_(WATCHED) | Flight.direction.is_(None))
             .order_by(Flight.arrival_utc, Flight.id))
    if airports:
        query = query.where(Flight.origin.in_(airports) | Flight.destination.in_(airports))
    return list(session.scalars(query))


def flights_at_risk(session: Session, now: datetime, hours: int, airports: list[str]) -> tuple[list[FlightAtRisk],
                                                                                                  int]:
    """Flights arriving in the next ``hours`` hours whose API or PNR is missing or late, soonest first; and how
    many flights arrive in that time."""
    flights = _watched_flights(session, now, now + timedelta(hours=hours), airports)
    firsts = _first_messages(session, [flight.id for flight in flights])
    risky = []
    for flight in flights:
        api_due, pnr_due = due_times(flight)
        api = check_feed(firsts.get((flight.id, API)), api_due, now)
        pnr = check_feed(firsts.get((flight.id, PNR)), pnr_due, now)
        if {api.state, pnr.state} & {FeedState.LATE, FeedState.MISSING}:
            risky.append(FlightAtRisk(flight, api, pnr))
    return risky, len(flights)


def coverage(session: Session, now: datetime, hours: int, airports: list[str]) -> Coverage:
    """Per carrier operating flights that arrived in the last ``hours`` hours or arrive in the next 24: how many of
    those flights had API and PNR."""
    flights = _watched_flights(session, now - timedelta(hours=hours), now + timedelta(hours=24), airports)
    firsts = _first_messages(session, [flight.id for flight in flights])
    tally: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for flight in flights:
        counts = tally[flight.carrier]
        counts[0] += 1
        counts[1] += (flight.id, API) in firsts
        counts[2] += (flight.id, PNR) in firsts
    return Coverage([CarrierCoverage(code, *counts) for code, counts in sorted(tally.items())])
