"""Reference data loaded from packages: countries, airports (with time zones) and carriers."""

from __future__ import annotations

from sqlalchemy import Float, String
from sqlalchemy.orm import Mapped, mapped_column

from gtas.model.base import Base


class Country(Base):
    """A country or travel-document nationality code (ISO 3166, plus the ICAO 9303 codes such as D or XXA)."""

    __tablename__ = "country"

    alpha3: Mapped[str] = mapped_column(String(3), primary_key=True)
    alpha2: Mapped[str | None] = mapped_column(String(2), unique=True)
    name: Mapped[str] = mapped_column(String(100))


class Airport(Base):
    """An airport by IATA code, with its country and the time zone that turns local times into UTC."""

    __tablename__ = "airport"

    iata: Mapped[str] = mapped_column(String(3), primary_key=True)
    icao: Mapped[str | None] = mapped_column(String(4))
    name: Mapped[str] = mapped_column(String(120))
    city: Mapped[str | None] = mapped_column(String(100))
    country_alpha3: Mapped[str | None] = mapped_column(String(3), index=True)
    country_alpha2: Mapped[str] = mapped_column(String(2))
    timezone: Mapped[str] = mapped_column(String(64))
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)


class Carrier(Base):
    """An airline by IATA designator; ``numeric`` is its accounting code, seen in ticket and bag tag numbers."""

    __tablename__ = "carrier"

    iata: Mapped[str] = mapped_column(String(2), primary_key=True)
    icao: Mapped[str | None] = mapped_column(String(3))
    numeric: Mapped[str | None] = mapped_column(String(3))
    name: Mapped[str] = mapped_column(String(100))
    country_alpha3: Mapped[str | None] = mapped_column(String(3))
