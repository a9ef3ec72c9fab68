"""What the browser tests share: the server under test, signing in, screenshots and the phone layout check."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Page

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")  # Debian's; Playwright's own browsers are never downloaded
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
SEVERITY_COUNT = re.compile(r"(\d+) (high|medium|low)")


@dataclass(frozen=True, slots=True)
class Server:
    """A running ``gtas serve`` and who can sign in to it."""

    backend: str
    url: str
    admin_password: str
    officer: str
    officer_password: str
    database_url: str


def sign_in(page: Page, server: Server, username: str, password: str) -> None:
    """Fill in and send the sign-in form."""
    page.goto(f"{server.url}/auth/sign-in")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def sign_in_officer(page: Page, server: Server) -> None:
    """Sign in as the officer and land on the home page."""
    sign_in(page, server, server.officer, server.officer_password)
    page.get_by_role("heading", name="Welcome, Olga Officer").wait_for()


def screenshot(page: Page, server: Server, name: str) -> Path:
    """Save what the viewport shows as test-artifacts/screenshots/<backend>-<name>.png (a whole manifest would be
    tens of thousands of pixels long)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{server.backend}-{name}.png"
    page.screenshot(path=str(path))
    return path


def sideways_overflow(page: Page) -> int:
    """How many CSS pixels the page body is wider than the viewport (0: no horizontal scrolling)."""
    width: int = page.evaluate("Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
                               " - document.documentElement.clientWidth")
    return max(width, 0)


def open_flight_with_hits(page: Page, server: Server) -> str:
    """From the flights board, open the first flight that has open hits; returns its designator."""
    page.goto(f"{server.url}/flights")
    link = page.locator("table.board tbody tr.has-hits th a").first
    designator = link.inner_text()
    link.click()
    page.wait_for_url(re.compile(r"/flights/\d+$"))
    return designator
