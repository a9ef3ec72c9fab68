"""The officer's pages under load: the board, flight pages, traveller pages and the hits queue, for signed-in users.

The application runs under gunicorn; each user has a session of its own.

    .venv/bin/python benchmarks/ui.py [--flights 1000] [--users 20] [--seconds 60] [--think 1-3]
                                      [--server-workers 2] [--server-threads 4] [--processes 2]
                                      [--database-url URL] [--database NAME] [--rebuild] [--build-only]
                                      [--seed 1]

The data: ``gtas demo``'s traffic of ``--flights`` flights (aircraft-sized, about 270 travellers each at 1,000
flights) with its watchlist and rules, loaded through the real intake (``gtas.ingest.batch``) by ``--processes``
processes each taking its own flights, then assessed by as many processes (each flight once, all its messages in).
It is kept in a database of its own on the PostgreSQL server of ``--database-url`` (``--database``, default
``gtas_bench_ui``), marked complete (a comment on the database naming the flights and seed) once everything is in,
and reused by later runs with the same flights and seed; ``--rebuild`` drops it and builds it again (so does a
build older than 20 days, whose flights fall out of the board's window).
Building is not timed here: ``benchmarks/ingest.py`` measures loading.

The load: ``gtas serve --workers W --threads T`` (gunicorn) on the database, and users signed in as officers over
HTTP (``http.client``, one keep-alive connection and one session cookie per user, one thread per user). Each user
works as an officer does: the board (a random variant: the whole window, only flights with open hits, a later page,
one airport), a flight of it, two of its travellers (one flagged when the flight has any), and every fourth round the
hits queue. Three regimes, each for ``--seconds``: one user without pauses (the baseline), ``--users`` users without
pauses (saturation), and ``--users`` users pausing ``--think`` seconds (uniformly random) between pages, as officers
reading them. Reported per page and regime: requests, p50, p95, p99 and max latency in ms, errors (anything but 200)
and requests per second; and the CPU used by the load generator and by the server in each regime, because both
share the machine's cores.
"""

from __future__ import annotations

import argparse
import http.client
import multiprocessing
import os
import random
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from gtas import db, reference
from gtas.demo import DemoSummary, demo_traffic, load_traffic, put_rules, put_watchlist, watchlist_rows
from gtas.generator import GeneratedFlight
from gtas.model import Direction, Flight, FlightMessage, Hit, HitStatus, Message, MessageStatus, Traveller, UserRole
from gtas.model.base import Base
from gtas.rules.assessment import assess_travellers
from gtas.rules.loaded import ATTEMPTS, assess_loaded
from gtas.rules.rescreen import run_rescreens
from gtas.web.auth.accounts import create_user, find_user
from gtas.web.auth.passwords import hash_password

DATABASE = "gtas_bench_ui"
CARD_KEY = b"benchmark-card-key"
HOME = "USA"
MARK = "gtas benchmark ui: flights={flights} seed={seed} built={built}"
STALE_DAYS = 20  # a build older than this has its flights outside the board's longest window (30 days)
PASSWORD = "benchmark-officer-password"
PAGES = ("board", "flight", "traveller", "queue")
CSRF = re.compile(rb'name="csrf_token" value="([^"]+)"')
VENV_BIN = Path(sys.executable).parent


# --- the data ------------------------------------------------------------------------------------------------------


def _admin(server_url: str, database: str) -> tuple[str, str]:
    """The server's URL (of the database given) and the benchmark database's URL."""
    url = db.normalise_url(server_url)
    if url.get_backend_name() != "postgresql":
        raise SystemExit("--database-url must be a PostgreSQL URL")
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", database):
        raise SystemExit("--database must be a plain lower-case name")
    return (url.render_as_string(hide_password=False),
            url.set(database=database).render_as_string(hide_password=False))


def _mark(server: str, database: str) -> str | None:
    """The completion mark of the benchmark database (None when it does not exist or was never completed)."""
    engine = db.make_engine(server, poolclass=NullPool)
    with engine.connect() as connection:
        mark = connection.execute(text("SELECT shobj_description(oid, 'pg_database') FROM pg_database "
                                       "WHERE datname = :name"), {"name": database}).scalar()
    engine.dispose()
    return mark


def _reusable(mark: str | None, flights: int, seed: int) -> bool:
    """Whether a build with this mark has the flights and seed asked for and is recent enough."""
    found = re.fullmatch(MARK.format(flights=r"(\d+)", seed=r"(-?\d+)", built=r"(\S+)"), mark or "")
    if found is None or (int(found[1]), int(found[2])) != (flights, seed):
        return False
    return datetime.now(UTC) - datetime.fromisoformat(found[3]) < timedelta(days=STALE_DAYS)


