"""How long a fuzzy name search takes with 1,000 flights and 200,000 travellers in the window (a benchmark, not a
test): ``python -m tests.web.search_benchmark DATABASE_URL`` on an empty database; it prints percentiles.

Travellers get names of the traffic generator's cultures; each search is a misspelt name of one of them, run
through the search service as the page runs it (default window, an officer covering every airport).
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import insert

from gtas.db import make_engine, make_sessionmaker
from gtas.generator.names import CULTURES
from gtas.generator.people import given_for, surname_for
from gtas.model import Base, Direction, Flight, Traveller, User
from gtas.web.search.query import SearchKind, SearchQuery
from gtas.web.search.service import search

FLIGHTS = 1_000
TRAVELLERS = 200_000
SEARCHES = 40
NOW = datetime(2030, 1, 1, tzinfo=UTC)


def load(url: str, rng: random.Random) -> list[tuple[str, str]]:
    """Fill an empty database with the flights and travellers; the names given, for searching."""
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    cultures = list(CULTURES.values())
    names = []
    with engine.begin() as connection:
        connection.execute(insert(Flight), [
            {"id": i + 1, "carrier": "ZZ", "number": str(i + 1), "origin": "LHR", "destination": "JFK",
             "departure_date": date(2030, 1, 1), "arrival_utc": NOW + timedelta(minutes=4 * i),
             "direction": Direction.INBOUND} for i in range(FLIGHTS)])
        rows = []
        for i in range(TRAVELLERS):
            culture = rng.choice(cultures)
            given, surname = given_for(rng, culture, rng.choice("MF")), surname_for(rng, culture)
            names.append((given, surname))
            rows.append({"id": i + 1, "flight_id": i % FLIGHTS + 1, "identity_key": f"k{i}", "surname": surname,
                         "given_names": given})
        for start in range(0, TRAVELLERS, 20_000):
            connection.execute(insert(Traveller), rows[start:start + 20_000])
    engine.dispose()
    return names


def misspelt(name: str, rng: random.Random) -> str:
    """The name with two neighbouring letters swapped."""
    if len(name) < 4:
        return name
    i = rng.randrange(1, len(name) - 2)
    return name[:i] + name[i + 1] + name[i] + name[i + 2:]


def main(url: str) -> None:
    """Load, then time a first search and SEARCHES more name searches; print the percentiles."""
    rng = random.Random(7)
    started = time.perf_counter()
    names = load(url, rng)
    print(f"loaded {FLIGHTS} flights, {TRAVELLERS} travellers in {time.perf_counter() - started:.1f} s")
    engine = make_engine(url)
    sessions = make_sessionmaker(engine)
    officer = User(username="bench", display_name="Bench", password_hash="-", roles=["officer"], airports=[])
    with sessions() as session:  # the first search of a window reads its names; later ones reuse them
        began = time.perf_counter()
        search(session, SearchQuery(SearchKind.NAME, "warm up", NOW.date() - timedelta(days=7),
                                    NOW.date() + timedelta(days=3)), officer)
        print(f"first search (reads the window's names): {(time.perf_counter() - began) * 1000:.0f} ms")
    timings, found = [], 0
    for given, surname in rng.sample(names, SEARCHES):
        text = f"{given.split()[0]} {misspelt(surname, rng)}"
        query = SearchQuery(SearchKind.NAME, text, NOW.date() - timedelta(days=7), NOW.date() + timedelta(days=3))
        with sessions() as session:
            began = time.perf_counter()
            results = search(session, query, officer)
            timings.append(time.perf_counter() - began)
        found += any(row.traveller.surname == surname for row in results.rows)
    engine.dispose()
    timings.sort()
    p95 = timings[int(len(timings) * 0.95) - 1]
    print(f"{SEARCHES} name searches over {TRAVELLERS} travellers: median {statistics.median(timings) * 1000:.0f} ms,"
          f" p95 {p95 * 1000:.0f} ms, max {timings[-1] * 1000:.0f} ms; the misspelt traveller found {found}/{SEARCHES}")


if __name__ == "__main__":
    main(sys.argv[1])
