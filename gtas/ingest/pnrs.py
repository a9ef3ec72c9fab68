"""PNR pushes (PNRGOV): bookings with immutable versions, their flights, current views and travellers."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from gtas.db import dialect_insert
from gtas.ingest.context import LoadContext, table_of
from gtas.ingest.flights import prime_leg, update_counts, upsert_flight
from gtas.ingest.keys import fit_rows, identity_keys
from gtas.ingest.links import link_to_pnrs
from gtas.ingest.travellers import Listed, link_persons, record_sources, upsert_travellers
from gtas.ingest.views import rewrite_views
from gtas.model import Flight, Pnr, PnrFlight, PnrFlightStatus, PnrVersion
from gtas.parsers.records import FlightLeg, to_jsonable
from gtas.parsers.records import Message as PnrMessage
from gtas.parsers.records import Pnr as PnrRecord

EARLIEST = datetime(1, 1, 1)


def load_pnr_push(ctx: LoadContext, parsed: PnrMessage, *, complete: bool) -> None:
    """Load every PNR of a push: versions, the pushed flight and its travellers, current views of the newest."""
    session, message = ctx.session, ctx.message
    leg = prime_leg(parsed.flights, ctx.home_country)
    flight_id = upsert_flight(session, leg, ctx.home_country, message.id, ctx.warnings,
                                          received=("pnr_received_at", message.received_at)) if leg else None
    if flight_id is not None:
        ctx.flights.add(flight_id)
    pushed_at = ctx.moment(parsed.prepared)
    fallback_day = leg.departure.date() if leg and leg.departure else pushed_at.date()
    records = _keyed(ctx, parsed.pnrs, parsed.flights[0].carrier if parsed.flights else None, fallback_day)
    if not records:
        return
    pnr_ids = _upsert_pnrs(session, records, ctx.warnings)
    by_id = {pnr_ids[key]: pnr for key, pnr in records.items()}
    versions = [{"pnr_id": pnr_id, "message_id": message.id, "flight_id": flight_id, "pushed_at": pushed_at,
                 "last_modified": pnr.last_modified, "snapshot": to_jsonable(pnr)} for pnr_id, pnr in by_id.items()]
    session.execute(dialect_insert(session.get_bind().dialect.name, table_of(PnrVersion))
                    .on_conflict_do_nothing(index_elements=["pnr_id", "message_id"]), versions)
    newest = _make_current(session, by_id, message.id)
    travellers: dict[tuple[int, str], int] = {}
    if flight_id is not None:
        _pnr_flights(session, flight_id, set(by_id), message.id, pushed_at, complete=complete)
        travellers = _load_travellers(ctx, flight_id, by_id)
    flights = _itinerary_flights(session, [leg for pnr_id in newest for leg in by_id[pnr_id].itinerary])
    rewrite_views(session, {pnr_id: by_id[pnr_id] for pnr_id in newest}, travellers, flights, ctx.warnings)
    if flight_id is not None:
        link_to_pnrs(session, flight_id)
        update_counts(session, flight_id)
    ctx.pnrs += len(by_id)


def _keyed(ctx: LoadContext, pnrs: list[PnrRecord], carrier: str | None,
           fallback_day: date) -> dict[tuple[str, str, date], PnrRecord]:
    """PNRs by their key (owner, locator, booking date); the first of a repeated key wins."""
    out: dict[tuple[str, str, date], PnrRecord] = {}
    for pnr in pnrs:
        if not pnr.record_locator:
            ctx.warn("a PNR without record locator was not loaded")
            continue
        key = ((pnr.carrier or carrier or "")[:3], pnr.record_locator[:16],
               pnr.created.date() if pnr.created else fallback_day)
        out.setdefault(key, pnr)
    return out


def _upsert_pnrs(session: Session, records: dict[tuple[str, str, date], PnrRecord],
                 warnings: list[dict[str, Any]]) -> dict[tuple[str, str, date], int]:
    rows = [{"carrier": c, "record_locator": loc, "created_on": day, "created_at": pnr.created}
            for (c, loc, day), pnr in sorted(records.items())]  # one lock order for every worker
    fit_rows(table_of(Pnr), rows, warnings)
    insert = dialect_insert(session.get_bind().dialect.name, table_of(Pnr))
    session.execute(insert.on_conflict_do_nothing(index_elements=["carrier", "record_locator", "created_on"]), rows)
    locators = sorted({loc for _, loc, _ in records})
    ids: dict[tuple[str, str, date], int] = {}
    for start in range(0, len(locators), 500):
        for pnr_id, carrier, locator, day in session.execute(
                select(Pnr.id, Pnr.carrier, Pnr.record_locator, Pnr.created_on)
                .where(Pnr.record_locator.in_(locators[start:start + 500]))):
            if (carrier, locator, day) in records:
                ids[(carrier, locator, day)] = pnr_id
    return ids


def _make_current(session: Session, by_id: dict[int, PnrRecord], message_id: int) -> list[int]:
    """Make this push the current version of each PNR it is newest for (last modified, then received order)."""
    newest = []
    current = session.execute(select(Pnr.id, Pnr.last_modified, Pnr.current_message_id)
                              .where(Pnr.id.in_(list(by_id)))).all()
    for pnr_id, last_modified, current_message in current:
        mine = (by_id[pnr_id].last_modified or EARLIEST, message_id)
        if current_message is None or mine >= (last_modified or EARLIEST, current_message):
            newest.append(pnr_id)
    if newest:
        session.execute(update(table_of(Pnr)).where(table_of(Pnr).c.id == bindparam("pnr"))
                        .values(last_modified=bindparam("modified"), current_message_id=message_id),
                        [{"pnr": i, "modified": by_id[i].last_modified} for i in newest])
    return newest


def _pnr_flights(session: Session, flight_id: int, pnr_ids: set[int], message_id: int, pushed_at: datetime, *,
                 complete: bool) -> None:
    """Bookings on the flight: the newest complete push says which are active; the others are cancelled."""
    pushes = session.execute(select(PnrVersion.pushed_at, PnrVersion.message_id, PnrVersion.pnr_id)
                             .where(PnrVersion.flight_id == flight_id)).all()
    members: dict[tuple[datetime, int], set[int]] = {}
    for at, mid, pnr_id in pushes:
        members.setdefault((at, mid), set()).add(pnr_id)
    mine = (pushed_at, message_id)
    newest = max(members, default=mine)
    table = table_of(PnrFlight)
    insert = dialect_insert(session.get_bind().dialect.name, table)
    now = datetime.now(UTC)
    if mine >= newest:
        active = [{"pnr_id": p, "flight_id": flight_id, "status": PnrFlightStatus.ACTIVE} for p in sorted(pnr_ids)]
        session.execute(insert.on_conflict_do_update(index_elements=["pnr_id", "flight_id"], set_={
            "status": PnrFlightStatus.ACTIVE, "cancelled_at": None}), active)
        if complete:
            session.execute(update(table).where(table.c.flight_id == flight_id, table.c.pnr_id.not_in(pnr_ids),
                                                table.c.status == PnrFlightStatus.ACTIVE)
                            .values(status=PnrFlightStatus.CANCELLED, cancelled_at=now))
    else:
        still = members.get(newest, set())
        rows = [{"pnr_id": p, "flight_id": flight_id,
                 "status": PnrFlightStatus.ACTIVE if p in still else PnrFlightStatus.CANCELLED,
                 "cancelled_at": None if p in still else now} for p in sorted(pnr_ids)]
        session.execute(insert.on_conflict_do_nothing(), rows)


def _load_travellers(ctx: LoadContext, flight_id: int, by_id: dict[int, PnrRecord]) -> dict[tuple[int, str], int]:
    """PNR travellers as travellers of the pushed flight (gaps filled; API data wins); refs → traveller ids."""
    listed: list[Listed] = []
    owners: list[int | None] = []
    refs: list[tuple[int, str]] = []
    for pnr_id, pnr in by_id.items():
        for traveller in pnr.travellers:
            if traveller.record_locator is None:
                traveller.record_locator = pnr.record_locator
        for traveller, key in zip(pnr.travellers, identity_keys(pnr.travellers), strict=True):
            listed.append(Listed(traveller, key))
            owners.append(pnr_id)
            refs.append((pnr_id, traveller.reference or ""))
    upsert_travellers(ctx.session, flight_id, listed, ctx.message.id, authoritative=False, pnr_ids=owners,
                      warnings=ctx.warnings)
    link_persons(ctx.session, listed)
    record_sources(ctx.session, listed, ctx.message.id)
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
