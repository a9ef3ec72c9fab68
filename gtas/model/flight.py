"""A flight leg as the border sees it, and the messages that told us about it."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import DateTime, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from gtas.model.base import Base, BigId, bulk_reference, str_enum, utcnow


class Direction(StrEnum):
    """Where a flight goes relative to the home country (GTAS_HOME_COUNTRY)."""

    INBOUND = "inbound"
    OUTBOUND = "outbound"
    DOMESTIC = "domestic"
    OVERFLIGHT = "overflight"  # neither end in the home country (e.g. an earlier leg of an inbound journey)


class Flight(Base):
    """One scheduled flight leg, keyed by carrier, number, route and local departure date.

    Times are kept twice: airport-local as the airline sent them (naive) and UTC computed from the airport's time
    zone. Loaders upsert on the natural key with INSERT … ON CONFLICT.
    """

    __tablename__ = "flight"
    __table_args__ = (
        UniqueConstraint("carrier", "number", "origin", "destination", "departure_date"),
        Index(None, "departure_date"),
        Index(None, "arrival_utc"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    carrier: Mapped[str] = mapped_column(String(3))
    number: Mapped[str] = mapped_column(String(5))  # digits without leading zeros
    suffix: Mapped[str | None] = mapped_column(String(1))
    origin: Mapped[str] = mapped_column(String(3))
    destination: Mapped[str] = mapped_column(String(3))
    departure_date: Mapped[date]  # airport-local date of departure: part of the key
    departure_local: Mapped[datetime | None] = mapped_column(DateTime)
    arrival_local: Mapped[datetime | None] = mapped_column(DateTime)
    departure_utc: Mapped[datetime | None]
    arrival_utc: Mapped[datetime | None]
    direction: Mapped[Direction | None] = mapped_column(str_enum(Direction, "direction"))
    passenger_count: Mapped[int | None]
    crew_count: Mapped[int | None]
    api_received_at: Mapped[datetime | None]
    pnr_received_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    @property
    def designator(self) -> str:
        """The flight as people write it, e.g. LH400A."""
        return f"{self.carrier}{self.number}{self.suffix or ''}"

    def __repr__(self) -> str:
        return f"<Flight {self.designator} {self.origin}-{self.destination} {self.departure_date}>"


class FlightMessage(Base):
    """A message that said something about a flight (each pair once)."""

    __tablename__ = "flight_message"

    flight_id: Mapped[int] = mapped_column(BigId, bulk_reference("flight.id", ondelete="CASCADE"), primary_key=True)
    message_id: Mapped[int] = mapped_column(BigId, bulk_reference("message.id", ondelete="CASCADE"), primary_key=True,
                                            index=True)
