"""Parties that push messages (airlines and their service providers) and their API tokens."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from gtas.model.base import Base, BigId, Json, str_enum, utcnow


class PartyKind(StrEnum):
    """Who a party is: an airline, or a service provider sending for airlines."""

    AIRLINE = "airline"
    PROVIDER = "provider"


class OnboardingState(StrEnum):
    """How far a party's onboarding got, in order: registered, testing its feed, sending API live, sending PNR live."""

    REGISTERED = "registered"
    TESTING = "testing"
    LIVE_API = "live_api"
    LIVE_PNR = "live_pnr"

    @property
    def label(self) -> str:
        """The state as people read it: "live API"."""
        return {"registered": "registered", "testing": "testing", "live_api": "live API",
                "live_pnr": "live PNR"}[self.value]


class Party(Base):
    """An airline or service provider allowed to push messages for its carriers.

    ``state`` is its onboarding state; each ``*_since`` is when it entered that state. ``grace_period_end`` is the
    day until which a party that is not yet (fully) live is tolerated before its obligations are enforced.
    """

    __tablename__ = "party"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[PartyKind] = mapped_column(str_enum(PartyKind, "party_kind"))
    carriers: Mapped[list[str]] = mapped_column(Json, default=list)  # IATA codes it may send for
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    contact_name: Mapped[str | None] = mapped_column(String(100))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    contact_phone: Mapped[str | None] = mapped_column(String(40))
    state: Mapped[OnboardingState] = mapped_column(str_enum(OnboardingState, "onboarding_state"),
                                                   default=OnboardingState.REGISTERED)
    testing_since: Mapped[datetime | None]
    live_api_since: Mapped[datetime | None]
    live_pnr_since: Mapped[datetime | None]
    grace_period_end: Mapped[date | None]

    tokens: Mapped[list[ApiToken]] = relationship(back_populates="party", passive_deletes=True)

    def __repr__(self) -> str:
        return f"<Party {self.name} ({self.kind})>"


class ApiToken(Base):
    """A party's API token; only its hash is stored, and ``prefix`` (its first characters) to tell tokens apart."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    party_id: Mapped[int] = mapped_column(BigId, ForeignKey("party.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]

    party: Mapped[Party] = relationship(back_populates="tokens")
