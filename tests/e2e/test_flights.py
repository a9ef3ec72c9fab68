"""The officer in a real browser: sign in, the flights board, a flight with hits, sign out; keyboard and phone."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from sqlalchemy import func, select

from gtas import db
from gtas.model import Hit, HitStatus, Traveller
from tests.e2e.helpers import (
    SEVERITY_COUNT,
    Server,
    open_flight_with_hits,
    screenshot,
    sideways_overflow,
    sign_in,
    sign_in_officer,
)

pytest.importorskip("playwright.sync_api", reason="Playwright is not installed (python3 dev.py test installs it)")
from playwright.sync_api import Page, expect


def open_hits_per_flight(server: Server) -> Counter[int]:
    """Open hits by flight id, read from the server's database."""
    engine = db.make_engine(server.database_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(select(Traveller.flight_id, func.count()).join(Hit)
                                      .where(Hit.status == HitStatus.OPEN).group_by(Traveller.flight_id))
            return Counter({flight_id: count for flight_id, count in rows})
    finally:
        engine.dispose()


def test_a_wrong_password_is_refused_and_the_right_one_leads_home(page: Page, server: Server) -> None:
    sign_in(page, server, "admin", server.admin_password + "x")
    expect(page.get_by_text("Wrong username or password.")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/auth/sign-in$"))
    expect(page.get_by_label("Username")).to_have_value("admin")
    screenshot(page, server, "sign-in-refused")
    page.get_by_label("Password").fill(server.admin_password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Welcome, Administrator")).to_be_visible()
    expect(page).to_have_url(f"{server.url}/")
    screenshot(page, server, "home")


def test_the_board_lists_flights_with_their_open_hit_counts(page: Page, server: Server) -> None:
    sign_in_officer(page, server)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Flights").click()
    expect(page.get_by_role("heading", name="Inbound flights")).to_be_visible()
    rows = page.locator("table.board tbody tr")
    expect(rows.first).to_be_visible()
    shown: Counter[int] = Counter()
    for row in rows.all():
        href = row.locator("th a").get_attribute("href") or ""
        counts = SEVERITY_COUNT.findall(row.locator("td").nth(4).inner_text())
        shown[int(href.rsplit("/", 1)[1])] = sum(int(count) for count, _ in counts)
        assert ("has-hits" in (row.get_attribute("class") or "")) == bool(counts)
    assert +shown, "no flight on the board has open hits"
    expected = open_hits_per_flight(server)
    assert shown == Counter({flight_id: expected[flight_id] for flight_id in shown})
    screenshot(page, server, "board")


def test_a_flight_with_hits_lists_its_flagged_travellers_first(page: Page, server: Server) -> None:
    sign_in_officer(page, server)
    designator = open_flight_with_hits(page, server)
    expect(page.get_by_role("heading", level=1)).to_contain_text(designator)
    manifest = page.locator("table.manifest tbody tr")
    flagged: list[bool] = manifest.evaluate_all("rows => rows.map(row => row.classList.contains('has-hits'))")
    first_unflagged = flagged.index(False) if False in flagged else len(flagged)
    assert first_unflagged >= 1 and not any(flagged[first_unflagged:]), flagged
    expect(page.locator("dl.facts")).to_contain_text(f"{len(flagged)}, of whom {first_unflagged} with open hits")
    expect(manifest.first.locator("ul.hit-lines li").first).to_have_text(re.compile(r"^(high|medium|low) \S"))
    screenshot(page, server, "flight")


def test_signing_out_ends_the_session(page: Page, server: Server) -> None:
    sign_in_officer(page, server)
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You are signed out.")).to_be_visible()
    page.goto(f"{server.url}/flights")
    expect(page).to_have_url(re.compile(r"/auth/sign-in\?next="))
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def test_the_sign_in_form_works_with_the_keyboard_alone(page: Page, server: Server) -> None:
    page.goto(f"{server.url}/auth/sign-in")
    expect(page.get_by_label("Username")).to_be_focused()  # the form has the focus at once
    page.keyboard.type(server.officer)
    page.keyboard.press("Tab")
    expect(page.get_by_label("Password")).to_be_focused()
    page.keyboard.type(server.officer_password)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Welcome, Olga Officer")).to_be_visible()
    flights = page.get_by_role("navigation", name="Main").get_by_role("link", name="Flights")
    for _ in range(10):  # on to the flights board, still without the mouse
        page.keyboard.press("Tab")
        if flights.evaluate("link => link === document.activeElement"):
            break
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Inbound flights")).to_be_visible()


def test_the_board_and_a_flight_fit_a_phone_without_sideways_scrolling(phone: Page, server: Server) -> None:
    sign_in_officer(phone, server)
    phone.goto(f"{server.url}/flights")
    expect(phone.locator("table.board")).to_be_visible()
    assert sideways_overflow(phone) == 0
    screenshot(phone, server, "phone-board")
    open_flight_with_hits(phone, server)
    expect(phone.locator("table.manifest")).to_be_visible()
    assert sideways_overflow(phone) == 0
    screenshot(phone, server, "phone-flight")
