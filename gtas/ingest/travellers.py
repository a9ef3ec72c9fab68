"""Travellers on a flight, their documents, the persons they are, and which message said what about them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, delete, func, select, update
from sqlalchemy.orm import Session

from gtas.db import dialect_insert
from gtas.ingest.context import table_of
from gtas.ingest.keys import fit_rows, person_keys
from gtas.model import Document, Person, PersonKey, Traveller, TravellerSource
from gtas.model.base import utcnow
from gtas.parsers.records import Traveller as TravellerRecord
from gtas.parsers.records import to_jsonable

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
    """Upsert travellers on (flight, identity key), filling ``Listed.id``; a PNR (not authoritative) fills gaps."""
    if not listed:
        return
    table = table_of(Traveller)
    rows = []
    seen: set[str] = set()
    for position, item in enumerate(listed):
        if item.key in seen:  # the same traveller twice in one message: the first says it
            continue
        seen.add(item.key)
        row = {name: getattr(item.record, name) for name in FIELDS}
        row.update(flight_id=flight_id, identity_key=item.key, role=item.record.role,
                   bag_tags=list(item.record.bag_tags), first_message_id=message_id, last_message_id=message_id,
                   pnr_id=pnr_ids[position] if pnr_ids else None)
        rows.append(row)
    fit_rows(table, rows, warnings)
    statement = dialect_insert(session.get_bind().dialect.name, table)
    new, old = statement.excluded, table.c
    if authoritative:
        changes: dict[str, Any] = {name: func.coalesce(new[name], old[name]) for name in FIELDS}
        changes.update(role=new.role, bag_tags=new.bag_tags, last_message_id=new.last_message_id,
                       removed_at=None, updated_at=utcnow())
    else:
        changes = {name: func.coalesce(old[name], new[name]) for name in FIELDS}
        changes["pnr_id"] = func.coalesce(new.pnr_id, old.pnr_id)
    for start in range(0, len(rows), CHUNK):
        session.execute(statement.on_conflict_do_update(index_elements=["flight_id", "identity_key"], set_=changes),
                        rows[start:start + CHUNK])
    ids: dict[str, int] = {}
    keys = [item.key for item in listed]
    for start in range(0, len(keys), CHUNK):
        ids.update(session.execute(select(table.c.identity_key, table.c.id).where(
            table.c.flight_id == flight_id, table.c.identity_key.in_(keys[start:start + CHUNK]))).all())
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
    if unique:
        session.execute(table.insert(), list(unique.values()))


def record_sources(session: Session, listed: Sequence[Listed], message_id: int,
                   extra: dict[str, Any] | None = None) -> None:
    """One TravellerSource per traveller and message: the values as sent."""
    rows = []
    seen: set[int] = set()
    for item in listed:
        if item.id in seen:
            continue
        seen.add(item.id)
        fields = {name: value for name, value in to_jsonable(item.record).items() if value not in (None, [], False)}
        rows.append({"traveller_id": item.id, "message_id": message_id, "fields": fields | (extra or {})})
    if rows:
        statement = dialect_insert(session.get_bind().dialect.name, table_of(TravellerSource))
        session.execute(statement.on_conflict_do_update(  # a series loaded again, now whole, says it anew
            index_elements=["traveller_id", "message_id"], set_={"fields": statement.excluded.fields}), rows)


def link_persons(session: Session, listed: Sequence[Listed]) -> None:
    """Link each traveller to his Person through PersonKey upserts; a traveller without a key stays unlinked."""
    wanted = {item.id: person_keys(item.record) for item in listed}
    found = _persons_of(session, {key for keys in wanted.values() for key in keys})
    slot_of: dict[tuple[str, str], int] = {}
    fresh: list[Listed] = []
    for item in listed:
        keys = wanted[item.id]
        if not keys or any(key in found for key in keys):
            continue
        slot = next((slot_of[key] for key in keys if key in slot_of), None)
        if slot is None:
            slot = len(fresh)
            fresh.append(item)
        for key in keys:
            slot_of.setdefault(key, slot)
    new_ids: list[int] = []
    if fresh:
        person_rows = [{"surname": i.record.surname, "given_names": i.record.given_names,
                        "date_of_birth": i.record.date_of_birth, "gender": i.record.gender,
                        "nationality": i.record.nationality} for i in fresh]
        fit_rows(table_of(Person), person_rows, [])
        new_ids = list(session.scalars(table_of(Person).insert().returning(table_of(Person).c.id,
                                                                          sort_by_parameter_order=True),
                                       person_rows))
    key_rows = []
    for item in listed:
        keys = wanted[item.id]
        owner = next((found[k] for k in keys if k in found), None)
        if owner is None:
            owner = next((new_ids[slot_of[k]] for k in keys if k in slot_of), None)
        key_rows += [{"kind": kind, "value": value, "person_id": owner} for kind, value in keys if owner]
    if key_rows:
        key_rows.sort(key=lambda row: (row["kind"], row["value"]))  # one lock order for every worker
        insert = dialect_insert(session.get_bind().dialect.name, table_of(PersonKey))
        session.execute(insert.on_conflict_do_nothing(index_elements=["kind", "value"]), key_rows)
    found = _persons_of(session, {key for keys in wanted.values() for key in keys})
    links = [{"traveller": item.id, "person": next(found[k] for k in wanted[item.id])}
             for item in listed if wanted[item.id]]
    table = table_of(Traveller)
    if links:
        session.execute(update(table).where(table.c.id == bindparam("traveller"))
                        .values(person_id=bindparam("person")), links)
    orphans = set(new_ids) - set(found.values())
    if orphans:  # another worker created the same person first
        session.execute(delete(table_of(Person)).where(table_of(Person).c.id.in_(orphans)))


def _persons_of(session: Session, keys: set[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """The person that owns each of these keys, when one does."""
    values = sorted({value for _, value in keys})
    found: dict[tuple[str, str], int] = {}
    for start in range(0, len(values), CHUNK):
        for kind, value, person_id in session.execute(select(PersonKey.kind, PersonKey.value, PersonKey.person_id)
                                                      .where(PersonKey.value.in_(values[start:start + CHUNK]))):
            found[(str(kind), value)] = person_id
    return {key: person for key, person in found.items() if key in keys}
