"""The re-screening a change asked for: waiting, running or done, how many travellers it assessed, and the hits it
opened and withdrew (those of the run that did the work, when a later run covered this one)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gtas.model import Flight, Hit, Rescreen, RescreenEffect, RescreenHit, Traveller

HITS_SHOWN = 200


class Progress(StrEnum):
    """Where a re-screening is."""

    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"


@dataclass(frozen=True, slots=True)
class ChangedHit:
    """A hit the re-screening opened or withdrew, with its traveller and flight."""

    effect: RescreenEffect
    hit: Hit
    traveller: Traveller
    flight: Flight


@dataclass(frozen=True, slots=True)
class RescreenStatus:
    """The requested run, the run that does its work (itself, or the later run that covered it), and what that run
    changed: counts, and up to HITS_SHOWN hits."""

    requested: Rescreen
    worker: Rescreen
    progress: Progress
    hits: list[ChangedHit]
    opened: int
    withdrawn: int

    @property
    def covered(self) -> bool:
        """Whether a later run did the work of this one."""
        return self.worker.id != self.requested.id


def status(session: Session, rescreen_id: int) -> RescreenStatus | None:
    """The state of a re-screening; None when there is no such run."""
    requested = session.get(Rescreen, rescreen_id)
    if requested is None:
        return None
    worker = requested
    while worker.covered_by is not None:
        worker = session.get_one(Rescreen, worker.covered_by)
    if worker.finished_at is not None:
        progress = Progress.DONE
    elif worker.started_at is not None:
        progress = Progress.RUNNING
    else:
        progress = Progress.PENDING
    counts = {effect: count for effect, count in session.execute(
        select(RescreenHit.effect, func.count()).where(RescreenHit.rescreen_id == worker.id)
        .group_by(RescreenHit.effect))}
    rows = session.execute(
        select(RescreenHit.effect, Hit, Traveller, Flight).join(Hit, Hit.id == RescreenHit.hit_id)
        .join(Traveller, Traveller.id == Hit.traveller_id).join(Flight, Flight.id == Traveller.flight_id)
        .where(RescreenHit.rescreen_id == worker.id).order_by(RescreenHit.effect, Hit.id).limit(HITS_SHOWN))
    return RescreenStatus(requested, worker, progress, [ChangedHit(*row) for row in rows],
                          counts.get(RescreenEffect.OPENED, 0), counts.get(RescreenEffect.WITHDRAWN, 0))
