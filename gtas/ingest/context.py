"""What loading one message carries along: the session, the stored message, settings and the tally."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from enum import Enum
from functools import cache
from typing import Any

import orjson
import psycopg
from sqlalchemy import JSON, ColumnDefault, Insert, Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from gtas.db import dialect_insert
from gtas.model import Message
from gtas.model.base import Base

CHUNK = 500  # values per IN list
_POSTGRESQL = postgresql.dialect()  # type: ignore[no-untyped-call]  # bulk statements spell types its way


class LoadError(Exception):
    """A parsed message that cannot be loaded; the reason is stored on the message."""


@dataclass(slots=True)
class LoadContext:
    """The state of one load: which message, for which home country, and what it produced."""

    session: Session
    message: Message
    home_country: str
    warnings: list[dict[str, Any]] = field(default_factory=list)
    unchanged: Mapping[str, int] = field(default_factory=dict)  # PNR ids by the raw digests of unchanged PNRs
    again: bool = False  # a series, which may be loaded again (a missing part came): rows it gave before may be there
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


def add_rows(session: Session, batches: Mapping[Table, list[dict[str, Any]]]) -> None:
    """Add rows that cannot conflict to several tables: one statement on PostgreSQL, executemany elsewhere.

    On PostgreSQL the statement is an ``INSERT … SELECT FROM json_to_recordset`` per table, all in one ``WITH``,
    the rows of each sent as one JSON text that orjson writes in C. Measured against a COPY per table (benchmarks/
    ingest.py): the worker process, which is what limits loading, spends far less (one round trip in place of three
    or four per table, and no row formatted in Python), while the server spends a little more parsing JSON.
    Every row of a table has the same keys; enums are string enums (they go in as their values); JSON columns take
    anything orjson serialises (records included, or an ``orjson.Fragment`` of JSON made before).
    """
    batches = {table: rows for table, rows in batches.items() if rows}
    if not batches:
        return
    if not on_postgresql(session):
        for table, rows in batches.items():
            json = [name for name in rows[0] if isinstance(table.c[name].type, JSON)]
            session.execute(table.insert(), [row | {name: orjson.loads(orjson.dumps(row[name])) for name in json}
                                             for row in rows])
        return
    parts = [_insert_from_json(table, rows) for table, rows in batches.items()]
    added = ", ".join(f"added_{table.name} AS ({sql})" for table, (sql, _) in zip(batches, parts, strict=True))
    _psycopg(session).cursor().execute(f"WITH {added} SELECT 1", [value for _, params in parts for value in params])


def on_postgresql(session: Session) -> bool:
    """Whether the session's database is PostgreSQL (which has the array-bound fast paths)."""
    return session.get_bind().dialect.name == "postgresql"


def chunks(values: list[Any]) -> list[list[Any]]:
    """The values in slices of CHUNK, for IN lists (a database limits the parameters of one statement)."""
    return [values[start:start + CHUNK] for start in range(0, len(values), CHUNK)]


def _psycopg(session: Session) -> psycopg.Connection[Any]:
    """The psycopg connection under the session (PostgreSQL), in the session's transaction."""
    connection = session.connection().connection.driver_connection
    assert isinstance(connection, psycopg.Connection)
    return connection


def select_arrays(session: Session, sql: str, params: Sequence[Any] | Mapping[str, Any]) -> list[tuple[Any, ...]]:
    """PostgreSQL: the rows of a statement that takes its values in bulk, planned on every call.

    The values go as arrays (``= ANY(%s)``) or as one JSON text. Never a prepared statement: a generic plan made
    while a table was small scans it whole once it has grown.
    """
    cursor = _psycopg(session).cursor()
    cursor.execute(sql, params, prepare=False)
    return list(cursor.fetchall())


def insert_bulk(session: Session, table: Table, rows: list[dict[str, Any]], tail: str = "") -> list[tuple[Any, ...]]:
    """PostgreSQL: one ``INSERT … SELECT`` of all rows, sent as one JSON array of objects, then ``tail``.

    ``tail`` is SQL after the SELECT (``ON CONFLICT …``, ``RETURNING …``); returns what RETURNING gives. Every row has
    the same keys; columns left out get their client-side defaults; values go in as orjson writes them (enums as
    their values, JSON columns as nested JSON). The SELECT is ordered by the rows' positions, so ids taken from a
    sequence follow the rows' order. One JSON text costs the client far less than an array per column: psycopg
    quotes every element of a text array in Python, orjson writes the whole batch in C.
    """
    if not rows:
        return []
    sql, params = _insert_from_json(table, rows)
    cursor = _psycopg(session).cursor()
    cursor.execute(f"{sql} {tail}", params)
    return list(cursor.fetchall()) if cursor.description else []


def _insert_from_json(table: Table, rows: list[dict[str, Any]]) -> tuple[str, list[Any]]:
    """The ``INSERT … SELECT FROM json_to_recordset(%s)`` of these rows and its parameters (see ``insert_bulk``)."""
    sql, defaults = _json_insert(table, tuple(rows[0]))
    values = (default.arg if default.is_scalar else default.arg(None) for default in defaults)
    params = [*(value.value if isinstance(value, Enum) else value for value in values),
              orjson.dumps(rows, default=_jsonable).decode()]  # in the order of their placeholders
    return sql, params


@cache
def _json_insert(table: Table, names: tuple[str, ...]) -> tuple[str, tuple[ColumnDefault, ...]]:
    """The SQL of ``_insert_from_json`` for rows with these keys, and the defaults of the columns they leave out."""
    defaults = {column.name: column.default for column in table.columns if column.name not in names
                and isinstance(column.default, ColumnDefault) and (column.default.is_scalar
                                                                   or column.default.is_callable)}
    types = {name: table.c[name].type.compile(dialect=_POSTGRESQL) for name in [*names, *defaults]}
    given = ", ".join(f"{name} {types[name]}" for name in names)
    constants = "".join(f", %s::{types[name]}" for name in defaults)
    listed = ", ".join([*names, *defaults])
    return (f"INSERT INTO {table.name} ({listed}) SELECT {', '.join(names)}{constants} "
            f"FROM ROWS FROM (json_to_recordset(%s::json) AS ({given})) WITH ORDINALITY "
            f"AS given({', '.join(names)}, given_order) ORDER BY given_order", tuple(defaults.values()))


def _jsonable(value: Any) -> Any:
    """What orjson cannot write itself: decimals (as their exact text)."""
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"{type(value).__name__} cannot go into a row")
