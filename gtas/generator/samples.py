"""The hand-picked sample files in ``sample_messages/``: regenerate them with ``write_samples(folder)``."""

from __future__ import annotations

import dataclasses
import math
from datetime import datetime
from pathlib import Path

from gtas.generator import paxlst_writer, pnrgov_writer
from gtas.generator.traffic import GeneratedFlight, generate_traffic
from gtas.parsers.records import Message, Pnr, Role

SEED = 2026
START = datetime(2026, 11, 24)


def _push_of(flight: GeneratedFlight, pnrs: list[Pnr]) -> Message:
    """The flight's PNR push restricted to a few bookings (so that the sample stays readable)."""
    return dataclasses.replace(flight.pnr, pnrs=pnrs, declared_pnrs=len(pnrs))


def _pick(flights: list[GeneratedFlight], want: str, count: int) -> tuple[GeneratedFlight, list[Pnr]]:
    """The first flight with ``count`` bookings that show a feature: codeshare, infants or connections."""
    def shows(pnr: Pnr) -> bool:
        if want == "codeshare":
            return bool(pnr.codeshares)
        if want == "infants":
            return any(t.role is Role.INFANT for t in pnr.travellers)
        return len(pnr.itinerary) >= 3 and len({s.carrier for s in pnr.itinerary}) >= 1
    for flight in flights:
        chosen = [p for p in flight.pnr.pnrs if shows(p)][:count]
        if len(chosen) == count:
            return flight, chosen
    raise LookupError(f"no flight with {count} bookings showing {want}")


def sample_files() -> dict[str, str]:
    """File name → EDIFACT text of every sample."""
    flights = generate_traffic(40, SEED, START).flights
    small = min(flights, key=lambda f: len(f.passenger_list.travellers))
    big = max(flights, key=lambda f: len(f.passenger_list.travellers))
    files: dict[str, str] = {
        "paxlst_passenger_list.edi": paxlst_writer.write(small.passenger_list)[0],
        "paxlst_crew_list.edi": paxlst_writer.write(small.crew_list)[0],
    }
    part = math.ceil(len(big.passenger_list.travellers) / 3)
    for number, text in enumerate(paxlst_writer.write(big.passenger_list, max_travellers_per_part=part), 1):
        files[f"paxlst_three_parts_{number:02d}.edi"] = text
    for want, count in (("codeshare", 2), ("infants", 2), ("connections", 3)):
        flight, pnrs = _pick(flights, want, count)
        files[f"pnrgov_{want}.edi"] = pnrgov_writer.write(_push_of(flight, pnrs))
    return files


def write_samples(folder: str | Path) -> list[Path]:
    """Write the samples into ``folder`` (created if needed); returns the paths written."""
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in sample_files().items():
        path = target / name
        path.write_text(text, encoding="ascii")
        written.append(path)
    return written


if __name__ == "__main__":
    for path in write_samples(Path(__file__).resolve().parents[2] / "sample_messages"):
        print(path)
