"""Links between API travellers and the bookings (PNRs) on the same flight."""

from __future__ import annotations

from sqlalchemy import BindParameter, and_, bindparam, select, update
from sqlalchemy.orm import Session

from gtas.ingest.context import table_of
from gtas.model import Pnr, PnrFlight, Traveller

_TRAVELLER, _PNR, _PNR_FLIGHT = table_of(Traveller), table_of(Pnr), table_of(PnrFlight)
_BOOKED = _TRAVELLER.alias("booked")
_FLIGHT: BindParameter[int] = bindparam("flight")
# Built once on the Core tables: the statements are the same for every flight (loading runs them after every
# message), and Core skips the ORM's bulk-update bookkeeping.
_BY_LOCATOR = update(_TRAVELLER).where(
    _TRAVELLER.c.flight_id == _FLIGHT, _TRAVELLER.c.pnr_id.is_(None), _TRAVELLER.c.record_locator.is_not(None)).values(
    pnr_id=select(_PNR.c.id).join(_PNR_FLIGHT, _PNR_FLIGHT.c.pnr_id == _PNR.c.id)
    .where(_PNR_FLIGHT.c.flight_id == _FLIGHT, _PNR.c.record_locator == _TRAVELLER.c.record_locator)
    .order_by(_PNR.c.id).limit(1).scalar_subquery())
_BY_NAME = update(_TRAVELLER).where(
    _TRAVELLER.c.flight_id == _FLIGHT, _TRAVELLER.c.pnr_id.is_(None), _TRAVELLER.c.date_of_birth.is_not(None)).values(
    pnr_id=select(_BOOKED.c.pnr_id).where(and_(
        _BOOKED.c.flight_id == _FLIGHT, _BOOKED.c.pnr_id.is_not(None), _BOOKED.c.id != _TRAVELLER.c.id,
        _BOOKED.c.surname == _TRAVELLER.c.surname, _BOOKED.c.given_names == _TRAVELLER.c.given_names,
        _BOOKED.c.date_of_birth == _TRAVELLER.c.date_of_birth))
    .order_by(_BOOKED.c.pnr_id).limit(1).scalar_subquery())


def link_to_pnrs(session: Session, flight_id: int) -> None:
    """Give unlinked travellers of a flight their PNR: by record locator (RFF AVF), else by name + date of birth."""
    for statement in (_BY_LOCATOR, _BY_NAME):
        session.execute(statement, {"flight": flight_id})
