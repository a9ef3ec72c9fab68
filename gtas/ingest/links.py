"""Links between API travellers and the bookings (PNRs) on the same flight."""

from __future__ import annotations

from sqlalchemy import BindParameter, and_, bindparam, select, update
from sqlalchemy.orm import Session, aliased

from gtas.model import Pnr, PnrFlight, Traveller

_BOOKED = aliased(Traveller)
_FLIGHT: BindParameter[int] = bindparam("flight")
# Built once: the statements are the same for every flight (loading runs them after every message).
_BY_LOCATOR = update(Traveller).where(
    Traveller.flight_id == _FLIGHT, Traveller.pnr_id.is_(None), Traveller.record_locator.is_not(None)).values(
    pnr_id=select(Pnr.id).join(PnrFlight, PnrFlight.pnr_id == Pnr.id)
    .where(PnrFlight.flight_id == _FLIGHT, Pnr.record_locator == Traveller.record_locator)
    .order_by(Pnr.id).limit(1).scalar_subquery())
_BY_NAME = update(Traveller).where(
    Traveller.flight_id == _FLIGHT, Traveller.pnr_id.is_(None), Traveller.date_of_birth.is_not(None)).values(
    pnr_id=select(_BOOKED.pnr_id).where(and_(
        _BOOKED.flight_id == _FLIGHT, _BOOKED.pnr_id.is_not(None), _BOOKED.id != Traveller.id,
        _BOOKED.surname == Traveller.surname, _BOOKED.given_names == Traveller.given_names,
        _BOOKED.date_of_birth == Traveller.date_of_birth))
    .order_by(_BOOKED.pnr_id).limit(1).scalar_subquery())


def link_to_pnrs(session: Session, flight_id: int) -> None:
    """Give unlinked travellers of a flight their PNR: by record locator (RFF AVF), else by name + date of birth."""
    for statement in (_BY_LOCATOR, _BY_NAME):
        session.execute(statement, {"flight": flight_id}, execution_options={"synchronize_session": False})
