"""``gtas demo``: generated traffic loaded through the intake, a watchlist naming some of its travellers the way real
lists do, rules, and realistic hits — created once, unchanged when run again."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from gtas import db
from gtas.cli import cli
from gtas.demo import DAYS, demo_traffic, watchlist_rows
from gtas.model import Flight, Hit, HitKind, HitStatus, Message, Rule, WatchlistEntry

NOW = datetime(2030, 3, 1, 15, 30, tzinfo=UTC)


def test_the_traffic_covers_today_and_the_next_three_days() -> None:
    traffic = demo_traffic(9, 1, NOW, "USA")
    days = sorted({f.leg.departure.date() for f in traffic if f.leg.departure})
    assert len(traffic) == 9
    assert days[0] == NOW.date() and len(days) == DAYS
    assert [f.leg for f in demo_traffic(9, 1, NOW, "USA")] == [f.leg for f in traffic]
    with pytest.raises(ValueError, match="at least one flight"):
        demo_traffic(0, 1, NOW, "USA")


def test_the_watchlist_writes_travellers_with_realistic_differences() -> None:
    traffic = demo_traffic(4, 1, NOW, "USA")
    passengers = {(t.surname, t.given_names): t for f in traffic for t in f.passenger_list.travellers}
    documents = {d.number for t in passengers.values() for d in t.documents}
    rows = {row.reference: row for row in watchlist_rows(traffic, 1)}
    listed = [row for reference, row in rows.items() if reference.startswith("DEMO-0")]
    swapped = [row for row in listed if (row.given_names, row.surname) in passengers]
    exact = [row for row in listed if (row.surname, row.given_names) in passengers]
    year_only = [row for row in exact if row.dates_of_birth and len(row.dates_of_birth[0]) == 4]
    typos = [row for row in listed if row not in swapped and row not in exact]
    stolen = [row for reference, row in rows.items() if reference.startswith("DEMO-LS")]
    assert swapped and year_only and typos and stolen
    assert all(row.category == "lost_stolen_document" and not row.surname
               and row.documents[0].number in documents for row in stolen)
    unrelated = [row for reference, row in rows.items() if reference.startswith("DEMO-U")]
    assert unrelated and not any((row.surname, row.given_names) in passengers for row in unrelated)


@pytest.fixture
def home(empty_database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """An empty GTAS home and database (the demo initialises it)."""
    monkeypatch.setenv("GTAS_HOME", str(tmp_path / "instance"))
    monkeypatch.setenv("GTAS_DATABASE_URL", empty_database_url)
    monkeypatch.setenv("GTAS_HOME_COUNTRY", "USA")
    return empty_database_url


def _state(url: str) -> dict[str, Any]:
    """What the demo left in the database."""
    engine = db.make_engine(url)
    try:
        with db.make_sessionmaker(engine)() as session:
            listed_hits = {reference: count for reference, count in session.execute(
                select(WatchlistEntry.reference, func.count(Hit.id))
                .outerjoin(Hit, (Hit.watchlist_entry_id == WatchlistEntry.id) & (Hit.status == HitStatus.OPEN))
                .group_by(WatchlistEntry.reference))}
            return {
                "flights": session.scalar(select(func.count()).select_from(Flight)),
                "messages": session.scalar(select(func.count()).select_from(Message)),
                "rules": session.scalar(select(func.count()).select_from(Rule)),
                "hits": session.scalar(select(func.count()).select_from(Hit)),
                "rule hits": session.scalar(select(func.count()).select_from(Hit).where(Hit.kind == HitKind.RULE)),
                "listed hits": listed_hits,
            }
    finally:
        engine.dispose()


def test_gtas_demo_loads_flights_with_hits_and_a_second_run_changes_nothing(home: str) -> None:
    runner = CliRunner()
    first = runner.invoke(cli, ["demo", "--flights", "2"])
    assert first.exit_code == 0, first.output
    assert "generated 2 flights" in first.output
    assert "0 duplicates, 0 failed" in first.output
    assert "rules     4 added, 0 changed, 0 unchanged" in first.output
    state = _state(home)
    assert state["flights"] == 2 and state["rules"] == 4
    listed = state["listed hits"]
    assert isinstance(listed, dict)
    travelling = {reference: count for reference, count in listed.items() if not reference.startswith("DEMO-U")}
    assert len(travelling) == 8 and all(travelling.values())  # every listed traveller is found, variations and all
    assert not any(count for reference, count in listed.items() if reference.startswith("DEMO-U"))

    second = runner.invoke(cli, ["demo", "--flights", "2"])
    assert second.exit_code == 0, second.output
    assert "(0 loaded," in second.output and "0 failed" in second.output
    assert "rules     0 added, 0 changed, 4 unchanged" in second.output
    assert "version 1," in second.output
    after = _state(home)
    assert after["messages"] == 2 * state["messages"]  # kept verbatim, as duplicates
    assert {k: v for k, v in after.items() if k != "messages"} == {k: v for k, v in state.items() if k != "messages"}
