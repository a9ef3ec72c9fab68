"""Browser tests: the real application (``gtas demo`` data, then ``gtas serve``) driven by Debian's chromium.

One server per test module and backend (SQLite, and PostgreSQL when GTAS_TEST_DATABASE_URL is set), one browser per
test session, a fresh browser context (no cookies) per test. Without Playwright or /usr/bin/chromium the tests are
skipped; ``python3 dev.py test`` installs both.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from gtas import db
from gtas.rules.rescreen import run_rescreens
from tests.conftest import _postgresql_schema
from tests.e2e.helpers import CHROMIUM, SCREENSHOTS, Server, sign_in
from tests.test_serve import free_port

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, ViewportSize

GTAS = Path(sys.executable).with_name("gtas")
ADMIN_PASSWORD = re.compile(r"^sign in as admin with the password (\S+) ", re.MULTILINE)
OFFICER = "olga"
OFFICER_PASSWORD = "amber lantern quietly folds"  # chosen at the first sign-in, replacing the generated one
DESKTOP: ViewportSize = {"width": 1280, "height": 900}
PHONE: ViewportSize = {"width": 390, "height": 844}  # a phone held upright
TIMEOUT_MS = 10_000  # the longest a browser action waits (Playwright's default is 30 s)
UNSAFE = re.compile(r"[^\w.-]+")  # in a file name
REPORTS = pytest.StashKey[dict[str, pytest.TestReport]]()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's chromium, headless, through Playwright; skipped cleanly when either is missing."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("Playwright is not installed (pip install -e '.[test]', or python3 dev.py test)")
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium, or python3 dev.py test as root)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        yield launched
        launched.close()


def _run(args: list[str], env: dict[str, str]) -> str:
    """Run a ``gtas`` command to completion; its output, or a failure that shows it."""
    done = subprocess.run([str(GTAS), *args], env=env, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, f"gtas {' '.join(args)} failed:\n{done.stdout}{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def server(request: pytest.FixtureRequest, browser: Browser, tmp_path_factory: pytest.TempPathFactory,
           ) -> Iterator[Server]:
    """``gtas serve`` on a free port over a fresh database holding the demo traffic and an officer who has chosen
    his password at the first sign-in."""
    home = tmp_path_factory.mktemp("e2e")
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("GTAS_")}, "GTAS_HOME": str(home),
           "GTAS_CARD_KEY": "e2e card key", "GTAS_HOME_COUNTRY": "USA", "PYTHONUNBUFFERED": "1"}
    if request.param == "sqlite":
        yield from _serve(request.param, env, home, browser)
    else:
        with _postgresql_schema(f"e2e{abs(hash(request.node.nodeid)) % 10**6}") as url:
            yield from _serve(request.param, {**env, "GTAS_DATABASE_URL": url}, home, browser)


def _serve(backend: str, env: dict[str, str], home: Path, browser: Browser) -> Iterator[Server]:
    """Load the demo, create the officer, start the server and wait until it answers; stop it afterwards."""
    url = env.get("GTAS_DATABASE_URL", f"sqlite:///{home / 'gtas.db'}")
    _run(["demo", "--flights", "3"], env)
    _finish_rescreens(url)
    generated = _run(["user", "create", OFFICER, "--role", "officer", "--name", "Olga Officer"], env).strip()
    port, log = free_port(), home / "serve.log"
    with log.open("wb") as output:  # a file, not a pipe: the request log must never block the server
        process = subprocess.Popen([str(GTAS), "serve", "--port", str(port)], env=env, stdout=output,
                                   stderr=subprocess.STDOUT)
    try:
        admin = _wait_for_admin_password(process, log, port)
        server = Server(backend, f"http://127.0.0.1:{port}", admin, OFFICER, OFFICER_PASSWORD, url)
        _choose_officer_password(browser, server, generated)
        yield server
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=20)
    assert process.returncode == 0, log.read_text()


def _finish_rescreens(url: str) -> None:
    """Work through the re-screening the demo's watchlist and rules asked for, as the server's job would in its first
    seconds: the server then starts idle, and what the pages show holds still while the tests read it."""
    engine = db.make_engine(url)
    try:
        run_rescreens(db.make_sessionmaker(engine))
    finally:
        engine.dispose()


def _wait_for_admin_password(process: subprocess.Popen[bytes], log: Path, port: int, timeout: float = 60) -> str:
    """The administrator's password, once ``gtas serve`` has printed it and accepts connections on ``port``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, f"gtas serve stopped:\n{log.read_text()}"
        if found := ADMIN_PASSWORD.search(log.read_text()):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                return found[1]
            except OSError:
                pass
        time.sleep(0.1)
    raise AssertionError(f"gtas serve did not start in {timeout} s:\n{log.read_text()}")


def _choose_officer_password(browser: Browser, server: Server, generated: str) -> None:
    """The officer's first sign-in: the application makes him replace the generated password before anything else."""
    with _new_page(browser, viewport=DESKTOP) as page:
        sign_in(page, server, server.officer, generated)
        page.wait_for_url("**/auth/password")
        page.get_by_label("Current password").fill(generated)
        page.get_by_label("New password", exact=True).fill(server.officer_password)
        page.get_by_label("New password again").fill(server.officer_password)
        page.get_by_role("button", name="Change password").click()
        page.get_by_text("Your password is changed.").wait_for()


@contextmanager
def _new_page(browser: Browser, **options: Any) -> Iterator[Page]:
    """A page in a fresh browser context (no cookies, no session), closed afterwards."""
    context = browser.new_context(**options)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None],
                               ) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Keep each phase's report on the test, so that its page fixture knows whether the test failed."""
    report = yield
    item.stash.setdefault(REPORTS, {})[report.when] = report
    return report


@contextmanager
def _kept_on_failure(request: pytest.FixtureRequest, page: Page) -> Iterator[Page]:
    """The page; when the test fails, what it showed last is saved beside the screenshots."""
    yield page
    report = request.node.stash.get(REPORTS, {}).get("call")
    if report is not None and report.failed:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"failed-{UNSAFE.sub('_', request.node.name)}.png"))


@pytest.fixture
def page(request: pytest.FixtureRequest, browser: Browser) -> Iterator[Page]:
    """A desktop-sized page in a fresh browser context."""
    with _new_page(browser, viewport=DESKTOP) as desktop, _kept_on_failure(request, desktop):
        yield desktop


@pytest.fixture
def phone(request: pytest.FixtureRequest, browser: Browser) -> Iterator[Page]:
    """A page in a fresh context the size of a phone held upright (390×844), with touch."""
    with _new_page(browser, viewport=PHONE, is_mobile=True, has_touch=True) as upright, \
            _kept_on_failure(request, upright):
        yield upright
