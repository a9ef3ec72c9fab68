"""``gtas demo``: generated traffic for the next 72 hours, loaded through the real intake, with a watchlist and rules
that give the officer's board realistic hits. Safe to run again: the same day's traffic arrives as duplicates.

The watchlist names some generated travellers the way real lists do — surname and given names swapped, a typo, only
the year of birth, a lost or stolen passport by its number — beside people who are not travelling.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import click
import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from gtas import config
from gtas.generator import GeneratedFlight, generate_traffic
from gtas.generator.files import paxlst_files, pnrgov_file
from gtas.ingest.batch import IngestSummary, ingest_bytes
from gtas.model import Flight, Hit, HitStatus, Traveller
from gtas.model.base import utcnow
from gtas.model.watchlist import WatchlistSeverity
from gtas.parsers.records import Role
from gtas.parsers.records import Traveller as TravellerRecord
from gtas.rules.engine import reference_lists
from gtas.rules.loaded import assess_loaded
from gtas.rules.rescreen import run_rescreens
from gtas.rules.rules_cli import import_rule_set, read_rule_set, rule_categories
from gtas.rules.watchlist_file import COLUMNS, EntryRow, validate_rows
from gtas.rules.watchlists import apply_import, create_watchlist, find_watchlist, plan_import

DAYS = 4  # today and the next three: every arrival of the coming 72 hours
WATCHLIST = "Demo watchlist"
AUTHOR = "demo"
MIN_TYPO_LENGTH = 4  # a keying error in a shorter surname makes another name
SUBMITTER = "gtas demo"
UNRELATED = (  # people on the list who are not travelling
    ("DEMO-U1", "KOVALENKO", "ARTEM", "1979-03-14", "UKR", "wanted"),
    ("DEMO-U2", "OKAFOR", "CHIDI EMEKA", "1985", "NGA", "narcotics"),
    ("DEMO-U3", "HALVORSEN", "INGRID", "1990-11-02", "NOR", "fraud"),
    ("DEMO-U4", "QUISPE MAMANI", "ROSA", "1972-07-30", "BOL", "smuggling"),
    ("DEMO-U5", "TANAKA", "HIROSHI", "1968", "JPN", "sanctions"),
)
AIRPORTS_OF_CONCERN = ["AMM", "BEY", "CMN", "KBP"]  # an illustrative reference list, not advice
RULE_SET: dict[str, Any] = {
    "reference_lists": [{"name": "airports of concern", "kind": "airport", "items": AIRPORTS_OF_CONCERN,
                         "description": "Demo list: airports whose routes the demo rules look at."}],
    "rules": [
        {"key": "demo-cash-one-way", "title": "Travelling alone, one way, paid in cash", "category": "narcotics",
         "severity": "medium", "weight": 30, "handling": "Check the reason for travel and the return plans.",
         "conditions": {"and": [{"field": "derived.paid_in_cash", "operator": "equals", "value": True},
                                {"field": "derived.trip_type", "operator": "equals", "value": "one_way"},
                                {"field": "derived.party_size", "operator": "equals", "value": 1}]}},
        {"key": "demo-short-notice", "title": "Booked less than 24 hours before departure", "category": "other",
         "severity": "low", "weight": 10, "handling": "Look at the booking together with other indicators.",
         "conditions": {"field": "derived.hours_booking_to_departure", "operator": "less_than", "value": 24}},
        {"key": "demo-route-of-concern", "title": "Route via an airport of concern", "category": "smuggling",
         "severity": "medium", "weight": 20, "handling": "Check the itinerary and the bags.",
         "conditions": {"field": "derived.route_airports", "operator": "in_reference_list",
                        "value": "airports of concern"}},
        {"key": "demo-cash-short-notice", "title": "Paid in cash and booked at short notice", "category": "narcotics",
         "severity": "high", "weight": 50, "handling": "Refer for a baggage check.",
         "conditions": {"and": [{"field": "derived.paid_in_cash", "operator": "equals", "value": True},
                                {"field": "derived.hours_booking_to_departure", "operator": "less_than",
                                 "value": 48}]}},
    ],
}


@dataclass(slots=True)
class DemoSummary:
    """What a demo run did and what the database holds afterwards."""

    generated_flights: int = 0
    intake: IngestSummary = field(default_factory=IngestSummary)
    watchlist_version: int = 0
    watchlist_entries: int = 0
    rules: dict[str, list[str]] = field(default_factory=dict)
    assessed: int = 0
    flights: int = 0
    travellers: int = 0
    open_hits: int = 0

    def rows(self) -> list[tuple[str, str]]:
        """The summary table: label, value."""
        rules = ", ".join(f"{len(keys)} {status}" for status, keys in self.rules.items())
        return [("generated", f"{self.generated_flights} flights"),
                ("messages", f"{self.intake.messages} ({self.intake.loaded + self.intake.partial} loaded, "
                             f"{self.intake.duplicates} duplicates, {self.intake.failed} failed)"),
                ("watchlist", f"{WATCHLIST!r} version {self.watchlist_version}, {self.watchlist_entries} entries"),
                ("rules", rules),
                ("assessed", f"{self.assessed} messages"),
                ("database", f"{self.flights} flights, {self.travellers} travellers, {self.open_hits} open hits")]


def demo_traffic(flights: int, seed: int, now: datetime, home_country: str) -> list[GeneratedFlight]:
    """``flights`` flights spread over today and the next three days (UTC), the same for the same day and seed."""
    if flights < 1:
        raise ValueError("the demo needs at least one flight")
    today = now.replace(hour=0, minute=0, second=0, microsecond=0)
    out: list[GeneratedFlight] = []
    for day in range(DAYS):
        count = flights // DAYS + (1 if day < flights % DAYS else 0)
        if count:
            start = today + timedelta(days=day)
            out += generate_traffic(count, seed + start.toordinal(), start, home_country).flights
    return out


def watchlist_rows(traffic: list[GeneratedFlight], seed: int) -> list[EntryRow]:
    """Entries for some generated passengers, each written with a realistic difference, and unrelated people."""
    rng = random.Random(seed)
    passengers = [t for flight in traffic for t in flight.passenger_list.travellers
                  if t.role is Role.PASSENGER and t.surname and t.given_names and t.date_of_birth
                  and t.documents and t.documents[0].number]
    chosen = rng.sample(passengers, min(len(passengers), 8))
    cells = [_listed(number, traveller, rng) for number, traveller in enumerate(chosen, start=1)]
    cells += [{"reference": reference, "surname": surname, "given_names": given, "date_of_birth": born,
               "nationality": nationality, "category": category}
              for reference, surname, given, born, nationality, category in UNRELATED]
    result = validate_rows(pd.DataFrame([[row.get(name, "") for name in COLUMNS] for row in cells],
                                        columns=list(COLUMNS), dtype=str))
    if result.errors:
        raise ValueError(f"demo watchlist rows are invalid: {result.errors}")
    return result.rows


def _listed(number: int, traveller: TravellerRecord, rng: random.Random) -> dict[str, str]:
    """The cells of an entry for a travelling person; the number decides how the list writes him."""
    assert traveller.surname and traveller.given_names and traveller.date_of_birth
    born = traveller.date_of_birth.isoformat()
    cells = {"reference": f"DEMO-{number:03d}", "surname": traveller.surname, "given_names": traveller.given_names,
             "date_of_birth": born, "nationality": traveller.nationality or "",
             "category": rng.choice(["narcotics", "wanted", "terrorism"])}
    match number % 4:
        case 1:  # surname and given names the other way round
            cells["surname"], cells["given_names"] = traveller.given_names, traveller.surname
        case 2 if len(traveller.surname) >= MIN_TYPO_LENGTH:  # a typo in the surname
            cells["surname"] = _typo(traveller.surname, rng)
        case 2 | 3:  # only the year of birth is known (two swapped letters of "TA" make another name: "AT")
            cells["date_of_birth"] = born[:4]
        case _:  # a lost or stolen passport: the document alone
            document = traveller.documents[0]
            return {"reference": f"DEMO-LS{number:03d}", "document_type": document.type or "P",
                    "document_number": document.number or "", "document_country": document.issuing_country or "",
                    "category": "lost_stolen_document",
                    "severity": WatchlistSeverity.HIGH.value, "notes": "Reported stolen"}
    return cells


def _typo(name: str, rng: random.Random) -> str:
    """The name with two neighbouring letters swapped (a common keying error)."""
    spots = [i for i in range(len(name) - 1) if name[i].isalpha() and name[i + 1].isalpha() and name[i] != name[i + 1]]
    if not spots:
        return name
    i = rng.choice(spots)
    return name[:i] + name[i + 1] + name[i] + name[i + 2:]


def put_watchlist(session: Session, rows: list[EntryRow]) -> tuple[int, int]:
    """Create the demo list if needed and make its entries these rows; returns its version and entry count."""
    watchlist = find_watchlist(session, WATCHLIST, lock=True) or create_watchlist(
        session, WATCHLIST, category="other", severity=WatchlistSeverity.HIGH,
        source="generated by gtas demo", owner=AUTHOR)
    version = apply_import(session, watchlist, plan_import(session, watchlist, WATCHLIST, rows), who=AUTHOR)
    return version, len(rows)


def put_rules(session: Session) -> dict[str, list[str]]:
    """Save the demo rules and their reference list; returns the rule keys by added / changed / unchanged."""
    rule_set = read_rule_set(RULE_SET, reference_lists(session), rule_categories(session))
    report = import_rule_set(session, rule_set, AUTHOR)
    return {"added": report.added, "changed": report.changed, "unchanged": report.unchanged}


def load_traffic(sessions: sessionmaker[Session], traffic: list[GeneratedFlight], card_key: bytes,
                 home_country: str, summary: DemoSummary) -> None:
    """Each flight's PNR push, then its API lists, received (committed first) and processed, as airlines send them."""
    for flight in traffic:
        for name, text in [pnrgov_file(flight), *paxlst_files(flight)]:
            ingest_bytes(sessions, text.encode(), card_key, home_country, summary.intake, filename=name,
                         submitter=SUBMITTER, carrier=flight.leg.carrier)


