"""Clearing a person: an officer suppresses one cause (a rule, an entry, a link) for one person for a period, with
the reason; the hit is withdrawn at once and that cause raises no hit for the person until the period ends."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from gtas.model import Hit, HitSuppression, Traveller
from gtas.model.base import utcnow
from gtas.rules.assessment import assess_travellers


class SuppressionError(ValueError):
    """The suppression cannot be recorded (and why)."""


def suppress(session: Session, hit: Hit, *, until: datetime, reason: str, by: str,
             now: datetime | None = None) -> HitSuppression:
    """Suppress a hit's cause for the traveller's person until ``until``; the hit is withdrawn. Flushes only."""
    now = now or utcnow()
    traveller = session.get_one(Traveller, hit.traveller_id)
    if traveller.person_id is None:
        raise SuppressionError("this traveller is not linked to a person yet; dispose of the hit instead")
    if until <= now:
        raise SuppressionError("a suppression must end in the future")
    if not reason.strip():
        raise SuppressionError("say why this person is cleared")
    suppression = HitSuppression(person_id=traveller.person_id, cause_key=hit.cause_key, until=until,
                                 reason=reason.strip(), created_by=by, created_at=now)
    session.add(suppression)
    session.flush()
    assess_travellers(session, [traveller.id], now=now)
    return suppression
