"""Generated traffic as named EDIFACT files, ready to be written to a folder or fed to the loader."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Literal

from gtas.generator import paxlst_writer, pnrgov_writer
from gtas.generator.traffic import GeneratedFlight, generate_traffic
from gtas.parsers.records import FlightLeg

PART_SIZE = 150  # passengers per PAXLST part: bigger lists are split into multi-part messages


def flight_stem(leg: FlightLeg) -> str:
    """``LH0400_20261124``: carrier, four-digit number and local departure date."""
    day = f"{leg.departure:%Y%m%d}" if leg.departure else "00000000"
    return f"{leg.carrier}{int(leg.number or 0):04d}{leg.suffix or ''}_{day}"


def paxlst_files(flight: GeneratedFlight, part_size: int | None = PART_SIZE) -> Iterator[tuple[str, str]]:
    """The passenger list (in parts when long) and the crew list of one flight."""
    stem = flight_stem(flight.leg)
    for message in flight.api:
        kind = "CREW" if message.list_type == "crew" else "PAX"
        for number, text in enumerate(paxlst_writer.write(message, max_travellers_per_part=part_size), start=1):
            yield f"PAXLST_{stem}_{kind}_{number:02d}.edi", text


def pnrgov_file(flight: GeneratedFlight) -> tuple[str, str]:
    return f"PNRGOV_{flight_stem(flight.leg)}.edi", pnrgov_writer.write(flight.pnr)


def generate(kind: Literal["paxlst", "pnrgov"], flights: int, seed: int, start: datetime | None = None,
             ) -> Iterator[tuple[str, str]]:
    """(file name, EDIFACT text) for every file of the generated traffic, flight by flight."""
    if kind not in ("paxlst", "pnrgov"):
        raise ValueError(f"unknown kind {kind!r}: expected 'paxlst' or 'pnrgov'")
    for flight in generate_traffic(flights, seed, start).flights:
        if kind == "paxlst":
            yield from paxlst_files(flight)
        else:
            yield pnrgov_file(flight)
