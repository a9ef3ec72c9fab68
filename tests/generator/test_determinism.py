"""Same seed, same traffic; another seed, other traffic; no dependence on the clock when a start is given."""

from __future__ import annotations

from datetime import datetime

from gtas.generator import generate, generate_traffic
from gtas.generator.traffic import next_midnight

START = datetime(2026, 11, 24)


def _files(kind: str, seed: int) -> list[tuple[str, str]]:
    return list(generate(kind, 4, seed, START))  # type: ignore[arg-type]


def test_same_seed_gives_the_same_files() -> None:
    assert _files("paxlst", 5) == _files("paxlst", 5)
    assert _files("pnrgov", 5) == _files("pnrgov", 5)


def test_another_seed_gives_other_files() -> None:
    first, second = _files("pnrgov", 5), _files("pnrgov", 6)
    assert [text for _, text in first] != [text for _, text in second]
    assert _files("paxlst", 5) != _files("paxlst", 6)


def test_records_are_equal_for_the_same_seed() -> None:
    assert generate_traffic(3, 9, START) == generate_traffic(3, 9, START)


def test_flights_depart_from_the_start_day_on() -> None:
    traffic = generate_traffic(60, 3, START)
    departures = [f.leg.departure for f in traffic.flights]
    assert all(d is not None and d >= START for d in departures)
    assert len({d.date() for d in departures if d}) >= 2


def test_default_start_is_the_next_midnight() -> None:
    midnight = next_midnight()
    assert (midnight.hour, midnight.minute, midnight.second, midnight.microsecond) == (0, 0, 0, 0)
    assert midnight.tzinfo is None
    traffic = generate_traffic(1, 1)
    assert traffic.start in (midnight, next_midnight())


def test_file_names_name_the_flight_the_day_and_the_part() -> None:
    names = [name for name, _ in _files("paxlst", 5)]
    assert all(name.startswith("PAXLST_") and name.endswith(".edi") for name in names)
    assert any("_PAX_01.edi" in name for name in names)
    assert any("_CREW_01.edi" in name for name in names)
    assert len(names) == len(set(names))
    pnr_names = [name for name, _ in _files("pnrgov", 5)]
    assert all(name.startswith("PNRGOV_") for name in pnr_names)
    assert "_20261124" in names[0]
