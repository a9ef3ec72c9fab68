"""Re-screening runs: after a rule or watchlist changes, every traveller still to arrive is assessed again."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from gtas.model.base import Base, BigId, str_enum, utcnow


class Rescreen(Base):
    """One requested re-screening: why, by whom, and how far it got (travellers done, hits opened and withdrawn).

    Runs go one at a time, oldest first; a run that starts also covers the requests still waiting before it
    (``covered_by``), since it assesses against everything in force by then.
    """

    __tablename__ = "rescreen"
    __table_args__ = (Index(None, "finished_at", "id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    reason: Mapped[str] = mapped_column(Text)
    requested_by: Mapped[str | None] = mapped_column(String(100))
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    since: Mapped[datetime | None]  # travellers of flights arriving from then on (fixed when the run starts)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    covered_by: Mapped[int | None] = mapped_column(BigId, ForeignKey("rescreen.id"))
    total: Mapped[int] = mapped_column(default=0)
    done: Mapped[int] = mapped_column(default=0)
    last_traveller_id: Mapped[int] = mapped_column(BigId, default=0)  # progress cursor: ids are assessed in order
    opened: Mapped[int] = mapped_column(default=0)
    updated: Mapped[int] = mapped_column(default=0)
    withdrawn: Mapped[int] = mapped_column(default=0)

    def __repr__(self) -> str:
        return f"<Rescreen {self.id} {self.done}/{self.total} ({self.reason})>"


class RescreenEffect(StrEnum):
    """What a re-screening run did to a hit."""

    OPENED = "opened"  # a new hit, or a withdrawn one whose cause came back
    WITHDRAWN = "withdrawn"


class RescreenHit(Base):
    """A hit a re-screening run opened or withdrew, so that the change that asked for the run can show them."""

    __tablename__ = "rescreen_hit"

    rescreen_id: Mapped[int] = mapped_column(BigId, ForeignKey("rescreen.id", ondelete="CASCADE"), primary_key=True)
    hit_id: Mapped[int] = mapped_column(BigId, ForeignKey("hit.id", ondelete="CASCADE"), primary_key=True, index=True)
    effect: Mapped[RescreenEffect] = mapped_column(str_enum(RescreenEffect, "rescreen_effect"))
