"""Persons (the same human across flights) and travellers (a person on one flight) with their documents."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Float, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from gtas.model.base import Base, BigId, Json, bulk_reference, str_enum, utcnow
from gtas.parsers.records import Role


class PersonKeyKind(StrEnum):
    """What a person key is made of; a name alone is never a key."""

    DOCUMENT = "document"  # document number (type-agnostic) + issuing country
    BIO = "bio"  # normalised surname + given names + date of birth + gender


class Person(Base):
    """The same human across flights and messages, found through any of his keys; gives travel history."""

    __tablename__ = "person"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    surname: Mapped[str | None] = mapped_column(String(100))
    given_names: Mapped[str | None] = mapped_column(String(100))
    date_of_birth: Mapped[date | None]
    gender: Mapped[str | None] = mapped_column(String(1))
    nationality: Mapped[str | None] = mapped_column(String(3))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    keys: Mapped[list[PersonKey]] = relationship(back_populates="person", passive_deletes=True)

    def __repr__(self) -> str:
        return f"<Person {self.id} {self.surname}/{self.given_names} {self.date_of_birth}>"


class PersonKey(Base):
    """One key that identifies a person; each key belongs to one person only (upserted on kind + value)."""

    __tablename__ = "person_key"
    __table_args__ = (UniqueConstraint("kind", "value"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    kind: Mapped[PersonKeyKind] = mapped_column(str_enum(PersonKeyKind, "person_key_kind"))
    value: Mapped[str] = mapped_column(String(250))
    person_id: Mapped[int] = mapped_column(BigId, bulk_reference("person.id", ondelete="CASCADE"), index=True)

    person: Mapped[Person] = relationship(back_populates="keys")


ON_BOARD = text("removed_at IS NULL")  # travellers still on their flight (no newer list left them out)


class Traveller(Base):
    """A person on one flight: passenger, crew or in transit, merged from every API list and PNR that named him.

    ``identity_key`` is stable for the flight (RFF ABO, else locator + name + date of birth, else document, else
    name + date of birth) so that repeated and newer lists update the same row. ``removed_at`` is set when a newer
    list no longer has him; ``boarded`` comes from close-out lists.
    """

    __tablename__ = "traveller"
    __table_args__ = (
        UniqueConstraint("flight_id", "identity_key"),
        Index(None, "surname", "given_names"),
        Index(None, "record_locator"),
        # travellers still on board, read from the index alone: by flight (the board counts a page of flights'
        # travellers), and by id (the flight of each traveller with an open hit: "only flights with hits", the queue)
        Index("ix_traveller_on_board_by_flight", "flight_id", "role", "id", postgresql_where=ON_BOARD,
              sqlite_where=ON_BOARD),
        Index("ix_traveller_on_board_by_id", "id", "flight_id", postgresql_where=ON_BOARD, sqlite_where=ON_BOARD),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    flight_id: Mapped[int] = mapped_column(BigId, ForeignKey("flight.id", ondelete="CASCADE"))
    person_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("person.id", ondelete="SET NULL"), index=True)
    role: Mapped[Role] = mapped_column(str_enum(Role, "role"), default=Role.PASSENGER)
    identity_key: Mapped[str] = mapped_column(String(250))
    surname: Mapped[str | None] = mapped_column(String(100))
    given_names: Mapped[str | None] = mapped_column(String(100))
    date_of_birth: Mapped[date | None]
    gender: Mapped[str | None] = mapped_column(String(1))
    nationality: Mapped[str | None] = mapped_column(String(3))
    residence_country: Mapped[str | None] = mapped_column(String(3))
    birth_place: Mapped[str | None] = mapped_column(String(100))
    birth_country: Mapped[str | None] = mapped_column(String(3))
    embarkation: Mapped[str | None] = mapped_column(String(5))
    debarkation: Mapped[str | None] = mapped_column(String(5))
    seat: Mapped[str | None] = mapped_column(String(5))
    bag_count: Mapped[int | None]
    bag_weight_kg: Mapped[float | None] = mapped_column(Float)
    bag_tags: Mapped[list[str]] = mapped_column(Json, default=list)
    record_locator: Mapped[str | None] = mapped_column(String(16))
    reference: Mapped[str | None] = mapped_column(String(35))  # RFF ABO (API) or the PNR's traveller reference
    verified: Mapped[bool | None]
    boarded: Mapped[bool | None]
    pnr_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("pnr.id", ondelete="SET NULL"), index=True)
    first_message_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("message.id", ondelete="SET NULL"))
    last_message_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("message.id", ondelete="SET NULL"))
    removed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    documents: Mapped[list[Document]] = relationship(back_populates="traveller", passive_deletes=True)

    def __repr__(self) -> str:
        return f"<Traveller {self.id} {self.surname}/{self.given_names} on flight {self.flight_id}>"


class Document(Base):
    """A travel document a traveller presented or declared (passport, visa, identity card …)."""

    __tablename__ = "document"
    __table_args__ = (
        UniqueConstraint("traveller_id", "type", "number"),
        Index(None, "number", "issuing_country"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    traveller_id: Mapped[int] = mapped_column(BigId, bulk_reference("traveller.id", ondelete="CASCADE"))
    type: Mapped[str] = mapped_column(String(3))  # P, V, I, A, C … as sent; "" when the message gave none
    number: Mapped[str] = mapped_column(String(35))
    issuing_country: Mapped[str | None] = mapped_column(String(3))
    expiry: Mapped[date | None]
    issue_date: Mapped[date | None]
    nationality: Mapped[str | None] = mapped_column(String(3))
    place_of_issue: Mapped[str | None] = mapped_column(String(100))

    traveller: Mapped[Traveller] = relationship(back_populates="documents")


class TravellerSource(Base):
    """Which message said which values about a traveller (``fields``: name → value as sent)."""

    __tablename__ = "traveller_source"
    __table_args__ = (UniqueConstraint("traveller_id", "message_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    traveller_id: Mapped[int] = mapped_column(BigId, bulk_reference("traveller.id", ondelete="CASCADE"))
    message_id: Mapped[int] = mapped_column(BigId, bulk_reference("message.id", ondelete="CASCADE"), index=True)
    fields: Mapped[dict[str, Any]] = mapped_column(Json, default=dict)
