"""Links between API travellers and the bookings (PNRs) on the same flight."""

from __future__ import annotations

from sqlalchemy import and_, select, update
from sqlalchemy.orm import Session, aliased

from gtas.model import Pnr, PnrFlight, Traveller


def link_to_pnrs(session: Session, flight_id: int) -> None:
    """Give unlinked travellers of a flight their PNR: by record locator (RFF AVF), else by name + date of birth."""
    by_locator = (
        select(Pnr.id).join(PnrFlight, PnrFlight.pnr_id == Pnr.id)
        .where(PnrFlight.flight_id == flight_id, Pnr.record_locator == Traveller.record_locator)
        .order_by(Pnr.id).limit(1).scalar_subquery())
    session.execute(update(Traveller).where(
        Traveller.flight_id == flight_id, Traveller.pnr_id.is_(None), Traveller.record_locator.is_not(None))
        .values(pnr_id=by_locator), execution_options={"synchronize_session": False})
    booked = aliased(Traveller)
    by_name = (
        select(booked.pnr_id).where(and_(
            booked.flight_id == flight_id, booked.pnr_id.is_not(None), booked.id != Traveller.id,
            booked.surname == Traveller.surname, booked.given_names == Traveller.given_names,
            booked.date_of_birth == Traveller.date_of_birth))
        .order_by(booked.pnr_id).limit(1).scalar_subquery())
    session.execute(update(Traveller).where(
        Traveller.flight_id == flight_id, Traveller.pnr_id.is_(None), Traveller.date_of_birth.is_not(None))
        .values(pnr_id=by_name), execution_options={"synchronize_session": False})
