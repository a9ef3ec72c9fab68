"""The officer searches in a real browser: a traveller's name misspelt finds him, with the score and why, and the
result opens his page."""

from __future__ import annotations

import re

import pytest

from tests.e2e.helpers import Server, open_flight_with_hits, screenshot, sign_in_officer

pytest.importorskip("playwright.sync_api", reason="Playwright is not installed (python3 dev.py test installs it)")
from playwright.sync_api import Page, expect

TRAVELLER_URL = re.compile(r"/travellers/(\d+)$")


def test_an_officer_finds_a_traveller_by_a_misspelt_name_and_opens_him(page: Page, server: Server) -> None:
    sign_in_officer(page, server)
    open_flight_with_hits(page, server)
    link = page.locator("tr.has-hits").first.get_by_role("rowheader").get_by_role("link")
    name = link.inner_text()
    wanted = link.get_attribute("href")
    surname, _, given = name.partition(", ")
    misspelt = surname[:2] + surname[3] + surname[2] + surname[4:] if len(surname) > 4 else surname + "e"

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Search").click()
    form = page.get_by_role("search", name="Search travellers")
    form.get_by_label("Search by").select_option("name")
    form.get_by_label("Search for").fill(f"{given.split()[0].lower()} {misspelt.lower()}")
    form.get_by_role("button", name="Search").click()
    result = page.locator("table.results tbody tr").filter(has=page.get_by_role("link", name=name, exact=True))
    expect(result.first).to_be_visible()
    expect(result.first.locator("td").last).to_contain_text(surname.lower())
    screenshot(page, server, "search")

    result.first.get_by_role("link", name=name, exact=True).click()
    page.wait_for_url(TRAVELLER_URL)
    assert wanted is not None and page.url.endswith(wanted)
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
