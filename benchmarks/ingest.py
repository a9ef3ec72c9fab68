"""Loading throughput end to end (store raw → parse → load) against a plain COPY, measured in the same run.

    .venv/bin/python benchmarks/ingest.py [--flights 500] [--workers 1] [--consumers 2] [--database-url URL]
                                          [--seed 1]

Generates a day of traffic (one API passenger list and three PNR pushes per flight: T-72h, T-24h and T-0; later
pushes repeat the earlier bookings with a few changes, late bookings and cancellations), creates a database of its
own on the PostgreSQL server of ``--database-url`` (``gtas_bench_ingest``, dropped afterwards), and loads every
message in time order the way a worker process does: each of its consumer threads (``--consumers``, by default as
many as ``gtas worker`` runs) takes the next message, stores its bytes in one transaction and parses and loads it
in another; while one consumer waits for the database, another parses.
The ceiling is a bare ``COPY`` of as many traveller rows into a table shaped like ``traveller``, in the same
database: the best of three, because a COPY of a few thousand rows takes a fraction of a second and one run alone
varies by half on a shared machine. ``--workers 1,2,4`` runs each count of worker processes twice: each worker
loading its own flights, and all workers sharing every flight; ``--consumers 1,2`` runs each with each count of
consumers. Generation is not timed.

Reported per run: travellers/s (distinct API travellers of the day) and records/s (every traveller record loaded:
API list plus each push's PNR passengers), each also as a fraction of the COPY ceiling; the CPU time of a worker
process as a share of the run's time (near 100 %, the worker process is what limits the run, and the database server
waits for it); the CPU time of the database server's processes (read from /proc when the server runs on this
machine, as a share of the run's time: 150 % is one and a half cores); and the traveller and person rows at the end,
which must be the same for every run.

After the first run, two figures bound what any worker could reach with this data model on this machine:
- the floor: the rows the day left in the tables loading fills, copied back with a bare COPY into empty tables like
  them (indexes included, foreign keys left out), one transaction per table. The database does at least this much
  (it also merges: upserts, rewritten views, look-ups), whatever the worker does;
- the CPU budget: at 1/40 of the ceiling the day must load in so many seconds, which on this machine's cores allow so
  many CPU-seconds for the worker and the database server together (when both run here).
"""

from __future__ import annotations

import argparse
import dataclasses
import multiprocessing
import multiprocessing.synchronize
import os
import queue
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import psycopg
from sqlalchemy import ForeignKeyConstraint, make_url, text
from sqlalchemy.pool import NullPool

from gtas import config, db, reference
from gtas.generator import generate_traffic, paxlst_writer, pnrgov_writer
from gtas.generator.traffic import GeneratedFlight
from gtas.ingest import process, receive
from gtas.model import Base, Message, MessageStatus
from gtas.model.base import is_bulk_reference
from gtas.parsers.records import Pnr

DATABASE = "gtas_bench_ingest"
CARD_KEY = b"benchmark-card-key"
HOME = "USA"
LATE_SHARE = (0.15, 0.05)  # bookings not yet made at T-72h, at T-24h
CHANGED_SHARE = 0.1  # bookings that change between two pushes (check-in adds seats and bags)
CANCELLED_SHARE = 0.05  # bookings at T-72h that are gone by T-24h
GOAL = 40  # issue 3: a worker process loads at least 1/40 of the COPY ceiling


@dataclass(slots=True)
class Delivery:
    """One message to load: when it was prepared, for which flight, its bytes and how many travellers it names."""

    at: datetime
    flight: int
    data: bytes
    records: int


@dataclass(slots=True)
class Day:
    """The generated traffic: deliveries in time order and the count of distinct (API) travellers."""

    deliveries: list[Delivery]
    travellers: int

    @property
    def records(self) -> int:
        return sum(d.records for d in self.deliveries)


def _earlier(pnr: Pnr, modified: datetime) -> Pnr:
    """The booking as an earlier push had it: before check-in (no seats, no bags), modified earlier."""
    return dataclasses.replace(pnr, seats=[], bags=[], last_modified=modified)