def prepare(server_url: str, database: str, flights: int, seed: int, processes: int, rebuild: bool) -> str:
    """The benchmark database's URL: reused when complete for these flights and seed, else built now."""
    server, url = _admin(server_url, database)
    mark = _mark(server, database)
    if not rebuild and _reusable(mark, flights, seed):
        engine = db.make_engine(url, poolclass=NullPool)
        if db.current_revision(engine) != db.head_revision():
            print("bringing the schema of the benchmark database up to date …", flush=True)
            db.upgrade(engine)
            settle(url)
        with engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection, opts={"compare_type": True}),
                                           Base.metadata)
        engine.dispose()
        if not differences:
            print(f"reusing {database}: {mark} (--rebuild builds it again)", flush=True)
            return url
        print(f"{database} differs from the models (a migration changed after it was built): building it again",
              flush=True)
    admin = db.make_engine(server, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)"))
        connection.execute(text(f"CREATE DATABASE {database}"))
    engine = db.make_engine(url, poolclass=NullPool)
    db.upgrade(engine)
    with db.make_sessionmaker(engine).begin() as session:
        reference.load_reference_data(session)
    engine.dispose()
    build(url, flights, seed, processes)
    built = MARK.format(flights=flights, seed=seed, built=datetime.now(UTC).isoformat(timespec="seconds"))
    with admin.connect() as connection:
        connection.execute(text(f"COMMENT ON DATABASE {database} IS '{built}'"))  # digits, letters and signs only
    admin.dispose()
    return url


def build(url: str, flights: int, seed: int, processes: int) -> None:
    """The demo's traffic with its watchlist and rules, loaded and assessed by ``processes`` processes."""
    started = time.perf_counter()
    traffic = demo_traffic(flights, seed, datetime.now(UTC).replace(tzinfo=None), HOME)
    travellers = sum(len(f.passenger_list.travellers) + len(f.crew_list.travellers) for f in traffic)
    print(f"generated {flights:,} flights, {travellers:,} travellers in {time.perf_counter() - started:.0f} s; "
          f"loading with {processes} processes …", flush=True)
    engine = db.make_engine(url, poolclass=NullPool)
    with db.make_sessionmaker(engine).begin() as session:
        put_watchlist(session, watchlist_rows(traffic, seed))
        put_rules(session)
    run_rescreens(db.make_sessionmaker(engine))  # what the list and rules asked for, done before any traveller is in
    engine.dispose()
    started = time.perf_counter()
    _in_processes(_load_share, [(url, traffic[n::processes]) for n in range(processes)])
    loaded = time.perf_counter() - started
    print(f"loaded in {loaded:.0f} s ({travellers / loaded:,.0f} travellers/s); assessing …", flush=True)
    started = time.perf_counter()
    engine = db.make_engine(url, poolclass=NullPool)
    with Session(engine) as session:
        flight_ids = list(session.scalars(select(Flight.id).order_by(Flight.id)))
    engine.dispose()
    _in_processes(_assess, [(url, flight_ids[n::processes]) for n in range(processes)])
    print(f"assessed in {time.perf_counter() - started:.0f} s", flush=True)
    settle(url)


def settle(url: str) -> None:
    """VACUUM ANALYZE: the statistics and visibility map a database has once autovacuum has passed."""
    engine = db.make_engine(url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text("VACUUM ANALYZE"))
    engine.dispose()


def _in_processes(target: Callable[..., None], arguments: list[tuple[Any, ...]]) -> None:
    """Run ``target`` once per argument tuple, each in a process of its own (forked), and wait for all."""
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=target, args=args) for args in arguments]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
        if worker.exitcode != 0:
            raise SystemExit(f"a build process failed (exit code {worker.exitcode})")


def _load_share(url: str, flights: list[GeneratedFlight]) -> None:
    engine = db.make_engine(url)
    summary = DemoSummary(generated_flights=len(flights))
    load_traffic(db.make_sessionmaker(engine), flights, CARD_KEY, HOME, summary)
    engine.dispose()
    if summary.intake.failed:
        raise SystemExit(f"{summary.intake.failed} messages failed to load")


