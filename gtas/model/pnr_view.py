"""The current view of a PNR: rows rewritten from its newest version, indexed for search and link analysis."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import DateTime, Float, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from gtas.model.base import Base, BigId, Json, bulk_reference, str_enum


class ContactKind(StrEnum):
    """The kinds of contact details a booking carries."""

    PHONE = "phone"
    EMAIL = "email"
    ADDRESS = "address"


class _OfPnr:
    """Columns shared by every current-view row: its own key and the PNR it belongs to."""

    id: Mapped[int] = mapped_column(BigId, primary_key=True, sort_order=-2)
    pnr_id: Mapped[int] = mapped_column(BigId, bulk_reference("pnr.id", ondelete="CASCADE"), index=True, sort_order=-1)


class _InOrder(_OfPnr):
    """A current-view row at a position in its PNR: the unique index on (PNR, position) also finds a PNR's rows."""

    pnr_id: Mapped[int] = mapped_column(BigId, bulk_reference("pnr.id", ondelete="CASCADE"), sort_order=-1)
    position: Mapped[int]


class _OfTraveller(_OfPnr):
    """A current-view row that may belong to one traveller: the PNR's reference, and the traveller when known."""

    traveller_ref: Mapped[str | None] = mapped_column(String(35), sort_order=-1)
    traveller_id: Mapped[int | None] = mapped_column(BigId, bulk_reference("traveller.id", ondelete="SET NULL"),
                                                     index=True, sort_order=-1)


class ItineraryLeg(_InOrder, Base):
    """One flight segment of the booking, in itinerary order; ``flight_id`` when GTAS knows that flight."""

    __tablename__ = "itinerary_leg"
    __table_args__ = (UniqueConstraint("pnr_id", "position"),)

    carrier: Mapped[str | None] = mapped_column(String(3))
    number: Mapped[str | None] = mapped_column(String(5))
    suffix: Mapped[str | None] = mapped_column(String(1))
    origin: Mapped[str | None] = mapped_column(String(3))
    destination: Mapped[str | None] = mapped_column(String(3))
    departure_local: Mapped[datetime | None] = mapped_column(DateTime)
    arrival_local: Mapped[datetime | None] = mapped_column(DateTime)
    booking_class: Mapped[str | None] = mapped_column(String(2))
    status: Mapped[str | None] = mapped_column(String(3))  # HK, UN, XX … as sent
    operating_carrier: Mapped[str | None] = mapped_column(String(3))
    operating_number: Mapped[str | None] = mapped_column(String(5))
    flight_id: Mapped[int | None] = mapped_column(BigId, bulk_reference("flight.id", ondelete="SET NULL"), index=True)


class Contact(_OfTraveller, Base):
    """A phone number, e-mail address or postal address; ``normalised`` is the form that links bookings."""

    __tablename__ = "contact"

    kind: Mapped[ContactKind] = mapped_column(str_enum(ContactKind, "contact_kind"))
    value: Mapped[str] = mapped_column(Text)  # as sent
    normalised: Mapped[str] = mapped_column(String(320), index=True)
    label: Mapped[str | None] = mapped_column(String(20))  # mobile, home, business, billing …


class Payment(_OfTraveller, Base):
    """A form of payment; a card is kept only as its type, last four digits and keyed hash."""

    __tablename__ = "payment"

    type: Mapped[str] = mapped_column(String(4))  # CA cash, CC card, MS, CK, IN … as sent
    amount: Mapped[str | None] = mapped_column(String(24))  # decimal text as sent (exact, no float rounding)
    currency: Mapped[str | None] = mapped_column(String(3))
    card_type: Mapped[str | None] = mapped_column(String(4))
    card_last4: Mapped[str | None] = mapped_column(String(4))
    card_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    card_expiry: Mapped[str | None] = mapped_column(String(8))
    card_holder: Mapped[str | None] = mapped_column(String(100))


class Agency(_OfPnr, Base):
    """The travel agency or airline office that made or changed the booking."""

    __tablename__ = "agency"

    name: Mapped[str | None] = mapped_column(String(100))
    iata_number: Mapped[str | None] = mapped_column(String(12), index=True)
    office: Mapped[str | None] = mapped_column(String(20))
    location: Mapped[str | None] = mapped_column(String(50))
    country: Mapped[str | None] = mapped_column(String(3))
    agent: Mapped[str | None] = mapped_column(String(20))
    system: Mapped[str | None] = mapped_column(String(10))


class FrequentFlyer(_OfTraveller, Base):
    """A loyalty programme membership quoted in the booking."""

    __tablename__ = "frequent_flyer"

    carrier: Mapped[str | None] = mapped_column(String(3))
    number: Mapped[str] = mapped_column(String(35), index=True)
    tier: Mapped[str | None] = mapped_column(String(20))


class Ticket(_OfTraveller, Base):
    """An issued ticket and its fare."""

    __tablename__ = "ticket"

    number: Mapped[str] = mapped_column(String(20), index=True)
    type: Mapped[str | None] = mapped_column(String(3))
    issue_date: Mapped[date | None]
    issuing_carrier: Mapped[str | None] = mapped_column(String(3))
    place_of_issue: Mapped[str | None] = mapped_column(String(50))
    fare: Mapped[str | None] = mapped_column(String(24))  # decimal text as sent
    currency: Mapped[str | None] = mapped_column(String(3))
    one_way: Mapped[bool | None]


class Bag(_OfTraveller, Base):
    """Checked baggage: count, weight and tag numbers."""

    __tablename__ = "bag"

    count: Mapped[int | None]
    weight_kg: Mapped[float | None] = mapped_column(Float)
    tags: Mapped[list[str]] = mapped_column(Json, default=list)
    destination: Mapped[str | None] = mapped_column(String(3))
    carrier: Mapped[str | None] = mapped_column(String(3))
    pool: Mapped[str | None] = mapped_column(String(35))


class Seat(_OfTraveller, Base):
    """A seat assigned at check-in or requested in the booking."""

    __tablename__ = "seat"

    number: Mapped[str] = mapped_column(String(5))
    cabin: Mapped[str | None] = mapped_column(String(2))
    origin: Mapped[str | None] = mapped_column(String(3))
    destination: Mapped[str | None] = mapped_column(String(3))
    carrier: Mapped[str | None] = mapped_column(String(3))
    flight_number: Mapped[str | None] = mapped_column(String(5))
    source: Mapped[str | None] = mapped_column(String(10))  # checkin or request


class Codeshare(_OfPnr, Base):
    """A marketing flight number sold on another carrier's operated flight."""

    __tablename__ = "codeshare"

    marketing_carrier: Mapped[str | None] = mapped_column(String(3))
    marketing_number: Mapped[str | None] = mapped_column(String(5))
    operating_carrier: Mapped[str | None] = mapped_column(String(3))
    operating_number: Mapped[str | None] = mapped_column(String(5))


class HistoryEntry(_InOrder, Base):
    """One line of booking history, in the order sent."""

    __tablename__ = "history_entry"
    __table_args__ = (UniqueConstraint("pnr_id", "position"),)

    text: Mapped[str] = mapped_column(Text)
    action: Mapped[str | None] = mapped_column(String(3))
    happened_at: Mapped[datetime | None] = mapped_column(DateTime)  # as sent
    who: Mapped[str | None] = mapped_column(String(50))

