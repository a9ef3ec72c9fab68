"""Re-screening after a rule or watchlist change: every traveller whose flight has not yet arrived (and those of the
last hours) is assessed again, in batches, each batch committed with the run's progress so a restart resumes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import Select, func, insert, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from gtas import config
from gtas.model import Flight, Hit, HitStatus, Rescreen, RescreenEffect, RescreenHit, Traveller
from gtas.model.base import utcnow


def request_rescreen(session: Session, reason: str, *, by: str | None = None) -> Rescreen:
    """Ask for a re-screening (run in the background by ``run_rescreens``). Flushes, never commits."""
    run = Rescreen(reason=reason[:2000], requested_by=by)
    session.add(run)
    session.flush()
    return run


def run_rescreens(sessions: sessionmaker[Session], *, now: datetime | None = None, batch: int = 500,
                  max_batches: int | None = None) -> int:
    """Work through the waiting runs, oldest first; returns how many travellers were assessed."""
    from gtas.rules.assessment import assess_travellers  # assessment imports watchlists, which request re-screens
    assessed = 0
    batches = 0
    while max_batches is None or batches < max_batches:
        with sessions.begin() as session:
            run = _next_run(session, now or utcnow())
            if run is None:
                return assessed
            ids = list(session.scalars(_window(run).where(Traveller.id > run.last_traveller_id)
                                       .order_by(Traveller.id).limit(batch)))
            if not ids:
                run.finished_at = utcnow()
                continue
            before = _hit_states(session, ids)
            tally = assess_travellers(session, ids, now=now)
            _record_effects(session, run, before, _hit_states(session, ids))
            run.done += len(ids)
            run.last_traveller_id = ids[-1]
            run.opened += tally.opened
            run.updated += tally.updated
            run.withdrawn += tally.withdrawn
            assessed += len(ids)
            batches += 1
    return assessed


def _hit_states(session: Session, traveller_ids: Sequence[int]) -> dict[int, HitStatus]:
    """The status of every hit of these travellers, by hit id."""
    rows = session.execute(select(Hit.id, Hit.status).where(Hit.traveller_id.in_(traveller_ids)))
    return {hit_id: status for hit_id, status in rows}


def _record_effects(session: Session, run: Rescreen, before: dict[int, HitStatus],
                    after: dict[int, HitStatus]) -> None:
    """Record the hits the run opened (new, or open again) and withdrew, for the change that asked for it."""
    rows = [{"rescreen_id": run.id, "hit_id": hit_id,
             "effect": RescreenEffect.OPENED if status == HitStatus.OPEN else RescreenEffect.WITHDRAWN}
            for hit_id, status in after.items() if status != before.get(hit_id)
            and (status == HitStatus.OPEN or before.get(hit_id) == HitStatus.OPEN)]
    if rows:
        session.execute(insert(RescreenHit), rows)


def _next_run(session: Session, now: datetime) -> Rescreen | None:
    """The run in progress, else the newest waiting one, started now and covering the older waiting ones."""
    unfinished = select(Rescreen).where(Rescreen.finished_at.is_(None))
    if session.get_bind().dialect.name == "postgresql":
        unfinished = unfinished.with_for_update(skip_locked=True)
    running = session.scalars(unfinished.where(Rescreen.started_at.is_not(None)).order_by(Rescreen.id).limit(1)).first()
    if running is not None:
        return running
    newest = session.scalars(unfinished.order_by(Rescreen.id.desc()).limit(1)).first()
    if newest is None:
        return None
    newest.started_at = utcnow()
    newest.since = now - timedelta(hours=config.rescreen_hours())
    newest.total = session.scalar(select(func.count()).select_from(_window(newest).subquery())) or 0
    session.execute(update(Rescreen).where(Rescreen.finished_at.is_(None), Rescreen.id < newest.id)
                    .values(finished_at=newest.started_at, covered_by=newest.id))
    session.flush()
    return newest


def _window(run: Rescreen) -> Select[int]:
    """Travellers still on flights arriving at or after the run's start of window (or with no known arrival)."""
    return (select(Traveller.id).join(Flight, Flight.id == Traveller.flight_id)
            .where(Traveller.removed_at.is_(None),
                   or_(Flight.arrival_utc >= run.since,
                       Flight.arrival_utc.is_(None) & (Flight.departure_date >= (run.since or utcnow()).date()))))

