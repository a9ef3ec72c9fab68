"""Rule evaluation throughput (500 rules over 100,000 travellers) against evaluating every rule, in the same run.

    .venv/bin/python benchmarks/rules.py [--rules 500] [--travellers 100000] [--flights 12] [--baseline 5000]
                                         [--database-url URL] [--seed 1]

Two parts. Facts: generated traffic of --flights flights is loaded into a database of its own (a temporary SQLite
file, or the PostgreSQL server of --database-url in a schema ``gtas_bench_rules``, dropped afterwards) and the facts
of all its travellers are built in bulk; the rate is reported (loading is not timed). Evaluation: those real facts
are cycled to --travellers travellers (copies with their own ids; the facts are what the database gave), and
--rules rules of mixed shapes are drawn from values that occur in them: anchored rules (nationality, route country,
carrier, agency … in a list, with a second condition) and rules the index cannot narrow (OR and NOT groups, numeric
thresholds, regular expressions). The indexed engine evaluates all of them, with explanations for the hits; the
baseline, measured on the first --baseline travellers and scaled, evaluates every rule on every traveller.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import make_url, select, text
from sqlalchemy.orm import Session

from gtas import db
from gtas.generator import generate_traffic, paxlst_writer, pnrgov_writer
from gtas.ingest import process, receive
from gtas.model import Traveller
from gtas.rules.conditions import ReferenceItems, parse
from gtas.rules.engine import CompiledRule, RuleIndex, evaluate_rules
from gtas.rules.facts import build_facts

SCHEMA = "gtas_bench_rules"
CARD_KEY = b"benchmark-card-key"
START = datetime(2026, 11, 24)
HOME = "USA"


@contextmanager
def _database(url: str | None) -> Iterator[str]:
    """A fresh database: a temporary SQLite file, or a schema of our own on the PostgreSQL server."""
    if url is None:
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite:///{Path(folder) / 'rules.db'}"
        return
    admin = db.make_engine(url)
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{SCHEMA}" CASCADE'))
        connection.execute(text(f'CREATE SCHEMA "{SCHEMA}"'))
    try:
        yield db.normalise_url(url).update_query_dict({"options": f"-csearch_path={SCHEMA}"}).render_as_string(
            hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{SCHEMA}" CASCADE'))
        admin.dispose()


def load_facts(url: str, flights: int, seed: int) -> tuple[dict[int, dict[str, Any]], float, float]:
    """Load generated traffic, then build the facts of every traveller; returns them, wall and CPU seconds."""
    engine = db.make_engine(url)
    db.upgrade(engine)
    try:
        with Session(engine) as session:
            for flight in generate_traffic(flights, seed=seed, start=START, home_country=HOME).flights:
                texts = [t for message in flight.api for t in paxlst_writer.write(message)]
                for data in [*texts, pnrgov_writer.write(flight.pnr)]:
                    process(session, receive(session, data.encode(), channel="cli"), CARD_KEY, home_country=HOME)
            session.commit()
            ids = session.scalars(select(Traveller.id)).all()
            started, cpu = time.perf_counter(), time.process_time()
            facts = build_facts(session, ids)
            return facts, time.perf_counter() - started, time.process_time() - cpu
    finally:
        engine.dispose()


def _values(facts: list[dict[str, Any]], key: str) -> list[Any]:
    seen: dict[Any, None] = {}
    for f in facts:
        value = f.get(key)
        for v in value if isinstance(value, list) else [value]:
            if v is not None:
                seen[v] = None
    return list(seen)


def make_rules(facts: list[dict[str, Any]], count: int, rng: random.Random
               ) -> tuple[list[dict[str, Any]], dict[str, ReferenceItems]]:
    """Condition trees of mixed shapes over values that occur in the facts, and the reference lists they name."""
    def pick(key: str, k: int) -> list[Any]:
        values = _values(facts, key)
        return rng.sample(values, min(k, len(values)))

    countries = [code for code in _values(facts, "derived.route_countries") if code != HOME]  # every route has it
    lists = {f"countries {n}": ReferenceItems("country", frozenset(rng.sample(countries, min(4, len(countries)))))
             for n in range(20)}

    def c(field: str, operator: str, value: Any) -> dict[str, Any]:
        return {"field": field, "operator": operator, "value": value}

    shapes = [
        lambda: {"and": [c("traveller.nationality", "in", pick("traveller.nationality", 2)),
                         c("traveller.gender", "equals", rng.choice(["M", "F"])),
                         c("traveller.age", "between", [(low := rng.randint(16, 70)), low + 5])]},
        lambda: {"and": [c("derived.route_countries", "in_reference_list", rng.choice(list(lists))),
                         c("derived.paid_in_cash", "equals", True),
                         c("derived.hours_booking_to_departure", "less_than", rng.randint(24, 120))]},
        lambda: {"and": [c("flight.carrier", "equals", rng.choice(_values(facts, "flight.carrier"))),
                         c("derived.hours_booking_to_departure", "less_than", rng.randint(12, 72)),
                         c("derived.trip_type", "equals", "one_way")]},
        lambda: {"and": [c("agency.location", "in", pick("agency.location", 1)),
                         c("derived.trip_type", "equals", "open_jaw"), c("derived.party_size", "equals", 1)]},
        lambda: {"and": [c("flight.origin", "in", pick("flight.origin", 2)),
                         c("bag.count", "greater_than", rng.randint(2, 3)),
                         c("derived.trip_length_days", "less_than", rng.randint(2, 6))]},
        lambda: {"and": [{"or": [c("derived.party_size", "greater_than", rng.randint(6, 9)),
                                 c("derived.trip_length_days", "greater_than", rng.randint(60, 120))]},
                         c("traveller.age", "less_than", rng.randint(20, 30))]},
        lambda: {"and": [c("traveller.age", "less_than", rng.randint(18, 30)),
                         c("derived.connection_dwell_hours", "greater_than", rng.randint(8, 16))]},
        lambda: {"and": [{"not": c("document.issuing_country", "in", pick("document.issuing_country", 8))},
                         c("derived.paid_in_cash", "equals", True), c("derived.trip_type", "equals", "one_way"),
                         c("traveller.age", "less_than", rng.randint(20, 35))]},
        lambda: {"and": [c("derived.hours_booking_to_departure", "less_than", rng.randint(6, 48)),
                         c("contact.email_domain", "matches", rf"\.{rng.choice(['com', 'net', 'org', 'de'])}$")]},
    ]
    anchored = 5  # the first shapes have an equals / in / reference-list anchor
    trees = [shapes[rng.randrange(anchored)]() if rng.random() < 0.7 else shapes[rng.randrange(anchored, len(shapes))]()
             for _ in range(count)]
    return trees, lists


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rules", type=int, default=500)
    parser.add_argument("--travellers", type=int, default=100_000)
    parser.add_argument("--flights", type=int, default=12, help="generated flights loaded for the facts part")
    parser.add_argument("--baseline", type=int, default=5_000, help="travellers the every-rule baseline evaluates")
    parser.add_argument("--database-url", default=None, help="PostgreSQL server (default: a temporary SQLite file)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)

    with _database(args.database_url) as url:
        real, facts_seconds, facts_cpu = load_facts(url, args.flights, args.seed)
    backend = make_url(url).get_backend_name()
    rate = len(real) / facts_seconds
    print(f"facts: {len(real):,} loaded travellers built in {facts_seconds:.2f} s wall, {facts_cpu:.2f} s CPU on "
          f"{backend} ({rate:,.0f} travellers/s; 100,000 would take ≈{100_000 / rate:.0f} s)")

    pool = list(real.values())
    facts = {n: pool[n % len(pool)] for n in range(args.travellers)}
    trees, lists = make_rules(pool, args.rules, rng)
    rules = [CompiledRule(n, n, f"bench-{n}", 1, f"rule {n}", float(rng.randint(1, 30)), "medium", parse(tree, lists))
             for n, tree in enumerate(trees)]
    index = RuleIndex(rules)

    started, cpu = time.perf_counter(), time.process_time()
    results = evaluate_rules(index, facts)
    engine_seconds, engine_cpu = time.perf_counter() - started, time.process_time() - cpu

    sample = dict(list(facts.items())[:args.baseline])
    started, cpu = time.perf_counter(), time.process_time()
    baseline_hits = sum(1 for f in sample.values() for rule in rules if rule.test(f))
    scale = len(facts) / len(sample)
    baseline_seconds, baseline_cpu = (time.perf_counter() - started) * scale, (time.process_time() - cpu) * scale
    engine_sample_hits = sum(1 for r in results if r.traveller_id < len(sample))
    if engine_sample_hits != baseline_hits:
        print(f"MISMATCH: engine {engine_sample_hits} hits, baseline {baseline_hits} on the same travellers")
        return 1

    print(f"rules: {len(rules)} ({len(rules) - len(index.always)} anchored by the index, {len(index.always)} not)")
    flagged = len({r.traveller_id for r in results})
    print(f"engine:   {len(facts):,} travellers in {engine_seconds:.1f} s wall, {engine_cpu:.1f} s CPU "
          f"({len(facts) / engine_seconds:,.0f}/s); {len(results):,} hits with explanations, "
          f"{flagged / len(facts):.1%} of travellers hit by a rule")
    print(f"baseline: every rule on every traveller ≈{baseline_seconds:.1f} s wall, {baseline_cpu:.1f} s CPU "
          f"(measured on {len(sample):,}, scaled)")
    print(f"ratio:    {baseline_cpu / engine_cpu:.1f}x less CPU than the baseline; "
          f"goal < 60 s: {'met' if engine_seconds < 60 else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
