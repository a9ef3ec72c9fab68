"""What officers do with hits: who works on each, what they decided about it, and what each inspection found."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from gtas.model.base import Base, BigId, str_enum, utcnow
from gtas.model.user import User


class DispositionKind(StrEnum):
    """What an officer decided about a hit."""

    CONFIRMED = "confirmed"  # the hit is about this traveller and it matters
    FALSE_MATCH = "false_match"  # the hit is not about this traveller
    CLEARED = "cleared"  # about him, but checked and of no concern
    REFER_SECONDARY = "refer_secondary"  # send him to secondary inspection
    DENY_BOARDING_RECOMMENDED = "deny_boarding_recommended"
    NO_ACTION = "no_action"

    @property
    def label(self) -> str:
        """The decision as people read it."""
        return _DISPOSITION_LABELS[self]


_DISPOSITION_LABELS = {
    DispositionKind.CONFIRMED: "confirmed",
    DispositionKind.FALSE_MATCH: "false match",
    DispositionKind.CLEARED: "cleared",
    DispositionKind.REFER_SECONDARY: "refer to secondary inspection",
    DispositionKind.DENY_BOARDING_RECOMMENDED: "recommend denying boarding",
    DispositionKind.NO_ACTION: "no action",
}


class OutcomeKind(StrEnum):
    """What an inspection of a traveller found."""

    SEIZURE = "seizure"
    ARREST = "arrest"
    REFUSED_ENTRY = "refused_entry"
    NOTHING_FOUND = "nothing_found"
    NOT_INSPECTED = "not_inspected"
    NO_SHOW = "no_show"  # he did not arrive or could not be found

    @property
    def label(self) -> str:
        """The outcome as people read it."""
        return self.value.replace("_", " ")


class SeizureKind(StrEnum):
    """What was seized."""

    NARCOTICS = "narcotics"
    CURRENCY = "currency"
    WEAPONS = "weapons"
    DOCUMENTS = "documents"
    OTHER = "other"


class Disposition(Base):
    """One decision about a hit, never changed: a hit's dispositions are its history, the newest its state."""

    __tablename__ = "disposition"
    __table_args__ = (Index(None, "hit_id", "decided_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    hit_id: Mapped[int] = mapped_column(BigId, ForeignKey("hit.id", ondelete="CASCADE"))
    kind: Mapped[DispositionKind] = mapped_column(str_enum(DispositionKind, "disposition_kind"))
    notes: Mapped[str] = mapped_column(Text, default="")
    user_id: Mapped[int] = mapped_column(BigId, ForeignKey("app_user.id"), index=True)
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)
    suppression_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("hit_suppression.id", ondelete="SET NULL"))

    user: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<Disposition {self.id} {self.kind} of hit {self.hit_id}>"


class HitWork(Base):
    """Who works on a hit now: the officer who claimed it (or was assigned it by a supervisor) and since when."""

    __tablename__ = "hit_work"

    hit_id: Mapped[int] = mapped_column(BigId, ForeignKey("hit.id", ondelete="CASCADE"), primary_key=True)
    claimed_by: Mapped[int | None] = mapped_column(BigId, ForeignKey("app_user.id"), index=True)
    claimed_at: Mapped[datetime | None]
    assigned_to: Mapped[int | None] = mapped_column(BigId, ForeignKey("app_user.id"), index=True)
    assigned_by: Mapped[int | None] = mapped_column(BigId, ForeignKey("app_user.id"))
    assigned_at: Mapped[datetime | None]


class Outcome(Base):
    """What the inspection of a traveller found, with the kind of seizure when there was one; never changed."""

    __tablename__ = "outcome"
    __table_args__ = (Index(None, "traveller_id", "recorded_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    traveller_id: Mapped[int] = mapped_column(BigId, ForeignKey("traveller.id", ondelete="CASCADE"))
    kind: Mapped[OutcomeKind] = mapped_column(str_enum(OutcomeKind, "outcome_kind"))
    seizure: Mapped[SeizureKind | None] = mapped_column(str_enum(SeizureKind, "seizure_kind"))
    notes: Mapped[str] = mapped_column(Text, default="")
    user_id: Mapped[int] = mapped_column(BigId, ForeignKey("app_user.id"), index=True)
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<Outcome {self.id} {self.kind} of traveller {self.traveller_id}>"