def _assess(url: str, flights: list[int]) -> None:
    """Assess each flight's travellers once, all its messages being in (``assess_loaded`` assesses a flight again
    after each of its messages: the same result, several times the work); then mark its messages assessed."""
    engine = db.make_engine(url)
    sessions = db.make_sessionmaker(engine)
    for flight_id in flights:
        for attempt in range(1, ATTEMPTS + 1):
            try:
                with sessions.begin() as session:
                    messages = list(session.scalars(
                        select(Message).join(FlightMessage, FlightMessage.message_id == Message.id)
                        .where(FlightMessage.flight_id == flight_id, Message.status == MessageStatus.LOADED)
                        .order_by(Message.id).with_for_update(skip_locked=True)))
                    assess_travellers(session, session.scalars(select(Traveller.id).where(
                        Traveller.flight_id == flight_id)), message_id=messages[-1].id if messages else None)
                    for message in messages:
                        message.status = MessageStatus.ASSESSED
                break
            except DBAPIError:  # another process assessing a co-traveller (a shared booking or contact) at once
                if attempt == ATTEMPTS:
                    raise
    assess_loaded(sessions, limit=None)  # anything not tied to a flight
    engine.dispose()


# --- the users, the pages they open, the server -----------------------------------------------------------------


def officers(url: str, count: int) -> list[str]:
    """``count`` officers covering every airport, each with the benchmark's password (made or reset now)."""
    engine = db.make_engine(url, poolclass=NullPool)
    names = [f"bench-officer-{n:02d}" for n in range(1, count + 1)]
    with db.make_sessionmaker(engine).begin() as session:
        for name in names:
            user = find_user(session, name) or create_user(session, name, [UserRole.OFFICER])[0]
            user.password_hash = hash_password(PASSWORD)
            user.roles, user.airports, user.enabled = [UserRole.OFFICER.value], [], True
            user.must_change_password, user.failed_sign_ins, user.locked_until = False, 0, None
    engine.dispose()
    return names


@dataclass(slots=True)
class Targets:
    """What the officers open: the flights, their travellers (and those flagged), the airports, the whole window."""

    flights: list[int]
    travellers: dict[int, list[int]]
    flagged: dict[int, list[int]]
    airports: list[str]
    past_hours: int
    ahead_hours: int
    board_pages: int

    def board(self, rng: random.Random) -> str:
        """A board as officers open it: as it comes, the whole window, only flights with open hits, a later page
        of the whole window, or one airport of it."""
        window: dict[str, object] = {"past": self.past_hours, "ahead": self.ahead_hours}
        variants: list[dict[str, object]] = [{}, window, {**window, "hits": 1},
                                             {**window, "page": rng.randint(1, self.board_pages)},
                                             {**window, "airport": rng.choice(self.airports)}]
        args = rng.choices(variants, weights=(30, 20, 20, 15, 15))[0]
        return f"/flights?{urlencode(args)}" if args else "/flights"


