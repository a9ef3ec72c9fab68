"""Risk rules: a rule, its immutable versions (every edit is a new one), and the reference lists rules may name."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Float, ForeignKey, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, Mapper, mapped_column, relationship

from gtas.model.base import Base, BigId, Json, str_enum, utcnow
from gtas.model.watchlist import WatchlistSeverity as Severity


class ReferenceKind(StrEnum):
    """What the items of a reference list are, which decides the fields that may use it."""

    AIRPORT = "airport"  # IATA codes
    COUNTRY = "country"  # ISO 3166 alpha-3 codes
    TEXT = "text"  # anything else, compared without case


class Rule(Base):
    """A risk rule as it stands now: ``version`` is the number of its current RuleVersion.

    ``key`` is the stable name rule sets are imported and exported by (e.g. ``cash-short-notice``).
    """

    __tablename__ = "rule"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    key: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(String(50))
    severity: Mapped[Severity] = mapped_column(str_enum(Severity, "rule_severity"))
    weight: Mapped[float] = mapped_column(Float)
    handling: Mapped[str] = mapped_column(Text, default="")  # instructions for the officer who sees a hit
    valid_from: Mapped[datetime | None]
    valid_until: Mapped[datetime | None]
    enabled: Mapped[bool] = mapped_column(default=True)
    author: Mapped[str] = mapped_column(String(100))
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    versions: Mapped[list[RuleVersion]] = relationship(
        back_populates="rule", order_by="RuleVersion.number", passive_deletes=True)

    def __repr__(self) -> str:
        return f"<Rule {self.key} v{self.version}>"


class RuleVersion(Base):
    """One version of a rule, never changed: the condition tree and a snapshot of the rule's metadata."""

    __tablename__ = "rule_version"
    __table_args__ = (UniqueConstraint("rule_id", "number"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    rule_id: Mapped[int] = mapped_column(BigId, ForeignKey("rule.id", ondelete="CASCADE"))
    number: Mapped[int]
    conditions: Mapped[dict[str, Any]] = mapped_column(Json)
    details: Mapped[dict[str, Any]] = mapped_column(Json)  # title, category, severity, weight … at that version
    author: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    rule: Mapped[Rule] = relationship(back_populates="versions")


@event.listens_for(RuleVersion, "before_update")
def _refuse_update(_mapper: Mapper[RuleVersion], _connection: Any, target: RuleVersion) -> None:
    """Rule versions are what hits name: refuse to change one through the ORM."""
    raise ValueError(f"rule version {target.id} is immutable; save a new version instead")


class ReferenceList(Base):
    """A named list administrators keep (airports of concern, countries …) that conditions test membership of."""

    __tablename__ = "reference_list"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[ReferenceKind] = mapped_column(str_enum(ReferenceKind, "reference_kind"))
    description: Mapped[str] = mapped_column(Text, default="")
    items: Mapped[list[str]] = mapped_column(Json, default=list)
    updated_by: Mapped[str | None] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
