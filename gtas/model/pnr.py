"""Passenger name records: one row per booking, an immutable version per push, and the flights it is on."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, String, UniqueConstraint, and_, event
from sqlalchemy.orm import Mapped, Mapper, foreign, mapped_column, relationship

from gtas.model.base import Base, BigId, bulk_reference, str_enum, utcnow


class PnrFlightStatus(StrEnum):
    """Whether a booking is still on a flight: cancelled when it vanished from a later push for that flight."""

    ACTIVE = "active"
    CANCELLED = "cancelled"


class Pnr(Base):
    """A booking, keyed by the locator's owner, the locator and the booking date (locators are reused over time).

    ``created_on`` is the booking date the carrier sent; when a feed leaves it out the loader uses the departure
    date of the prime flight, so that repeated pushes still find the same row. The current view (itinerary,
    contacts, payments …, in ``gtas.model.pnr_view``) is rewritten from the newest version; ``current_message_id``
    names that version (the pair pnr + message is unique in ``pnr_version``) and ``digest`` is its content hash;
    ``raw_digest`` is that of the text it was read from, so that a later push repeating the text is not read again.
    """

    __tablename__ = "pnr"
    __table_args__ = (UniqueConstraint("carrier", "record_locator", "created_on"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    carrier: Mapped[str] = mapped_column(String(3))
    record_locator: Mapped[str] = mapped_column(String(16))
    created_on: Mapped[date]
    created_at: Mapped[datetime | None] = mapped_column(DateTime)  # booking time as sent (zone unknown)
    last_modified: Mapped[datetime | None] = mapped_column(DateTime)  # as sent, of the current version
    current_message_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("message.id", ondelete="SET NULL"))
    digest: Mapped[str | None] = mapped_column(String(64))  # content hash of the current version
    raw_digest: Mapped[str | None] = mapped_column(String(64))  # of the text it was read from (PNRGOV EDIFACT)
    cancelled_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    versions: Mapped[list[PnrVersion]] = relationship(
        back_populates="pnr", order_by="PnrVersion.pushed_at", passive_deletes=True)
    current_version: Mapped[PnrVersion | None] = relationship(
        primaryjoin=lambda: and_(foreign(PnrVersion.pnr_id) == Pnr.id,
                                 foreign(PnrVersion.message_id) == Pnr.current_message_id),
        viewonly=True, uselist=False)

    def __repr__(self) -> str:
        return f"<Pnr {self.id} {self.carrier} {self.record_locator} {self.created_on}>"


class PnrVersion(Base):
    """One content of a PNR, never changed afterwards: the parsed record as JSON (records.to_jsonable).

    A push that repeats the current content unchanged adds no version, only a ``PnrPush``; ``digest`` is the hash
    that tells (the record without its position in the message and its diagnostics).
    """

    __tablename__ = "pnr_version"
    __table_args__ = (UniqueConstraint("pnr_id", "message_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    pnr_id: Mapped[int] = mapped_column(BigId, bulk_reference("pnr.id", ondelete="CASCADE"))
    message_id: Mapped[int] = mapped_column(BigId, bulk_reference("message.id", ondelete="CASCADE"), index=True)
    flight_id: Mapped[int | None] = mapped_column(BigId, bulk_reference("flight.id", ondelete="SET NULL"), index=True)
    pushed_at: Mapped[datetime]
    last_modified: Mapped[datetime | None] = mapped_column(DateTime)  # as sent
    digest: Mapped[str] = mapped_column(String(64))
    # JSON text, not JSONB: written once, read whole, never searched inside (JSONB costs 4x more to write)
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)

    pnr: Mapped[Pnr] = relationship(back_populates="versions")


class PnrPush(Base):
    """A push that carried a PNR, changed or not: which bookings each push for a flight held."""

    __tablename__ = "pnr_push"

    pnr_id: Mapped[int] = mapped_column(BigId, bulk_reference("pnr.id", ondelete="CASCADE"), primary_key=True)
    message_id: Mapped[int] = mapped_column(BigId, bulk_reference("message.id", ondelete="CASCADE"), primary_key=True,
                                            index=True)
    flight_id: Mapped[int | None] = mapped_column(BigId, bulk_reference("flight.id", ondelete="CASCADE"), index=True)
    pushed_at: Mapped[datetime]


@event.listens_for(PnrVersion, "before_update")
def _refuse_update(_mapper: Mapper[PnrVersion], _connection: Any, target: PnrVersion) -> None:
    """PNR versions are evidence: refuse to change one through the ORM."""
    raise ValueError(f"PNR version {target.id} is immutable")


class PnrFlight(Base):
    """A booking on a flight it was pushed for; cancelled (not deleted) when a later push no longer has it."""

    __tablename__ = "pnr_flight"

    pnr_id: Mapped[int] = mapped_column(BigId, ForeignKey("pnr.id", ondelete="CASCADE"), primary_key=True)
    flight_id: Mapped[int] = mapped_column(BigId, ForeignKey("flight.id", ondelete="CASCADE"), primary_key=True,
                                           index=True)
    status: Mapped[PnrFlightStatus] = mapped_column(str_enum(PnrFlightStatus, "pnr_flight_status"),
                                                    default=PnrFlightStatus.ACTIVE)
    cancelled_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
