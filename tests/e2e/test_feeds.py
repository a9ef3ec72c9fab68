"""Feed health in a real browser: the administrator opens the dashboard over the demo traffic and a message that
failed, sees its failing segment highlighted, re-processes it, and finds his viewing in the audit log."""

from __future__ import annotations

import re

import pytest

from gtas.ingest.batch import IngestSummary, ingest_bytes, open_database
from tests.e2e.helpers import Server, screenshot, sign_in

pytest.importorskip("playwright.sync_api", reason="Playwright is not installed (python3 dev.py test installs it)")
from playwright.sync_api import Page, expect

UNSUPPORTED = ("UNA:+.? '\nUNB+UNOA:4+SENDER+RECEIVER+300102:0900+1'\nUNH+1+FOOBAR:D:05B:UN:IATA'\nBGM+745'\n"
               "UNT+3+1'\nUNZ+1+1'\n")


def send_failing_message(server: Server) -> None:
    """Store a message of an unsupported type in the server's database, as the drop folder would."""
    sessions, engine = open_database(server.database_url)
    try:
        ingest_bytes(sessions, UNSUPPORTED.encode(), b"e2e card key", "USA", IngestSummary(),
                     filename="unsupported.edi")
    finally:
        engine.dispose()


def sign_in_admin(page: Page, server: Server) -> None:
    sign_in(page, server, "admin", server.admin_password)
    expect(page.get_by_role("heading", name="Welcome, Administrator")).to_be_visible()


def test_the_dashboard_leads_to_a_failed_message_and_its_failing_segment(page: Page, server: Server) -> None:
    send_failing_message(server)
    sign_in_admin(page, server)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Feed health").click()
    expect(page.get_by_role("heading", name="Feed health", level=1)).to_be_visible()
    expect(page.locator("table.heat tbody tr").first).to_be_visible()  # the demo's messages of today
    expect(page.get_by_role("heading", name="Carriers sending API and PNR")).to_be_visible()
    failures = page.locator("table.failures tbody tr", has_text="FOOBAR")
    expect(failures).to_have_count(1)
    screenshot(page, server, "feeds-dashboard")

    failures.get_by_role("link").click()
    page.wait_for_url(re.compile(r"/feeds/messages/\d+$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("failed parse")
    mark = page.locator("#line-3 mark.segment-error")
    expect(mark).to_have_text("UNH+1+FOOBAR:D:05B:UN:IATA'")
    page.get_by_role("link", name="line 3, column 1").click()
    expect(mark).to_be_in_viewport()
    screenshot(page, server, "feeds-failed-message")

    page.get_by_role("button", name="Re-process").click()
    expect(page.get_by_text("The message was re-processed: it is failed_parse now.")).to_be_visible()


def test_the_audit_log_shows_who_viewed_a_message(page: Page, server: Server) -> None:
    sign_in_admin(page, server)
    page.goto(f"{server.url}/feeds/messages?type=PAXLST")
    page.locator("table.messages tbody th a").first.click()
    message_id = page.url.rsplit("/", 1)[1]
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Audit log").click()
    page.get_by_label("Action").fill("message.*")
    page.get_by_label("Object id").fill(message_id)
    page.get_by_role("button", name="Show").click()
    row = page.locator("table.events tbody tr").first
    expect(row).to_contain_text("message.view")
    expect(row).to_contain_text("admin")
    screenshot(page, server, "audit-log")
    row.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("message.view")
