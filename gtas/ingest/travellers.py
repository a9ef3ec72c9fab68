"""Travellers on a flight, their documents, the persons they are, and which message said what about them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import delete, func, null, select
from sqlalchemy.orm import Session

from gtas.ingest.context import copy_rows, insert_rows, table_of, upsert
from gtas.ingest.keys import fit_rows
from gtas.ingest.persons import resolve_persons
from gtas.model import Document, Traveller, TravellerSource
from gtas.model.base import utcnow
from gtas.parsers.records import Traveller as TravellerRecord

FIELDS = ("surname", "given_names", "date_of_birth", "gender", "nationality", "residence_country", "birth_place",
          "birth_country", "embarkation", "debarkation", "seat", "bag_count", "bag_weight_kg", "record_locator",
          "reference", "verified")
CHUNK = 500


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

    One INSERT … ON CONFLICT DO UPDATE for all rows, in key order (one lock order for every worker), then one
    SELECT of their ids.
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
    statement = upsert(session, table)
    new, old = statement.excluded, table.c
    if authoritative:
        changes: dict[str, Any] = {name: func.coalesce(new[name], old[name]) for name in (*FIELDS, "person_id")}
        changes.update(role=new.role, bag_tags=new.bag_tags, last_message_id=new.last_message_id,
                       removed_at=null(), updated_at=new.updated_at)
    else:
        changes = {name: func.coalesce(old[name], new[name]) for name in (*FIELDS, "person_id")}
        changes["pnr_id"] = func.coalesce(new.pnr_id, old.pnr_id)
    insert_rows(session, statement.on_conflict_do_update(index_elements=["flight_id", "identity_key"],
                                                         set_=changes), rows)
    ids: dict[str, int] = {}
    keys = list(first)
    for start in range(0, len(keys), CHUNK):
        ids.update((key, traveller_id) for key, traveller_id in session.execute(
            select(table.c.identity_key, table.c.id).where(table.c.flight_id == flight_id,
                                                             table.c.identity_key.in_(keys[start:start + CHUNK]))))
    for item in listed:
        item.id = ids[item.key]


def replace_documents(session: Session, listed: Sequence[Listed], warnings: list[dict[str, Any]]) -> None:
    """The documents of these travellers become exactly those the message lists."""
    table = table_of(Document)
    ids = [item.id for item in listed]
    for start in range(0, len(ids), CHUNK):
        session.execute(delete(table).where(table.c.traveller_id.in_(ids[start:start + CHUNK])))
    rows = fit_rows(table, [
        {"traveller_id": item.id, "type": d.type or "", "number": d.number, "issuing_country": d.issuing_country,
         "expiry": d.expiry, "issue_date": d.issue_date, "nationality": d.nationality,
         "place_of_issue": d.place_of_issue}
        for item in listed for d in item.record.documents if d.number], warnings)
    unique = {(row["traveller_id"], row["type"], row["number"]): row for row in reversed(rows)}
    copy_rows(session, table, list(unique.values()))


def record_sources(session: Session, listed: Sequence[Listed], message_id: int,
                   extra: dict[str, Any] | None = None) -> None:
    """One TravellerSource per traveller and message: the values as sent (a series loaded again says them anew)."""
    rows = []
    seen: set[int] = set()
    for item in listed:
        if item.id in seen:
            continue
        seen.add(item.id)
        sent = orjson.loads(orjson.dumps(item.record))
        fields = {name: value for name, value in sent.items() if value not in (None, [], False)}
        rows.append({"traveller_id": item.id, "message_id": message_id, "fields": fields | (extra or {})})
    table = table_of(TravellerSource)
    for start in range(0, len(rows), CHUNK):
        session.execute(delete(table).where(table.c.message_id == message_id, table.c.traveller_id.in_(
            [row["traveller_id"] for row in rows[start:start + CHUNK]])))
    copy_rows(session, table, rows)
