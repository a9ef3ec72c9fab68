"""Reference data from maintained packages: countries (pycountry), airports with time zones (airportsdata), carriers.

The look-ups (``airport_timezone``, ``to_utc``, ``airport_country``, ``flight_direction``) need no database, so the
loader can use them on its hot path; ``load_reference_data`` copies the same data into the reference tables.
Carriers come from ``gtas/data/carriers.csv`` (no maintained package publishes IATA airline designators).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import airportsdata
import pycountry
from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from gtas.model.base import Base
from gtas.model.flight import Direction
from gtas.model.reference import Airport, Carrier, Country

# Codes of ICAO Doc 9303 that travel documents use besides ISO 3166 (nationality and issuing state fields).
DOCUMENT_CODES = {
    "D": "Germany (machine-readable zone)",
    "EUE": "European Union",
    "GBD": "British Overseas Territories Citizen",
    "GBN": "British National (Overseas)",
    "GBO": "British Overseas Citizen",
    "GBP": "British Protected Person",
    "GBS": "British Subject",
    "UNA": "Specialized agency of the United Nations",
    "UNK": "Resident of Kosovo (UNMIK travel document)",
    "UNO": "United Nations Organization",
    "XBA": "African Development Bank",
    "XCC": "Caribbean Community",
    "XES": "Organisation of Eastern Caribbean States",
    "XIM": "African Export-Import Bank",
    "XOM": "Sovereign Military Order of Malta",
    "XPO": "Interpol",
    "XXA": "Stateless person",
    "XXB": "Refugee (1951 Convention)",
    "XXC": "Refugee (other)",
    "XXX": "Unspecified nationality",
}
# Territories with a code in common use but none in ISO 3166-1: alpha-2 → (alpha-3, name).
EXTRA_COUNTRIES = {"XK": ("RKS", "Kosovo")}


@dataclass(frozen=True, slots=True)
class ReferenceCounts:
    """How many rows of each kind the load added and changed."""

    added: dict[str, int]
    changed: dict[str, int]

    @property
    def unchanged(self) -> bool:
        return not any(self.added.values()) and not any(self.changed.values())


@cache
def _airports() -> dict[str, Any]:
    return dict(airportsdata.load("IATA"))


@cache
def _alpha3_by_alpha2() -> dict[str, str]:
    table = {country.alpha_2: country.alpha_3 for country in pycountry.countries}
    table.update({alpha2: alpha3 for alpha2, (alpha3, _) in EXTRA_COUNTRIES.items()})
    return table


@cache
def airport_timezone(code: str) -> ZoneInfo | None:
    """The time zone of an airport by IATA code, or None when the code is unknown."""
    airport = _airports().get(code.upper())
    if airport is None or not airport["tz"]:
        return None
    try:
        return ZoneInfo(airport["tz"])
    except ZoneInfoNotFoundError:
        return None


def to_utc(local: datetime, airport: str) -> datetime | None:
    """An airport-local naive time as an aware UTC datetime, or None when the airport is unknown or the time in UTC
    falls outside the calendar (year 1 or 9999)."""
    zone = airport_timezone(airport)
    if zone is None:
        return None
    try:
        return local.replace(tzinfo=zone).astimezone(UTC)
    except OverflowError:
        return None


def airport_country(code: str) -> str | None:
    """The ISO alpha-3 country of an airport by IATA code, or None when the code is unknown."""
    airport = _airports().get(code.upper())
    return None if airport is None else _alpha3_by_alpha2().get(airport["country"])


def flight_direction(origin: str, destination: str, home_country: str) -> Direction | None:
    """Whether a leg enters, leaves, stays in or passes by the home country; None when an airport is unknown."""
    leaves, arrives = airport_country(origin), airport_country(destination)
    if leaves is None or arrives is None:
        return None
    if leaves == home_country and arrives == home_country:
        return Direction.DOMESTIC
    if arrives == home_country:
        return Direction.INBOUND
    if leaves == home_country:
        return Direction.OUTBOUND
    return Direction.OVERFLIGHT


def country_rows() -> list[dict[str, Any]]:
    """Countries of ISO 3166-1, Kosovo, and the extra nationality codes of travel documents."""
    rows: list[dict[str, Any]] = [
        {"alpha3": c.alpha_3, "alpha2": c.alpha_2, "name": c.name} for c in pycountry.countries]
    rows += [{"alpha3": alpha3, "alpha2": alpha2, "name": name} for alpha2, (alpha3, name) in EXTRA_COUNTRIES.items()]
    rows += [{"alpha3": code, "alpha2": None, "name": name} for code, name in DOCUMENT_CODES.items()]
    return rows


def airport_rows() -> list[dict[str, Any]]:
    """Every airport with an IATA code, with its country and time zone."""
    alpha3 = _alpha3_by_alpha2()
    return [
        {
            "iata": code,
            "icao": airport["icao"] or None,
            "name": airport["name"][:120],
            "city": airport["city"][:100] or None,
            "country_alpha2": airport["country"],
            "country_alpha3": alpha3.get(airport["country"]),
            "timezone": airport["tz"],
            "latitude": float(airport["lat"]),
            "longitude": float(airport["lon"]),
        }
        for code, airport in sorted(_airports().items())
    ]


def carrier_rows() -> list[dict[str, Any]]:
    """The carriers listed in gtas/data/carriers.csv."""
    text = resources.files("gtas").joinpath("data/carriers.csv").read_text(encoding="utf-8")
    return [
        {"iata": row["iata"], "icao": row["icao"] or None, "numeric": row["numeric"] or None, "name": row["name"],
         "country_alpha3": row["country"] or None}
        for row in csv.DictReader(text.splitlines())
    ]


def load_reference_data(session: Session) -> ReferenceCounts:
    """Insert or update countries, airports and carriers in bulk; a second run changes nothing. Flushes only."""
    added: dict[str, int] = {}
    changed: dict[str, int] = {}
    for name, model, key, rows in (
        ("countries", Country, "alpha3", country_rows()),
        ("airports", Airport, "iata", airport_rows()),
        ("carriers", Carrier, "iata", carrier_rows()),
    ):
        added[name], changed[name] = _synchronise(session, model, key, rows)
    session.flush()
    return ReferenceCounts(added, changed)


def _synchronise(session: Session, model: type[Base], key: str, rows: Iterable[Mapping[str, Any]]) -> tuple[int, int]:
    """Bring a reference table in line with the rows (by primary key): bulk insert the new, bulk update the changed."""
    table = model.__table__
    existing = {row[key]: dict(row) for row in session.execute(select(table)).mappings()}
    new = [dict(row) for row in rows if row[key] not in existing]
    differing = [dict(row) for row in rows if row[key] in existing and existing[row[key]] != dict(row)]
    if new:
        session.execute(insert(model), new)
    if differing:
        session.execute(update(model), differing)
    return len(new), len(differing)
