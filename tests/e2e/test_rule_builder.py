"""The rule builder in a real browser: the administrator builds a rule with nested groups by clicking through the
builder, sees a mistake shown beside its condition, back-tests the rule, enables it, and finds it hitting a traveller
of the demo traffic once the server's re-screening has run."""

from __future__ import annotations

import re
import time

import pytest
from sqlalchemy import select

from gtas.ingest.batch import open_database
from gtas.model import Hit, Rule
from tests.e2e.helpers import Server, screenshot, sideways_overflow, sign_in

pytest.importorskip("playwright.sync_api", reason="Playwright is not installed (python3 dev.py test installs it)")
from playwright.sync_api import Page, expect

RULE_URL = re.compile(r"/rules/(\d+)$")
RESCREEN_WAIT_SECONDS = 90  # the server re-screens every 10 s; a run over the demo traffic takes a few seconds


def rule_hits(server: Server, key: str) -> list[int]:
    """The travellers the rule has hit so far, read from the server's database."""
    sessions, engine = open_database(server.database_url)
    try:
        with sessions() as session:
            rule_id = session.scalars(select(Rule.id).where(Rule.key == key)).one()
            return list(session.scalars(select(Hit.traveller_id).where(Hit.cause_key == f"rule:{rule_id}")
                                        .order_by(Hit.traveller_id)))
    finally:
        engine.dispose()


