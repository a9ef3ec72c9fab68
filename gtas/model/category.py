"""The managed vocabulary of hits: categories (why a hit matters) and, per severity, what it means and how to handle it.

A category's ``key`` is the value stored on rules and watchlists (``Rule.category``, ``Watchlist.category``,
``WatchlistEntry.category``): the list offers keys to the forms and gives them a label and a description; a key stored
before the list knew it stays valid and is shown as it is.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from gtas.model.base import Base, BigId, str_enum, utcnow
from gtas.model.watchlist import WatchlistSeverity as Severity


class HitCategory(Base):
    """A category rules and watchlists may name; retired (``active`` false) rather than deleted once in use."""

    __tablename__ = "hit_category"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    key: Mapped[str] = mapped_column(String(50), unique=True)  # lower case, digits and underscores
    label: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(default=True)
    updated_by: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    def __repr__(self) -> str:
        return f"<HitCategory {self.key}{'' if self.active else ' (retired)'}>"


class SeverityGuide(Base):
    """What one severity means to officers: its label, a description, and the handling guidance shown with hits."""

    __tablename__ = "severity_guide"

    severity: Mapped[Severity] = mapped_column(str_enum(Severity, "severity_guide_severity"), primary_key=True)
    label: Mapped[str] = mapped_column(String(50))
    description: Mapped[str] = mapped_column(Text, default="")
    handling: Mapped[str] = mapped_column(Text, default="")
    updated_by: Mapped[str | None] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    def __repr__(self) -> str:
        return f"<SeverityGuide {self.severity}: {self.label}>"