def run_demo(sessions: sessionmaker[Session], *, flights: int = 40, seed: int = 1, now: datetime | None = None,
             card_key: bytes, home_country: str) -> DemoSummary:
    """The demo traffic of today and the next three days, staged with its watchlist and rules."""
    traffic = demo_traffic(flights, seed, now or utcnow(), home_country)
    return stage(sessions, traffic, seed, card_key=card_key, home_country=home_country)


def stage(sessions: sessionmaker[Session], traffic: list[GeneratedFlight], seed: int, *, card_key: bytes,
          home_country: str) -> DemoSummary:
    """Watchlist and rules first, then the traffic through the intake, then the assessment of everything loaded."""
    summary = DemoSummary(generated_flights=len(traffic))
    with sessions.begin() as session:
        summary.watchlist_version, summary.watchlist_entries = put_watchlist(session, watchlist_rows(traffic, seed))
        summary.rules = put_rules(session)
    load_traffic(sessions, traffic, card_key, home_country, summary)
    while done := assess_loaded(sessions):
        summary.assessed += done
    run_rescreens(sessions)  # what the new watchlist and rules asked for: already done by the assessment above
    with sessions() as session:
        summary.flights = session.scalar(select(func.count()).select_from(Flight)) or 0
        summary.travellers = session.scalar(select(func.count()).select_from(Traveller)) or 0
        summary.open_hits = session.scalar(select(func.count()).select_from(Hit)
                                           .where(Hit.status == HitStatus.OPEN)) or 0
    return summary


