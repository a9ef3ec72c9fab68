"""The priority queue: open hits across flights, most severe first, then the soonest arrival.

``read_filters`` turns the query string into ``QueueFilters`` (with the problems of any bad parameter); ``queue``
answers a page of hits with who holds each and its latest decision, in a fixed number of queries.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, case, exists, func, or_, select
from sqlalchemy.orm import Session

from gtas.model import (
    Disposition,
    Flight,
    Hit,
    HitKind,
    HitStatus,
    HitWork,
    Rule,
    RuleVersion,
    Traveller,
    User,
    Watchlist,
    WatchlistEntry,
)
from gtas.model.watchlist import WatchlistSeverity as Severity
from gtas.web.flights.manifest import SEVERITY_RANK, hit_label
from gtas.web.paging import page_count
from gtas.web.query_args import number

PAGE_SIZE = 100
MAX_PAGE = 10_000
PAST_HOURS = 6  # hits of flights that landed longer ago than this leave the queue
_CATEGORY = re.compile(r"[a-z_]{1,50}")
E = TypeVar("E", bound=StrEnum)
S = TypeVar("S", bound=Select[*tuple[Any, ...]])


class WorkStatus(StrEnum):
    """Which hits the queue shows: undecided (all, claimed, mine) or decided."""

    OPEN = "open"
    CLAIMED = "claimed"
    MINE = "mine"
    DECIDED = "decided"


@dataclass(frozen=True, slots=True)
class QueueFilters:
    """What the queue shows."""

    status: WorkStatus = WorkStatus.OPEN
    kind: HitKind | None = None
    category: str = ""
    severity: Severity | None = None
    flight_id: int | None = None
    page: int = 1


@dataclass(slots=True)
class QueueRow:
    """One hit of the queue, with its traveller, flight, who holds it and its latest decision."""

    hit: Hit
    traveller: Traveller
    flight: Flight
    category: str
    holder: User | None = None
    decision: Disposition | None = None

    @property
    def label(self) -> str:
        """What raised the hit, in a few words."""
        return hit_label(HitKind(self.hit.kind), self.hit.explanation)


@dataclass(slots=True)
class Queue:
    """One page of the queue, how many hits match in all, and the choices the filter form offers."""

    rows: list[QueueRow]
    total: int
    page: int
    categories: list[str] = field(default_factory=list)
    flights: list[Flight] = field(default_factory=list)

    @property
    def pages(self) -> int:
        """How many pages the matching hits fill (at least one)."""
        return page_count(self.total, PAGE_SIZE)


def read_filters(args: Mapping[str, str]) -> tuple[QueueFilters, list[str]]:
    """The filters of a query string and the problems found (a bad parameter falls back to its default)."""
    problems: list[str] = []
    status = _choice(args, "status", WorkStatus, problems) or WorkStatus.OPEN
    kind = _choice(args, "kind", HitKind, problems)
    severity = _choice(args, "severity", Severity, problems)
    category = args.get("category", "").strip().lower()
    if category and not _CATEGORY.fullmatch(category):
        problems.append(f"category must be a category name, not {category[:20]!r}")
        category = ""
    flight_id = number(args, "flight", problems)
    page = number(args, "page", problems) or 1
    return QueueFilters(status, kind, category, severity, flight_id, min(page, MAX_PAGE)), problems


def _choice(args: Mapping[str, str], name: str, enum: type[E], problems: list[str]) -> E | None:
    text = args.get(name, "").strip().lower()
    if not text:
        return None
    try:
        return enum(text)
    except ValueError:
        problems.append(f"{name} must be one of {', '.join(member.value for member in enum)}, not {text[:20]!r}")
        return None


def _category() -> ColumnElement[str]:
    """A hit's category: its rule's, its watchlist entry's (else its list's), or "link"."""
    return func.coalesce(Rule.category, WatchlistEntry.category, Watchlist.category, Hit.kind)


def _scope(query: S, now: datetime, user_airports: list[str]) -> S:
    """Limit a query over hits to open hits of travellers still on flights that have not landed long ago, on the
    user's airports (the rule, list and entry joined for the category)."""
    query = (query.select_from(Hit).join(Traveller, Traveller.id == Hit.traveller_id)
             .join(Flight, Flight.id == Traveller.flight_id)
             .outerjoin(RuleVersion, RuleVersion.id == Hit.rule_version_id)
             .outerjoin(Rule, Rule.id == RuleVersion.rule_id)
             .outerjoin(WatchlistEntry, WatchlistEntry.id == Hit.watchlist_entry_id)
             .outerjoin(Watchlist, Watchlist.id == WatchlistEntry.watchlist_id)
             .where(Hit.status == HitStatus.OPEN, Traveller.removed_at.is_(None),
                    or_(Flight.arrival_utc.is_(None), Flight.arrival_utc >= now - timedelta(hours=PAST_HOURS))))
    if user_airports:
        query = query.where(or_(Flight.origin.in_(user_airports), Flight.destination.in_(user_airports)))
    return query


