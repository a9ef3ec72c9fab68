"""Watchlists in a real browser: the administrator creates a list, imports a file with the dry run, confirms it, and
watches the server's own re-screening create a hit on a traveller of the demo traffic; an entry added by hand is
refused with a message beside the wrong field, then saved, and its history shows the change."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from gtas.ingest.batch import open_database
from gtas.model import Hit, HitKind, HitStatus, Traveller, WatchlistEntry
from gtas.rules.watchlist_file import COLUMNS
from tests.e2e.helpers import Server, screenshot, sign_in

pytest.importorskip("playwright.sync_api", reason="Playwright is not installed (python3 dev.py test installs it)")
from playwright.sync_api import Page, expect

RESCREEN_WAIT_MS = 90_000  # the server re-screens every 10 s; the page reloads itself until the run is done
LIST_NAME = "E2E wanted persons"


def unflagged_traveller(server: Server) -> Traveller:
    """A traveller of the demo traffic with a name, date of birth and document, and no hit, read from the database."""
    sessions, engine = open_database(server.database_url)
    try:
        with sessions() as session:
            return session.scalars(
                select(Traveller).where(Traveller.id.not_in(select(Hit.traveller_id)),
                                        Traveller.date_of_birth.is_not(None), Traveller.surname.is_not(None),
                                        Traveller.removed_at.is_(None), Traveller.documents.any())
                .options(selectinload(Traveller.documents)).order_by(Traveller.id).limit(1)).one()
    finally:
        engine.dispose()


def watchlist_hits(server: Server, traveller_id: int) -> list[Hit]:
    """The traveller's watchlist hits on entries of the test's list."""
    sessions, engine = open_database(server.database_url)
    try:
        with sessions() as session:
            return list(session.scalars(select(Hit).join(WatchlistEntry, WatchlistEntry.id == Hit.watchlist_entry_id)
                                        .where(Hit.traveller_id == traveller_id, Hit.kind == HitKind.WATCHLIST,
                                               WatchlistEntry.reference == "E2E-1")))
    finally:
        engine.dispose()


def write_listing(path: Path, traveller: Traveller) -> Path:
    """A watchlist CSV file listing the traveller by name, date of birth and passport number."""
    document = traveller.documents[0]
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerow({"reference": "E2E-1", "surname": traveller.surname, "given_names": traveller.given_names,
                         "date_of_birth": traveller.date_of_birth.isoformat() if traveller.date_of_birth else "",
                         "document_type": "P", "document_number": document.number, "notes": "browser test"})
    return path


def test_an_administrator_imports_a_watchlist_file_and_re_screening_creates_a_hit(
        page: Page, server: Server, tmp_path: Path) -> None:
    traveller = unflagged_traveller(server)
    listing = write_listing(tmp_path / "wanted.csv", traveller)
    sign_in(page, server, "admin", server.admin_password)
    expect(page.get_by_role("heading", name="Welcome, Administrator")).to_be_visible()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Watchlists").click()
    expect(page.get_by_role("heading", name="Watchlists", level=1)).to_be_visible()
    page.get_by_role("link", name="New list").click()
    page.get_by_label("Name").fill(LIST_NAME)
    page.get_by_label("Source").fill("Browser test")
    page.get_by_label("Category").select_option("wanted")
    page.get_by_label("Severity").select_option("critical")
    page.get_by_role("button", name="Create list").click()
    expect(page.get_by_role("heading", name=LIST_NAME)).to_be_visible()
    expect(page.get_by_text(f"List “{LIST_NAME}” created.")).to_be_visible()

    page.get_by_role("link", name="Import a file").click()
    page.get_by_label("CSV or Excel (.xlsx) file").set_input_files(str(listing))
    page.get_by_role("button", name="Show what would change").click()
    expect(page.locator(".dry-run-summary")).to_contain_text("would add 1, change 0 and remove 0 entries")
    expect(page.locator("table.diff-added tbody tr")).to_have_count(1)
    expect(page.locator("table.diff-added tbody tr")).to_contain_text("E2E-1")
    screenshot(page, server, "watchlist-dry-run")
    page.get_by_role("button", name="Import: add 1, change 0, remove 0").click()

    page.wait_for_url(re.compile(r"/watchlists/rescreens/\d+$"))
    expect(page.get_by_text(f"Imported wanted.csv into “{LIST_NAME}”, now version 1: 1 added.")).to_be_visible()
    expect(page.locator("#rescreen-progress")).to_have_text("done", timeout=RESCREEN_WAIT_MS)
    created = page.locator("table.rescreen-hits tbody tr", has_text="watchlist hit")
    expect(created).to_have_count(1)
    expect(created).to_contain_text(f"{traveller.surname}, {traveller.given_names or ''}".strip())
    expect(created.locator("th")).to_have_text("created")
    assert int(page.locator("#rescreen-opened").inner_text()) >= 1
    screenshot(page, server, "watchlist-rescreen")
    hits = watchlist_hits(server, traveller.id)
    assert [hit.status for hit in hits] == [HitStatus.OPEN]
    expect(created.get_by_role("link", name=f"watchlist hit #{hits[0].id}")).to_have_attribute(
        "href", f"/travellers/{traveller.id}#hit-{hits[0].id}")

    page.get_by_role("link", name="Watchlists").first.click()
    row = page.locator("table.watchlists tbody tr", has_text=LIST_NAME)
    expect(row.locator("td").nth(2)).to_have_text("1")  # active entries
    expect(row).to_contain_text("Re-screening: done")
    screenshot(page, server, "watchlists")


def test_an_entry_added_by_hand_is_checked_then_edited_with_its_history(page: Page, server: Server) -> None:
    sign_in(page, server, "admin", server.admin_password)
    page.goto(f"{server.url}/watchlists")
    page.locator("table.watchlists tbody th a").first.click()
    page.get_by_role("link", name="Add entry").click()
    page.get_by_label("Surname").fill("Marlowe")
    page.get_by_label("Given names").fill("Philip")
    page.get_by_label("Dates of birth").fill("1938-02-30")
    page.get_by_label("Document 1 number").fill("X1234567")
    page.get_by_label("Document 1 issuing country").fill("USA")
    page.get_by_role("button", name="Add entry").click()
    expect(page.locator(".field-error")).to_have_text("no such day: '1938-02-30'")
    expect(page.get_by_label("Dates of birth")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Surname")).to_have_value("Marlowe")  # what was typed is kept
    page.get_by_label("Dates of birth").fill("1938-02")
    page.get_by_label("Reason for listing").fill("Browser test entry")
    page.get_by_role("button", name="Add entry").click()
    page.wait_for_url(re.compile(r"/watchlists/rescreens/\d+$"))
    expect(page.get_by_text(re.compile(r"Entry GTAS-[0-9A-F]{8} added to"))).to_be_visible()

    page.goto(f"{server.url}/watchlists")
    page.locator("table.watchlists tbody th a").first.click()
    page.get_by_label("Name, reference or document").fill("marlowe")
    page.get_by_role("button", name="Search").click()
    entry = page.locator("table.entries tbody tr")
    expect(entry).to_have_count(1)
    entry.get_by_role("link").click()
    page.wait_for_url(re.compile(r"/watchlists/entries/\d+$"))
    entry_url = page.url
    page.get_by_role("link", name="Edit entry").click()
    page.get_by_label("Given names").fill("Phil")
    page.get_by_role("button", name="Save entry").click()
    page.wait_for_url(re.compile(r"/watchlists/rescreens/\d+$"))
    page.goto(entry_url)
    history = page.locator("table.entry-history tbody tr")
    expect(history).to_have_count(2)
    expect(history.first).to_contain_text("given names: Philip → Phil")
    expect(history.last).to_contain_text("added")