def targets(url: str, now: datetime) -> Targets:
    """The flights and travellers of the benchmark database, and a board window holding every flight."""
    engine = db.make_engine(url, poolclass=NullPool)
    with Session(engine) as session:
        flights = list(session.scalars(select(Flight.id).order_by(Flight.id)))
        travellers: dict[int, list[int]] = defaultdict(list)
        for traveller_id, flight_id in session.execute(select(Traveller.id, Traveller.flight_id)
                                                       .where(Traveller.removed_at.is_(None))):
            travellers[flight_id].append(traveller_id)
        flagged: dict[int, list[int]] = defaultdict(list)
        for traveller_id, flight_id in session.execute(
                select(Traveller.id, Traveller.flight_id).join(Hit, Hit.traveller_id == Traveller.id)
                .where(Traveller.removed_at.is_(None), Hit.status == HitStatus.OPEN).distinct()):
            flagged[flight_id].append(traveller_id)
        earliest, latest, inbound = session.execute(
            select(func.min(Flight.arrival_utc), func.max(Flight.arrival_utc), func.count())
            .where(Flight.direction == Direction.INBOUND)).one()
        airports = sorted(set(session.scalars(select(Flight.destination).where(
            Flight.direction == Direction.INBOUND).distinct())))
    engine.dispose()
    hours = 720  # the board's longest window
    past = min(hours, max(0, int((now - earliest).total_seconds() // 3600) + 1)) if earliest else 6
    ahead = min(hours, max(0, int((latest - now).total_seconds() // 3600) + 1)) if latest else 72
    return Targets(flights, dict(travellers), dict(flagged), airports, past, ahead, max(1, -(-inbound // 100)))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def server(url: str, workers: int, threads: int) -> Iterator[tuple[int, int]]:
    """``gtas serve`` under gunicorn on the benchmark database: its port and process id, until the block ends."""
    home = Path(tempfile.mkdtemp(prefix="gtas-bench-ui-"))
    port = _free_port()
    environment = {**os.environ, "GTAS_DATABASE_URL": url, "GTAS_HOME": str(home),
                   "GTAS_SECRET_KEY": secrets.token_hex(32), "GTAS_CARD_KEY": CARD_KEY.decode()}
    for name in ("GTAS_AMQP_URL", "GTAS_CONFIG"):
        environment.pop(name, None)
    log = (home / "server.log").open("wb")
    process = subprocess.Popen([str(VENV_BIN / "gtas"), "serve", "--port", str(port), "--workers", str(workers),
                                "--threads", str(threads)], env=environment, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None or time.monotonic() > deadline:
                log.flush()
                raise SystemExit(f"the server did not start:\n{(home / 'server.log').read_text()[-3000:]}")
            try:
                probe = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                probe.request("GET", "/auth/sign-in")
                if probe.getresponse().status == 200:
                    probe.close()
                    break
            except OSError:
                time.sleep(0.5)
        yield port, process.pid
    finally:
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
        shutil.rmtree(home, ignore_errors=True)


def server_cpu_seconds(pid: int) -> float:
    """CPU seconds (user and system) used so far by the server process and its live children (the workers)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue
        if int(entry.name) == pid or int(fields[1]) == pid:  # fields[1]: the parent's id
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


# --- the officers at work -----------------------------------------------------------------------------------------


class Officer:
    """One signed-in user: a keep-alive connection and a cookie jar of his own."""

    def __init__(self, port: int, username: str) -> None:
        self.port, self.username = port, username
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> tuple[int, bytes]:
        """Send a request (again on a new connection when the server closed the idle one); status and body."""
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else {}
        body = urlencode(form).encode() if form is not None else None
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (1, 2):
            try:
                self.connection.request(method, path, body, headers)
                response = self.connection.getresponse()
                data = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.connection.close()
                if attempt == 2:
                    raise
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            self.cookies[name.strip()] = rest.split(";")[0]
        if response.will_close:
            self.connection.close()
        return response.status, data

    def sign_in(self) -> None:
        """Sign in through the sign-in form, as a browser does."""
        status, page = self.request("GET", "/auth/sign-in")
        token = CSRF.search(page)
        if status != 200 or token is None:
            raise SystemExit(f"{self.username}: the sign-in page answered {status}")
        status, _ = self.request("POST", "/auth/sign-in", {"username": self.username, "password": PASSWORD,
                                                           "csrf_token": token[1].decode()})
        if status not in (302, 303):
            raise SystemExit(f"{self.username}: signing in answered {status}")


@dataclass(slots=True)
class Sample:
    page: str
    seconds: float
    status: int


@dataclass(slots=True)
class Regime:
    """What one regime measured."""

    label: str
    seconds: float
    samples: list[Sample] = field(default_factory=list)
    client_cpu: float = 0.0
    server_cpu: float = 0.0


def work(officer: Officer, where: Targets, rng: random.Random, until: float, think: tuple[float, float] | None,
         samples: list[Sample]) -> None:
    """Rounds of board, flight, two of its travellers and, every fourth round, the queue, until ``until``."""
    def open_page(page: str, path: str) -> bool:
        if time.monotonic() >= until:
            return False
        started = time.perf_counter()
        try:
            status, _ = officer.request("GET", path)
        except OSError:
            status = 0
        samples.append(Sample(page, time.perf_counter() - started, status))
        if think is not None:
            time.sleep(rng.uniform(*think))
        return True

    round_ = 0
    if think is not None:
        time.sleep(rng.uniform(0, think[1]))  # officers do not start in step
    while True:
        round_ += 1
        flight = rng.choice(where.flights)
        on_board = where.travellers.get(flight) or where.travellers[rng.choice(list(where.travellers))]
        chosen = [rng.choice(where.flagged.get(flight) or on_board), rng.choice(on_board)]
        if not (open_page("board", where.board(rng)) and open_page("flight", f"/flights/{flight}")
                and all(open_page("traveller", f"/travellers/{traveller}") for traveller in chosen)):
            return
        if round_ % 4 == 0 and not open_page("queue", "/hits"):
            return


def measure(label: str, team: list[Officer], where: Targets, seconds: float, think: tuple[float, float] | None,
            server_pid: int, seed: int) -> Regime:
    """Let the officers work for ``seconds``; what they saw, and the CPU the load and the server used."""
    regime = Regime(label, seconds)
    per_officer: list[list[Sample]] = [[] for _ in team]
    until = time.monotonic() + seconds
    client, served = time.process_time(), server_cpu_seconds(server_pid)
    threads = [threading.Thread(target=work, args=(officer, where, random.Random(seed * 1000 + n), until, think,
                                                   per_officer[n]))
               for n, officer in enumerate(team)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    regime.client_cpu = time.process_time() - client
    regime.server_cpu = server_cpu_seconds(server_pid) - served
    regime.samples = [sample for samples in per_officer for sample in samples]
    return regime


def percentile(ordered: list[float], share: float) -> float:
    """The nearest-rank percentile of sorted values."""
    return ordered[max(0, min(len(ordered) - 1, -(-int(share * len(ordered) * 1000) // 1000) - 1))]


def report(regime: Regime) -> None:
    """The regime's table: per page and in all."""
    print(f"\n{regime.label} — {regime.seconds:.0f} s; load generator CPU {regime.client_cpu:.1f} s "
          f"({regime.client_cpu / regime.seconds:.0%} of a core), server CPU {regime.server_cpu:.1f} s "
          f"({regime.server_cpu / regime.seconds:.0%} of a core), load average {os.getloadavg()[0]:.1f}")
    print(f"{'page':<10} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8} {'errors':>7} "
          f"{'req/s':>7}")
    for page in (*PAGES, "all"):
        chosen = [s for s in regime.samples if page in ("all", s.page)]
        if not chosen:
            continue
        ordered = sorted(s.seconds * 1000 for s in chosen)
        errors = sum(s.status != 200 for s in chosen)
        print(f"{page:<10} {len(chosen):>8,} {percentile(ordered, 0.5):>8.0f} {percentile(ordered, 0.95):>8.0f} "
              f"{percentile(ordered, 0.99):>8.0f} {ordered[-1]:>8.0f} {errors:>7} "
              f"{len(chosen) / regime.seconds:>7.1f}", flush=True)


def _think(text: str) -> tuple[float, float]:
    low, _, high = text.partition("-")
    return float(low), float(high or low)


def main() -> int:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--flights", type=int, default=1000, help="flights loaded (default 1000)")
    options.add_argument("--users", type=int, default=20, help="concurrent officers (default 20)")
    options.add_argument("--seconds", type=float, default=60, help="length of each regime (default 60)")
    options.add_argument("--think", type=_think, default=(1.0, 3.0),
                         help="seconds officers pause between pages in the last regime, low-high (default 1-3)")
    options.add_argument("--server-workers", type=int, default=2, help="gunicorn worker processes (default 2)")
    options.add_argument("--server-threads", type=int, default=4, help="threads per worker (default 4)")
    options.add_argument("--processes", type=int, default=2, help="processes loading the data (default 2)")
    options.add_argument("--database-url", default="postgresql://postgres@127.0.0.1:5432/test",
                         help="a PostgreSQL server, where the benchmark keeps its data in a database of its own")
    options.add_argument("--database", default=DATABASE, help=f"name of that database (default {DATABASE})")
    options.add_argument("--rebuild", action="store_true", help="drop the database and build it again")
    options.add_argument("--build-only", action="store_true", help="build (or check) the data, measure nothing")
    options.add_argument("--seed", type=int, default=1)
    args = options.parse_args()

    url = prepare(args.database_url, args.database, args.flights, args.seed, args.processes, args.rebuild)
    if args.build_only:
        return 0
    names = officers(url, args.users)
    where = targets(url, datetime.now(UTC))
    print(f"{len(where.flights):,} flights, {sum(map(len, where.travellers.values())):,} travellers "
          f"({sum(map(len, where.flagged.values())):,} with open hits); gunicorn with {args.server_workers} workers "
          f"× {args.server_threads} threads; {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}",
          flush=True)
    with server(url, args.server_workers, args.server_threads) as (port, pid):
        team = [Officer(port, name) for name in names]
        for officer in team:
            officer.sign_in()
        warm = measure("warm-up", team[:1], where, min(10.0, args.seconds), None, pid, args.seed)
        print(f"warm-up: {len(warm.samples)} requests", flush=True)
        for label, users, think in (("1 user, no think time (baseline)", 1, None),
                                    (f"{args.users} users, no think time (saturation)", args.users, None),
                                    (f"{args.users} users, think time {args.think[0]:g}-{args.think[1]:g} s",
                                     args.users, args.think)):
            report(measure(label, team[:users], where, args.seconds, think, pid, args.seed + users))
    return 0


if __name__ == "__main__":
    sys.exit(main())