def queue(session: Session, filters: QueueFilters, user: User, now: datetime) -> Queue:
    """A page of the queue for the user: most severe first, then the soonest arrival, then the oldest hit."""
    query = _filtered(_scope(select(Hit, Traveller, Flight, _category()), now, user.airports), filters, user)
    total = session.scalar(select(func.count()).select_from(query.with_only_columns(Hit.id).subquery())) or 0
    page = min(filters.page, page_count(total, PAGE_SIZE))
    rank = case({severity.value: -rank for severity, rank in SEVERITY_RANK.items()}, value=Hit.severity)
    # the page's hits first (ordering needs only a few columns of each candidate), then their rows
    ids = list(session.scalars(query.with_only_columns(Hit.id)
                               .order_by(rank, Flight.arrival_utc.is_(None), Flight.arrival_utc, Hit.id)
                               .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)))
    found = {hit.id: QueueRow(hit, traveller, flight, str(category)) for hit, traveller, flight, category in
             session.execute(_scope(select(Hit, Traveller, Flight, _category()), now, user.airports)
                             .where(Hit.id.in_(ids)))} if ids else {}
    rows = [found[hit_id] for hit_id in ids if hit_id in found]  # one withdrawn in between is left out
    _fill(session, rows)
    choices = list(session.execute(_scope(select(_category(), Traveller.flight_id).distinct(), now, user.airports)))
    categories = sorted({str(category) for category, _ in choices if category is not None})
    flights = list(session.scalars(
        select(Flight).where(Flight.id.in_({flight_id for _, flight_id in choices}))
        .order_by(Flight.arrival_utc, Flight.carrier, Flight.number))) if choices else []
    return Queue(rows, total, page, categories, flights)


def _filtered(query: S, filters: QueueFilters, user: User) -> S:
    decided = exists().where(Disposition.hit_id == Hit.id)
    query = query.where(decided if filters.status is WorkStatus.DECIDED else ~decided)
    if filters.status is WorkStatus.CLAIMED:
        query = query.where(Hit.id.in_(select(HitWork.hit_id).where(HitWork.claimed_by.is_not(None))))
    elif filters.status is WorkStatus.MINE:
        query = query.where(Hit.id.in_(select(HitWork.hit_id).where(HitWork.claimed_by == user.id)))
    if filters.kind is not None:
        query = query.where(Hit.kind == filters.kind)
    if filters.severity is not None:
        query = query.where(Hit.severity == filters.severity)
    if filters.category:
        query = query.where(_category() == filters.category)
    if filters.flight_id is not None:
        query = query.where(Flight.id == filters.flight_id)
    return query


def _fill(session: Session, rows: list[QueueRow]) -> None:
    """Who holds each hit and its latest decision (two queries)."""
    by_hit = {row.hit.id: row for row in rows}
    if not by_hit:
        return
    for work, holder in session.execute(select(HitWork, User).join(User, User.id == HitWork.claimed_by)
                                        .where(HitWork.hit_id.in_(list(by_hit)))):
        by_hit[work.hit_id].holder = holder
    for disposition in session.scalars(select(Disposition).where(Disposition.hit_id.in_(list(by_hit)))
                                       .order_by(Disposition.decided_at, Disposition.id)):
        by_hit[disposition.hit_id].decision = disposition
