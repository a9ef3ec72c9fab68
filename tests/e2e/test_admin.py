"""Administration in a real browser: an administrator registers a carrier, creates its API token (read from the page,
where it is shown once), the carrier pushes a PAXLST message with it and sees it accepted and loaded, and the
carriers page shows the feed; the users page."""

from __future__ import annotations

import pytest

from tests.e2e.helpers import Server, screenshot, sign_in
from tests.web.test_messages import CARRIER, LIST

pytest.importorskip("playwright.sync_api", reason="Playwright is not installed (python3 dev.py test installs it)")
from playwright.sync_api import Page, expect


def sign_in_admin(page: Page, server: Server) -> None:
    """Sign in as the first administrator and land on the home page."""
    sign_in(page, server, "admin", server.admin_password)
    page.get_by_role("heading", name="Welcome, Administrator").wait_for()


def test_a_new_carrier_pushes_a_message_with_the_token_created_for_it(page: Page, server: Server) -> None:
    sign_in_admin(page, server)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Administration").click()
    page.get_by_role("link", name="Carriers and providers").click()
    page.get_by_role("link", name="New carrier or provider").click()
    form = page.get_by_role("form", name="New carrier or provider")
    form.get_by_label("Name", exact=True).fill("Browser Air")
    form.get_by_label("Kind").select_option("airline")
    form.get_by_label("Carriers").fill(CARRIER)
    form.get_by_label("Contact name").fill("Ann Lee")
    form.get_by_label("Contact e-mail").fill("ann@browser-air.example")
    form.get_by_role("button", name="Register").click()
    expect(page.get_by_role("heading", name="Browser Air")).to_be_visible()
    expect(page.get_by_text("No token yet")).to_be_visible()

    page.get_by_role("form", name="Onboarding state").get_by_label("Move to").select_option("testing")
    page.get_by_role("button", name="Change state").click()
    expect(page.get_by_text("Browser Air is now testing.")).to_be_visible()

    page.get_by_role("button", name="Create token").click()
    token = page.locator("#new-token").inner_text().strip()
    assert token.startswith("gtas_")
    expect(page.get_by_role("button", name="Copy")).to_be_visible()
    screenshot(page, server, "admin-token")

    pushed = page.request.post(f"{server.url}/api/v1/messages", data=LIST.encode(),
                               headers={"Authorization": f"Bearer {token}", "Content-Type": "application/edifact"})
    assert pushed.status == 202, pushed.text()
    body = pushed.json()
    assert body["status"] in ("loaded", "assessed")
    status = page.request.get(f"{server.url}{body['status_url']}", headers={"Authorization": f"Bearer {token}"})
    assert status.ok and status.json()["type"] == "PAXLST" and status.json()["errors"] == []

    page.get_by_role("link", name="Done: I have passed the token on").click()
    expect(page.get_by_role("heading", name="Browser Air")).to_be_visible()
    expect(page.locator("#new-token")).to_have_count(0)  # shown once only
    expect(page.locator("table.tokens tbody tr")).to_have_count(1)
    expect(page.locator("table.tokens tbody tr td").nth(1)).not_to_have_text("never")  # last used
    page.get_by_role("link", name="Carriers and providers").click()
    row = page.locator("table.parties-admin tbody tr", has_text="Browser Air")
    expect(row.locator("td").nth(2)).to_have_text("testing")
    expect(row.locator("td").nth(6)).not_to_have_text("never")  # last API list

    row.get_by_role("link", name="Browser Air").click()
    page.get_by_role("button", name=f"Revoke {token[:12]}").click()
    expect(page.get_by_text(f"Token {token[:12]}… is revoked.")).to_be_visible()
    refused = page.request.post(f"{server.url}/api/v1/messages", data=LIST.encode(),
                                headers={"Authorization": f"Bearer {token}", "Content-Type": "application/edifact"})
    assert refused.status == 401


def test_the_users_page_lists_who_may_do_what(page: Page, server: Server) -> None:
    sign_in_admin(page, server)
    page.goto(f"{server.url}/admin/users")
    rows = page.locator("table.users tbody tr")
    expect(rows.filter(has_text="Olga Officer")).to_contain_text("officer")
    expect(rows.filter(has_text="Administrator")).to_contain_text("administrator")
    screenshot(page, server, "admin-users")
