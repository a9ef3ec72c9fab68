"""Working on hits: claim, assign, release (hand over), decide (disposition), and record what an inspection found.

Services take a Session and the acting user, refuse with ``DecisionError`` (what to do instead), flush and never
commit; the views audit and commit.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from enum import StrEnum
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from gtas.days import day_end
from gtas.model import (
    Disposition,
    DispositionKind,
    Hit,
    HitStatus,
    HitWork,
    Outcome,
    OutcomeKind,
    SeizureKind,
    Traveller,
    User,
    UserRole,
)
from gtas.rules.suppression import SuppressionError, suppress

NOTES_LENGTH = 4000
WORKERS = (UserRole.OFFICER, UserRole.SUPERVISOR)
E = TypeVar("E", bound=StrEnum)


class DecisionError(ValueError):
    """The action cannot be done (and why, in words for the officer)."""


def choose(enum: type[E], text: str, what: str) -> E:
    """The member of ``enum`` a form value names, or a DecisionError naming the choices."""
    try:
        return enum(text.strip())
    except ValueError:
        raise DecisionError(f"choose the {what} among {', '.join(m.value for m in enum)}") from None


def work_of(session: Session, hit: Hit) -> HitWork:
    """The hit's work state, added empty when nobody has worked on it yet."""
    work = session.get(HitWork, hit.id)
    if work is None:
        work = HitWork(hit_id=hit.id)
        session.add(work)
    return work


def claim(session: Session, hit: Hit, user: User, now: datetime) -> HitWork:
    """Take the hit: refused while another officer holds it."""
    _must_be_open(hit)
    work = work_of(session, hit)
    if work.claimed_by not in (None, user.id):
        raise DecisionError(f"{_name(session, work.claimed_by)} holds this hit; ask them or a supervisor to release it")
    work.claimed_by, work.claimed_at = user.id, now
    session.flush()
    return work


def assign(session: Session, hit: Hit, assignee: User, by: User, now: datetime) -> HitWork:
    """A supervisor gives the hit to an officer (who holds it from now on)."""
    _must_be_open(hit)
    if not assignee.enabled or not assignee.has_role(*WORKERS):
        raise DecisionError(f"{assignee.username} cannot work on hits (needs the officer or supervisor role)")
    work = work_of(session, hit)
    work.assigned_to, work.assigned_by, work.assigned_at = assignee.id, by.id, now
    work.claimed_by, work.claimed_at = assignee.id, now
    session.flush()
    return work


def release(session: Session, hit: Hit, user: User) -> HitWork:
    """Hand the hit back to the queue: by the officer who holds it, or by a supervisor."""
    work = work_of(session, hit)
    if work.claimed_by is None:
        raise DecisionError("nobody holds this hit")
    if work.claimed_by != user.id and not user.has_role(UserRole.SUPERVISOR):
        raise DecisionError(f"{_name(session, work.claimed_by)} holds this hit; only they or a supervisor can "
                            "release it")
    work.claimed_by = work.claimed_at = work.assigned_to = work.assigned_by = work.assigned_at = None
    session.flush()
    return work


def dispose(session: Session, hit: Hit, kind: DispositionKind, notes: str, user: User, now: datetime, *,
            suppress_until: datetime | None = None, suppress_reason: str = "") -> Disposition:
    """Record a decision about an open hit; "cleared" with an end date also suppresses the cause for the person
    until then (the hit is withdrawn)."""
    _must_be_open(hit)
    notes = _notes(notes)
    suppression = None
    if suppress_until is not None:
        if kind is not DispositionKind.CLEARED:
            raise DecisionError("only a cleared hit can be suppressed; choose \"cleared\" or leave the end date empty")
        try:
            suppression = suppress(session, hit, until=suppress_until, reason=suppress_reason or notes,
                                   by=user.username, now=now)
        except SuppressionError as exc:
            raise DecisionError(str(exc)) from exc
    disposition = Disposition(hit_id=hit.id, kind=kind, notes=notes, user_id=user.id, decided_at=now,
                              suppression_id=suppression.id if suppression is not None else None)
    session.add(disposition)
    session.flush()
    return disposition


def record_outcome(session: Session, traveller: Traveller, kind: OutcomeKind, seizure: SeizureKind | None,
                   notes: str, user: User, now: datetime) -> Outcome:
    """Record what the inspection of the traveller found; a seizure names what was seized, nothing else does."""
    if kind is OutcomeKind.SEIZURE and seizure is None:
        raise DecisionError("say what was seized")
    if kind is not OutcomeKind.SEIZURE and seizure is not None:
        raise DecisionError("a kind of seizure goes only with the outcome \"seizure\"")
    outcome = Outcome(traveller_id=traveller.id, kind=kind, seizure=seizure, notes=_notes(notes), user_id=user.id,
                      recorded_at=now)
    session.add(outcome)
    session.flush()
    return outcome


def dispositions(session: Session, hit_ids: Iterable[int]) -> dict[int, list[Disposition]]:
    """Each hit's dispositions, oldest first (the last is the hit's state)."""
    found: dict[int, list[Disposition]] = {}
    ids = list(hit_ids)
    if ids:
        for disposition in session.scalars(select(Disposition).where(Disposition.hit_id.in_(ids))
                                           .order_by(Disposition.decided_at, Disposition.id)):
            found.setdefault(disposition.hit_id, []).append(disposition)
    return found


def workers(session: Session) -> list[User]:
    """The enabled users a supervisor may assign hits to, by name."""
    users = session.scalars(select(User).where(User.enabled.is_(True)).order_by(User.display_name, User.username))
    return [user for user in users if user.has_role(*WORKERS)]


def _must_be_open(hit: Hit) -> None:
    if hit.status != HitStatus.OPEN:
        raise DecisionError(f"this hit was withdrawn ({hit.withdrawn_reason}); there is nothing left to decide")


def _notes(text: str) -> str:
    notes = text.strip()
    if len(notes) > NOTES_LENGTH:
        raise DecisionError(f"notes may be at most {NOTES_LENGTH} characters, not {len(notes)}")
    return notes


def _name(session: Session, user_id: int | None) -> str:
    user = session.get(User, user_id) if user_id is not None else None
    return user.display_name if user is not None else "another officer"


def suppression_end(text: str) -> datetime | None:
    """The end (UTC) of the day a date field names, None when empty."""
    text = text.strip()
    if not text:
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise DecisionError(f"the end of the suppression must be a date like 2030-01-31, not {text[:20]!r}") from None
    return day_end(day)

