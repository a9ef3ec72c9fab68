"""Hits (why a traveller was flagged), their suppressions for cleared persons, and each traveller's risk score."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from gtas.model.base import Base, BigId, Json, str_enum, utcnow
from gtas.model.watchlist import WatchlistSeverity as Severity


class HitKind(StrEnum):
    """What raised a hit."""

    RULE = "rule"
    WATCHLIST = "watchlist"
    LINK = "link"  # shares a phone, card, document … with a listed or confirmed person


class HitStatus(StrEnum):
    """Open while its cause holds; withdrawn (never deleted) when the cause is gone."""

    OPEN = "open"
    WITHDRAWN = "withdrawn"


class RiskBand(StrEnum):
    """Where a traveller's risk score falls (thresholds are settings); a watchlist hit is always HIGH."""

    NONE = "none"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class Hit(Base):
    """One reason a traveller was flagged, with what matched.

    ``cause_key`` names the cause independently of its version (``rule:12``, ``watchlist:345``, ``link:phone:…``):
    (traveller, cause_key) is unique, so a re-assessment updates the hit (new rule version, new explanation)
    instead of adding a second one.
    """

    __tablename__ = "hit"
    __table_args__ = (
        UniqueConstraint("traveller_id", "cause_key"),
        Index(None, "status", "created_at"),
        Index(None, "status", "traveller_id", "kind", "severity"),  # open hits by traveller, counted from the index
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    traveller_id: Mapped[int] = mapped_column(BigId, ForeignKey("traveller.id", ondelete="CASCADE"))
    kind: Mapped[HitKind] = mapped_column(str_enum(HitKind, "hit_kind"))
    cause_key: Mapped[str] = mapped_column(String(200))
    rule_version_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("rule_version.id"), index=True)
    watchlist_entry_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("watchlist_entry.id"), index=True)
    watchlist_version: Mapped[int | None]  # the list's version when the entry matched
    score: Mapped[float] = mapped_column(Float)  # rule weight, or watchlist match score
    severity: Mapped[Severity] = mapped_column(str_enum(Severity, "hit_severity"))
    explanation: Mapped[dict[str, Any]] = mapped_column(Json)
    message_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("message.id", ondelete="SET NULL"))
    status: Mapped[HitStatus] = mapped_column(str_enum(HitStatus, "hit_status"), default=HitStatus.OPEN)
    withdrawn_reason: Mapped[str | None] = mapped_column(Text)
    withdrawn_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    def __repr__(self) -> str:
        return f"<Hit {self.id} {self.cause_key} on traveller {self.traveller_id} ({self.status})>"


class HitSuppression(Base):
    """An officer's decision that one cause does not flag one cleared person until a time, with the reason."""

    __tablename__ = "hit_suppression"
    __table_args__ = (Index(None, "person_id", "cause_key"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    person_id: Mapped[int] = mapped_column(BigId, ForeignKey("person.id", ondelete="CASCADE"))
    cause_key: Mapped[str] = mapped_column(String(200))
    until: Mapped[datetime]
    reason: Mapped[str] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class TravellerRisk(Base):
    """A traveller's risk score (sum of the weights of the rules that fired) and its band, as last assessed."""

    __tablename__ = "traveller_risk"

    traveller_id: Mapped[int] = mapped_column(BigId, ForeignKey("traveller.id", ondelete="CASCADE"),
                                              primary_key=True)
    score: Mapped[float] = mapped_column(Float, default=0.0)
    band: Mapped[RiskBand] = mapped_column(str_enum(RiskBand, "risk_band"), default=RiskBand.NONE)
    assessed_at: Mapped[datetime] = mapped_column(default=utcnow)
