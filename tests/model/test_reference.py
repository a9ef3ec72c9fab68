"""Reference data: time zones and directions without a database, and idempotent loading into one."""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from importlib import resources

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gtas import reference
from gtas.generator.schedule import CARRIERS
from gtas.model import Airport, Carrier, Country, Direction


def test_airport_local_time_to_utc() -> None:
    assert reference.to_utc(datetime(2026, 7, 1, 10, 0), "JFK") == datetime(2026, 7, 1, 14, 0, tzinfo=UTC)
    assert reference.to_utc(datetime(2026, 1, 15, 10, 0), "jfk") == datetime(2026, 1, 15, 15, 0, tzinfo=UTC)
    assert reference.to_utc(datetime(9999, 12, 31, 23, 0), "JFK") is None  # 10000-01-01 in UTC: no such datetime
    assert reference.to_utc(datetime(1, 1, 1, 1, 0), "NRT") is None  # year 0 in UTC
    assert reference.to_utc(datetime(2026, 7, 1, 10, 0), "LHR") == datetime(2026, 7, 1, 9, 0, tzinfo=UTC)
    assert reference.to_utc(datetime(2026, 7, 1, 10, 0), "ZZZ") is None


def test_airport_country_and_flight_direction() -> None:
    assert reference.airport_country("FRA") == "DEU"
    assert reference.airport_country("PRN") == "RKS"
    assert reference.flight_direction("FRA", "JFK", "USA") is Direction.INBOUND
    assert reference.flight_direction("JFK", "FRA", "USA") is Direction.OUTBOUND
    assert reference.flight_direction("JFK", "LAX", "USA") is Direction.DOMESTIC
    assert reference.flight_direction("FRA", "LHR", "USA") is Direction.OVERFLIGHT
    assert reference.flight_direction("FRA", "ZZZ", "USA") is None


def test_reference_data_loads_once(session: Session) -> None:
    first = reference.load_reference_data(session)
    airports = session.scalar(select(func.count()).select_from(Airport))
    assert first.added["airports"] == airports and airports is not None and airports > 7000
    assert session.scalar(select(func.count()).select_from(Country)) == first.added["countries"]
    assert session.scalar(select(func.count()).select_from(Carrier)) == first.added["carriers"]
    jfk = session.get(Airport, "JFK")
    assert jfk is not None
    assert (jfk.timezone, jfk.country_alpha3, jfk.country_alpha2) == ("America/New_York", "USA", "US")
    assert session.get(Country, "XXA") is not None and session.get(Country, "DEU") is not None
    lufthansa = session.get(Carrier, "LH")
    assert lufthansa is not None and (lufthansa.icao, lufthansa.numeric) == ("DLH", "220")

    second = reference.load_reference_data(session)
    assert second.unchanged

    jfk.name = "Renamed"
    session.flush()
    third = reference.load_reference_data(session)
    assert third.changed == {"countries": 0, "airports": 1, "carriers": 0}
    session.expire_all()
    assert session.get(Airport, "JFK").name != "Renamed"  # type: ignore[union-attr]


def test_carrier_list_is_well_formed_and_covers_the_generated_traffic() -> None:
    rows = reference.carrier_rows()
    codes = [row["iata"] for row in rows]
    assert len(codes) == len(set(codes))
    countries = {row["alpha3"] for row in reference.country_rows()}
    assert all(row["country_alpha3"] in countries for row in rows)
    assert set(CARRIERS) <= set(codes)
    generated = {code: carrier.numeric for code, carrier in CARRIERS.items()}
    assert all(row["numeric"] == generated[row["iata"]] for row in rows if row["iata"] in generated)
    text = (resources.files("gtas") / "data" / "carriers.csv").read_text(encoding="utf-8")
    assert next(csv.reader(text.splitlines())) == ["iata", "icao", "numeric", "name", "country"]