def test_an_administrator_builds_back_tests_and_enables_a_nested_rule(page: Page, server: Server) -> None:
    sign_in(page, server, "admin", server.admin_password)
    expect(page.get_by_role("heading", name="Welcome, Administrator")).to_be_visible()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Rules").click()
    expect(page.get_by_role("heading", name="Rules", level=1)).to_be_visible()
    expect(page.locator("table.rules tbody tr", has_text="demo-cash-one-way")).to_be_visible()
    page.get_by_role("link", name="New rule").click()

    page.get_by_label("Key").fill("e2e-api-travellers")
    page.get_by_label("Title").fill("Travellers in the API list, unless named ZZZ")
    page.get_by_label("Category").select_option("other")
    page.get_by_label("Severity").select_option("low")
    page.get_by_label("Weight").fill("1")
    page.get_by_role("button", name="Add condition to conditions").click()
    expect(page.get_by_label("Field of condition 1", exact=True)).to_be_focused()  # keyboard users go on typing
    page.get_by_role("button", name="Save rule").click()  # a condition without a field: refused, shown beside it
    expect(page.locator("#rule-problems")).to_be_visible()
    error = page.locator(".rb-condition .rb-error")
    expect(error).to_have_text("no field chosen")
    expect(page.get_by_label("Field of condition 1", exact=True)).to_have_accessible_description("no field chosen")
    error.scroll_into_view_if_needed()
    screenshot(page, server, "rule-builder-error")

    page.get_by_label("Field of condition 1", exact=True).select_option(label="In API")
    expect(page.get_by_label("Operator of condition 1", exact=True)).to_have_value("equals")
    expect(page.get_by_label("Value of condition: In API")).to_have_value("true")
    page.get_by_role("button", name="Add condition to conditions").press("Enter")  # by keyboard: add, then remove
    page.get_by_role("button", name="Remove condition 2").press("Enter")
    expect(page.get_by_role("button", name="Add condition to conditions")).to_be_focused()
    expect(page.get_by_label("Field of condition 2", exact=True)).to_have_count(0)
    page.get_by_role("button", name="Add group to conditions").click()
    page.get_by_label("Field of condition 2.1", exact=True).select_option(label="Age")
    page.get_by_label("Operator of condition 2.1", exact=True).select_option(label="is greater than")
    page.get_by_label("Value of condition: Age").fill("150")
    page.get_by_role("button", name="Add group to group 2").click()
    page.get_by_label("NOT (none of this may hold)").last.check()
    page.get_by_label("Field of condition 2.2.1", exact=True).select_option(label="Surname")
    page.get_by_label("Value of condition: Surname").fill("ZZZ")
    page.get_by_label("Value of condition: Surname").press("Tab")
    page.locator("#conditions-json summary").click()
    expect(page.get_by_label("Condition tree (JSON)")).to_have_value(
        '{"and":[{"field":"traveller.has_api","operator":"equals","value":true},'
        '{"or":[{"field":"traveller.age","operator":"greater_than","value":150},'
        '{"not":{"or":[{"field":"traveller.surname","operator":"equals","value":"ZZZ"}]}}]}]}')
    screenshot(page, server, "rule-builder")
    page.get_by_role("button", name="Save rule").click()

    page.wait_for_url(RULE_URL)
    found = RULE_URL.search(page.url)
    assert found
    rule_id = int(found[1])
    expect(page.get_by_text("Saved rule e2e-api-travellers as version 1")).to_be_visible()
    expect(page.locator(".rule-status").first).to_have_text("disabled")
    expect(page.locator("pre.rule-conditions")).to_contain_text("not\n      any of\n        Surname equals: ZZZ")

    page.get_by_role("link", name="Back-test").click()
    page.get_by_label("Days", exact=True).fill("7")
    page.get_by_label("Also the flights departing in the next 3 days").check()  # the demo's flights are to come
    page.get_by_role("button", name="Back-test").click()
    expect(page.locator(".backtest-counts")).to_have_text(
        re.compile(r"^[1-9]\d* of \d+ travellers of the last 7 days and the next 3 would have been hit"))
    expect(page.locator("table.backtest-sample tbody tr").first).to_contain_text(
        "In API equals: yes (holds); Surname equals: ZZZ (does not hold)")
    screenshot(page, server, "rule-backtest")

    page.get_by_role("link", name="Overview").click()
    page.get_by_role("button", name="Enable this rule").click()
    expect(page.get_by_text("Saved rule e2e-api-travellers as version 2")).to_be_visible()
    expect(page.locator(".rule-status").first).to_have_text("enabled")

    deadline = time.monotonic() + RESCREEN_WAIT_SECONDS
    while not (hits := rule_hits(server, "e2e-api-travellers")) and time.monotonic() < deadline:
        time.sleep(1)
    assert hits, "the re-screening after enabling the rule raised no hit"
    page.goto(f"{server.url}/rules/{rule_id}/test?traveller={hits[0]}")
    expect(page.locator("#trial")).to_contain_text("the rule hits")
    expect(page.locator("table.trial tbody tr").first).to_contain_text("true")

    page.goto(f"{server.url}/rules/{rule_id}/statistics")
    expect(page.locator(".rule-figures dd").first).not_to_have_text("0")
    expect(page.get_by_role("img", name=re.compile(r"^Decisions about the hits \(latest per hit\): undecided \d+")))\
        .to_be_visible()
    screenshot(page, server, "rule-statistics")

    page.get_by_role("link", name="Versions").click()
    change = page.locator("table.rule-diff tbody tr")
    expect(change.get_by_role("rowheader")).to_have_text("enabled")
    expect(change.get_by_role("cell")).to_have_text(["no", "yes"])


def test_the_builder_fits_a_phone(phone: Page, server: Server) -> None:
    sign_in(phone, server, "admin", server.admin_password)
    expect(phone.get_by_role("heading", name="Welcome, Administrator")).to_be_visible()
    phone.goto(f"{server.url}/rules")
    phone.locator("table.rules tbody tr", has_text="demo-cash-one-way").get_by_role("link").click()
    phone.get_by_role("link", name="Edit").click()
    expect(phone.get_by_label("Field of condition 1", exact=True)).to_have_value("derived.paid_in_cash")
    expect(phone.get_by_label("Value of condition: Party size")).to_have_value("1")
    assert sideways_overflow(phone) == 0
    phone.locator("#rule-builder").scroll_into_view_if_needed()
    screenshot(phone, server, "rule-builder-phone")
