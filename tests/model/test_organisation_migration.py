"""Migration 0011 on a database that already has parties and rules: parties become registered, every category a rule
already names joins the managed list, and each severity gets its guidance. Migration 0015 then lets watchlists hold
any managed category key, keeping the categories they have."""

from __future__ import annotations

from sqlalchemy import select, text

from gtas import db
from gtas.model import HitCategory, OnboardingState, Party, SeverityGuide
from gtas.model.watchlist import Watchlist, WatchlistEntry, WatchlistSeverity

WATCHLIST_CATEGORIES = {"terrorism", "narcotics", "immigration", "wanted", "sanctions", "human_trafficking",
                        "smuggling", "fraud", "lost_stolen_document", "other"}  # the fixed list before 0015


def test_existing_parties_and_rule_categories_carry_over(empty_database_url: str) -> None:
    engine = db.make_engine(empty_database_url)
    try:
        db.upgrade(engine, "0009")
        with engine.begin() as connection:
            connection.execute(text("INSERT INTO party (name, kind, carriers, created_at) "
                                    "VALUES ('Old Air', 'airline', '[\"OA\"]', '2026-01-01 00:00:00+00')"))
            for key, category in (("one", "cash_couriers"), ("two", "narcotics"), ("three", "cash_couriers")):
                connection.execute(text(
                    "INSERT INTO rule (key, title, description, category, severity, weight, handling, enabled, "
                    "author, version, created_at, updated_at) VALUES (:key, 't', '', :category, 'high', 1, '', "
                    "true, 'a', 1, '2026-01-01 00:00:00+00', '2026-01-01 00:00:00+00')"),
                    {"key": key, "category": category})
        db.upgrade(engine)
        with db.make_sessionmaker(engine)() as session:
            party = session.scalars(select(Party)).one()
            keys = {c.key: c.label for c in session.scalars(select(HitCategory))}
            guides = {g.severity: g for g in session.scalars(select(SeverityGuide))}
        assert (party.state, party.testing_since, party.contact_name) == (OnboardingState.REGISTERED, None, None)
        assert set(keys) == WATCHLIST_CATEGORIES | {"cash_couriers"}
        assert keys["cash_couriers"] == "cash couriers" and keys["lost_stolen_document"] == "lost or stolen document"
        assert set(guides) == set(WatchlistSeverity) and all(g.handling for g in guides.values())
    finally:
        engine.dispose()


def test_watchlist_categories_become_managed_keys(empty_database_url: str) -> None:
    engine = db.make_engine(empty_database_url)
    try:
        db.upgrade(engine, "0013")
        with engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO watchlist (name, category, severity, match_threshold, enabled, version, created_at, "
                "updated_at) VALUES ('Red notices', 'wanted', 'high', 0.8, true, 1, '2026-01-01 00:00:00+00', "
                "'2026-01-01 00:00:00+00')"))
            connection.execute(text(
                "INSERT INTO watchlist_entry (watchlist_id, reference, surname, aliases, dates_of_birth, "
                "nationalities, category, status, added_at, updated_at) SELECT id, 'R-1', 'DOE', '[]', '[]', '[]', "
                "'lost_stolen_document', 'active', '2026-01-01 00:00:00+00', '2026-01-01 00:00:00+00' FROM watchlist"))
        db.upgrade(engine)
        with db.make_sessionmaker(engine)() as session:
            keys = set(session.scalars(select(HitCategory.key)))
            watchlist = session.scalars(select(Watchlist)).one()
            entry = session.scalars(select(WatchlistEntry)).one()
            assert (watchlist.category, entry.category) == ("wanted", "lost_stolen_document")
            assert keys >= WATCHLIST_CATEGORIES  # every value the old constraint allowed is a managed key
            watchlist.category, entry.category = "cash_couriers", "a_new_category_named_at_length_of_forty_six"
            session.commit()
            session.expire_all()
            assert (watchlist.category, entry.category) == ("cash_couriers",
                                                            "a_new_category_named_at_length_of_forty_six")
    finally:
        engine.dispose()