def _cancelled(pnr: Pnr) -> Pnr:
    """A booking that will be cancelled: another flight's booking under a locator of its own."""
    return dataclasses.replace(pnr, record_locator=f"X{(pnr.record_locator or '')[1:]}")


def _pushes(flight: GeneratedFlight, neighbour: GeneratedFlight) -> list[tuple[datetime, list[Pnr]]]:
    """The three pushes of a flight's bookings, oldest first."""
    final = flight.pnr.pnrs
    departure = flight.leg.departure
    assert departure is not None
    count = len(final)
    cancelled = [_cancelled(p) for p in neighbour.pnr.pnrs[: max(1, int(count * CANCELLED_SHARE))]]
    pushes = []
    for hours, late in zip((72, 24), LATE_SHARE, strict=True):
        at = departure - timedelta(hours=hours)
        booked = final[: count - int(count * late)]
        changed = int(len(booked) * CHANGED_SHARE)
        pnrs = [_earlier(p, at - timedelta(hours=1)) if n % max(1, len(booked) // max(1, changed)) == 0 else p
                for n, p in enumerate(booked)]
        pushes.append((at, pnrs + (cancelled if hours == 72 else [])))
    pushes.append((departure, list(final)))
    return pushes


def generate(flights: int, seed: int) -> Day:
    """The day's messages: per flight one API passenger list and three PNR pushes."""
    traffic = generate_traffic(flights, seed)
    deliveries: list[Delivery] = []
    travellers = 0
    for n, flight in enumerate(traffic.flights):
        passengers = flight.passenger_list
        travellers += len(passengers.travellers)
        at = passengers.prepared or datetime.min
        deliveries += [Delivery(at, n, part.encode(), len(passengers.travellers))
                       for part in paxlst_writer.write(passengers)]
        neighbour = traffic.flights[(n + 1) % len(traffic.flights)]
        for at, pnrs in _pushes(flight, neighbour):
            push = dataclasses.replace(flight.pnr, prepared=at, pnrs=pnrs, declared_pnrs=len(pnrs),
                                       interchange_reference=f"{at:%y%m%d%H}{n:04d}")
            deliveries.append(Delivery(at, n, pnrgov_writer.write(push).encode(),
                                       sum(len(p.travellers) for p in pnrs)))
    deliveries.sort(key=lambda d: (d.at, d.flight))
    return Day(deliveries, travellers)


@contextmanager
def bench_database(server_url: str) -> Iterator[str]:
    """A database of our own on the server, with the GTAS schema and reference data; dropped afterwards."""
    url = db.normalise_url(server_url)
    if url.get_backend_name() != "postgresql":
        raise SystemExit("--database-url must be a PostgreSQL URL (the ceiling is PostgreSQL's COPY)")
    admin = db.make_engine(url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {DATABASE}"))
        connection.execute(text(f"CREATE DATABASE {DATABASE}"))
    bench_url = url.set(database=DATABASE).render_as_string(hide_password=False)
    try:
        engine = db.make_engine(bench_url, poolclass=NullPool)
        db.upgrade(engine)
        with db.make_sessionmaker(engine).begin() as session:
            reference.load_reference_data(session)
        engine.dispose()
        yield bench_url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)"))
        admin.dispose()


def empty(url: str) -> None:
    """Remove what earlier rounds loaded (reference data stays).

    TRUNCATE follows foreign keys only: the tables whose references are triggers on PostgreSQL are named too.
    """
    bulk = sorted(table.name for table in Base.metadata.sorted_tables if any(
        isinstance(constraint, ForeignKeyConstraint) and is_bulk_reference(constraint)
        for constraint in table.constraints))
    engine = db.make_engine(url, poolclass=NullPool)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE message, flight, person, pnr, {', '.join(bulk)} CASCADE"))
    engine.dispose()


@dataclass(slots=True)
class Loaded:
    """What one worker process did: the messages that failed, and the CPU seconds it spent loading."""

    failed: int
    cpu: float


def server_cpu(url: str) -> float | None:
    """CPU seconds the database server's processes have spent so far, when it runs on this machine (Linux's /proc).

    A backend that has ended is counted in its parent's time for reaped children, so the sum over the server's
    processes of their own and their reaped children's time only grows. None when the server is elsewhere.
    """
    if make_url(url).host not in ("127.0.0.1", "localhost", "::1", None):
        return None
    ticks, total = os.sysconf("SC_CLK_TCK"), 0
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            if (proc / "comm").read_text().strip() != "postgres":
                continue
            fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # ended meanwhile, or not ours to read
            continue
        total += sum(int(n) for n in fields[11:15])  # utime, stime, cutime, cstime
    return total / ticks if total else None


def load(url: str, deliveries: list[Delivery], consumers: int,
         ready: multiprocessing.synchronize.Barrier | None = None) -> Loaded:
    """Receive and process each delivery as a worker process does, with this many consumer threads taking the next
    delivery in turn (as from the queue)."""
    engine = db.make_engine(url)
    sessions = db.make_sessionmaker(engine)
    pending: queue.SimpleQueue[Delivery] = queue.SimpleQueue()
    for delivery in deliveries:
        pending.put(delivery)
    failures: list[int] = []

    def consume() -> None:
        failed = 0
        while True:
            try:
                delivery = pending.get_nowait()
            except queue.Empty:
                break
            with db.one_connection(sessions) as on_one:  # one checkout per delivery, as `gtas worker` does
                with on_one.begin() as session:
                    message_id = receive(session, delivery.data, channel="cli").id
                with on_one.begin() as session:
                    message = process(session, session.get_one(Message, message_id), CARD_KEY, home_country=HOME)
                    failed += message.status in (MessageStatus.FAILED_LOAD, MessageStatus.FAILED_PARSE)
        failures.append(failed)

    threads = [threading.Thread(target=consume) for _ in range(consumers)]
    if ready is not None:
        ready.wait()
    cpu = time.process_time()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    cpu = time.process_time() - cpu
    engine.dispose()
    return Loaded(sum(failures), cpu)


def _worker(url: str, deliveries: list[Delivery], consumers: int, ready: multiprocessing.synchronize.Barrier,
            results: multiprocessing.Queue[Loaded]) -> None:
    results.put(load(url, deliveries, consumers, ready))


def load_parallel(url: str, shares: list[list[Delivery]], consumers: int) -> tuple[float, Loaded]:
    """Seconds for worker processes, one per share, to load their shares at once; and what they did in all."""
    context = multiprocessing.get_context("fork")
    ready = context.Barrier(len(shares) + 1)
    results: multiprocessing.Queue[Loaded] = context.Queue()
    workers = [context.Process(target=_worker, args=(url, share, consumers, ready, results)) for share in shares]
    for worker in workers:
        worker.start()
    ready.wait()
    started = time.perf_counter()
    loaded = [results.get() for _ in workers]
    seconds = time.perf_counter() - started
    for worker in workers:
        worker.join()
    return seconds, Loaded(sum(each.failed for each in loaded), sum(each.cpu for each in loaded))


def copy_rate(url: str, rows: int, attempts: int = 3) -> float:
    """Rows per second of the fastest of a few COPYs of ``rows`` traveller rows."""
    return max(rows / copy_ceiling(url, rows) for _ in range(attempts))


def copy_ceiling(url: str, rows: int) -> float:
    """Seconds to COPY ``rows`` traveller-shaped rows into a table like ``traveller`` (with its indexes)."""
    conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as connection:
        connection.execute("DROP TABLE IF EXISTS traveller_copy")
        connection.execute("CREATE TABLE traveller_copy (LIKE traveller INCLUDING ALL)")
        columns = ("flight_id", "role", "identity_key", "surname", "given_names", "date_of_birth", "gender",
                   "nationality", "record_locator", "reference", "bag_tags", "created_at", "updated_at")
        now = datetime.now().astimezone()
        started = time.perf_counter()
        with connection.transaction(), connection.cursor().copy(
                f"COPY traveller_copy ({', '.join(columns)}) FROM STDIN") as copy:
            for n in range(rows):
                copy.write_row((n // 200, "passenger", f"R:{n:09d}", f"SURNAME{n % 9973}", f"GIVEN{n % 997}",
                                datetime(1950 + n % 60, 1 + n % 12, 1 + n % 28).date(), "MF"[n % 2], "USA",
                                f"L{n:06d}", f"{n:010d}", "[]", now, now))
        seconds = time.perf_counter() - started
        connection.execute("DROP TABLE traveller_copy")
    return seconds


def loaded_tables(url: str) -> list[str]:
    """The tables loading fills: empty now (after ``empty``), unlike the reference data."""
    conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as connection:
        return [table.name for table in Base.metadata.sorted_tables
                if connection.execute(f"SELECT NOT EXISTS (SELECT FROM {table.name})").fetchone() == (True,)]


def copy_floor(url: str, tables: list[str]) -> tuple[int, int, float]:
    """The rows a load left in these tables, how many of them it filled, and the seconds to COPY the rows into
    empty tables like them."""
    conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    rows, filled, seconds = 0, 0, 0.0
    with psycopg.connect(conninfo, autocommit=True) as connection:
        for table in tables:
            count = connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # type: ignore[index]
            if not count:
                continue
            rows, filled = rows + count, filled + 1
            with connection.cursor().copy(f"COPY {table} TO STDOUT (FORMAT binary)") as out:
                data = b"".join(bytes(block) for block in out)
            connection.execute(f"CREATE TABLE floor_copy (LIKE {table} INCLUDING ALL)")
            started = time.perf_counter()
            with connection.transaction(), connection.cursor().copy(
                    "COPY floor_copy FROM STDIN (FORMAT binary)") as copy:
                copy.write(data)
            seconds += time.perf_counter() - started
            connection.execute("DROP TABLE floor_copy")
    return rows, filled, seconds


def tally(url: str) -> tuple[int, int]:
    """Traveller and person rows: the same after every run, whatever the number of workers."""
    engine = db.make_engine(url, poolclass=NullPool)
    with engine.connect() as connection:
        travellers = connection.execute(text("SELECT count(*) FROM traveller")).scalar_one()
        persons = connection.execute(text("SELECT count(*) FROM person")).scalar_one()
    engine.dispose()
    return travellers, persons


def report(label: str, day: Day, seconds: float, ceiling: float, workers: int, loaded: Loaded,
           server: float | None, url: str) -> None:
    rate, records = day.travellers / seconds, day.records / seconds
    busy = loaded.cpu / workers / seconds  # a worker process near 100 % is the bottleneck, not the database
    database, spent = ("", "") if server is None else (f"{server / seconds:.0%}", f"{loaded.cpu + server:.1f}")
    travellers, persons = tally(url)
    print(f"{label:<40} {seconds:7.1f} s {rate:12,.0f} {records:10,.0f} {f'1/{ceiling / rate:.0f}':>13} "
          f"{f'1/{ceiling / records:.0f}':>10} {busy:12.0%} {database:>7} {spent:>6} {loaded.failed:7} "
          f"{travellers:>10,} {persons:>8,}", flush=True)


def report_budget(day: Day, ceiling: float) -> None:
    """The CPU budget of the goal (see the module's docstring)."""
    budget, cores = day.travellers / (ceiling / GOAL), os.cpu_count() or 1
    print(f"goal: 1/{GOAL} of COPY is the day in {budget:.1f} s, so at most {cores * budget:.1f} CPU-seconds on "
          f"{cores} cores for the worker and the database together (column CPU s)", flush=True)


def report_floor(day: Day, ceiling: float, url: str, tables: list[str]) -> None:
    """The floor of the data model (see the module's docstring), from what the run before left."""
    rows, filled, seconds = copy_floor(url, tables)
    print(f"  floor: the {rows:,} rows the day left in {filled} tables ({rows / day.travellers:.0f} per "
          f"traveller), copied into empty tables like them: {seconds:.2f} s, or {day.travellers / seconds:,.0f} "
          f"travellers/s (1/{ceiling * seconds / day.travellers:.0f} of COPY) for the database alone", flush=True)


def _since(before: float | None, after: float | None) -> float | None:
    return None if before is None or after is None else after - before


def main() -> int:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--flights", type=int, default=500, help="flights of the day (default 500)")
    options.add_argument("--workers", default="1", help="worker process counts to compare, e.g. 1,2,4 (default 1)")
    options.add_argument("--consumers", default=config.setting("GTAS_WORKER_THREADS"),
                         help="consumer threads per worker process to compare, e.g. 1,2 (default: the default of "
                              "GTAS_WORKER_THREADS, as `gtas worker` runs them)")
    options.add_argument("--database-url", default="postgresql://postgres@127.0.0.1:5432/test",
                         help=f"a PostgreSQL server; the benchmark creates and drops the database {DATABASE}")
    options.add_argument("--seed", type=int, default=1)
    args = options.parse_args()
    counts = [int(n) for n in args.workers.split(",")]
    consumer_counts = [int(n) for n in args.consumers.split(",")]

    print(f"generating {args.flights} flights …", flush=True)
    day = generate(args.flights, args.seed)
    print(f"messages {len(day.deliveries):,}  travellers {day.travellers:,}  traveller records {day.records:,} "
          f"(API + PNR)", flush=True)
    print(f"load average at the start (1, 5, 15 min): {' '.join(f'{n:.1f}' for n in os.getloadavg())} "
          f"on {os.cpu_count()} cores", flush=True)
    with bench_database(args.database_url) as url:
        ceiling = copy_rate(url, day.travellers)
        print(f"COPY ceiling (best of 3): {ceiling:,.0f} rows/s")
        report_budget(day, ceiling)
        print(f"{'run':<40} {'time':>9} {'travellers/s':>12} {'records/s':>10} {'of COPY (tr)':>13} "
              f"{'(records)':>10} {'worker CPU':>12} {'db CPU':>7} {'CPU s':>6} {'failed':>7} {'travellers':>10} "
              f"{'persons':>8}")
        empty(url)
        tables, floored = loaded_tables(url), False
        for workers in counts:
            for consumers in consumer_counts:
                each = f"× {consumers} consumer{'s' if consumers > 1 else ''}"
                if workers == 1:
                    empty(url)
                    started, server = time.perf_counter(), server_cpu(url)
                    loaded = load(url, day.deliveries, consumers)
                    seconds, server = time.perf_counter() - started, _since(server, server_cpu(url))
                    report(f"1 worker {each}", day, seconds, ceiling, 1, loaded, server, url)
                    if not floored:
                        report_floor(day, ceiling, url, tables)
                        floored = True
                    continue
                for mode in ("own flights", "shared flights"):
                    empty(url)
                    shares: list[list[Delivery]] = [[] for _ in range(workers)]
                    for n, delivery in enumerate(day.deliveries):
                        shares[(delivery.flight if mode == "own flights" else n) % workers].append(delivery)
                    server = server_cpu(url)
                    seconds, loaded = load_parallel(url, shares, consumers)
                    server = _since(server, server_cpu(url))
                    report(f"{workers} workers {each}, {mode}", day, seconds, ceiling, workers, loaded, server, url)
        print(f"COPY ceiling again at the end (best of 3): {copy_rate(url, day.travellers):,.0f} rows/s")
        print(f"load average at the end (1, 5, 15 min): {' '.join(f'{n:.1f}' for n in os.getloadavg())} "
              f"on {os.cpu_count()} cores")
    return 0


if __name__ == "__main__":
    sys.exit(main())
