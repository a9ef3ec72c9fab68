"""Watchlists: named lists of people and documents to screen travellers against, with the history of every change."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from gtas.model.base import Base, BigId, Json, str_enum, utcnow


class WatchlistSeverity(StrEnum):
    """How serious a match on a list (or one entry) is, lowest first."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


class EntryStatus(StrEnum):
    """Whether an entry is screened: entries are never deleted, they are removed or expire."""

    ACTIVE = "active"
    REMOVED = "removed"
    EXPIRED = "expired"


class EntryAction(StrEnum):
    """What happened to an entry in one recorded change."""

    ADDED = "added"
    CHANGED = "changed"
    REMOVED = "removed"
    EXPIRED = "expired"


class Watchlist(Base):
    """A named list from one source; ``version`` goes up by one with every change set applied to its entries."""

    __tablename__ = "watchlist"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    source: Mapped[str | None] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(50))  # a HitCategory key: why the people on the list are of interest
    severity: Mapped[WatchlistSeverity] = mapped_column(str_enum(WatchlistSeverity, "watchlist_severity"))
    # the lowest score that makes a hit; by default the matcher's own threshold, tuned on the name benchmark
    match_threshold: Mapped[float] = mapped_column(Float, default=0.80)
    owner: Mapped[str | None] = mapped_column(String(100))
    valid_from: Mapped[datetime | None]
    valid_until: Mapped[datetime | None]
    enabled: Mapped[bool] = mapped_column(default=True)
    version: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    entries: Mapped[list[WatchlistEntry]] = relationship(back_populates="watchlist")

    def __repr__(self) -> str:
        return f"<Watchlist {self.name} v{self.version}>"


class WatchlistEntry(Base):
    """One listed person or document; ``reference`` is the source's own key, unique within the list.

    ``dates_of_birth`` hold "YYYY", "YYYY-MM" or "YYYY-MM-DD"; ``nationalities`` ISO 3166 alpha-3 codes. An entry
    needs a name (``full_name`` or ``surname``) or at least one document.
    """

    __tablename__ = "watchlist_entry"
    __table_args__ = (
        UniqueConstraint("watchlist_id", "reference"),
        Index(None, "watchlist_id", "status"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    watchlist_id: Mapped[int] = mapped_column(BigId, ForeignKey("watchlist.id"))
    reference: Mapped[str] = mapped_column(String(64))
    full_name: Mapped[str | None] = mapped_column(String(200))
    surname: Mapped[str | None] = mapped_column(String(100))
    given_names: Mapped[str | None] = mapped_column(String(100))
    aliases: Mapped[list[str]] = mapped_column(Json, default=list)
    dates_of_birth: Mapped[list[str]] = mapped_column(Json, default=list)
    gender: Mapped[str | None] = mapped_column(String(1))  # M, F or X
    nationalities: Mapped[list[str]] = mapped_column(Json, default=list)
    category: Mapped[str | None] = mapped_column(String(50))  # a HitCategory key, when not the list's
    severity: Mapped[WatchlistSeverity | None] = mapped_column(str_enum(WatchlistSeverity, "watchlist_severity"))
    valid_from: Mapped[datetime | None]
    valid_until: Mapped[datetime | None]
    reason: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    status: Mapped[EntryStatus] = mapped_column(str_enum(EntryStatus, "watchlist_entry_status"),
                                                default=EntryStatus.ACTIVE)
    added_by: Mapped[str | None] = mapped_column(String(100))
    added_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    ended_at: Mapped[datetime | None]  # when it was removed or expired

    watchlist: Mapped[Watchlist] = relationship(back_populates="entries")
    documents: Mapped[list[WatchlistDocument]] = relationship(
        back_populates="entry", cascade="all, delete-orphan", passive_deletes=True, order_by="WatchlistDocument.id")

    def __repr__(self) -> str:
        return f"<WatchlistEntry {self.reference} of list {self.watchlist_id} ({self.status})>"


class WatchlistDocument(Base):
    """A document of a watchlist entry; ``number_key`` (letters and digits, upper case) is what lookups use."""

    __tablename__ = "watchlist_document"
    __table_args__ = (Index(None, "number_key"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    entry_id: Mapped[int] = mapped_column(BigId, ForeignKey("watchlist_entry.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(3), default="")  # P, I, V … ; "" when the source gave none
    number: Mapped[str] = mapped_column(String(35))
    number_key: Mapped[str] = mapped_column(String(35))
    country: Mapped[str | None] = mapped_column(String(3))

    entry: Mapped[WatchlistEntry] = relationship(back_populates="documents")


class WatchlistEntryChange(Base):
    """One recorded change of an entry: the action, its state before and after, who made it and the list version."""

    __tablename__ = "watchlist_entry_change"
    __table_args__ = (Index(None, "watchlist_id", "list_version"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    entry_id: Mapped[int] = mapped_column(BigId, ForeignKey("watchlist_entry.id"), index=True)
    watchlist_id: Mapped[int] = mapped_column(BigId, ForeignKey("watchlist.id"))
    action: Mapped[EntryAction] = mapped_column(str_enum(EntryAction, "watchlist_entry_action"))
    before: Mapped[dict[str, Any] | None] = mapped_column(Json)
    after: Mapped[dict[str, Any] | None] = mapped_column(Json)
    changed_by: Mapped[str | None] = mapped_column(String(100))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    list_version: Mapped[int]

    entry: Mapped[WatchlistEntry] = relationship()


class WatchlistVersion(Base):
    """One change set of a list's entries: the version it made, who made it and when, what it did in a few words,
    and the re-screening it asked for."""

    __tablename__ = "watchlist_version"

    watchlist_id: Mapped[int] = mapped_column(BigId, ForeignKey("watchlist.id"), primary_key=True)
    version: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    summary: Mapped[str] = mapped_column(String(200))
    changed_by: Mapped[str | None] = mapped_column(String(100))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    rescreen_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("rescreen.id", ondelete="SET NULL"), index=True)