def initialise(url: str) -> None:
    """Create or migrate the database and load its reference data (both safe to repeat)."""
    from gtas import db, reference

    parsed = db.normalise_url(url)
    db.make_sqlite_folder(parsed)
    engine = db.make_engine(parsed)
    try:
        if db.current_revision(engine) != db.head_revision():
            db.upgrade(engine)
        with db.make_sessionmaker(engine).begin() as session:
            reference.load_reference_data(session)
    finally:
        engine.dispose()


@click.command("demo")
@click.option("--flights", type=click.IntRange(1, 10_000), default=40, show_default=True,
              help="Flights to generate over today and the next three days.")
@click.option("--seed", type=int, default=1, show_default=True, help="Seed of the generated traffic.")
def demo_command(flights: int, seed: int) -> None:
    """Load demo traffic for the next 72 hours with a watchlist and rules that give realistic hits.

    The database at GTAS_DATABASE_URL is created or migrated first. Running it again the same day changes nothing.

    Example: gtas demo --flights 40
    """
    from gtas import db

    url = config.database_url()
    initialise(url)
    engine = db.make_engine(url)
    try:
        click.echo(f"loading {flights} generated flights …")
        summary = run_demo(db.make_sessionmaker(engine), flights=flights, seed=seed,
                           card_key=config.card_key(), home_country=config.home_country())
    finally:
        engine.dispose()
    for label, value in summary.rows():
        click.echo(f"{label:<10}{value}")
