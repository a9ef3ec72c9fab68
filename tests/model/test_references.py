"""References from the bulk-loaded tables: foreign keys on SQLite, per-statement triggers on PostgreSQL, one behaviour.

Each test loads a real flight (API list and PNR push) and then breaks or deletes what its rows refer to.
"""

from __future__ import annotations

from datetime import datetime

import psycopg
import pytest
from sqlalchemy import Column, ForeignKeyConstraint, Table, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from gtas.generator import flight_with, paxlst_writer, pnrgov_writer
from gtas.ingest.context import add_rows, table_of
from gtas.model import Base, Contact, ContactKind, MessageStatus
from gtas.model.base import is_bulk_reference
from tests.ingest.helpers import deliver

BULK_REFERENCES = sorted(
    ((table, constraint.columns[0]) for table in Base.metadata.sorted_tables for constraint in table.constraints
     if isinstance(constraint, ForeignKeyConstraint) and is_bulk_reference(constraint)),
    key=lambda pair: (pair[0].name, pair[1].name))


def _name(reference: tuple[Table, Column[int]]) -> str:
    return f"{reference[0].name}.{reference[1].name}"


@pytest.fixture
def loaded(session: Session) -> Session:
    """A flight's passenger list and PNR push, loaded."""
    flight = flight_with(passengers=30, pnrs=12, seed=7, start=datetime(2026, 5, 1))
    for text in [*(t for m in flight.api for t in paxlst_writer.write(m)), pnrgov_writer.write(flight.pnr)]:
        assert deliver(session, text).status == MessageStatus.LOADED
    return session


def _referred(column: Column[int]) -> Table:
    (key,) = column.foreign_keys
    assert isinstance(key.column.table, Table)
    return key.column.table


def test_the_bulk_references_are_the_loaded_tables() -> None:
    assert {table.name for table, _ in BULK_REFERENCES} == {
        "itinerary_leg", "contact", "payment", "agency", "frequent_flyer", "ticket", "bag", "seat", "codeshare",
        "history_entry", "pnr_version", "pnr_push", "traveller_source", "document", "flight_message", "person_key"}
    assert len(BULK_REFERENCES) == 29


@pytest.mark.parametrize("reference", BULK_REFERENCES, ids=_name)
def test_a_reference_to_a_missing_row_is_refused(loaded: Session, reference: tuple[Table, Column[int]]) -> None:
    table, column = reference
    missing = (loaded.scalar(select(func.max(_referred(column).c.id))) or 0) + 1000
    row = loaded.execute(select(table).where(column.is_not(None)).limit(1)).mappings().first()
    assert row is not None, f"the loaded flight gave no {table.name} row with a {column.name}"
    keys = {name: row[name] for name in (c.name for c in table.primary_key.columns)}
    with pytest.raises(IntegrityError), loaded.begin_nested():
        loaded.execute(update(table).where(*(table.c[name] == value for name, value in keys.items()))
                       .values({column.name: missing}))


def test_rows_loaded_in_bulk_with_a_missing_reference_are_refused(loaded: Session) -> None:
    rows = [{"kind": ContactKind.EMAIL, "value": "a@example.org", "normalised": "a@example.org", "label": None,
             "traveller_ref": None, "pnr_id": 10**9, "traveller_id": None}]
    with pytest.raises((IntegrityError, psycopg.errors.ForeignKeyViolation)), loaded.begin_nested():
        add_rows(loaded, {table_of(Contact): rows})


@pytest.mark.parametrize("reference", BULK_REFERENCES, ids=_name)
def test_deleting_a_referred_row_deletes_or_clears_the_rows_referring_to_it(
        loaded: Session, reference: tuple[Table, Column[int]]) -> None:
    table, column = reference
    referred = _referred(column)
    (key,) = column.foreign_keys
    target = loaded.execute(select(column, func.count()).where(column.is_not(None)).group_by(column)
                            .order_by(func.count().desc()).limit(1)).first()
    assert target is not None, f"the loaded flight gave no {table.name} row with a {column.name}"
    target_id, referring = target
    rows_before = loaded.scalar(select(func.count()).select_from(table))
    with loaded.begin_nested() as savepoint:
        loaded.execute(referred.delete().where(referred.c.id == target_id))
        assert loaded.scalar(select(func.count()).where(column == target_id)) == 0
        rows_after = loaded.scalar(select(func.count()).select_from(table))
        cleared = rows_after == rows_before
        savepoint.rollback()
    if key.ondelete == "CASCADE":
        assert rows_after is not None and rows_before is not None and rows_after <= rows_before - referring
    else:
        assert key.ondelete == "SET NULL" and cleared
