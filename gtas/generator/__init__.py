"""Realistic, deterministic API (PAXLST) and PNR (PNRGOV) traffic for demos, tests and benchmarks.

``generate_traffic(flights, seed)`` builds the records (``gtas.parsers.records``) of border-crossing flights:
per flight a passenger list, a crew list and one PNRGOV push. ``paxlst_writer.write`` and
``pnrgov_writer.write`` turn them into EDIFACT; ``generate(kind, flights, seed)`` yields named files.
``flight_with(passengers=400, pnrs=150, seed=…)`` gives one flight of exact size for benchmarks.
"""

from __future__ import annotations

from gtas.generator.files import generate
from gtas.generator.traffic import GeneratedFlight, Traffic, flight_with, generate_traffic

__all__ = ["GeneratedFlight", "Traffic", "flight_with", "generate", "generate_traffic"]
