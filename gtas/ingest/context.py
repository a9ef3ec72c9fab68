"""What loading one message carries along: the session, the stored message, settings and the tally."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import Enum
from typing import Any

import orjson
from sqlalchemy import JSON, Insert, Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from gtas.db import dialect_insert
from gtas.model import Message
from gtas.model.base import Base


class LoadError(Exception):
    """A parsed message that cannot be loaded; the reason is stored on the message."""


@dataclass(slots=True)
class LoadContext:
    """The state of one load: which message, for which home country, and what it produced."""

    session: Session
    message: Message
    home_country: str
    warnings: list[dict[str, Any]] = field(default_factory=list)
    flights: set[int] = field(default_factory=set)
    travellers: int = 0
    pnrs: int = 0

    def moment(self, prepared: datetime | None) -> datetime:
        """When a message was prepared (UNB time, read as UTC), else when it was received."""
        if prepared is not None:
            return prepared.replace(tzinfo=UTC)
        received = self.message.received_at
        return received if received.tzinfo else received.replace(tzinfo=UTC)

    def warn(self, text: str) -> None:
        """Note a warning on the message being loaded."""
        self.warnings.append({"segment": None, "line": None, "column": None, "tag": None, "message": text,
                              "severity": "warning"})


def table_of(model: type[Base]) -> Table:
    """The Core table of a mapped class, typed as such (for bulk statements)."""
    table = model.__table__
    assert isinstance(table, Table)
    return table


def upsert(session: Session, table: Table) -> sqlite.Insert | postgresql.Insert:
    """An INSERT into the table with the ``on_conflict_*`` clauses of the session's backend."""
    return dialect_insert(session.get_bind().dialect.name, table)


def insert_rows(session: Session, statement: Insert, rows: list[dict[str, Any]]) -> None:
    """Run an INSERT (or upsert) for many rows: executemany, which psycopg sends as one pipeline.

    Measured faster than multi-row INSERT … RETURNING (psycopg re-parses every long statement text) and it keeps
    the statement cached; callers that need keys select them afterwards with one query.
    """
    if rows:
        session.execute(statement, rows)


def copy_rows(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    """Add rows that cannot conflict the fastest way the backend has: COPY on PostgreSQL, executemany elsewhere.

    Every row has the same keys; enums go in as their values; JSON columns take anything orjson serialises
    (records included, or an ``orjson.Fragment`` of JSON made before).
    """
    if not rows:
        return
    names = list(rows[0])
    json = [isinstance(table.c[name].type, JSON) for name in names]
    if session.get_bind().dialect.name != "postgresql":
        session.execute(table.insert(), [
            {name: orjson.loads(orjson.dumps(value)) if is_json else value
             for (name, value), is_json in zip(row.items(), json, strict=True)} for row in rows])
        return
    cursor = session.connection().connection.cursor()
    with cursor.copy(f"COPY {table.name} ({', '.join(names)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([orjson.dumps(value).decode() if is_json else value.value if isinstance(value, Enum)
                            else value for value, is_json in zip(row.values(), json, strict=True)])
