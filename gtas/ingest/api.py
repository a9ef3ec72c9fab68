"""API lists (PAXLST): travellers on the reported flight, superseding older lists, close-outs, PNR links."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from gtas.ingest.context import LoadContext, LoadError, table_of
from gtas.ingest.flights import prime_leg, update_counts, upsert_flight
from gtas.ingest.keys import identity_keys
from gtas.ingest.links import link_to_pnrs
from gtas.ingest.travellers import Listed, record_sources, replace_documents, upsert_travellers
from gtas.model import FlightMessage, Message, Traveller, TravellerSource
from gtas.parsers.records import Message as ApiMessage

CLOSE_OUT_ON_BOARD = {"CLOB"}
CLOSE_OUT_NOT_ON_BOARD = {"CLNB"}
CLOSE_OUT_CODES = {"266"}


def list_kind(parsed: ApiMessage) -> str:
    """Which manifest a list belongs to: ``crew`` or ``passenger``."""
    return "crew" if parsed.list_type == "crew" else "passenger"


def boarded_flag(parsed: ApiMessage) -> bool | None:
    """True for a close-out list of those on board, False for those not on board, None otherwise."""
    if parsed.list_function in CLOSE_OUT_NOT_ON_BOARD:
        return False
    if parsed.list_function in CLOSE_OUT_ON_BOARD or parsed.list_code in CLOSE_OUT_CODES:
        return True
    return None


def load_api_list(ctx: LoadContext, parsed: ApiMessage, *, complete: bool) -> None:
    """Load one API list (or an assembled multi-part series) for its prime flight."""
    session, message = ctx.session, ctx.message
    leg = prime_leg(parsed.flights, ctx.home_country)
    if leg is None:
        raise LoadError("no flight leg with departure airport, arrival airport and departure date to load onto")
    flight_id = upsert_flight(session, leg, ctx.home_country, message.id, ctx.warnings,
                                     received=("api_received_at", message.received_at))
    ctx.flights.add(flight_id)
    kind, boarded = list_kind(parsed), boarded_flag(parsed)
    supersedes = complete and boarded is None
    moment = (ctx.moment(parsed.prepared).isoformat(), message.id)
    listed = [Listed(t, key) for t, key in zip(parsed.travellers, identity_keys(parsed.travellers), strict=True)]
    history = _api_history(session, flight_id, kind)
    stale = _stale(session, flight_id, listed, history, moment) if history.last else []
    current = [i for i in listed if i not in stale]
    upsert_travellers(session, flight_id, current, message.id, authoritative=True, warnings=ctx.warnings)
    upsert_travellers(session, flight_id, stale, message.id, authoritative=False, warnings=ctx.warnings)
    replace_documents(session, current, ctx.warnings)
    meta = {"list": {"at": moment[0], "kind": kind, "complete": supersedes}}
    record_sources(session, listed, message.id, meta, again=ctx.again)
    travellers = table_of(Traveller)
    if boarded is not None and listed:
        session.execute(update(travellers).where(travellers.c.id.in_([i.id for i in listed])).values(boarded=boarded))
    if supersedes and (history.newest_complete is None or moment >= history.newest_complete):
        keep = {i.id for i in listed}
        gone = [tid for tid in history.last if tid not in keep]
        if gone:
            session.execute(update(travellers).where(travellers.c.id.in_(gone), travellers.c.removed_at.is_(None))
                            .values(removed_at=datetime.now(UTC)))
    link_to_pnrs(session, flight_id)
    update_counts(session, flight_id)
    ctx.travellers += len(listed)


class _History:
    """The API lists of one kind already loaded for a flight: each traveller's latest, and the newest complete."""

    def __init__(self) -> None:
        self.last: dict[int, tuple[str, int]] = {}
        self.newest_complete: tuple[str, int] | None = None


_MESSAGE, _FLIGHT_MESSAGE, _SOURCE = table_of(Message), table_of(FlightMessage), table_of(TravellerSource)
_LISTS = (select(_MESSAGE.c.id).join(_FLIGHT_MESSAGE, _FLIGHT_MESSAGE.c.message_id == _MESSAGE.c.id)
          .where(_FLIGHT_MESSAGE.c.flight_id == bindparam("flight"), _MESSAGE.c.type == "PAXLST"))
_LISTED = (select(_SOURCE.c.traveller_id, _SOURCE.c.message_id, _SOURCE.c.fields["list"])  # built once
           .where(_SOURCE.c.message_id.in_(_LISTS)))


def _api_history(session: Session, flight_id: int, kind: str) -> _History:
    history = _History()
    for traveller_id, message_id, listing in session.execute(_LISTED, {"flight": flight_id}):
        meta: dict[str, Any] = listing or {}
        if meta.get("kind") != kind:
            continue
        moment = (str(meta.get("at")), message_id)
        history.last[traveller_id] = max(history.last.get(traveller_id, moment), moment)
        if meta.get("complete") and (history.newest_complete is None or moment > history.newest_complete):
            history.newest_complete = moment
    return history


def _stale(session: Session, flight_id: int, listed: list[Listed], history: _History,
           moment: tuple[str, int]) -> list[Listed]:
    """The travellers a newer list already named: this (older) list only fills their gaps."""
    existing = {key: traveller_id for key, traveller_id in session.execute(select(Traveller.identity_key, Traveller.id)
                .where(Traveller.flight_id == flight_id, Traveller.identity_key.in_([i.key for i in listed])))}
    return [i for i in listed if i.key in existing and history.last.get(existing[i.key], moment) > moment]
