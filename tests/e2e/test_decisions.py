"""The officer decides in a real browser: a flagged traveller of a flight with hits, why he was flagged, a decision
on the hit and the inspection outcome, and the priority queue following; the outcome form on a phone."""

from __future__ import annotations

import re

import pytest

from tests.e2e.helpers import Server, open_flight_with_hits, screenshot, sideways_overflow, sign_in_officer

pytest.importorskip("playwright.sync_api", reason="Playwright is not installed (python3 dev.py test installs it)")
from playwright.sync_api import Locator, Page, expect

TRAVELLER_URL = re.compile(r"/travellers/(\d+)(#.*)?$")


def open_flagged_traveller(page: Page, server: Server) -> tuple[int, int]:
    """From the board a flight with hits, then the first traveller of its manifest (hits come first); returns the
    flight and traveller ids."""
    open_flight_with_hits(page, server)
    flight_id = int(page.url.rsplit("/", 1)[1])
    page.locator("tr.has-hits").first.get_by_role("rowheader").get_by_role("link").click()
    page.wait_for_url(TRAVELLER_URL)
    found = TRAVELLER_URL.search(page.url)
    assert found
    return flight_id, int(found[1])


def queue_row(page: Page, server: Server, flight_id: int, hit_id: int, status: str = "open") -> Locator:
    """The hit's row in the priority queue showing one flight and one work status."""
    page.goto(f"{server.url}/hits?status={status}&flight={flight_id}")
    expect(page.get_by_role("heading", name="Priority queue")).to_be_visible()
    return page.locator(f"#queue-hit-{hit_id}")


def test_an_officer_claims_and_decides_a_hit_and_records_what_the_inspection_found(page: Page,
                                                                                   server: Server) -> None:
    sign_in_officer(page, server)
    flight_id, traveller_id = open_flagged_traveller(page, server)
    hit = page.locator("#hits ~ article.hit").first
    expect(hit.get_by_role("heading", level=3)).to_have_text(re.compile(r"^\s*(high|medium|low)\s+\w+: \S"))
    expect(hit.locator("dl.explanation-facts dt").first).to_be_visible()  # why it fired, not a bare "match"
    hit_id = int((hit.get_attribute("id") or "").removeprefix("hit-"))
    screenshot(page, server, "traveller")

    row = queue_row(page, server, flight_id, hit_id)
    expect(row).to_contain_text("undecided")
    expect(row.locator("td").nth(5)).to_have_text("nobody")
    row.get_by_role("button", name="Claim").click()
    expect(page.get_by_text("You hold this hit now.")).to_be_visible()
    expect(page.locator(f"#queue-hit-{hit_id} td").nth(5)).to_have_text("Olga Officer")
    screenshot(page, server, "queue")

    page.locator(f"#queue-hit-{hit_id}").get_by_role("link").first.click()
    page.wait_for_url(TRAVELLER_URL)
    card = page.locator(f"#hit-{hit_id}")
    expect(card.get_by_text("Held by Olga Officer.")).to_be_visible()
    card.get_by_label("Decision").select_option(label="refer to secondary inspection")
    card.get_by_label("Notes").fill("Cash ticket bought yesterday; baggage check.")
    card.get_by_role("button", name="Record decision").click()
    expect(page.get_by_text("Decision recorded: refer to secondary inspection.")).to_be_visible()
    expect(page.locator(f"#hit-{hit_id} ol.decisions")).to_contain_text(
        "refer to secondary inspection by Olga Officer")

    outcome = page.get_by_role("form", name="Record the inspection outcome")
    outcome.get_by_label("seizure", exact=True).check()
    outcome.get_by_label("currency").check()
    outcome.get_by_label("Notes").fill("Undeclared cash in the lining of a suitcase.")
    outcome.get_by_role("button", name="Record outcome").click()
    expect(page.get_by_text("Outcome recorded: seizure (currency).")).to_be_visible()
    expect(page.locator("ol.outcomes")).to_contain_text("seizure (currency) by Olga Officer")
    assert page.url.split("#")[0].endswith(f"/travellers/{traveller_id}")

    expect(queue_row(page, server, flight_id, hit_id)).to_have_count(0)  # decided: off the undecided queue
    expect(queue_row(page, server, flight_id, hit_id, "decided")).to_contain_text("refer to secondary inspection")


def test_the_outcome_form_works_on_a_phone(phone: Page, server: Server) -> None:
    sign_in_officer(phone, server)
    _, traveller_id = open_flagged_traveller(phone, server)
    phone.get_by_role("link", name=re.compile("outcome form on its own")).tap()
    phone.wait_for_url(f"**/travellers/{traveller_id}/outcome")
    expect(phone.get_by_role("heading", name="Inspection outcome")).to_be_visible()
    assert sideways_overflow(phone) == 0
    screenshot(phone, server, "phone-outcome")
    phone.get_by_label("nothing found").tap()
    phone.get_by_label("Notes").fill("Bags searched at the gate.")
    phone.get_by_role("button", name="Record outcome").tap()
    expect(phone.get_by_text("Outcome recorded: nothing found.")).to_be_visible()
    assert sideways_overflow(phone) == 0
    expect(phone.get_by_label("nothing found")).not_to_be_checked()  # a fresh form for the next traveller
