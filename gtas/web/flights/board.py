"""The flights board: flights arriving (or leaving) in a window with their travellers and open hits, counted in SQL.

``read_filters`` turns the query string into ``BoardFilters`` (with the problems of any bad parameter);
``board`` answers a page of flights in a fixed number of aggregate queries whatever the number of flights.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import ColumnElement, case, func, or_, select
from sqlalchemy.orm import Session

from gtas.model import Airport, Direction, Flight, Hit, HitKind, HitStatus, Traveller
from gtas.model.watchlist import WatchlistSeverity as Severity
from gtas.numbers import whole_number
from gtas.parsers.records import Role
from gtas.web.paging import page_count

MAX_HOURS = 24 * 30
MAX_PAGE = 10_000
PAGE_SIZE = 100
_CODE = re.compile(r"[A-Z0-9]{2,3}")
DIRECTIONS = (Direction.INBOUND, Direction.OUTBOUND)


@dataclass(frozen=True, slots=True)
class BoardFilters:
    """What the board shows: direction, window (hours before and after now), airport, carrier, only flagged."""

    direction: Direction = Direction.INBOUND
    past_hours: int = 6
    ahead_hours: int = 72
    airport: str = ""
    carrier: str = ""
    with_hits: bool = False
    newest_first: bool = False
    page: int = 1


@dataclass(slots=True)
class BoardFlight:
    """One row of the board."""

    flight: Flight
    timezone: str | None
    passengers: int = 0
    crew: int = 0
    flagged: int = 0  # travellers with an open hit
    open_hits: int = 0
    hits: dict[tuple[HitKind, Severity], int] = field(default_factory=dict)

    @property
    def zone_name(self) -> str:
        """The arrival airport's zone at arrival."""
        return zone_name(self.flight.arrival_local, self.timezone)

    def hits_by_kind(self) -> list[tuple[HitKind, list[tuple[Severity, int]]]]:
        """Open hits by kind, each with its counts by severity, most severe first."""
        order = list(Severity)[::-1]
        return [(kind, [(severity, self.hits[kind, severity]) for severity in order if (kind, severity) in self.hits])
                for kind in HitKind if any(key[0] is kind for key in self.hits)]


def read_filters(args: Mapping[str, str], user_airports: list[str]) -> tuple[BoardFilters, list[str]]:
    """The filters of a query string and the problems found (a bad parameter falls back to its default)."""
    problems: list[str] = []
    defaults = BoardFilters()
    direction = defaults.direction
    if (text := args.get("direction", "").strip().lower()) and text not in DIRECTIONS:
        problems.append(f"direction must be inbound or outbound, not {text!r}")
    elif text:
        direction = Direction(text)
    past = _number(args, "past", defaults.past_hours, MAX_HOURS, problems)
    ahead = _number(args, "ahead", defaults.ahead_hours, MAX_HOURS, problems)
    airport = _code(args, "airport", 3, problems)
    if airport and user_airports and airport not in user_airports:
        problems.append(f"you cover {', '.join(user_airports)}, not {airport}")
        airport = ""
    carrier = _code(args, "carrier", 2, problems)
    page = _number(args, "page", 1, MAX_PAGE, problems) or 1
    return BoardFilters(direction, past, ahead, airport, carrier, args.get("hits") == "1",
                        args.get("sort") == "newest", page), problems


def _number(args: Mapping[str, str], name: str, default: int, highest: int, problems: list[str]) -> int:
    text = args.get(name, "").strip()
    if not text:
        return default
    number = whole_number(text)
    if number is None or number > highest:
        problems.append(f"{name} must be a whole number from 0 to {highest}, not {text[:20]!r}")
        return default
    return number


def _code(args: Mapping[str, str], name: str, length: int, problems: list[str]) -> str:
    text = args.get(name, "").strip().upper()
    if text and (not _CODE.fullmatch(text) or len(text) > length):
        problems.append(f"{name} must be a code of {length} letters or digits, not {text[:20]!r}")
        return ""
    return text


@dataclass(slots=True)
class Board:
    """One page of the board: its rows, and how many flights the filters match in all."""

    rows: list[BoardFlight]
    total: int
    page: int

    @property
    def pages(self) -> int:
        """How many pages the matching flights fill (at least one)."""
        return page_count(self.total, PAGE_SIZE)

    @property
    def first(self) -> int:
        """The position of the page's first flight among all that match (1-based)."""
        return (self.page - 1) * PAGE_SIZE + 1


