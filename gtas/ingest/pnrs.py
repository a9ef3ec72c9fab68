"""PNR pushes (PNRGOV): bookings with immutable versions, their flights, current views and travellers.

A push mostly repeats bookings unchanged since the previous one: a PNR whose content (its digest) equals its current
version gets no new version, view or traveller rows, only a ``PnrPush`` saying this push carried it.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import orjson
from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from gtas.ingest.context import (
    LoadContext,
    add_rows,
    chunks,
    insert_bulk,
    insert_rows,
    on_postgresql,
    select_arrays,
    table_of,
    upsert,
)
from gtas.ingest.flights import prime_leg, update_counts, upsert_flight
from gtas.ingest.keys import fit_rows, identity_keys
from gtas.ingest.links import link_to_pnrs
from gtas.ingest.travellers import Listed, record_sources, upsert_travellers
from gtas.ingest.views import rewrite_views
from gtas.model import Flight, Pnr, PnrFlight, PnrFlightStatus, PnrPush, PnrVersion
from gtas.parsers.records import FlightLeg
from gtas.parsers.records import Message as PnrMessage
from gtas.parsers.records import Pnr as PnrRecord

EARLIEST = datetime(1, 1, 1)
# Built once (each runs for every push).
_VERSION, _PUSH, _ON = table_of(PnrVersion), table_of(PnrPush), table_of(PnrFlight)
_VERSIONED = select(_VERSION.c.pnr_id).where(_VERSION.c.message_id == bindparam("message"))
_NEWEST_PUSH = (select(_PUSH.c.pushed_at, _PUSH.c.message_id).where(_PUSH.c.flight_id == bindparam("flight"))
                .order_by(_PUSH.c.pushed_at.desc(), _PUSH.c.message_id.desc()).limit(1))
_CARRIED_BY = select(_PUSH.c.pnr_id).where(_PUSH.c.flight_id == bindparam("flight"),
                                           _PUSH.c.message_id == bindparam("message"),
                                           _PUSH.c.pushed_at == bindparam("at"))
_PUSHED = select(_PUSH.c.pnr_id).where(_PUSH.c.message_id == bindparam("message")).limit(1)
_ON_FLIGHT = select(_ON.c.pnr_id, _ON.c.status).where(_ON.c.flight_id == bindparam("flight"))

PnrKey = tuple[str, str, date]

# A push becomes a PNR's current version when it is newer: (last modified as sent, message id) orders them.
_NEWER_THAN_CURRENT = ("pnr.current_message_id IS NULL OR (coalesce(new.modified, '-infinity'), %(message)s) > "
                       "(coalesce(pnr.last_modified, '-infinity'), pnr.current_message_id)")
_MAKE_CURRENT_PG = ("UPDATE pnr SET last_modified = new.modified, current_message_id = %(message)s, "
                    "digest = new.digest, raw_digest = new.raw FROM json_to_recordset(%(rows)s::json) "
                    "AS new(pnr bigint, modified timestamp, digest text, raw text) "
                    f"WHERE pnr.id = new.pnr AND ({_NEWER_THAN_CURRENT}) RETURNING pnr.id")


@dataclass(slots=True)
class Booking:
    """One PNR of the push: its record, its content as JSON and the digest of that, and what loading it needs."""

    record: PnrRecord
    snapshot: bytes  # the content as JSON
    digest: str
    id: int = 0
    changed: bool = True  # differs from the current version (or is new)
    newest: bool = True  # becomes (or already is) the current version
    inserted: bool = False  # already current through this message (inserted by it, or a series loaded again)
    fresh: bool = False  # inserted by this load: nothing of it is stored yet
    raw_digest: str | None = None  # the stored one, of the text the current version was read from


def as_booking(pnr: PnrRecord) -> Booking:
    """A PNR with its content as JSON (without where it stood in the message and what the parser said about it)."""
    snapshot = orjson.dumps(dataclasses.replace(pnr, first_segment=None, raw_digest=None, warnings=[]))
    return Booking(pnr, snapshot, hashlib.sha256(snapshot).hexdigest())


def load_pnr_push(ctx: LoadContext, parsed: PnrMessage, *, complete: bool) -> None:
    """Load every PNR of a push: versions of the changed, the pushed flight and its travellers, current views.

    PNRs the parser was told were unchanged (``parsed.unchanged_pnrs``, ids in ``ctx.unchanged``) are only recorded
    as carried by this push.
    """
    session, message = ctx.session, ctx.message
    leg = prime_leg(parsed.flights, ctx.home_country)
    flight_id = upsert_flight(session, leg, ctx.home_country, message.id, ctx.warnings,
                              received=("pnr_received_at", message.received_at)) if leg else None
    if flight_id is not None:
        ctx.flights.add(flight_id)
    pushed_at = ctx.moment(parsed.prepared)
    fallback_day = leg.departure.date() if leg and leg.departure else pushed_at.date()
    records = _keyed(ctx, parsed.pnrs, parsed.flights[0].carrier if parsed.flights else None, fallback_day)
    unchanged = sorted({ctx.unchanged[digest] for digest in parsed.unchanged_pnrs})
    if not records and not unchanged:
        return
    bookings = _upsert_pnrs(session, records, message.id, ctx.warnings) if records else []
    changed = [b for b in bookings if b.changed]
    _add_versions(session, changed, message.id, flight_id, pushed_at, again=ctx.again)
    _make_current(session, [b for b in changed if b.newest and not b.inserted], message.id)
    _note_raw_digests(session, [b for b in bookings if not b.changed])
    travellers: dict[tuple[int, str], int] = {}
    if flight_id is not None:
        carried_before = _pnr_flights(session, flight_id, {b.id for b in bookings} | set(unchanged), message.id,
                                      pushed_at, complete=complete)
        travellers = _load_travellers(ctx, flight_id, [b for b in bookings
                                                       if b.changed or b.id not in carried_before])
    _record_pushes(session, [{"pnr_id": pnr_id, "message_id": message.id, "flight_id": flight_id,
                              "pushed_at": pushed_at} for pnr_id in sorted({b.id for b in bookings} | set(unchanged))],
                   again=ctx.again)
    current = {b.id: b.record for b in changed if b.newest}
    flights = _itinerary_flights(session, [leg for pnr in current.values() for leg in pnr.itinerary])
    rewrite_views(session, current, travellers, flights, ctx.warnings,
                  fresh={b.id for b in changed if b.fresh})
    if flight_id is not None:
        link_to_pnrs(session, flight_id)
        update_counts(session, flight_id)
    ctx.pnrs += len(bookings) + len(unchanged)


def _keyed(ctx: LoadContext, pnrs: list[PnrRecord], carrier: str | None,
           fallback_day: date) -> dict[PnrKey, PnrRecord]:
    """PNRs by their key (owner, locator, booking date); the first of a repeated key wins."""
    out: dict[PnrKey, PnrRecord] = {}
    for pnr in pnrs:
        if not pnr.record_locator:
            ctx.warn("a PNR without record locator was not loaded")
            continue
        key = ((pnr.carrier or carrier or "")[:3], pnr.record_locator[:16],
               pnr.created.date() if pnr.created else fallback_day)
        out.setdefault(key, pnr)
    return out


def _upsert_pnrs(session: Session, records: dict[PnrKey, PnrRecord], message_id: int,
                 warnings: list[dict[str, Any]]) -> list[Booking]:
    """Compare every PNR with its current version; insert the new ones (current from the start).

    One SELECT of the known PNRs, one INSERT … ON CONFLICT DO NOTHING of the others (in key order: one lock order
    for every worker), and one more SELECT for those another worker inserted first.
    """
    bookings = {key: as_booking(pnr) for key, pnr in records.items()}
    _compare(session, bookings, message_id, list(bookings))
    missing = sorted(key for key, booking in bookings.items() if not booking.id)
    rows = fit_rows(table_of(Pnr), [
        {"carrier": c, "record_locator": loc, "created_on": day, "created_at": bookings[c, loc, day].record.created,
         "last_modified": bookings[c, loc, day].record.last_modified, "current_message_id": message_id,
         "digest": bookings[c, loc, day].digest, "raw_digest": bookings[c, loc, day].record.raw_digest}
        for c, loc, day in missing], warnings)
    if not rows:
        inserted = []
    elif on_postgresql(session):
        inserted = insert_bulk(session, table_of(Pnr), rows, "ON CONFLICT (carrier, record_locator, created_on) "
                                 "DO NOTHING RETURNING id, carrier, record_locator, created_on")
    else:
        statement = upsert(session, table_of(Pnr)).on_conflict_do_nothing(
            index_elements=["carrier", "record_locator", "created_on"])
        inserted = [tuple(row) for row in session.execute(
            statement.returning(Pnr.id, Pnr.carrier, Pnr.record_locator, Pnr.created_on), rows)]
    for pnr_id, carrier, locator, day in inserted:
        booking = bookings[(carrier, locator, day)]
        booking.id, booking.inserted, booking.fresh = pnr_id, True, True
    _compare(session, bookings, message_id, [key for key in missing if not bookings[key].id])
    return list(bookings.values())


def _compare(session: Session, bookings: dict[PnrKey, Booking], message_id: int, keys: list[PnrKey]) -> None:
    """Find these stored PNRs (on the unique index: carrier, then locator) and compare them with the bookings."""
    if not keys:
        return
    carriers = sorted({carrier for carrier, _, _ in keys})
    locators = sorted({locator for _, locator, _ in keys})
    if on_postgresql(session):
        rows = select_arrays(session, "SELECT id, carrier, record_locator, created_on, last_modified, "
                             "current_message_id, digest, raw_digest FROM pnr "
                             "WHERE carrier = ANY(%s) AND record_locator = ANY(%s)", [carriers, locators])
    else:
        rows = [tuple(row) for chunk in chunks(locators) for row in session.execute(
            select(Pnr.id, Pnr.carrier, Pnr.record_locator, Pnr.created_on, Pnr.last_modified, Pnr.current_message_id,
                   Pnr.digest, Pnr.raw_digest).where(Pnr.carrier.in_(carriers), Pnr.record_locator.in_(chunk)))]
    for pnr_id, carrier, locator, day, last_modified, current_message, current_digest, raw_digest in rows:
        booking = bookings.get((carrier, locator, day))
        if booking is None:  # the same locator on another booking date
            continue
        booking.id, booking.raw_digest = pnr_id, raw_digest
        if current_message == message_id:  # a series loaded again: already current
            booking.inserted = True
            continue
        booking.changed = current_digest != booking.digest
        mine = (booking.record.last_modified or EARLIEST, message_id)
        booking.newest = booking.changed and (
            current_message is None or mine >= (last_modified or EARLIEST, current_message))


def _add_versions(session: Session, changed: list[Booking], message_id: int, flight_id: int | None,
                  pushed_at: datetime, *, again: bool) -> None:
    """A version for each changed PNR; a series loaded again keeps the versions it gave the first time."""
    already = set(session.scalars(_VERSIONED, {"message": message_id})) if again else set()
    add_rows(session, {table_of(PnrVersion): [
        {"pnr_id": b.id, "message_id": message_id, "flight_id": flight_id, "pushed_at": pushed_at,
         "last_modified": b.record.last_modified, "digest": b.digest,
         "snapshot": orjson.Fragment(b.snapshot)}
        for b in changed if b.id not in already]})


def _make_current(session: Session, bookings: list[Booking], message_id: int) -> None:
    """Make this push the current version of existing PNRs it is newest for (``Booking.newest`` says which it is).

    On PostgreSQL the order is checked again as each row is updated: a push for another flight carrying the same PNR
    may have made a newer version current since ``_compare`` read it (this UPDATE waits for that load's row lock,
    then sees its row). A booking that lost so keeps only its version; its current view stays the newer push's.
    SQLite's writers take turns, so what ``_compare`` read still holds there.
    """
    rows = [{"pnr": b.id, "modified": b.record.last_modified, "digest": b.digest, "raw": b.record.raw_digest}
            for b in sorted(bookings, key=lambda b: b.id)]  # one lock order for every worker
    if not rows:
        return
    if not on_postgresql(session):
        table = table_of(Pnr)
        session.execute(update(table).where(table.c.id == bindparam("pnr"), table.c.current_message_id != message_id)
                        .values(last_modified=bindparam("modified"), current_message_id=message_id,
                                digest=bindparam("digest"), raw_digest=bindparam("raw")), rows)
        return
    made = {pnr_id for pnr_id, in select_arrays(session, _MAKE_CURRENT_PG, {
        "message": message_id, "rows": orjson.dumps(rows).decode()})}
    for booking in bookings:
        booking.newest = booking.id in made


def _note_raw_digests(session: Session, unchanged: list[Booking]) -> None:
    """Bookings read again that proved unchanged, sent as other text than their current version (another release of
    the reader, another interchange's decimal mark …): this text is theirs now, so the next push skips them."""
    table = table_of(Pnr)
    rows = [{"pnr": b.id, "raw": b.record.raw_digest, "content": b.digest} for b in unchanged
            if b.record.raw_digest is not None and b.record.raw_digest != b.raw_digest]
    if rows:  # unless another push made other content current meanwhile
        session.execute(update(table).where(table.c.id == bindparam("pnr"), table.c.digest == bindparam("content"))
                        .values(raw_digest=bindparam("raw")), rows)


def _pnr_flights(session: Session, flight_id: int, pnr_ids: set[int], message_id: int, pushed_at: datetime, *,
                 complete: bool) -> set[int]:
    """Bookings on the flight: the newest complete push says which are active; the others are cancelled.

    Returns the PNRs already on the flight, which earlier pushes for it carried. Loads for one flight take turns
    (each holds the flight's row lock from ``upsert_flight`` on), so what is read here holds until the commit.
    """
    table = table_of(PnrFlight)
    stored: dict[int, PnrFlightStatus] = dict(session.execute(_ON_FLIGHT, {"flight": flight_id}).all())
    mine = (pushed_at, message_id)
    latest = session.execute(_NEWEST_PUSH, {"flight": flight_id}).first()
    newest = (latest.pushed_at, latest.message_id) if latest else mine
    insert = upsert(session, table)
    now = datetime.now(UTC)
    if mine >= newest:
        rows: list[dict[str, Any]] = [  # rows already active are left alone (not rewritten)
            {"pnr_id": p, "flight_id": flight_id, "status": PnrFlightStatus.ACTIVE, "cancelled_at": None}
            for p in sorted(pnr_ids) if stored.get(p) != PnrFlightStatus.ACTIVE]
        if on_postgresql(session):
            insert_bulk(session, table, rows, "ON CONFLICT (pnr_id, flight_id) DO UPDATE SET status = "
                          "excluded.status, cancelled_at = excluded.cancelled_at "
                          "WHERE pnr_flight.status <> excluded.status")
        else:
            insert_rows(session, insert.on_conflict_do_update(
                index_elements=["pnr_id", "flight_id"], where=table.c.status != insert.excluded.status,
                set_={"status": insert.excluded.status, "cancelled_at": insert.excluded.cancelled_at}), rows)
        gone = sorted(p for p, status in stored.items() if status == PnrFlightStatus.ACTIVE and p not in pnr_ids)
        for chunk in chunks(gone) if complete else []:
            session.execute(update(table).where(table.c.flight_id == flight_id, table.c.pnr_id.in_(chunk))
                            .values(status=PnrFlightStatus.CANCELLED, cancelled_at=now))
    else:
        still = set(session.scalars(_CARRIED_BY, {"flight": flight_id, "message": newest[1], "at": newest[0]}))
        rows = [{"pnr_id": p, "flight_id": flight_id,
                 "status": PnrFlightStatus.ACTIVE if p in still else PnrFlightStatus.CANCELLED,
                 "cancelled_at": None if p in still else now} for p in sorted(pnr_ids) if p not in stored]
        if on_postgresql(session):
            insert_bulk(session, table, rows, "ON CONFLICT DO NOTHING")
        else:
            insert_rows(session, insert.on_conflict_do_nothing(), rows)
    return set(stored)


def _record_pushes(session: Session, rows: list[dict[str, Any]], *, again: bool) -> None:
    """Say which push carried which PNRs (each pair once: a series loaded again adds nothing new)."""
    if not rows:
        return
    table = table_of(PnrPush)
    if not again or session.scalar(_PUSHED, {"message": rows[0]["message_id"]}) is None:
        add_rows(session, {table: rows})  # the push's first load: no pair can be there yet
    elif on_postgresql(session):
        insert_bulk(session, table, rows, "ON CONFLICT DO NOTHING")
    else:
        insert_rows(session, upsert(session, table).on_conflict_do_nothing(), rows)


def _load_travellers(ctx: LoadContext, flight_id: int, bookings: list[Booking]) -> dict[tuple[int, str], int]:
    """PNR travellers as travellers of the pushed flight (gaps filled; API data wins); refs → traveller ids."""
    listed: list[Listed] = []
    owners: list[int | None] = []
    refs: list[tuple[int, str]] = []
    for booking in bookings:
        pnr = booking.record
        for traveller in pnr.travellers:
            if traveller.record_locator is None:
                traveller.record_locator = pnr.record_locator
        for traveller, key in zip(pnr.travellers, identity_keys(pnr.travellers), strict=True):
            listed.append(Listed(traveller, key))
            owners.append(booking.id)
            refs.append((booking.id, traveller.reference or ""))
    upsert_travellers(ctx.session, flight_id, listed, ctx.message.id, authoritative=False, pnr_ids=owners,
                      warnings=ctx.warnings)
    record_sources(ctx.session, listed, ctx.message.id, again=ctx.again)
    ctx.travellers += len(listed)
    return {ref: item.id for ref, item in zip(refs, listed, strict=True)}


def _itinerary_flights(session: Session, legs: list[FlightLeg]) -> dict[tuple[str, str, str, str], int]:
    """Known flights of itinerary legs, by carrier, number, origin and destination (same departure date)."""
    wanted = {(leg.carrier, leg.number, leg.origin, leg.destination, leg.departure.date())
              for leg in legs if leg.carrier and leg.number and leg.origin and leg.destination and leg.departure}
    if not wanted:
        return {}
    out: dict[tuple[str, str, str, str], int] = {}
    rows = session.execute(select(Flight.id, Flight.carrier, Flight.number, Flight.origin, Flight.destination,
                                  Flight.departure_date)
                           .where(Flight.departure_date.in_(sorted({key[4] for key in wanted})),
                                  Flight.carrier.in_(sorted({str(key[0]) for key in wanted}))))
    for flight_id, carrier, number, origin, destination, day in rows:
        if (carrier, number, origin, destination, day) in wanted:
            out[(carrier, number, origin, destination)] = flight_id
    return out
