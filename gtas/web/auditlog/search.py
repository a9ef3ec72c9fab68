"""Searching the audit trail: filters from a query string, a page of events newest first, the rows of an export, and
an event's before and after as a field-by-field comparison."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from gtas.model import AuditEvent
from gtas.web import query_args as read
from gtas.web.paging import page_count

PAGE_SIZE = 100
MAX_PAGE = 10_000
EXPORT_LIMIT = 100_000  # events in one export file, newest first
PREFIX = "*"  # an action filter ending in it matches every action that starts with the rest ("message.*")
COLUMNS = ("id", "at (UTC)", "user", "user id", "action", "object kind", "object id", "traveller id", "address",
           "browser", "details", "before", "after")


@dataclass(frozen=True, slots=True)
class AuditFilters:
    """Which events to show."""

    user: str = ""
    action: str = ""
    traveller_id: int | None = None
    object_kind: str = ""
    object_id: str = ""
    since: datetime | None = None
    until: datetime | None = None
    page: int = 1

    @property
    def active(self) -> dict[str, str]:
        """The filters set, as query-string values (for the audit trail and links)."""
        values = {"user": self.user, "action": self.action,
                  "traveller": "" if self.traveller_id is None else str(self.traveller_id),
                  "object_kind": self.object_kind, "object_id": self.object_id,
                  "since": self.since.isoformat() if self.since else "",
                  "until": self.until.isoformat() if self.until else ""}
        return {name: value for name, value in values.items() if value}


@dataclass(frozen=True, slots=True)
class EventPage:
    """A page of events and how many match in all."""

    events: list[AuditEvent]
    total: int
    page: int

    @property
    def pages(self) -> int:
        """How many pages the matching events fill (at least one)."""
        return page_count(self.total, PAGE_SIZE)


@dataclass(frozen=True, slots=True)
class Change:
    """One field of an event's before/after: its values as text (None: absent) and whether it changed."""

    field: str
    before: str | None
    after: str | None

    @property
    def changed(self) -> bool:
        """Whether the field differs before and after."""
        return self.before != self.after


def read_filters(query: Mapping[str, str]) -> tuple[AuditFilters, list[str]]:
    """The filters of a query string and the problems found (a bad value filters nothing)."""
    problems: list[str] = []
    return AuditFilters(
        user=read.text(query, "user", 64, problems).lower(),
        action=read.text(query, "action", 64, problems).lower(),
        traveller_id=read.number(query, "traveller", problems),
        object_kind=read.text(query, "object_kind", 40, problems).lower(),
        object_id=read.text(query, "object_id", 64, problems),
        since=read.moment(query, "since", problems),
        until=read.moment(query, "until", problems),
        page=min(read.number(query, "page", problems) or 1, MAX_PAGE),
    ), problems


def _filtered(query: Select[Any], filters: AuditFilters) -> Select[Any]:
    if filters.user:
        query = query.where(func.lower(AuditEvent.username) == filters.user)
    if filters.action.endswith(PREFIX):
        stem = filters.action.removesuffix(PREFIX)
        query = query.where(func.substr(AuditEvent.action, 1, len(stem)) == stem)
    elif filters.action:
        query = query.where(AuditEvent.action == filters.action)
    if filters.traveller_id is not None:
        query = query.where(AuditEvent.traveller_id == filters.traveller_id)
    if filters.object_kind:
        query = query.where(AuditEvent.object_kind == filters.object_kind)
    if filters.object_id:
        query = query.where(AuditEvent.object_id == filters.object_id)
    if filters.since is not None:
        query = query.where(AuditEvent.at >= filters.since)
    if filters.until is not None:
        query = query.where(AuditEvent.at < filters.until)
    return query


def search(session: Session, filters: AuditFilters) -> EventPage:
    """A page of the matching events, newest first."""
    total = session.scalar(_filtered(select(func.count()).select_from(AuditEvent), filters)) or 0
    page = min(filters.page, page_count(total, PAGE_SIZE))
    events = list(session.scalars(_filtered(select(AuditEvent), filters)
                                  .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
                                  .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)))
    return EventPage(events, total, page)


def actions(session: Session) -> list[str]:
    """Every action the trail holds, for the filter's suggestions."""
    return list(session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action)))


def _json(value: Any) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def export_rows(session: Session, filters: AuditFilters) -> Iterator[list[str]]:
    """The cells of every matching event (at most EXPORT_LIMIT, newest first), as text."""
    query = (_filtered(select(AuditEvent), filters).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
             .limit(EXPORT_LIMIT).execution_options(yield_per=1000))
    for event in session.scalars(query):
        yield [str(event.id), event.at.isoformat(), event.username or "", _text(event.user_id), event.action,
               event.object_kind or "", event.object_id or "", _text(event.traveller_id), event.remote_address or "",
               event.user_agent or "", _json(event.details), _json(event.before), _json(event.after)]


def _text(value: int | None) -> str:
    return "" if value is None else str(value)


def flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    """Nested objects as one level of dotted field names (lists are kept whole, as values)."""
    if not isinstance(value, dict):
        return {prefix: value} if prefix else {}
    fields: dict[str, Any] = {}
    for key, inner in value.items():
        name = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(inner, dict) and inner:
            fields.update(flatten(inner, name))
        else:
            fields[name] = inner
    return fields


def changes(before: dict[str, Any] | None, after: dict[str, Any] | None) -> list[Change]:
    """Every field of before and after, in name order, with its value on each side."""
    old, new = flatten(before or {}), flatten(after or {})
    return [Change(name, _shown(old[name]) if name in old else None, _shown(new[name]) if name in new else None)
            for name in sorted(old.keys() | new.keys())]


def _shown(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