def board(session: Session, filters: BoardFilters, now: datetime, user_airports: list[str]) -> Board:
    """A page of the window's flights by arrival, with their counts; ``user_airports`` limit them.

    Four queries whatever the number of flights: the total, the page, then the travellers and the open hits of the
    page's flights (counted in SQL, the hits by traveller).
    """
    where = _conditions(filters, now, user_airports)
    total = session.scalar(select(func.count()).select_from(Flight).where(*where)) or 0
    page = min(filters.page, page_count(total, PAGE_SIZE))
    order = Flight.arrival_utc.desc() if filters.newest_first else Flight.arrival_utc.asc()
    rows = {flight.id: BoardFlight(flight, zone) for flight, zone in session.execute(
        select(Flight, Airport.timezone).outerjoin(Airport, Airport.iata == Flight.destination).where(*where)
        .order_by(order, Flight.carrier, Flight.number, Flight.id).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE))}
    if rows:
        _count(session, rows)
    return Board(list(rows.values()), total, page)


def _count(session: Session, rows: dict[int, BoardFlight]) -> None:
    """Fill in the travellers and open hits of the rows' flights (two queries: the travellers counted by flight and
    role, the open hits by flight, traveller, kind and severity; both read from indexes alone)."""
    on_board = (Traveller.flight_id.in_(list(rows)), Traveller.removed_at.is_(None))
    for flight_id, travellers, crew in session.execute(
            select(Traveller.flight_id, func.count(), func.sum(case((Traveller.role == Role.CREW, 1), else_=0)))
            .where(*on_board).group_by(Traveller.flight_id)):
        rows[flight_id].passengers, rows[flight_id].crew = travellers - (crew or 0), crew or 0
    flagged: dict[int, set[int]] = defaultdict(set)
    for flight_id, traveller_id, kind, severity, count in session.execute(
            select(Traveller.flight_id, Traveller.id, Hit.kind, Hit.severity, func.count())
            .join(Hit, Hit.traveller_id == Traveller.id).where(*on_board, Hit.status == HitStatus.OPEN)
            .group_by(Traveller.flight_id, Traveller.id, Hit.kind, Hit.severity)):
        row = rows[flight_id]
        key = HitKind(kind), Severity(severity)
        row.hits[key] = row.hits.get(key, 0) + count
        row.open_hits += count
        flagged[flight_id].add(traveller_id)
    for flight_id, travellers in flagged.items():
        rows[flight_id].flagged = len(travellers)


def _conditions(filters: BoardFilters, now: datetime, user_airports: list[str]) -> list[ColumnElement[bool]]:
    """The WHERE clauses that pick the window's flights."""
    where = [Flight.direction == filters.direction,
             Flight.arrival_utc >= now - timedelta(hours=filters.past_hours),
             Flight.arrival_utc <= now + timedelta(hours=filters.ahead_hours)]
    if user_airports:
        where.append(or_(Flight.origin.in_(user_airports), Flight.destination.in_(user_airports)))
    if filters.airport:
        where.append(or_(Flight.origin == filters.airport, Flight.destination == filters.airport))
    if filters.carrier:
        where.append(Flight.carrier == filters.carrier)
    if filters.with_hits:
        where.append(Flight.id.in_(select(Traveller.flight_id).join(Hit, Hit.traveller_id == Traveller.id)
                                   .where(Traveller.removed_at.is_(None), Hit.status == HitStatus.OPEN)))
    return where


def zone_name(local: datetime | None, timezone: str | None) -> str:
    """A zone as people read it at that local time (EST, CET …), else its name; empty when unknown."""
    if local is None or timezone is None:
        return ""
    try:
        return local.replace(tzinfo=ZoneInfo(timezone)).tzname() or timezone
    except ZoneInfoNotFoundError:
        return timezone


def countdown(arrival: datetime | None, now: datetime) -> str:
    """Time to arrival as officers say it: "in 2 h 05 min", "landed 40 min ago"."""
    if arrival is None:
        return "arrival unknown"
    minutes = int((arrival - now).total_seconds() // 60)
    span = abs(minutes)
    text = f"{span // 60} h {span % 60:02d} min" if span >= 60 else f"{span} min"
    return f"in {text}" if minutes >= 0 else f"landed {text} ago"
