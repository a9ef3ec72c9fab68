"""The message browser: stored messages filtered by carrier, type, status, channel and receipt time, newest first.

List rows hold the metadata only (the raw bytes, the warnings and the errors stay in the database); the message page
loads one message whole, with the flights it fed and its parse result.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, exists, func, select
from sqlalchemy.orm import Session

from gtas.model import Channel, Flight, FlightMessage, Message, MessageStatus, TravellerSource
from gtas.parsers import parse
from gtas.parsers.records import to_jsonable
from gtas.web import query_args as read
from gtas.web.feeds.health import FEEDS, message_carrier
from gtas.web.paging import page_count

PAGE_SIZE = 50
MAX_PAGE = 10_000
NO_TYPE = "none"  # the type filter's value for messages that never parsed far enough to have one


@dataclass(frozen=True, slots=True)
class MessageFilters:
    """What the browser shows."""

    carrier: str = ""
    type: str | None = None
    status: MessageStatus | None = None
    channel: Channel | None = None
    since: datetime | None = None
    until: datetime | None = None
    page: int = 1

    @property
    def active(self) -> dict[str, str]:
        """The filters set, as query-string values (for the audit trail and links)."""
        values = {"carrier": self.carrier, "type": self.type or "", "status": self.status or "",
                  "channel": self.channel or "", "since": self.since.isoformat() if self.since else "",
                  "until": self.until.isoformat() if self.until else ""}
        return {name: str(value) for name, value in values.items() if value}


@dataclass(frozen=True, slots=True)
class MessageRow:
    """One message of the list: its metadata and how many errors and warnings it has."""

    id: int
    received_at: datetime
    channel: str
    submitter: str | None
    carrier: str | None
    filename: str | None
    type: str | None
    status: MessageStatus
    size: int
    errors: int
    warnings: int


@dataclass(frozen=True, slots=True)
class MessagePage:
    """A page of messages and how many match in all."""

    rows: list[MessageRow]
    total: int
    page: int

    @property
    def pages(self) -> int:
        """How many pages the matching messages fill (at least one)."""
        return page_count(self.total, PAGE_SIZE)


def read_filters(query: Mapping[str, str]) -> tuple[MessageFilters, list[str]]:
    """The filters of a query string and the problems found (a bad value filters nothing)."""
    problems: list[str] = []
    carrier = read.carrier(query, "carrier", problems)
    kind = read.choice(query, "type", (*FEEDS, NO_TYPE), problems)
    status = read.choice(query, "status", [s.value for s in MessageStatus], problems)
    channel = read.choice(query, "channel", [c.value for c in Channel], problems)
    since, until = read.moment(query, "since", problems), read.moment(query, "until", problems)
    page = min(read.number(query, "page", problems) or 1, MAX_PAGE)
    return MessageFilters(carrier, kind, MessageStatus(status) if status else None,
                          Channel(channel) if channel else None, since, until, page), problems


def _filtered(query: Select[Any], filters: MessageFilters) -> Select[Any]:
    if filters.carrier:
        fed = exists().where(FlightMessage.message_id == Message.id, Flight.id == FlightMessage.flight_id,
                             Flight.carrier == filters.carrier)
        query = query.where((Message.carrier == filters.carrier) | fed)
    if filters.type == NO_TYPE:
        query = query.where(Message.type.is_(None))
    elif filters.type:
        query = query.where(Message.type == filters.type)
    if filters.status is not None:
        query = query.where(Message.status == filters.status)
    if filters.channel is not None:
        query = query.where(Message.channel == filters.channel)
    if filters.since is not None:
        query = query.where(Message.received_at >= filters.since)
    if filters.until is not None:
        query = query.where(Message.received_at < filters.until)
    return query


def _count(session: Session, column: Any) -> Any:
    """The length of a JSON list column, computed by the database."""
    if session.get_bind().dialect.name == "postgresql":
        return func.jsonb_array_length(column)
    return func.json_array_length(column)


def browse(session: Session, filters: MessageFilters) -> MessagePage:
    """A page of the messages that match, newest first."""
    total = session.scalar(_filtered(select(func.count()).select_from(Message), filters)) or 0
    page = min(filters.page, page_count(total, PAGE_SIZE))
    query = _filtered(select(Message.id, Message.received_at, Message.channel, Message.submitter,
                             message_carrier(), Message.filename, Message.type, Message.status, Message.size,
                             _count(session, Message.errors), _count(session, Message.warnings)), filters)
    rows = [MessageRow(*row) for row in session.execute(
        query.order_by(Message.received_at.desc(), Message.id.desc()).limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE))]
    return MessagePage(rows, total, page)


def fed_flights(session: Session, message_id: int) -> list[Flight]:
    """The flights a message told us about, by departure."""
    return list(session.scalars(select(Flight).join(FlightMessage, FlightMessage.flight_id == Flight.id)
                                .where(FlightMessage.message_id == message_id)
                                .order_by(Flight.departure_date, Flight.carrier, Flight.number)))


def fed_travellers(session: Session, message_id: int) -> list[int]:
    """The travellers a message gave values for (their ids)."""
    return list(session.scalars(select(TravellerSource.traveller_id).where(TravellerSource.message_id == message_id)
                                .order_by(TravellerSource.traveller_id)))


def parse_result(message: Message, card_key: bytes) -> dict[str, Any]:
    """What the parsers read from the raw bytes now, as JSON-ready data (card numbers keyed, as when loading)."""
    parsed = parse(message.raw, card_key=card_key)
    result: dict[str, Any] = to_jsonable(parsed)
    return result
