"""Travellers on a flight, their documents, the persons they are, and which message said what about them."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, bindparam, delete, func, null, select
from sqlalchemy.orm import Session

from gtas.ingest.context import add_rows, chunks, insert_bulk, insert_rows, on_postgresql, table_of, upsert
from gtas.ingest.keys import fit_rows
from gtas.ingest.persons import resolve_persons
from gtas.model import Document, Traveller, TravellerSource
from gtas.model.base import utcnow
from gtas.parsers.records import Traveller as TravellerRecord

FIELDS = ("surname", "given_names", "date_of_birth", "gender", "nationality", "residence_country", "birth_place",
          "birth_country", "embarkation", "debarkation", "seat", "bag_count", "bag_weight_kg", "record_locator",
          "reference", "verified")
SENT = tuple(field.name for field in dataclasses.fields(TravellerRecord))  # a source keeps what was sent, as JSON
_MERGED = (*FIELDS, "person_id")
_ON_KEY_PG = {  # authoritative (an API list: its values win) or not (a PNR: fills gaps); both say the ids
    True: "ON CONFLICT (flight_id, identity_key) DO UPDATE SET "
          + ", ".join(f"{name} = coalesce(excluded.{name}, traveller.{name})" for name in _MERGED)
          + ", role = excluded.role, bag_tags = excluded.bag_tags, last_message_id = excluded.last_message_id, "
            "removed_at = NULL, updated_at = excluded.updated_at RETURNING identity_key, id",
    False: "ON CONFLICT (flight_id, identity_key) DO UPDATE SET "
           + ", ".join(f"{name} = coalesce(traveller.{name}, excluded.{name})" for name in _MERGED)
           + ", pnr_id = coalesce(excluded.pnr_id, traveller.pnr_id) RETURNING identity_key, id",
}


_SOURCED = select(table_of(TravellerSource).c.id).where(  # built once: asked for every message
    table_of(TravellerSource).c.message_id == bindparam("message")).limit(1)


@dataclass(slots=True)
class Listed:
    """One traveller record of a message with the key it has on the flight."""

    record: TravellerRecord
    key: str
    id: int = 0


def upsert_travellers(session: Session, flight_id: int, listed: Sequence[Listed], message_id: int, *,
                      authoritative: bool, pnr_ids: Sequence[int | None] | None = None,
                      warnings: list[dict[str, Any]]) -> None:
    """Upsert travellers on (flight, identity key) with their persons, filling ``Listed.id``; a PNR fills gaps.

    One INSERT … ON CONFLICT DO UPDATE for all rows, in key order (one lock order for every worker), returning
    their ids on PostgreSQL (elsewhere one SELECT of them follows).
    """
    if not listed:
        return
    table = table_of(Traveller)
    first: dict[str, int] = {}
    for position, item in enumerate(listed):  # the same traveller twice in one message: the first says it
        first.setdefault(item.key, position)
    persons = resolve_persons(session, [listed[position].record for position in first.values()])
    rows = []
    now = utcnow()
    for (key, position), person in zip(first.items(), persons, strict=True):
        record = listed[position].record
        row = {name: getattr(record, name) for name in FIELDS}
        row.update(flight_id=flight_id, identity_key=key, role=record.role, bag_tags=list(record.bag_tags),
                   first_message_id=message_id, last_message_id=message_id, person_id=person,
                   pnr_id=pnr_ids[position] if pnr_ids else None, updated_at=now)
        rows.append(row)
    rows.sort(key=lambda row: row["identity_key"])
    fit_rows(table, rows, warnings)
    if on_postgresql(session):
        ids = dict(insert_bulk(session, table, rows, _ON_KEY_PG[authoritative]))
    else:
        ids = _upsert_elsewhere(session, table, flight_id, rows, authoritative=authoritative)
    for item in listed:
        item.id = ids[item.key]


def _upsert_elsewhere(session: Session, table: Table, flight_id: int, rows: list[dict[str, Any]], *,
                      authoritative: bool) -> dict[str, int]:
    """The upsert through SQLAlchemy (SQLite): executemany, then one SELECT of the ids by key."""
    statement = upsert(session, table)
    new, old = statement.excluded, table.c
    if authoritative:
        changes: dict[str, Any] = {name: func.coalesce(new[name], old[name]) for name in _MERGED}
        changes.update(role=new.role, bag_tags=new.bag_tags, last_message_id=new.last_message_id,
                       removed_at=null(), updated_at=new.updated_at)
    else:
        changes = {name: func.coalesce(old[name], new[name]) for name in _MERGED}
        changes["pnr_id"] = func.coalesce(new.pnr_id, old.pnr_id)
    insert_rows(session, statement.on_conflict_do_update(index_elements=["flight_id", "identity_key"],
                                                         set_=changes), rows)
    ids: dict[str, int] = {}
    keys = [row["identity_key"] for row in rows]
    for chunk in chunks(keys):
        ids.update((key, traveller_id) for key, traveller_id in session.execute(
            select(table.c.identity_key, table.c.id).where(table.c.flight_id == flight_id,
                                                             table.c.identity_key.in_(chunk))))
    return ids


def replace_documents(session: Session, listed: Sequence[Listed], warnings: list[dict[str, Any]]) -> None:
    """The documents of these travellers become exactly those the message lists."""
    table = table_of(Document)
    ids = [item.id for item in listed]
    for chunk in chunks(ids):
        session.execute(delete(table).where(table.c.traveller_id.in_(chunk)))
    rows = fit_rows(table, [
        {"traveller_id": item.id, "type": d.type or "", "number": d.number, "issuing_country": d.issuing_country,
         "expiry": d.expiry, "issue_date": d.issue_date, "nationality": d.nationality,
         "place_of_issue": d.place_of_issue}
        for item in listed for d in item.record.documents if d.number], warnings)
    unique = {(row["traveller_id"], row["type"], row["number"]): row for row in reversed(rows)}
    add_rows(session, {table: list(unique.values())})


def record_sources(session: Session, listed: Sequence[Listed], message_id: int,
                   extra: dict[str, Any] | None = None, *, again: bool) -> None:
    """One TravellerSource per traveller and message: the values as sent (a series loaded again says them anew).

    ``again``: the message may have been loaded before (``LoadContext.again``); only then can sources be there.
    """
    rows = []
    seen: set[int] = set()
    for item in listed:
        if item.id in seen:
            continue
        seen.add(item.id)
        fields = {name: value for name in SENT if (value := getattr(item.record, name)) not in (None, [], False)}
        rows.append({"traveller_id": item.id, "message_id": message_id, "fields": fields | (extra or {})})
    table = table_of(TravellerSource)
    if again and session.scalar(_SOURCED, {"message": message_id}) is not None:
        for chunk in chunks([row["traveller_id"] for row in rows]):  # a series loaded again
            session.execute(delete(table).where(table.c.message_id == message_id, table.c.traveller_id.in_(chunk)))
    add_rows(session, {table: rows})
