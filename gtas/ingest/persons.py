"""Persons: the same human across flights, found through his keys (document, or name + birth date + gender)."""

from __future__ import annotations

from collections.abc import Sequence

import orjson
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from gtas.ingest.context import chunks, insert_bulk, insert_rows, on_postgresql, select_arrays, table_of, upsert
from gtas.ingest.keys import fit_rows, person_keys
from gtas.model import Person, PersonKey, PersonKeyKind
from gtas.parsers.records import Traveller as TravellerRecord

Key = tuple[PersonKeyKind, str]


def resolve_persons(session: Session, records: Sequence[TravellerRecord]) -> list[int | None]:
    """The person of each record, created with its keys when none of them is known; None for a record without keys.

    Set-based: one SELECT for the known keys, one INSERT for the new persons, one INSERT … ON CONFLICT DO NOTHING
    of the new keys and one SELECT of the owners of keys another worker gave a person first (he wins; our unused
    person is deleted). On PostgreSQL the INSERT of the keys tells which it gave.
    """
    wanted = [person_keys(record) for record in records]
    owners = _owners(session, {key for keys in wanted for key in keys})
    slot_of: dict[Key, int] = {}
    fresh: list[TravellerRecord] = []
    for record, keys in zip(records, wanted, strict=True):
        if not keys or any(key in owners for key in keys):
            continue
        slot = next((slot_of[key] for key in keys if key in slot_of), None)
        if slot is None:
            slot = len(fresh)
            fresh.append(record)
        for key in keys:
            slot_of.setdefault(key, slot)
    new_ids = _create(session, fresh)
    new_keys: dict[Key, int] = {}
    for keys in wanted:
        owner = next((owners[key] for key in keys if key in owners), None)
        if owner is None:
            owner = next((new_ids[slot_of[key]] for key in keys if key in slot_of), None)
        for key in keys:
            if owner is not None and key not in owners:
                new_keys.setdefault(key, owner)
    if new_keys:
        claimed = _claim(session, new_keys)
        owners.update((key, new_keys[key]) for key in claimed)
        owners.update(_owners(session, set(new_keys) - claimed))
    orphans = set(new_ids) - set(owners.values())
    if orphans:  # another worker created the same person first
        session.execute(delete(table_of(Person)).where(table_of(Person).c.id.in_(sorted(orphans))))
    return [next((owners[key] for key in keys), None) for keys in wanted]


def _claim(session: Session, new_keys: dict[Key, int]) -> set[Key]:
    """Give each key its person unless another worker gave it one first; the keys given here (known on PostgreSQL)."""
    rows = [{"kind": kind, "value": value, "person_id": owner}
            for (kind, value), owner in sorted(new_keys.items())]  # one lock order for every worker
    table = table_of(PersonKey)
    if on_postgresql(session):
        return {(PersonKeyKind(kind), value) for kind, value in insert_bulk(
            session, table, rows, "ON CONFLICT (kind, value) DO NOTHING RETURNING kind, value")}
    insert_rows(session, upsert(session, table).on_conflict_do_nothing(index_elements=["kind", "value"]), rows)
    return set()


def _create(session: Session, records: list[TravellerRecord]) -> list[int]:
    """New persons from these records, their ids in the same order."""
    if not records:
        return []
    table = table_of(Person)
    rows = fit_rows(table, [{"surname": r.surname, "given_names": r.given_names, "date_of_birth": r.date_of_birth,
                             "gender": r.gender, "nationality": r.nationality} for r in records], [])
    if on_postgresql(session):  # ids come from a sequence in the rows' order
        return sorted(person_id for person_id, in insert_bulk(session, table, rows, "RETURNING id"))
    return list(session.scalars(table.insert().returning(table.c.id, sort_by_parameter_order=True), rows))


# One probe of the unique index per key, whatever the planner believes of the table: ``value = ANY(array)`` is
# planned from statistics, and without fresh ones (a table grown since its last ANALYZE, or autovacuum off) PostgreSQL
# reads every key of a kind and filters them, which grows with the table (10 ms per message at 120,000 keys, 1.5 ms
# probed). LIMIT 1 keeps the subquery a per-key lookup; (kind, value) is unique, so it drops nothing. The keys go as
# one JSON text, which orjson writes in C (psycopg quotes each element of a text array in Python).
_OWNERS_PG = ("SELECT wanted.kind, wanted.value, key.person_id FROM json_to_recordset(%s::json) "
              "AS wanted(kind text, value text) CROSS JOIN LATERAL (SELECT person_id FROM person_key "
              "WHERE kind = wanted.kind AND value = wanted.value LIMIT 1) AS key")


def _owners(session: Session, keys: set[Key]) -> dict[Key, int]:
    """The person that owns each of these keys, when one does (looked up on the unique index: kind, then value)."""
    if not keys:  # every new key was given here (the usual case): nothing to ask
        return {}
    wanted = sorted(keys)
    if on_postgresql(session):
        rows = select_arrays(session, _OWNERS_PG, [orjson.dumps([{"kind": kind, "value": value}
                                                                  for kind, value in wanted]).decode()])
        return {(PersonKeyKind(kind), value): person_id for kind, value, person_id in rows}
    values: dict[PersonKeyKind, list[str]] = {}
    for kind, value in wanted:
        values.setdefault(kind, []).append(value)
    found: dict[Key, int] = {}
    for kind, of_kind in values.items():
        found.update(((kind, value), person_id) for chunk in chunks(of_kind) for value, person_id in session.execute(
            select(PersonKey.value, PersonKey.person_id).where(PersonKey.kind == kind, PersonKey.value.in_(chunk))))
    return found
